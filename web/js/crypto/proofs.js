/**
 * The two Chaum-Pedersen proofs on an ElectionGuard 1.x ballot, made the way
 * electionguard 1.4.0 makes them (same nonce derivation, same hash order), so a proof
 * from the browser is bit-for-bit the proof the package would make from the same seed.
 *
 * The prover knows the encryption nonce r, so every exponentiation below is g^x or K^x
 * and runs on the fixed-base tables.  Verification (for tests and a second device
 * checking a challenged ballot) raises `InvalidProof`; it never returns a bool.
 */

import { P, G, Q } from "./constants.js";
import { mulP, addQ, subQ, negQ, aPlusBcQ, powMod } from "./group.js";
import { hashElems } from "./hash.js";
import { Nonces } from "./nonces.js";

export const SELECTION_VALUE_USAGE = "Prove selection's value (0 or 1)";
export const SELECTION_LIMIT_USAGE = "Prove value within selection's limit";

export class InvalidProof extends Error {
  constructor(message) {
    super(message);
    this.name = "InvalidProof";
  }
}

/**
 * Disjunctive proof that (α, β) encrypts 0 or 1.  The real branch is the vote's;
 * the other is simulated from its challenge.  Field names are the package's JSON names.
 */
export async function makeDisjunctiveProof(ciphertext, nonce, vote, qBar, seed, powers) {
  const { pad: alpha, data: beta } = ciphertext;
  const [n0, n1, n2] = await (await Nonces.create(seed, "disjoint-chaum-pedersen-proof")).slice(0, 3);
  let a0, b0, a1, b1;
  if (vote === 0) {
    // n0 = c1 (simulated), n1 = v, n2 = u0
    a0 = powers.g(n2);
    b0 = powers.k(n2);
    a1 = powers.g(n1);
    b1 = mulP(powers.k(n1), powers.g(n0));
  } else if (vote === 1) {
    // n0 = w (simulated c0 = -w), n1 = v, n2 = u1
    a0 = powers.g(n1);
    b0 = mulP(powers.k(n1), powers.g(n0));
    a1 = powers.g(n2);
    b1 = powers.k(n2);
  } else {
    throw new RangeError("the disjunctive proof covers votes 0 and 1 only");
  }
  const c = await hashElems(qBar, alpha, beta, a0, b0, a1, b1);
  let c0, c1, v0, v1;
  if (vote === 0) {
    c1 = n0;
    c0 = subQ(c, c1);
    v0 = aPlusBcQ(n2, c0, nonce);
    v1 = aPlusBcQ(n1, c1, nonce);
  } else {
    c0 = negQ(n0);
    c1 = addQ(c, n0);
    v0 = aPlusBcQ(n1, c0, nonce);
    v1 = aPlusBcQ(n2, c1, nonce);
  }
  return {
    proof_zero_pad: a0,
    proof_zero_data: b0,
    proof_one_pad: a1,
    proof_one_data: b1,
    proof_zero_challenge: c0,
    proof_one_challenge: c1,
    challenge: c,
    proof_zero_response: v0,
    proof_one_response: v1,
    usage: SELECTION_VALUE_USAGE,
  };
}

/** Proof that the contest accumulation (A, B) encrypts `constant` (the selection limit). */
export async function makeConstantProof(accumulation, constant, aggregateNonce, qBar, seed, powers) {
  const { pad: alpha, data: beta } = accumulation;
  const u = await (await Nonces.create(seed, "constant-chaum-pedersen-proof")).get(0);
  const a = powers.g(u);
  const b = powers.k(u);
  const c = await hashElems(qBar, alpha, beta, a, b);
  return { pad: a, data: b, challenge: c, response: aPlusBcQ(u, c, aggregateNonce), constant, usage: SELECTION_LIMIT_USAGE };
}

const inQ = (x) => typeof x === "bigint" && x >= 0n && x < Q;
const inGroup = (x) => typeof x === "bigint" && x > 0n && x < P && powMod(x, Q) === 1n;

function require(ok, what) {
  if (!ok) throw new InvalidProof(what);
}

/** The package's DisjunctiveChaumPedersenProof.is_valid, raising instead of returning. */
export async function verifyDisjunctiveProof(ciphertext, proof, publicKey, qBar) {
  const { pad: alpha, data: beta } = ciphertext;
  const { proof_zero_pad: a0, proof_zero_data: b0, proof_one_pad: a1, proof_one_data: b1 } = proof;
  const { proof_zero_challenge: c0, proof_one_challenge: c1, challenge: c } = proof;
  const { proof_zero_response: v0, proof_one_response: v1 } = proof;
  for (const [x, name] of [[alpha, "alpha"], [beta, "beta"], [a0, "a0"], [b0, "b0"], [a1, "a1"], [b1, "b1"]]) {
    require(inGroup(x), `disjunctive proof: ${name} is not a group element`);
  }
  for (const [x, name] of [[c0, "c0"], [c1, "c1"], [c, "c"], [v0, "v0"], [v1, "v1"]]) {
    require(inQ(x), `disjunctive proof: ${name} is not below q`);
  }
  require(addQ(c0, c1) === c, "disjunctive proof: c0 + c1 != c");
  require((await hashElems(qBar, alpha, beta, a0, b0, a1, b1)) === c, "disjunctive proof: challenge is not the hash");
  require(powMod(G, v0) === mulP(a0, powMod(alpha, c0)), "disjunctive proof: g^v0 != a0·α^c0");
  require(powMod(G, v1) === mulP(a1, powMod(alpha, c1)), "disjunctive proof: g^v1 != a1·α^c1");
  require(powMod(publicKey, v0) === mulP(b0, powMod(beta, c0)), "disjunctive proof: K^v0 != b0·β^c0");
  require(
    mulP(powMod(G, c1), powMod(publicKey, v1)) === mulP(b1, powMod(beta, c1)),
    "disjunctive proof: g^c1·K^v1 != b1·β^c1",
  );
}

/** The package's ConstantChaumPedersenProof.is_valid, raising instead of returning. */
export async function verifyConstantProof(accumulation, proof, publicKey, qBar) {
  const { pad: alpha, data: beta } = accumulation;
  const { pad: a, data: b, challenge: c, response: v, constant } = proof;
  for (const [x, name] of [[alpha, "alpha"], [beta, "beta"], [a, "a"], [b, "b"]]) {
    require(inGroup(x), `constant proof: ${name} is not a group element`);
  }
  require(inQ(c) && inQ(v), "constant proof: c or v is not below q");
  require(Number.isSafeInteger(constant) && constant >= 0, "constant proof: bad constant");
  require((await hashElems(qBar, alpha, beta, a, b)) === c, "constant proof: challenge is not the hash");
  require(powMod(G, v) === mulP(a, powMod(alpha, c)), "constant proof: g^v != a·A^c");
  require(
    mulP(powMod(G, (c * BigInt(constant)) % Q), powMod(publicKey, v)) === mulP(b, powMod(beta, c)),
    "constant proof: g^(cL)·K^v != b·B^c",
  );
}
