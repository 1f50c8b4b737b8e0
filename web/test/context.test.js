import { test } from "node:test";
import assert from "node:assert/strict";
import { loadContext, InvalidContext } from "../js/crypto/context.js";
import { InvalidElement, toHex, fromHex } from "../js/crypto/group.js";
import { knownKey, sampleContextJson } from "./helpers.js";

test("the sample and known-key contexts load, their hashes recomputed", async () => {
  const sample = sampleContextJson();
  const loaded = await loadContext(sample);
  assert.equal(loaded.qBar, fromHex(sample.crypto_extended_base_hash));
  assert.equal(loaded.publicKey, fromHex(sample.elgamal_public_key));
  await loadContext(knownKey().context);
});

test("a context whose hashes the key ceremony did not produce is refused", async () => {
  const sample = sampleContextJson();
  const bump = (hex) => toHex((fromHex(hex) + 1n) % 2n ** 255n);
  await assert.rejects(loadContext({ ...sample, crypto_extended_base_hash: bump(sample.crypto_extended_base_hash) }), /crypto_extended_base_hash is not/);
  await assert.rejects(loadContext({ ...sample, crypto_base_hash: bump(sample.crypto_base_hash) }), /crypto_base_hash is not/);
  await assert.rejects(loadContext({ ...sample, manifest_hash: bump(sample.manifest_hash) }), /crypto_base_hash is not/);
  await assert.rejects(loadContext({ ...sample, commitment_hash: bump(sample.commitment_hash) }), /crypto_extended_base_hash is not/);
  await assert.rejects(loadContext({ ...sample, quorum: 4 }), InvalidContext);
  await assert.rejects(loadContext({ ...sample, elgamal_public_key: "01" }), /K is 1/);
  await assert.rejects(loadContext({ ...sample, elgamal_public_key: "03" }), InvalidElement);
  await assert.rejects(loadContext(null), InvalidContext);
});
