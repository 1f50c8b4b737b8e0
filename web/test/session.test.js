import { test } from "node:test";
import assert from "node:assert/strict";
import { BallotSession, SessionError } from "../js/ballot_session.js";
import { InvalidElement, toHex } from "../js/crypto/group.js";
import { InvalidManifest } from "../js/crypto/manifest.js";
import { sampleContextJson, sampleManifestJson, seededBytes } from "./helpers.js";

const plaintext = (id) => ({
  object_id: id,
  style_id: "delegate",
  contests: [
    { object_id: "motion-1", ballot_selections: [{ object_id: "motion-1-no-sel", vote: 1 }] },
    { object_id: "executive", ballot_selections: [{ object_id: "dave-sel", vote: 1 }] },
  ],
});

let shared;
async function ready() {
  if (!shared) {
    shared = new BallotSession({ randomBytes: seededBytes("session"), now: () => 1_795_607_030_000 });
    await shared.init({ context: sampleContextJson(), manifest: sampleManifestJson() });
  }
  return shared;
}

test("encrypt before init is refused", async () => {
  await assert.rejects(new BallotSession().encrypt({ plaintext: plaintext("x") }), SessionError);
});

test("init refuses a key outside the group and a manifest that does not match", async () => {
  const session = new BallotSession();
  const context = sampleContextJson();
  await assert.rejects(session.init({ context: { ...context, elgamal_public_key: "02" }, manifest: sampleManifestJson() }), InvalidElement);
  const manifest = sampleManifestJson();
  manifest.contests[0].name = "Motion 2";
  await assert.rejects(session.init({ context, manifest }), InvalidManifest);
  await assert.rejects(session.init({ context: null, manifest }), SessionError);
});

test("encrypt hands out the submitted ballot and its code, never nonces or the choice", async () => {
  const session = await ready();
  const reply = await session.encrypt({ plaintext: plaintext("s-1") });
  assert.equal(reply.objectId, "s-1");
  assert.equal(reply.trackingCode, reply.ballot.code);
  assert.equal(reply.ballot.timestamp, 1_795_607_030);
  const text = JSON.stringify(reply);
  assert.ok(!text.includes('"vote"'));
  assert.equal(reply.ballot.nonce, null);
  for (const c of reply.ballot.contests) {
    assert.equal(c.nonce, null);
    assert.ok(c.ballot_selections.every((s) => s.nonce === null));
  }
  session.cast({ objectId: "s-1" });
});

test("reveal opens the ballot to the choice, spoils it, and it cannot be cast or reused", async () => {
  const session = await ready();
  const encrypted = await session.encrypt({ plaintext: plaintext("s-2") });
  const revealed = await session.reveal({ objectId: "s-2" });
  assert.equal(revealed.spoiled, true);
  assert.deepEqual(revealed.choices["motion-1"], { "motion-1-yes-sel": 0, "motion-1-no-sel": 1, "motion-1-abstain-sel": 0 });
  assert.deepEqual(revealed.choices.executive, { "alice-sel": 0, "bob-sel": 0, "carol-sel": 0, "dave-sel": 1 });
  assert.equal(revealed.ballot.code, encrypted.trackingCode);
  assert.equal(revealed.ballot.nonce, revealed.masterNonce);
  assert.equal(Object.keys(revealed.selectionNonces.executive).length, 6);
  await assert.rejects(session.reveal({ objectId: "s-2" }), SessionError);
  assert.throws(() => session.cast({ objectId: "s-2" }), SessionError);
  await assert.rejects(session.encrypt({ plaintext: plaintext("s-2") }), /already encrypted/);
});

test("cast forgets the nonces: a later reveal is refused", async () => {
  const session = await ready();
  await session.encrypt({ plaintext: plaintext("s-3"), codeSeed: toHex(12345n), timestamp: 99 });
  assert.deepEqual(session.cast({ objectId: "s-3" }), { objectId: "s-3", forgotten: true });
  await assert.rejects(session.reveal({ objectId: "s-3" }), SessionError);
});

test("the same random bytes and clock reproduce the same ballot", async () => {
  const make = async () => {
    const s = new BallotSession({ randomBytes: seededBytes("repro"), now: () => 1_000_000 });
    s.election = (await ready()).election;
    s.powers = (await ready()).powers;
    return (await s.encrypt({ plaintext: plaintext("r-1") })).ballot;
  };
  assert.deepEqual(await make(), await make());
});

test("prepare precomputes every power: the click needs no exponentiation and opens the same", async () => {
  const base = await ready();
  const session = new BallotSession({ randomBytes: seededBytes("prepare"), now: () => 5_000 });
  session.election = base.election;
  session.published = base.published;
  session.powers = base.powers;
  const prepared = await session.prepare({ objectId: "p-1", styleId: "delegate" });
  assert.equal(prepared.powersCached, 78); // 10 selections × 7, 2 contests × (2 + 2)
  const refuse = () => {
    throw new Error("exponentiation at click time");
  };
  session.powers = { publicKey: base.powers.publicKey, g: refuse, k: refuse };
  const encrypted = await session.encrypt({ plaintext: plaintext("p-1") });
  assert.equal(encrypted.precomputed, true);
  session.powers = base.powers;
  const revealed = await session.reveal({ objectId: "p-1" });
  assert.deepEqual(revealed.choices.executive, { "alice-sel": 0, "bob-sel": 0, "carol-sel": 0, "dave-sel": 1 });
  // Same master nonce without preparing: the identical ballot.
  const again = new BallotSession({ randomBytes: seededBytes("prepare"), now: () => 5_000 });
  again.election = base.election;
  again.powers = base.powers;
  assert.deepEqual((await again.encrypt({ plaintext: plaintext("p-1") })).ballot, encrypted.ballot);
});

test("a prepared nonce serves one attempt only, and another style falls back to a fresh one", async () => {
  const base = await ready();
  const session = new BallotSession({ randomBytes: seededBytes("once"), now: () => 5_000 });
  session.election = base.election;
  session.powers = base.powers;
  await session.prepare({ objectId: "p-2", styleId: "delegate" });
  const bad = plaintext("p-2");
  bad.contests[0].ballot_selections.push({ object_id: "motion-1-yes-sel", vote: 1 });
  await assert.rejects(session.encrypt({ plaintext: bad }), /allows 1 choice/);
  const retry = await session.encrypt({ plaintext: plaintext("p-2") });
  assert.equal(retry.precomputed, false);
  await assert.rejects(session.prepare({ objectId: "p-2", styleId: "delegate" }), /already encrypted/);
});
