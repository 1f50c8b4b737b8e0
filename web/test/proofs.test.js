import { test } from "node:test";
import assert from "node:assert/strict";
import { fromHex, toHex } from "../js/crypto/group.js";
import { naivePowers } from "../js/crypto/powers.js";
import { encryptVote } from "../js/crypto/elgamal.js";
import {
  makeDisjunctiveProof,
  makeConstantProof,
  verifyDisjunctiveProof,
  verifyConstantProof,
  InvalidProof,
} from "../js/crypto/proofs.js";
import { encryptContestData } from "../js/crypto/contest_data.js";
import { sharedVector, sharedVectorExists } from "./helpers.js";

const bigints = (obj) =>
  Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, typeof v === "string" && k !== "usage" ? fromHex(v) : v]));
const hexes = (obj) => Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, typeof v === "bigint" ? toHex(v) : v]));

for (const name of ["disjunctive_0_valid", "disjunctive_1_valid"]) {
  test(`${name}: the JS makes the package's proof from the same nonce and seed`, { skip: !sharedVectorExists(`${name}.json`) }, async () => {
    const v = sharedVector(`${name}.json`);
    const powers = naivePowers(fromHex(v.inputs.public_key));
    const nonce = fromHex(v.inputs.nonce);
    const ciphertext = encryptVote(v.inputs.plaintext, nonce, powers);
    assert.deepEqual(hexes(ciphertext), v.inputs.ciphertext);
    const proof = await makeDisjunctiveProof(ciphertext, nonce, v.inputs.plaintext, fromHex(v.inputs.extended_base_hash), fromHex(v.inputs.seed), powers);
    assert.deepEqual(hexes(proof), v.proof);
    await verifyDisjunctiveProof(ciphertext, proof, powers.publicKey, fromHex(v.inputs.extended_base_hash));
  });
}

test("disjunctive_2_invalid: a proof over an encryption of 2 is refused", { skip: !sharedVectorExists("disjunctive_2_invalid.json") }, async () => {
  const v = sharedVector("disjunctive_2_invalid.json");
  assert.equal(v.expected.error, "InvalidProof");
  await assert.rejects(
    verifyDisjunctiveProof(bigints(v.inputs.ciphertext), bigints(v.proof), fromHex(v.inputs.public_key), fromHex(v.inputs.extended_base_hash)),
    InvalidProof,
  );
});

for (const name of ["constant_valid", "constant_wrong_limit"]) {
  test(`${name}: constant proof made and checked as the package does`, { skip: !sharedVectorExists(`${name}.json`) }, async () => {
    const v = sharedVector(`${name}.json`);
    const key = fromHex(v.inputs.public_key);
    const qBar = fromHex(v.inputs.extended_base_hash);
    const accumulation = bigints(v.inputs.ciphertext);
    const proof = bigints(v.proof);
    if (v.expected.valid) {
      const made = await makeConstantProof(accumulation, v.inputs.constant, fromHex(v.inputs.aggregate_nonce), qBar, fromHex(v.inputs.seed), naivePowers(key));
      assert.deepEqual(hexes(made), v.proof);
      await verifyConstantProof(accumulation, proof, key, qBar);
    } else {
      await assert.rejects(verifyConstantProof(accumulation, proof, key, qBar), InvalidProof);
    }
  });
}

test("hashed_elgamal: contest extended data is the package's hashed ElGamal", { skip: !sharedVectorExists("hashed_elgamal.json") }, async () => {
  const v = sharedVector("hashed_elgamal.json");
  const message = Uint8Array.from(v.inputs.message.match(/../g).map((h) => parseInt(h, 16)));
  const got = await encryptContestData(message, fromHex(v.inputs.nonce), fromHex(v.inputs.encryption_seed), naivePowers(fromHex(v.inputs.public_key)));
  assert.deepEqual(hexes(got), v.ciphertext);
});

test("a proof with one field changed is refused, naming the failed check", { skip: !sharedVectorExists("disjunctive_1_valid.json") }, async () => {
  const v = sharedVector("disjunctive_1_valid.json");
  const key = fromHex(v.inputs.public_key);
  const qBar = fromHex(v.inputs.extended_base_hash);
  const ciphertext = bigints(v.inputs.ciphertext);
  const proof = bigints(v.proof);
  await assert.rejects(verifyDisjunctiveProof(ciphertext, { ...proof, proof_one_response: (proof.proof_one_response + 1n) }, key, qBar), /g\^v1/);
  await assert.rejects(verifyDisjunctiveProof(ciphertext, { ...proof, challenge: proof.challenge ^ 1n }, key, qBar), InvalidProof);
  await assert.rejects(verifyDisjunctiveProof({ ...ciphertext, pad: 0n }, proof, key, qBar), /alpha is not a group element/);
});
