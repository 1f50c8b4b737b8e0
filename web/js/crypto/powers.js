/**
 * The two exponentiation engines the encryptor can run on: g^e and K^e.
 *
 * An encryptor only ever raises g and the election key K (it knows every exponent),
 * so it asks for exactly these two powers.  `tablePowers` builds fixed-base tables
 * once per election (in the worker, while the delegate reads the ballot);
 * `naivePowers` is square-and-multiply, kept as the benchmark's baseline.
 */

import { G } from "./constants.js";
import { powMod } from "./group.js";
import { FixedBaseTable, DEFAULT_WINDOW_BITS } from "./fixedbase.js";

/** @param {bigint} publicKey K, already checked to be a group element. */
export function naivePowers(publicKey) {
  return {
    publicKey,
    g: (e) => powMod(G, e),
    k: (e) => powMod(publicKey, e),
  };
}

export function tablePowers(publicKey, windowBits = DEFAULT_WINDOW_BITS) {
  const gTable = new FixedBaseTable(G, windowBits);
  const kTable = new FixedBaseTable(publicKey, windowBits);
  return {
    publicKey,
    g: (e) => gTable.pow(e),
    k: (e) => kTable.pow(e),
  };
}
