"""Checking the proof equations of many ballots at once, and one at a time to name a culprit.

Batch test (small-exponent batching, Bellare-Garay-Rabin): each equation L_i = R_i gets a fresh
random weight δ_i of ``WEIGHT_BITS`` bits (b below) and the verifier checks
∏ L_i^δ_i = ∏ R_i^δ_i, as one multi-exponentiation: the g and K factors of all equations
collapse into one exponent each, every other base is a base of the multi-exponentiation. The
same product also carries the subgroup test of the ciphertexts (α^(q·e) with a weight e of its
own per α and β) and, through its buckets, the Legendre symbols of every element.

Why a batch that passes proves every equation and every membership (error ≤ 2·2^-b):

1. Legendre symbols. Every element's exponent has uniformly random low b bits that nothing else
   depends on (a commitment's is its weight δ; an α's is (stuff mod q) + q·e mod 2^b, uniform
   in e since q is odd). The bucket test of multiexp.py then passes with a non-residue in the
   batch with probability ≤ 2^-b. What follows assumes every element is a residue, i.e. in
   QR_p = G_q × G_(r/2), as p - 1 = 2·q·(r/2) with q and r/2 prime, both > 2^128.
2. An α (or β) outside G_q has a G_(r/2) part z ≠ 1. Fix every weight but its own e: the
   G_(r/2) part of the check reads z^(q·e) = (a fixed value), true for at most one e, since z
   has prime order r/2 > 2^b and q is invertible mod r/2.
3. Otherwise, a commitment outside G_q: the same with its weight δ, which moves only itself and
   α, β, g, K (all in G_q by now).
4. Otherwise everything is in G_q, exponents count mod q, the α^(q·e) vanish, and the check is
   ∏ u_i^δ_i = 1 for the quotients u_i = L_i / R_i: a false equation passes for at most one δ_i.

Step 1 is one test, steps 2-4 another; each errs with probability ≤ 2^-b. When a batch fails,
``settle`` splits it until the culprits stand alone and are checked one at a time
(``check_one``: x^q = 1 for every element, then each equation), which names them.
"""

from __future__ import annotations

import os
import secrets
import struct
from collections.abc import Sequence

import gmpy2
from gmpy2 import mpz

from .ballots import Constant, Disjunctive, ParsedBallot
from .election import ElectionSpec
from .multiexp import residue_multiexp
from .report import Report

WEIGHT_BITS = 64
"""Bits of each random weight: a false equation or a non-member survives a batch with probability
at most 2·2^-WEIGHT_BITS (two tests, see above).

64 bits: the weights are drawn from the OS's CSPRNG after the record is fixed, so a forger gets
one try at 2^-63 per run; --weight-bits 128 costs about 40 % more time."""


def set_weight_bits(bits: int) -> None:
    """Trade soundness error for speed (the CLI's --weight-bits); never below 64."""
    global WEIGHT_BITS
    WEIGHT_BITS = max(64, bits)


def _weights(count: int) -> list[int]:
    """COUNT independent weights, uniform on 1 .. 2^WEIGHT_BITS - 1, from the OS's CSPRNG in one call."""
    size = (WEIGHT_BITS + 7) // 8
    raw = os.urandom(size * count)
    if size == 8:
        ws = list(struct.unpack(f"<{count}Q", raw))
    else:
        mask = (1 << WEIGHT_BITS) - 1
        ws = [int.from_bytes(raw[i : i + size], "little") & mask for i in range(0, size * count, size)]
    for i, w in enumerate(ws):
        while w == 0:  # redraw rather than map 0 to 1, so that every nonzero weight is equally likely
            w = secrets.randbits(WEIGHT_BITS)
        ws[i] = w
    return ws


def batch_holds(ballots: Sequence[ParsedBallot], spec: ElectionSpec) -> bool:
    """True if all proofs, subgroup memberships and Legendre symbols of these ballots hold.

    One multi-exponentiation ∏ x^e = g^E · K^F checks everything (error ≤ 2^-WEIGHT_BITS per test,
    two tests, see the module docstring):

    * each proof equation L = R enters with its own weight δ, moved so that the g and K factors
      stand alone on the right;
    * each ciphertext element α, β also gets exponent q · e with its own weight e: α^(q·e) = 1
      for members of the subgroup, anything else is caught as a false equation would be;
    * the buckets of the exponents' low WEIGHT_BITS bits have their Jacobi symbols tested.
    """
    g = spec.group
    p, q = g.p, g.q
    count = sum(6 * len(pb.disjunctive) + 2 * len(pb.constant) for pb in ballots)
    if not count:
        return True
    ws = iter(_weights(count))
    bases: list[mpz] = []
    exps: list[int] = []
    ciphertext_at: list[int] = []
    eg = 0
    ek = 0
    for pb in ballots:
        where_alpha: list[int] = []
        for d in pb.disjunctive:
            w1, w2, w3, w4 = next(ws), next(ws), next(ws), next(ws)
            # g^v0 = a0 α^c0 ; g^v1 = a1 α^c1 ; K^v0 = b0 β^c0 ; g^c1 K^v1 = b1 β^c1
            eg += w1 * d.v0 + w2 * d.v1 + w4 * d.c1
            ek += w3 * d.v0 + w4 * d.v1
            at = len(bases) + 4
            where_alpha.append(at)
            ciphertext_at.append(at)
            bases += [d.a0, d.a1, d.b0, d.b1, d.alpha, d.beta]
            exps += [w1, w2, w3, w4, w1 * d.c0 + w2 * d.c1, w3 * d.c0 + w4 * d.c1]
        for c in pb.constant:
            w5, w6 = next(ws), next(ws)
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
                exps += [xa % q, xb % q]
    for j in ciphertext_at:
        # reduced mod q (the q-part is all the equations see), then the membership term q·e
        exps[j] = exps[j] % q + next(ws) * q
        exps[j + 1] = exps[j + 1] % q + next(ws) * q
    lhs = gmpy2.powmod(g.g, eg % q, p) * gmpy2.powmod(spec.joint_key, ek % q, p) % p
    return residue_multiexp(bases, exps, p, WEIGHT_BITS) == lhs


def check_one(pb: ParsedBallot, spec: ElectionSpec, report: Report) -> None:
    """The unbatched path: every equation and every element on its own, named when it fails."""
    g = spec.group
    bad_member = False
    for where, name, x in pb.members + pb.commitments:
        if not g.is_member(x):
            residue = not g.in_p_range(x) or g.is_quadratic_residue(x)
            why = "x^q != 1" if residue else "not a quadratic residue mod p"
            report.fail("V9", f"{where} {name}", f"not in the subgroup of order q ({why})")
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
