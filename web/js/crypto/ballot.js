/**
 * Ballot encryption as electionguard 1.4.0 does it, producing its CiphertextBallot JSON.
 *
 * Every nonce on the ballot is derived from one master nonce (see nonces.js):
 *   ballot seed      = H(manifest_hash, ballot object_id, master nonce)
 *   contest nonce    = Nonces(contest hash, ballot seed)[contest sequence_order]
 *   contest proof    seed = Nonces(contest hash, ballot seed)[0]
 *   selection nonce  = Nonces(selection hash, contest nonce)[selection sequence_order]
 *   selection proof  seed = Nonces(selection hash, contest nonce)[0]
 * so revealing the master nonce opens the whole ballot (Benaloh challenge), and the
 * ballot is a pure function of (plaintext, election, master nonce, timestamp, code
 * seed): tests and vectors reproduce it exactly.
 *
 * Contests are padded with number_elected placeholder selections, set to 1 for every
 * seat the voter left empty, so each contest's selections sum to number_elected and
 * the constant proof reveals nothing about under-votes.  Over-votes are refused here:
 * the page enforces the limit, and a ballot that breaks it is a bug, not a choice.
 */

import { toHex, addQ } from "./group.js";
import { hashElems } from "./hash.js";
import { Nonces } from "./nonces.js";
import { encryptVote, ciphertextHash, addCiphertexts } from "./elgamal.js";
import { makeDisjunctiveProof, makeConstantProof } from "./proofs.js";
import { contestsForStyle } from "./manifest.js";
import { contestDataJson, paddedMessage, encryptContestData } from "./contest_data.js";

export class InvalidPlaintext extends Error {
  constructor(message) {
    super(message);
    this.name = "InvalidPlaintext";
  }
}

const bySequence = (a, b) => a.sequence_order - b.sequence_order;

/** H(manifest_hash, object_id, master nonce): the root of every nonce on the ballot. */
export function ballotNonceSeed(manifestHash, ballotId, masterNonce) {
  return hashElems(manifestHash, ballotId, masterNonce);
}

/** The (contest nonce, proof seed) pair of a contest; see the module comment. */
export async function contestNonces(contest, ballotSeed) {
  const seq = await Nonces.create(contest.descriptionHash, ballotSeed);
  const [nonce, proofSeed] = await Promise.all([seq.get(contest.sequenceOrder), seq.get(0)]);
  return { nonce, proofSeed };
}

/** The (selection nonce, proof seed) pair of a selection. */
export async function selectionNonces(selection, contestNonce) {
  const seq = await Nonces.create(selection.descriptionHash, contestNonce);
  const [nonce, proofSeed] = await Promise.all([seq.get(selection.sequence_order), seq.get(0)]);
  return { nonce, proofSeed };
}

/** Votes per selection id for one contest, refusing anything the manifest does not allow. */
function contestVotes(contest, plain) {
  const votes = new Map(contest.selections.map((s) => [s.object_id, 0]));
  for (const s of plain ? plain.ballot_selections || [] : []) {
    if (!votes.has(s.object_id)) {
      throw new InvalidPlaintext(`contest ${contest.objectId} has no selection ${JSON.stringify(s.object_id)}`);
    }
    if (s.vote !== 0 && s.vote !== 1) throw new InvalidPlaintext(`vote for ${s.object_id} must be 0 or 1`);
    if (s.is_placeholder_selection) throw new InvalidPlaintext("placeholders are added by the encryptor");
    if (s.write_in !== undefined && s.write_in !== null) throw new InvalidPlaintext("write-ins are not supported");
    votes.set(s.object_id, votes.get(s.object_id) + s.vote);
    if (votes.get(s.object_id) > 1) throw new InvalidPlaintext(`selection ${s.object_id} appears twice`);
  }
  const total = [...votes.values()].reduce((a, b) => a + b, 0);
  if (total > contest.numberElected) {
    throw new InvalidPlaintext(`contest ${contest.objectId} allows ${contest.numberElected} choice(s), got ${total}`);
  }
  return { votes, total };
}

async function encryptSelection(selection, vote, contestNonce, election, powers) {
  const { nonce, proofSeed } = await selectionNonces(selection, contestNonce);
  const ciphertext = encryptVote(vote, nonce, powers);
  const [proof, hash] = await Promise.all([
    makeDisjunctiveProof(ciphertext, nonce, vote, election.qBar, proofSeed, powers),
    ciphertextHash(ciphertext).then((h) => hashElems(selection.object_id, selection.descriptionHash, h)),
  ]);
  return {
    object_id: selection.object_id,
    sequence_order: selection.sequence_order,
    description_hash: selection.descriptionHash,
    ciphertext,
    crypto_hash: hash,
    is_placeholder_selection: selection.isPlaceholder,
    nonce,
    proof,
  };
}

async function encryptContest(contest, plain, ballotSeed, election, powers) {
  const { votes, total } = contestVotes(contest, plain);
  const { nonce: contestNonce, proofSeed } = await contestNonces(contest, ballotSeed);
  let filled = total;
  const plan = [
    ...contest.selections.map((s) => [s, votes.get(s.object_id)]),
    ...contest.placeholders.map((s) => [s, filled < contest.numberElected ? (filled++, 1) : 0]),
  ];
  const selections = await Promise.all(plan.map(([s, v]) => encryptSelection(s, v, contestNonce, election, powers)));
  const accumulation = addCiphertexts(selections.map((s) => s.ciphertext));
  const aggregateNonce = selections.reduce((acc, s) => addQ(acc, s.nonce), 0n);
  const error = total === 0 ? "nullvote" : total < contest.numberElected ? "undervote" : null;
  const dataNonce = await (await Nonces.create(contestNonce, "constant-extended-data")).get(0);
  const [proof, cryptoHash, extendedData] = await Promise.all([
    makeConstantProof(accumulation, contest.numberElected, aggregateNonce, election.qBar, proofSeed, powers),
    hashElems(contest.objectId, contest.descriptionHash, ...[...selections].sort(bySequence).map((s) => s.crypto_hash)),
    encryptContestData(paddedMessage(contestDataJson(error)), dataNonce, election.qBar, powers),
  ]);
  return {
    object_id: contest.objectId,
    sequence_order: contest.sequenceOrder,
    description_hash: contest.descriptionHash,
    ballot_selections: selections,
    ciphertext_accumulation: accumulation,
    crypto_hash: cryptoHash,
    nonce: contestNonce,
    proof,
    extended_data: extendedData,
  };
}

/**
 * Encrypt a plaintext ballot (the package's PlaintextBallot JSON: object_id, style_id,
 * contests[].ballot_selections[].{object_id, vote}).  Contests the voter left out are
 * encrypted as blank.  Resolves to the CiphertextBallot with BigInt fields and its
 * nonces; `ballotToJson` writes it, `withoutNonces` makes the copy that is sent.
 *
 * @param election  { manifest: loadManifest(...) result, qBar: Q̄ (crypto_extended_base_hash) }
 * @param masterNonce  uniform in [1, q), from crypto.getRandomValues (see random.js)
 * @param timestamp  seconds since the epoch, as the package's `timestamp`
 * @param codeSeed  the previous tracking code or the device hash; defaults to manifest_hash
 * @param powers  naivePowers(K) or tablePowers(K)
 */
export async function encryptBallot({ election, plaintext, masterNonce, timestamp, codeSeed, powers }) {
  if (!plaintext || typeof plaintext.object_id !== "string" || plaintext.object_id === "") {
    throw new InvalidPlaintext("a ballot needs an object_id");
  }
  if (typeof masterNonce !== "bigint" || masterNonce <= 0n) throw new InvalidPlaintext("master nonce must be a positive BigInt");
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw new InvalidPlaintext("timestamp must be whole seconds");
  const manifestHash = election.manifest.manifestHash;
  const contests = contestsForStyle(election.manifest, plaintext.style_id);
  const known = new Set(contests.map((c) => c.objectId));
  const given = new Map();
  for (const c of plaintext.contests || []) {
    if (!known.has(c.object_id)) throw new InvalidPlaintext(`contest ${JSON.stringify(c.object_id)} is not on this ballot style`);
    if (given.has(c.object_id)) throw new InvalidPlaintext(`contest ${c.object_id} appears twice`);
    given.set(c.object_id, c);
  }
  const ballotSeed = await ballotNonceSeed(manifestHash, plaintext.object_id, masterNonce);
  const encrypted = await Promise.all(
    contests.map((c) => encryptContest(c, given.get(c.objectId), ballotSeed, election, powers)),
  );
  const seed = codeSeed ?? manifestHash;
  const cryptoHash = await hashElems(plaintext.object_id, manifestHash, ...[...encrypted].sort(bySequence).map((c) => c.crypto_hash));
  const code = await hashElems(seed, timestamp, cryptoHash);
  return {
    object_id: plaintext.object_id,
    style_id: plaintext.style_id,
    manifest_hash: manifestHash,
    code_seed: seed,
    contests: encrypted,
    code,
    timestamp,
    crypto_hash: cryptoHash,
    nonce: masterNonce,
  };
}

/** The ballot as it is submitted: every nonce removed (the package's SubmittedBallot shape). */
export function withoutNonces(ballot) {
  return {
    ...ballot,
    nonce: null,
    contests: ballot.contests.map((c) => ({
      ...c,
      nonce: null,
      ballot_selections: c.ballot_selections.map((s) => ({ ...s, nonce: null })),
    })),
  };
}

/** JSON text in the package's format: every BigInt as its hex text (see group.toHex). */
export function ballotToJson(ballot) {
  return JSON.stringify(ballot, (_key, value) => (typeof value === "bigint" ? toHex(value) : value));
}
