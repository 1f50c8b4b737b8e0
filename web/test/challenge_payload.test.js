import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { toHex, fromHex, InvalidElement } from "../js/crypto/group.js";
import { Q } from "../js/crypto/constants.js";
import { ChallengeFailed } from "../js/crypto/challenge.js";
import { checkChallengePayload } from "../js/crypto/challenge_check.js";
import { InvalidManifest } from "../js/crypto/manifest.js";
import { InvalidPayload, MAX_JSON, decodePayload, encodePayload, payloadText } from "../js/crypto/challenge_payload.js";
import { OWN_VECTORS, election } from "./helpers.js";
import { challengeVector, VECTOR_BALLOT_ID } from "./challenge_vector.js";

const committed = () => fs.readFileSync(path.join(OWN_VECTORS, "challenge_payload.txt"), "utf-8");
const powers = async () => (await election()).powers;

test("reveal hands out a payload that checks offline to the tracking code the delegate saw", async () => {
  const { encrypted, revealed } = await challengeVector();
  const payload = await decodePayload(revealed.checkPayload);
  assert.equal(payload.ballot.code, encrypted.trackingCode);
  assert.equal(payload.master_nonce, revealed.masterNonce);
  assert.deepEqual(payload.choices, { "motion-1": ["motion-1-yes-sel"], executive: ["alice-sel", "carol-sel"] });
  assert.deepEqual(Object.keys(payload.context), ["number_of_guardians", "quorum", "elgamal_public_key", "commitment_hash", "manifest_hash"]);
  const checked = await checkChallengePayload(payload, { powers: await powers() });
  assert.equal(checked.trackingCode, encrypted.trackingCode);
  assert.deepEqual(checked.choices, revealed.choices);
  // The re-encryption is the ballot the server got, proofs and all.
  assert.deepEqual(checked.ballot, encrypted.ballot);
});

test("the worker still writes the committed vector (the Python verifier's test input)", async () => {
  const { revealed } = await challengeVector();
  assert.deepEqual(await decodePayload(committed()), await decodePayload(revealed.checkPayload));
  assert.equal((await decodePayload(committed())).ballot.object_id, VECTOR_BALLOT_ID);
});

test("a link, the text alone or the text with line breaks all decode", async () => {
  const text = committed().trim();
  assert.equal(payloadText(`https://evote.example.org/verify#p=${text}`), text);
  assert.equal(payloadText(`p=${text}&x=1`), text);
  assert.equal(payloadText(`${text.slice(0, 500)}\n ${text.slice(500)}`), text);
});

async function refused(change, error) {
  const payload = await decodePayload(committed());
  change(payload);
  await assert.rejects(checkChallengePayload(payload, { powers: await powers() }), error);
}

test("a changed choice, nonce or code fails the check", async () => {
  await refused((p) => (p.choices["motion-1"] = ["motion-1-no-sel"]), (e) => e instanceof ChallengeFailed && /not an encryption of this choice/.test(e.message));
  await refused((p) => (p.choices.executive = ["alice-sel"]), ChallengeFailed);
  await refused((p) => (p.master_nonce = toHex((fromHex(p.master_nonce) + 1n) % Q)), ChallengeFailed);
  await refused((p) => (p.ballot.code = toHex(fromHex(p.ballot.code) ^ 1n)), ChallengeFailed);
  await refused((p) => (p.ballot.timestamp += 1), ChallengeFailed);
  await refused((p) => (p.ballot.object_id = "ballot-other"), ChallengeFailed);
});

test("choices the ballot cannot have, another manifest or a bad key are refused", async () => {
  await refused((p) => (p.choices.executive = ["alice-sel", "bob-sel", "carol-sel"]), /allows 2/);
  await refused((p) => (p.choices.executive = ["mallory-sel"]), /no selection/);
  await refused((p) => delete p.choices.executive, /leave out contest executive/);
  await refused((p) => (p.choices.treasurer = []), /not on the ballot/);
  await refused((p) => (p.manifest.contests[0].name = "Motion 2"), InvalidManifest);
  await refused((p) => (p.context.elgamal_public_key = "02"), InvalidElement);
  await refused((p) => (p.master_nonce = "F".repeat(64)), InvalidElement);
});

test("text that is not a payload is refused with InvalidPayload", async () => {
  const bad = async (text, pattern) => assert.rejects(decodePayload(text), (e) => e instanceof InvalidPayload && pattern.test(e.message));
  await bad("not base64!", /base64url/);
  await bad("____", /not compressed JSON/);
  await bad("x".repeat(20_000), /longer than/);
  await bad(await encodePayload(" ".repeat(MAX_JSON)), /inflates to more/);
  await bad(await encodePayload({ ...(await decodePayload(committed())), version: 2 }), /version 1/);
  await bad(await encodePayload({ ...(await decodePayload(committed())), master_nonce: 5 }), /master_nonce must be a hex/);
  await bad(await encodePayload({ ...(await decodePayload(committed())), choices: { executive: "alice-sel" } }), /list of selection ids/);
});
