"""Checking the proof equations of many ballots at once, and one at a time to name a culprit.

Batch test (small-exponent batching, Bellare-Garay-Rabin): each equation L_i = R_i gets a fresh
random weight δ_i of ``WEIGHT_BITS`` bits and the verifier checks ∏ L_i^δ_i = ∏ R_i^δ_i. The g and
K factors of all equations collapse into one exponent each, every other base goes into one
multi-exponentiation. If any single equation is false, the batch passes with probability at
most 2^-WEIGHT_BITS, provided every element lies in a group whose non-trivial elements all have
order > 2^WEIGHT_BITS. Here p - 1 = 2·q·(r/2) with q and r/2 prime, so the Jacobi-symbol test
(done per element in ballots.py) removes the order-2 part, and what remains has only prime
orders q and r/2, both far above 2^128.

Subgroup test of the ciphertexts: (∏ x_i^e_i)^q = 1 with random e_i; sound by the same
argument. Proof commitments (a, b) need no separate test in the batch: once the equations hold,
each commitment equals a product of members of the subgroup.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence

import gmpy2
from gmpy2 import mpz

from .ballots import Constant, Disjunctive, ParsedBallot
from .election import ElectionSpec
from .multiexp import multiexp
from .report import Report

WEIGHT_BITS = 64
"""Bits of each random weight: a false equation survives a batch with probability 2^-WEIGHT_BITS.

64 bits: the weights are drawn from the OS's CSPRNG after the record is fixed, so a forger gets
one try at 2^-64 per run; --weight-bits 128 halves the speed of the small-exponent part."""


def set_weight_bits(bits: int) -> None:
    """Trade soundness error for speed (the CLI's --weight-bits); never below 64."""
    global WEIGHT_BITS
    WEIGHT_BITS = max(64, bits)


def _w() -> int:
    return secrets.randbits(WEIGHT_BITS) or 1


def batch_holds(ballots: Sequence[ParsedBallot], spec: ElectionSpec) -> bool:
    """True if all proofs and ciphertext memberships of these ballots hold (error ≤ 2^-128)."""
    g = spec.group
    p, q = g.p, g.q
    # subgroup membership of the ciphertexts
    xs: list[mpz] = []
    es: list[int] = []
    for pb in ballots:
        for _, _, x in pb.members:
            xs.append(x)
            es.append(_w())
    if xs and gmpy2.powmod(multiexp(xs, es, p), q, p) != 1:
        return False
    # proof equations, moved so that the g and K factors stand alone on one side
    bases: list[mpz] = []
    exps: list[int] = []
    eg = 0
    ek = 0
    for pb in ballots:
        where_alpha: list[int] = []
        for d in pb.disjunctive:
            w1, w2, w3, w4 = _w(), _w(), _w(), _w()
            # g^v0 = a0 α^c0 ; g^v1 = a1 α^c1 ; K^v0 = b0 β^c0 ; g^c1 K^v1 = b1 β^c1
            eg += w1 * d.v0 + w2 * d.v1 + w4 * d.c1
            ek += w3 * d.v0 + w4 * d.v1
            where_alpha.append(len(bases) + 4)
            bases += [d.a0, d.a1, d.b0, d.b1, d.alpha, d.beta]
            exps += [w1, w2, w3, w4, w1 * d.c0 + w2 * d.c1, w3 * d.c0 + w4 * d.c1]
        for c in pb.constant:
            w5, w6 = _w(), _w()
            # g^v = a A^c ; g^(L c) K^v = b B^c, with A = ∏ α_j and B = ∏ β_j of the contest:
            # A^x is folded into each α_j's exponent instead of costing a base of its own
            eg += w5 * c.v + w6 * c.limit * c.c
            ek += w6 * c.v
            bases += [c.a, c.b]
            exps += [w5, w6]
            xa, xb = w5 * c.c, w6 * c.c
            if c.count and c.first + c.count <= len(where_alpha):
                for j in where_alpha[c.first : c.first + c.count]:
                    exps[j] += xa
                    exps[j + 1] += xb
            else:
                bases += [c.alpha, c.beta]
                exps += [xa, xb]
    exps = [e % q for e in exps]
    if not bases:
        return True
    lhs = gmpy2.powmod(g.g, eg % q, p) * gmpy2.powmod(spec.joint_key, ek % q, p) % p
    return lhs == multiexp(bases, exps, p)


def check_one(pb: ParsedBallot, spec: ElectionSpec, report: Report) -> None:
    """The unbatched path: every equation and every element on its own, named when it fails."""
    g = spec.group
    bad_member = False
    for where, name, x in pb.members + pb.commitments:
        if not g.is_member(x):
            report.fail("V9", f"{where} {name}", "not in the subgroup of order q (x^q != 1)")
            bad_member = True
    if bad_member:
        pb.suspect = True
    for d in pb.disjunctive:
        problem = disjunctive_problem(d, spec)
        if problem:
            report.fail("V10", d.where, problem)
        else:
            report.ok("V10")
    for c in pb.constant:
        problem = constant_problem(c, spec)
        if problem:
            report.fail("V11", c.where, problem)
        else:
            report.ok("V11")


def disjunctive_problem(d: Disjunctive, spec: ElectionSpec) -> str:
    g = spec.group
    p = g.p
    K = spec.joint_key
    pw = gmpy2.powmod
    if pw(g.g, d.v0, p) != d.a0 * pw(d.alpha, d.c0, p) % p:
        return "g^v0 != a0·α^c0"
    if pw(g.g, d.v1, p) != d.a1 * pw(d.alpha, d.c1, p) % p:
        return "g^v1 != a1·α^c1"
    if pw(K, d.v0, p) != d.b0 * pw(d.beta, d.c0, p) % p:
        return "K^v0 != b0·β^c0"
    if pw(g.g, d.c1, p) * pw(K, d.v1, p) % p != d.b1 * pw(d.beta, d.c1, p) % p:
        return "g^c1·K^v1 != b1·β^c1"
    return ""


def constant_problem(c: Constant, spec: ElectionSpec) -> str:
    g = spec.group
    p, q = g.p, g.q
    pw = gmpy2.powmod
    if pw(g.g, c.v, p) != c.a * pw(c.alpha, c.c, p) % p:
        return "g^v != a·A^c"
    if pw(g.g, c.limit * c.c % q, p) * pw(spec.joint_key, c.v, p) % p != c.b * pw(c.beta, c.c, p) % p:
        return "g^(L·c)·K^v != b·B^c"
    return ""


def settle(ballots: Sequence[ParsedBallot], spec: ElectionSpec, report: Report) -> None:
    """Check the proofs of these ballots: by batch, splitting a failed batch until the culprits are found."""
    clean = [pb for pb in ballots if not pb.suspect]
    for pb in ballots:
        if pb.suspect:
            check_one(pb, spec, report)
    _settle(clean, spec, report)


def _settle(ballots: Sequence[ParsedBallot], spec: ElectionSpec, report: Report) -> None:
    if not ballots:
        return
    if batch_holds(ballots, spec):
        report.ok("V10", sum(len(pb.disjunctive) for pb in ballots))
        report.ok("V11", sum(len(pb.constant) for pb in ballots))
        return
    if len(ballots) <= 2:
        for pb in ballots:
            check_one(pb, spec, report)
        return
    mid = len(ballots) // 2
    _settle(ballots[:mid], spec, report)
    _settle(ballots[mid:], spec, report)
