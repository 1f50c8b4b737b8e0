/**
 * Arithmetic mod p and mod q on BigInt, hex in electionguard 1.4.0's text form, and
 * the checks that every number from outside passes before it is used.
 *
 * Group elements and exponents are plain BigInts; which one a value is follows from
 * where it came from (the spec's names in the callers say it).  `powMod` is the
 * naive square-and-multiply path: the benchmark's baseline, and the only way to raise
 * a base that has no fixed-base table (verification, residue checks).
 */

import { P, Q } from "./constants.js";

/** A number from outside is out of range or not a group element. */
export class InvalidElement extends Error {
  constructor(message) {
    super(message);
    this.name = "InvalidElement";
  }
}

export const mulP = (a, b) => (a * b) % P;
export const addQ = (a, b) => (a + b) % Q;
export const subQ = (a, b) => (((a - b) % Q) + Q) % Q;
export const mulQ = (a, b) => (a * b) % Q;
export const negQ = (a) => (Q - (a % Q)) % Q;
/** a + b·c mod q: every Chaum-Pedersen response has this shape. */
export const aPlusBcQ = (a, b, c) => (a + b * c) % Q;

/** base^exponent mod modulus by left-to-right square-and-multiply. */
export function powMod(base, exponent, modulus = P) {
  if (exponent < 0n) throw new RangeError("negative exponent");
  let result = 1n;
  const b = base % modulus;
  for (const bit of exponent.toString(2)) {
    result = (result * result) % modulus;
    if (bit === "1") result = (result * b) % modulus;
  }
  return result;
}

export function bitLength(x) {
  return x === 0n ? 0 : x.toString(2).length;
}

/**
 * Upper-case hex with an even number of digits and no padding to the modulus size,
 * exactly as electionguard 1.4.0 writes numbers: 0 is "00", 5 is "05".  Every hash
 * over an element depends on this text, so nothing else may format them.
 */
export function toHex(x) {
  if (typeof x !== "bigint" || x < 0n) throw new TypeError("toHex needs a non-negative BigInt");
  const text = x.toString(16).toUpperCase();
  return text.length % 2 ? "0" + text : text;
}

/** Parse hex as the package writes it; anything else is an `InvalidElement`. */
export function fromHex(text) {
  if (typeof text !== "string" || text.length === 0 || text.length > 1100 || !/^[0-9A-Fa-f]+$/.test(text)) {
    throw new InvalidElement(`expected a hex number, got ${JSON.stringify(String(text).slice(0, 40))}`);
  }
  return BigInt("0x" + text);
}

/** An exponent read from outside: must lie in [0, q). */
export function elementModQ(text, what = "element mod q") {
  const x = fromHex(text);
  if (x >= Q) throw new InvalidElement(`${what} is not below q`);
  return x;
}

/**
 * A group element read from outside: must lie in (0, p) and in the order-q subgroup
 * (x^q = 1), where ElGamal hides the vote and the proofs are sound.  One naive
 * exponentiation (a few ms), so it is for keys and received values, not hot paths.
 */
export function elementModP(text, what = "element mod p") {
  const x = fromHex(text);
  if (x <= 0n || x >= P) throw new InvalidElement(`${what} is out of range (0, p)`);
  if (powMod(x, Q) !== 1n) throw new InvalidElement(`${what} is not in the order-q subgroup`);
  return x;
}

/**
 * A uniform exponent in [0, q) from 64 random bytes (bias below 2^-256).  The bytes
 * come in as an argument, so tests and vectors can reproduce a ballot exactly.
 */
export function qFromBytes(bytes) {
  if (!(bytes instanceof Uint8Array) || bytes.length < 48) {
    throw new RangeError("need at least 48 random bytes for a uniform element mod q");
  }
  let x = 0n;
  for (const b of bytes) x = (x << 8n) | BigInt(b);
  return x % Q;
}
