/**
 * The election context (the package's CiphertextElectionContext JSON), checked before use.
 *
 * The ballot's proofs are bound to Q̄, and Q̄ to the key ceremony: Q = H(p, q, g, n, k,
 * manifest_hash) and Q̄ = H(Q, commitment_hash).  Recomputing both here means a server
 * cannot hand the browser a Q̄ (or a manifest hash) that the guardians never committed
 * to; K must be a group element other than 1, or ElGamal would hide nothing.
 */

import { P, Q, G } from "./constants.js";
import { elementModP, elementModQ } from "./group.js";
import { hashElems } from "./hash.js";

export class InvalidContext extends Error {
  constructor(message) {
    super(message);
    this.name = "InvalidContext";
  }
}

/** Resolves to { publicKey, qBar, manifestHash } as BigInts, or raises InvalidContext / InvalidElement. */
export async function loadContext(context) {
  if (!context || typeof context !== "object") throw new InvalidContext("expected the election context object");
  const { number_of_guardians: n, quorum: k } = context;
  if (!Number.isSafeInteger(n) || !Number.isSafeInteger(k) || k < 1 || k > n) {
    throw new InvalidContext("number_of_guardians and quorum must be integers with 1 <= quorum <= guardians");
  }
  const publicKey = elementModP(context.elgamal_public_key, "election public key K");
  if (publicKey === 1n) throw new InvalidContext("election public key K is 1");
  const manifestHash = elementModQ(context.manifest_hash, "manifest_hash");
  const commitmentHash = elementModQ(context.commitment_hash, "commitment_hash");
  const baseHash = await hashElems(P, Q, G, n, k, manifestHash);
  if (baseHash !== elementModQ(context.crypto_base_hash, "crypto_base_hash")) {
    throw new InvalidContext("crypto_base_hash is not H(p, q, g, n, k, manifest_hash)");
  }
  const qBar = await hashElems(baseHash, commitmentHash);
  if (qBar !== elementModQ(context.crypto_extended_base_hash, "crypto_extended_base_hash")) {
    throw new InvalidContext("crypto_extended_base_hash is not H(crypto_base_hash, commitment_hash)");
  }
  return { publicKey, qBar, manifestHash };
}
