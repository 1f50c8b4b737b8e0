/**
 * Exponential ElGamal, as ElectionGuard 1.x uses it: (α, β) = (g^r, g^m · K^r).
 *
 * Votes are 0 or 1, so g^m is 1 or g and costs no exponentiation.  `openWithNonce`
 * is the other half of a Benaloh challenge: whoever holds the nonce r can read m
 * back without the guardians' key.
 */

import { P, G } from "./constants.js";
import { mulP } from "./group.js";
import { hashElems } from "./hash.js";

/** pad α and data β for a 0/1 vote; `powers` supplies g^e and K^e. */
export function encryptVote(vote, nonce, powers) {
  if (vote !== 0 && vote !== 1) throw new RangeError("a selection encrypts 0 or 1");
  if (nonce === 0n) throw new RangeError("ElGamal encryption needs a non-zero nonce");
  const kr = powers.k(nonce);
  return { pad: powers.g(nonce), data: vote === 1 ? mulP(G, kr) : kr };
}

/** The package's ElGamalCiphertext.crypto_hash: H(α, β). */
export function ciphertextHash(c) {
  return hashElems(c.pad, c.data);
}

/** Component-wise product: an encryption of the sum (the contest accumulation). */
export function addCiphertexts(list) {
  let pad = 1n;
  let data = 1n;
  for (const c of list) {
    pad = (pad * c.pad) % P;
    data = (data * c.data) % P;
  }
  return { pad, data };
}

/**
 * Read a 0/1 vote from a ciphertext and its revealed nonce; null when the ciphertext
 * is not (g^r, g^m·K^r) for m in {0, 1} — the challenge check then fails loudly.
 */
export function openWithNonce(c, nonce, powers) {
  if (powers.g(nonce) !== c.pad) return null;
  const kr = powers.k(nonce);
  if (c.data === kr) return 0;
  if (c.data === mulP(G, kr)) return 1;
  return null;
}
