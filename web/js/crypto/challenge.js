/**
 * Opening a challenged ballot (Benaloh "spoil and check") from its revealed master nonce.
 *
 * After the delegate challenges, the worker reveals the master nonce.  From it, the
 * manifest and the ballot's object_id, anyone re-derives every selection nonce r and
 * reads each vote m from (g^r, g^m·K^r) without any key.  If a ciphertext does not
 * open to 0 or 1 with the derived nonce, the browser did not encrypt what it showed:
 * `openChallengedBallot` raises `ChallengeFailed` naming the selection.  The same code
 * runs in the worker (reveal) and on a second device (the verifier page).
 */

import { fromHex } from "./group.js";
import { contestsForStyle } from "./manifest.js";
import { ballotNonceSeed, contestNonces, selectionNonces } from "./ballot.js";
import { openWithNonce } from "./elgamal.js";

export class ChallengeFailed extends Error {
  constructor(message) {
    super(message);
    this.name = "ChallengeFailed";
  }
}

const hexOrBigInt = (x) => (typeof x === "bigint" ? x : fromHex(x));

/**
 * @param ballot  the CiphertextBallot (JSON object with hex strings, or BigInt fields)
 * @param masterNonce  the revealed master nonce (hex or BigInt)
 * @returns { contests: { [contestId]: { [selectionId]: 0 | 1 } } }, placeholders left out
 */
export async function openChallengedBallot({ election, ballot, masterNonce, powers }) {
  const manifestHash = election.manifest.manifestHash;
  if (hexOrBigInt(ballot.manifest_hash) !== manifestHash) throw new ChallengeFailed("ballot is for another manifest");
  const seed = await ballotNonceSeed(manifestHash, ballot.object_id, hexOrBigInt(masterNonce));
  const expected = contestsForStyle(election.manifest, ballot.style_id);
  if (ballot.contests.length !== expected.length) throw new ChallengeFailed("ballot does not have the style's contests");
  const result = {};
  for (const [i, contest] of expected.entries()) {
    const encrypted = ballot.contests[i];
    if (encrypted.object_id !== contest.objectId || hexOrBigInt(encrypted.description_hash) !== contest.descriptionHash) {
      throw new ChallengeFailed(`contest ${contest.objectId} does not match the manifest`);
    }
    const { nonce: contestNonce } = await contestNonces(contest, seed);
    const descriptions = [...contest.selections, ...contest.placeholders];
    if (encrypted.ballot_selections.length !== descriptions.length) {
      throw new ChallengeFailed(`contest ${contest.objectId} has the wrong number of selections`);
    }
    const votes = {};
    let sum = 0;
    for (const [j, description] of descriptions.entries()) {
      const s = encrypted.ballot_selections[j];
      if (s.object_id !== description.object_id || hexOrBigInt(s.description_hash) !== description.descriptionHash) {
        throw new ChallengeFailed(`selection ${description.object_id} does not match the manifest`);
      }
      const { nonce } = await selectionNonces(description, contestNonce);
      const ciphertext = { pad: hexOrBigInt(s.ciphertext.pad), data: hexOrBigInt(s.ciphertext.data) };
      const vote = openWithNonce(ciphertext, nonce, powers);
      if (vote === null) throw new ChallengeFailed(`selection ${s.object_id} does not open with the revealed nonce`);
      sum += vote;
      if (!description.isPlaceholder) votes[s.object_id] = vote;
    }
    if (sum !== contest.numberElected) throw new ChallengeFailed(`contest ${contest.objectId} does not add up to its limit`);
    result[contest.objectId] = votes;
  }
  return { contests: result };
}
