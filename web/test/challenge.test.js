import { test } from "node:test";
import assert from "node:assert/strict";
import { fromHex } from "../js/crypto/group.js";
import { encryptBallot, ballotToJson } from "../js/crypto/ballot.js";
import { openChallengedBallot, ChallengeFailed } from "../js/crypto/challenge.js";
import { election, ownVector } from "./helpers.js";

async function challenged() {
  const v = ownVector("ballot_full.json");
  const { election: e, powers } = await election();
  const ballot = await encryptBallot({
    election: e,
    plaintext: v.inputs.plaintext,
    masterNonce: fromHex(v.inputs.master_nonce),
    timestamp: v.inputs.timestamp,
    powers,
  });
  // What a second device receives: the JSON text and the revealed master nonce.
  return { e, powers, wire: JSON.parse(ballotToJson(ballot)), masterNonce: v.inputs.master_nonce };
}

test("the revealed master nonce opens a JS ballot to exactly the choice", async () => {
  const { e, powers, wire, masterNonce } = await challenged();
  const opened = await openChallengedBallot({ election: e, ballot: wire, masterNonce, powers });
  assert.deepEqual(opened.contests, {
    "motion-1": { "motion-1-yes-sel": 1, "motion-1-no-sel": 0, "motion-1-abstain-sel": 0 },
    executive: { "alice-sel": 1, "bob-sel": 0, "carol-sel": 1, "dave-sel": 0 },
  });
});

test("the package's own ballot opens the same way", async () => {
  const v = ownVector("ballot_undervote.json");
  const { election: e, powers } = await election();
  const opened = await openChallengedBallot({ election: e, ballot: v.ballot, masterNonce: v.inputs.master_nonce, powers });
  assert.equal(opened.contests["motion-1"]["motion-1-abstain-sel"], 1);
  assert.deepEqual(opened.contests.executive, { "alice-sel": 0, "bob-sel": 1, "carol-sel": 0, "dave-sel": 0 });
});

test("a ballot that is not what the nonce says fails the challenge", async () => {
  const { e, powers, wire, masterNonce } = await challenged();
  // A cheating encryptor that swapped two ciphertexts: the yes now sits under "no".
  const swapped = structuredClone(wire);
  const sel = swapped.contests[0].ballot_selections;
  [sel[0].ciphertext, sel[1].ciphertext] = [sel[1].ciphertext, sel[0].ciphertext];
  await assert.rejects(openChallengedBallot({ election: e, ballot: swapped, masterNonce, powers }), /motion-1-yes-sel does not open/);
  await assert.rejects(openChallengedBallot({ election: e, ballot: wire, masterNonce: "1234", powers }), ChallengeFailed);
  const renamed = structuredClone(wire);
  renamed.contests[1].ballot_selections[0].object_id = "mallory-sel";
  await assert.rejects(openChallengedBallot({ election: e, ballot: renamed, masterNonce, powers }), /does not match the manifest/);
});

test("a second device re-encrypts the opened choice and gets the ballot byte for byte", async () => {
  const { checkChallengedBallot } = await import("../js/crypto/challenge_check.js");
  const { sampleContextJson, sampleManifestJson } = await import("./helpers.js");
  const v = ownVector("ballot_full.json");
  const args = { context: sampleContextJson(), manifest: sampleManifestJson(), masterNonce: v.inputs.master_nonce };
  const checked = await checkChallengedBallot({ ...args, ballot: v.ballot }); // builds its own tables
  args.powers = (await election()).powers;
  assert.equal(checked.trackingCode, v.ballot.code);
  assert.equal(checked.choices.executive["carol-sel"], 1);
  // Opens fine, but a proof was swapped in from another selection: the re-encryption differs.
  const forged = structuredClone(v.ballot);
  const sels = forged.contests[1].ballot_selections;
  sels[1].proof = structuredClone(sels[3].proof);
  await assert.rejects(checkChallengedBallot({ ...args, ballot: forged }), /not the encryption of the choice/);
  const recoded = structuredClone(v.ballot);
  recoded.code = recoded.crypto_hash;
  await assert.rejects(checkChallengedBallot({ ...args, ballot: recoded }), ChallengeFailed);
});
