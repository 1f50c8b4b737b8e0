import { test } from "node:test";
import assert from "node:assert/strict";
import { hashElems } from "../js/crypto/hash.js";
import { Nonces } from "../js/crypto/nonces.js";
import { fromHex, toHex } from "../js/crypto/group.js";
import { sharedVector, sharedVectorExists } from "./helpers.js";

/** The shared vectors type each element; map them to the JS value that hashes the same way. */
function element(e) {
  if ("str" in e) return e.str;
  if ("int" in e) return e.int;
  if ("q" in e) return fromHex(e.q);
  if ("p" in e) return fromHex(e.p);
  if ("null" in e) return null;
  if ("list" in e) return e.list.map(element);
  throw new Error(`unknown vector element ${JSON.stringify(e)}`);
}

test("hash_elems matches electionguard 1.4.0 on the shared vectors", { skip: !sharedVectorExists("hash_elems.json") }, async () => {
  const vector = sharedVector("hash_elems.json");
  assert.ok(vector.cases.length >= 5);
  for (const c of vector.cases) {
    const got = await hashElems(...c.elements.map(element));
    assert.equal(toHex(got), c.hash, JSON.stringify(c.elements));
  }
});

test("Nonces matches electionguard 1.4.0 on the shared vectors", { skip: !sharedVectorExists("nonces.json") }, async () => {
  const v = sharedVector("nonces.json");
  const seed = fromHex(v.seed);
  const plain = await (await Nonces.create(seed)).slice(0, 3);
  assert.deepEqual(plain.map(toHex), v.plain);
  const headed = await Nonces.create(seed, v.header);
  assert.deepEqual((await headed.slice(0, 3)).map(toHex), v.with_header);
  assert.equal(toHex(await (await Nonces.create(seed)).get(5, "x")), v.item_5_with_header_x);
});

test("hash_elems text rules: hex for BigInt, decimal for numbers, Python's bools, null", async () => {
  // Each pair hashes the same text, so the digests must agree.
  assert.equal(await hashElems(255n), await hashElems("FF"));
  assert.equal(await hashElems(5n), await hashElems("05"));
  assert.equal(await hashElems(255), await hashElems("255"));
  assert.equal(await hashElems(true), await hashElems("True"));
  assert.equal(await hashElems(null), await hashElems([]));
  assert.equal(await hashElems(undefined), await hashElems("null"));
  assert.equal(await hashElems([1n, "a"]), await hashElems(toHex(await hashElems(1n, "a"))));
  assert.notEqual(await hashElems("a", "b"), await hashElems("ab"));
});

test("hash_elems refuses values it cannot hash the package's way", async () => {
  await assert.rejects(hashElems(1.5), TypeError);
  await assert.rejects(hashElems(2 ** 60), TypeError);
  await assert.rejects(hashElems({ a: 1 }), TypeError);
});
