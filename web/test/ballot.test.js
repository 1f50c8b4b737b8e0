import { test } from "node:test";
import assert from "node:assert/strict";
import { fromHex } from "../js/crypto/group.js";
import { loadManifest, isoDateText, InvalidManifest } from "../js/crypto/manifest.js";
import { encryptBallot, withoutNonces, ballotToJson, InvalidPlaintext } from "../js/crypto/ballot.js";
import { verifyDisjunctiveProof, verifyConstantProof } from "../js/crypto/proofs.js";
import { election, ownVector, sampleManifestJson, sampleContextJson } from "./helpers.js";

const VECTORS = ["ballot_full.json", "ballot_undervote.json", "ballot_blank.json"];

async function encryptVector(v, kind = "table") {
  const { election: e, powers } = await election({ kind });
  return encryptBallot({
    election: e,
    plaintext: v.inputs.plaintext,
    masterNonce: fromHex(v.inputs.master_nonce),
    timestamp: v.inputs.timestamp,
    codeSeed: fromHex(v.inputs.code_seed),
    powers,
  });
}

for (const name of VECTORS) {
  test(`${name}: the JS ballot is byte for byte the one electionguard 1.4.0 made`, async () => {
    const v = ownVector(name);
    const ballot = await encryptVector(v);
    assert.equal(ballotToJson(ballot), JSON.stringify(v.ballot));
  });
}

test("the naive path makes the same ballot as the fixed-base tables", async () => {
  const v = ownVector("ballot_undervote.json");
  assert.equal(ballotToJson(await encryptVector(v, "naive")), JSON.stringify(v.ballot));
});

test("every proof on a JS ballot verifies in the JS checker (one contest)", async () => {
  const { election: e, publicKey } = await election();
  const ballot = await encryptVector(ownVector("ballot_full.json"));
  const contest = ballot.contests[0];
  for (const s of contest.ballot_selections) await verifyDisjunctiveProof(s.ciphertext, s.proof, publicKey, e.qBar);
  await verifyConstantProof(contest.ciphertext_accumulation, contest.proof, publicKey, e.qBar);
  assert.equal(contest.ballot_selections.length, 4); // 3 choices + 1 placeholder
});

test("placeholders fill the seats the voter left empty", async () => {
  const ballot = await encryptVector(ownVector("ballot_blank.json"));
  const executive = ballot.contests[1];
  assert.deepEqual(
    executive.ballot_selections.filter((s) => s.is_placeholder_selection).map((s) => s.object_id),
    ["executive-4-placeholder", "executive-5-placeholder"],
  );
  assert.equal(executive.proof.constant, 2);
});

test("a fresh master nonce gives an unlinkable ballot; the same one repeats it", async () => {
  const v = ownVector("ballot_full.json");
  const { election: e, powers } = await election();
  const args = { election: e, plaintext: v.inputs.plaintext, timestamp: 1, powers };
  const a = await encryptBallot({ ...args, masterNonce: 7n });
  const b = await encryptBallot({ ...args, masterNonce: 7n });
  const c = await encryptBallot({ ...args, masterNonce: 8n });
  assert.equal(ballotToJson(a), ballotToJson(b));
  assert.notEqual(a.contests[0].ballot_selections[0].ciphertext.pad, c.contests[0].ballot_selections[0].ciphertext.pad);
  assert.notEqual(a.code, c.code);
});

test("the submitted form carries no nonce anywhere", async () => {
  const ballot = withoutNonces(await encryptVector(ownVector("ballot_full.json")));
  const text = ballotToJson(ballot);
  assert.equal(ballot.nonce, null);
  for (const c of ballot.contests) {
    assert.equal(c.nonce, null);
    for (const s of c.ballot_selections) assert.equal(s.nonce, null);
  }
  assert.ok(!text.includes('"vote"'));
});

test("bad plaintexts get a clear error", async () => {
  const { election: e, powers } = await election();
  const run = (plaintext, extra = {}) => encryptBallot({ election: e, plaintext, masterNonce: 5n, timestamp: 1, powers, ...extra });
  const ballot = (contests) => ({ object_id: "b", style_id: "delegate", contests });
  const motion = (selections) => ({ object_id: "motion-1", ballot_selections: selections });
  const yes = { object_id: "motion-1-yes-sel", vote: 1 };
  const no = { object_id: "motion-1-no-sel", vote: 1 };
  await assert.rejects(run(ballot([motion([yes, no])])), /allows 1 choice\(s\), got 2/);
  await assert.rejects(run(ballot([motion([{ ...yes, vote: 2 }])])), /must be 0 or 1/);
  await assert.rejects(run(ballot([motion([yes, yes])])), /appears twice/);
  await assert.rejects(run(ballot([motion([{ object_id: "alice-sel", vote: 1 }])])), /has no selection "alice-sel"/);
  await assert.rejects(run(ballot([{ object_id: "nope", ballot_selections: [] }])), /not on this ballot style/);
  await assert.rejects(run(ballot([motion([yes]), motion([])])), /appears twice/);
  await assert.rejects(run({ ...ballot([]), style_id: "other" }), InvalidManifest);
  await assert.rejects(run({ ...ballot([]), object_id: "" }), InvalidPlaintext);
  await assert.rejects(run(ballot([]), { masterNonce: 0n }), InvalidPlaintext);
  await assert.rejects(run(ballot([]), { timestamp: 1.5 }), InvalidPlaintext);
  await assert.rejects(run(ballot([motion([{ ...yes, is_placeholder_selection: true }])])), /placeholders/);
});

test("the manifest must hash to the context's manifest_hash", async () => {
  const context = sampleContextJson();
  const manifest = sampleManifestJson();
  const loaded = await loadManifest(manifest, context.manifest_hash);
  assert.equal(loaded.contests.length, 2);
  manifest.contests[1].ballot_selections[0].candidate_id = "mallory";
  await assert.rejects(loadManifest(manifest, context.manifest_hash), /does not match/);
  const twoOfThree = { ...sampleManifestJson() };
  twoOfThree.contests[0].votes_allowed = 2;
  await assert.rejects(loadManifest(twoOfThree, context.manifest_hash), /only n-of-m/);
});

test("manifest dates are hashed in the package's text", () => {
  assert.equal(isoDateText("2026-11-28T09:00:00"), "2026-11-28T09:00:00Z");
  assert.equal(isoDateText("2026-11-28T09:00:00.123456"), "2026-11-28T09:00:00Z");
  assert.equal(isoDateText("2026-11-28T09:00:00+01:00"), "2026-11-28T08:00:00Z");
  assert.equal(isoDateText("2026-11-28T09:00:00Z"), "2026-11-28T09:00:00Z");
  assert.throws(() => isoDateText("28.11.2026"), InvalidManifest);
});
