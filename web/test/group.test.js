import { test } from "node:test";
import assert from "node:assert/strict";
import { P, Q, G, R } from "../js/crypto/constants.js";
import { toHex, fromHex, elementModP, elementModQ, powMod, qFromBytes, InvalidElement } from "../js/crypto/group.js";
import { FixedBaseTable } from "../js/crypto/fixedbase.js";
import { randomNonce } from "../js/crypto/random.js";
import { seededBytes } from "./helpers.js";

test("the constants are the standard group: p = qr + 1, q = 2^256 - 189, g of order q", () => {
  assert.equal(Q, 2n ** 256n - 189n);
  assert.equal(P, Q * R + 1n);
  assert.equal(P.toString(2).length, 4096);
  assert.equal(powMod(G, Q), 1n);
  assert.notEqual(G, 1n);
});

test("toHex writes the package's text: upper case, even length, no padding", () => {
  assert.equal(toHex(0n), "00");
  assert.equal(toHex(5n), "05");
  assert.equal(toHex(255n), "FF");
  assert.equal(toHex(256n), "0100");
  assert.equal(fromHex(toHex(P - 1n)), P - 1n);
  assert.throws(() => toHex(-1n), TypeError);
});

test("numbers from outside are checked: hex, range, subgroup", () => {
  for (const bad of ["", "xyz", "0x12", 12, null, "F".repeat(1200)]) assert.throws(() => fromHex(bad), InvalidElement);
  assert.throws(() => elementModQ(toHex(Q)), InvalidElement);
  assert.equal(elementModQ(toHex(Q - 1n)), Q - 1n);
  assert.throws(() => elementModP("00"), /out of range/);
  assert.throws(() => elementModP(toHex(P)), /out of range/);
  // P - 1 has order 2, so it lies outside the order-q subgroup.
  assert.throws(() => elementModP(toHex(P - 1n)), /subgroup/);
  assert.equal(elementModP(toHex(G)), G);
});

test("fixed-base tables agree with square-and-multiply, edge exponents included", () => {
  const table = new FixedBaseTable(G, 6);
  const bytes = seededBytes("fixed-base");
  const exponents = [0n, 1n, 2n, 255n, 256n, Q - 1n, 2n ** 256n - 1n, qFromBytes(bytes(64)), qFromBytes(bytes(64))];
  for (const e of exponents) assert.equal(table.pow(e), powMod(G, e), `exponent ${e}`);
  assert.throws(() => table.pow(2n ** 256n), RangeError);
  assert.throws(() => table.pow(-1n), RangeError);
});

test("random nonces come from the byte source and lie in [1, q)", () => {
  const a = randomNonce(seededBytes("x"));
  const b = randomNonce(seededBytes("x"));
  assert.equal(a, b);
  assert.ok(a > 0n && a < Q);
  const system = randomNonce();
  assert.ok(system > 0n && system < Q && system !== randomNonce());
  assert.throws(() => qFromBytes(new Uint8Array(16)), RangeError);
});
