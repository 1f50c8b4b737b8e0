/**
 * The second device's check of a challenged ballot (the verifier page behind the QR code).
 *
 * Given only public data (context, manifest), the spoiled ballot and its revealed master
 * nonce, it reads the choice back with the nonces and then encrypts that choice again
 * from the same master nonce, timestamp and code seed.  The result must be the ballot,
 * byte for byte: every ciphertext, proof, hash and the tracking code.  So a device that
 * never saw the first one confirms that the tracking code the delegate saw belongs to an
 * honest encryption of exactly the choice shown.
 */

import { loadContext } from "./context.js";
import { loadManifest } from "./manifest.js";
import { tablePowers } from "./powers.js";
import { fromHex } from "./group.js";
import { encryptBallot, withoutNonces, ballotToJson } from "./ballot.js";
import { openChallengedBallot, ChallengeFailed } from "./challenge.js";

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
