/**
 * The second device's check of a challenged ballot.
 *
 * `checkChallengePayload` is the offline check (the verifier page, web/challenge-check.html):
 * from the challenge payload alone (challenge_payload.js) it encrypts the revealed choice
 * again from the revealed master nonce and requires the tracking code the delegate saw.
 * The code is H(code_seed, timestamp, crypto_hash), and crypto_hash covers every
 * ciphertext, so the code commits the first device to the encryption before the delegate
 * chose "check"; a device that encrypted anything but the choice shown cannot make a
 * payload that passes.  The names shown come from the payload's manifest, whose hash is
 * inside the code too, and K and Q̄ are checked as the worker checks them.
 *
 * `checkChallengedBallot` compares with a whole published ballot instead: it reads the
 * choice back with the nonces and re-encrypts it to the same bytes, proofs included.
 */

import { InvalidContext, loadContext } from "./context.js";
import { P, Q, G } from "./constants.js";
import { hashElems } from "./hash.js";
import { contestsForStyle, loadManifest } from "./manifest.js";
import { tablePowers } from "./powers.js";
import { elementModQ, fromHex, toHex } from "./group.js";
import { encryptBallot, withoutNonces, ballotToJson } from "./ballot.js";
import { openChallengedBallot, ChallengeFailed } from "./challenge.js";
import { validatePayload } from "./challenge_payload.js";

/** The payload's context with Q and Q̄ computed, so that loadContext checks K and the counts. */
async function withBaseHashes(context) {
  const { number_of_guardians: n, quorum: k } = context;
  if (!Number.isSafeInteger(n) || !Number.isSafeInteger(k)) throw new InvalidContext("number_of_guardians and quorum must be integers");
  const base = await hashElems(P, Q, G, n, k, elementModQ(context.manifest_hash, "manifest_hash"));
  const extended = await hashElems(base, elementModQ(context.commitment_hash, "commitment_hash"));
  return { ...context, crypto_base_hash: toHex(base), crypto_extended_base_hash: toHex(extended) };
}

/** The plaintext ballot a payload's choices stand for; every contest of the style must be there. */
function payloadPlaintext(payload, manifest) {
  const contests = contestsForStyle(manifest, payload.ballot.style_id);
  const known = new Set(contests.map((c) => c.objectId));
  for (const id of Object.keys(payload.choices)) {
    if (!known.has(id)) throw new ChallengeFailed(`the choices name contest ${JSON.stringify(id)}, which is not on the ballot`);
  }
  return {
    object_id: payload.ballot.object_id,
    style_id: payload.ballot.style_id,
    contests: contests.map((c) => {
      const chosen = payload.choices[c.objectId];
      if (!chosen) throw new ChallengeFailed(`the choices leave out contest ${c.objectId}`);
      return { object_id: c.objectId, ballot_selections: chosen.map((id) => ({ object_id: id, vote: 1 })) };
    }),
  };
}

/**
 * Resolves to { choices, trackingCode, manifestHash, extendedBaseHash, publicKey, ballot } or raises
 * ChallengeFailed, InvalidPayload, InvalidContext, InvalidManifest or InvalidPlaintext.
 * `choices` is { contest: { selection: 0 | 1 } } (placeholders left out); `ballot` is the
 * re-encrypted ballot without nonces, as the server should have it.
 */
export async function checkChallengePayload(payload, { powers: given } = {}) {
  validatePayload(payload);
  const { publicKey, qBar } = await loadContext(await withBaseHashes(payload.context));
  const manifest = await loadManifest(payload.manifest, payload.context.manifest_hash);
  if (given && given.publicKey !== publicKey) throw new ChallengeFailed("the given powers are for another key");
  const powers = given ?? tablePowers(publicKey);
  const plaintext = payloadPlaintext(payload, manifest);
  const ballot = await encryptBallot({
    election: { manifest, qBar },
    plaintext,
    masterNonce: elementModQ(payload.master_nonce, "master nonce"),
    timestamp: payload.ballot.timestamp,
    codeSeed: elementModQ(payload.ballot.code_seed, "code seed"),
    powers,
  });
  if (ballot.code !== fromHex(payload.ballot.code)) {
    throw new ChallengeFailed(
      `the choice and nonce give tracking code ${toHex(ballot.code)}, not ${payload.ballot.code}: the ballot was not an encryption of this choice`,
    );
  }
  // encryptBallot refused unknown selections, repeats and over-votes; what is left is the choice.
  const choices = {};
  for (const [i, contest] of contestsForStyle(manifest, plaintext.style_id).entries()) {
    const chosen = new Set(plaintext.contests[i].ballot_selections.map((s) => s.object_id));
    choices[contest.objectId] = Object.fromEntries(contest.selections.map((s) => [s.object_id, chosen.has(s.object_id) ? 1 : 0]));
  }
  return {
    choices,
    trackingCode: toHex(ballot.code),
    manifestHash: toHex(manifest.manifestHash),
    extendedBaseHash: toHex(qBar),
    publicKey: toHex(publicKey),
    ballot: JSON.parse(ballotToJson(withoutNonces(ballot))),
  };
}

/**
 * Resolves to { choices, trackingCode } or raises ChallengeFailed (or a loading error).
 * `powers` may be passed to reuse tables for K already built; by default they are built here.
 */
export async function checkChallengedBallot({ context, manifest, ballot, masterNonce, powers: given }) {
  const { publicKey, qBar } = await loadContext(context);
  const election = { manifest: await loadManifest(manifest, context.manifest_hash), qBar };
  if (given && given.publicKey !== publicKey) throw new ChallengeFailed("the given powers are for another key");
  const powers = given ?? tablePowers(publicKey);
  const nonce = typeof masterNonce === "bigint" ? masterNonce : fromHex(masterNonce);
  const { contests } = await openChallengedBallot({ election, ballot, masterNonce: nonce, powers });
  const plaintext = {
    object_id: ballot.object_id,
    style_id: ballot.style_id,
    contests: Object.entries(contests).map(([objectId, votes]) => ({
      object_id: objectId,
      ballot_selections: Object.entries(votes).map(([id, vote]) => ({ object_id: id, vote })),
    })),
  };
  const again = await encryptBallot({
    election,
    plaintext,
    masterNonce: nonce,
    timestamp: ballot.timestamp,
    codeSeed: fromHex(ballot.code_seed),
    powers,
  });
  if (ballotToJson(withoutNonces(again)) !== ballotToJson(withoutNonces(ballot))) {
    throw new ChallengeFailed("the ballot is not the encryption of the choice its nonces open to");
  }
  return { choices: contests, trackingCode: ballot.code };
}
