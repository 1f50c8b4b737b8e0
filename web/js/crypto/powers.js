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

/**
 * Powers that remember what they computed, for precomputing a ballot before the vote.
 *
 * Every exponent on a ballot follows from (manifest, ballot id, master nonce) and none
 * from the choice: a 0 and a 1 use the same g^x and K^x, only combined differently.
 * So encrypting a blank ballot through this wrapper while the delegate reads the form
 * fills the cache with every power the real ballot needs, and the click costs only
 * hashing.  The cache holds K^r, which unmasks the vote: it lives as long as the
 * ballot's nonces and is dropped with them (`clear`).
 */
export function cachedPowers(inner) {
  const gCache = new Map();
  const kCache = new Map();
  const through = (cache, f) => (e) => {
    let v = cache.get(e);
    if (v === undefined) {
      v = f(e);
      cache.set(e, v);
    }
    return v;
  };
  return {
    publicKey: inner.publicKey,
    g: through(gCache, inner.g),
    k: through(kCache, inner.k),
    size: () => gCache.size + kCache.size,
    clear: () => {
      gCache.clear();
      kCache.clear();
    },
  };
}
