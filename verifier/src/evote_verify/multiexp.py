"""Multi-exponentiation ∏ x_i^e_i mod p with Pippenger's bucket method, and a batched Legendre test.

Batch verification turns a whole chunk of proofs into one product of many bases with short
exponents. Computing that product base by base would cost a full modular exponentiation each;
the bucket method shares the squarings across all bases, so each base costs roughly
(bits / window) multiplications instead of (bits * 1.2).

Windows are not all the same width: a batch has ~4 bases with 64-bit exponents for every base
with a 320-bit one, so the low bits have several times more bases to sort into buckets than the
high bits, and each stretch of bits gets the width that is cheapest for the bases it has.

**Legendre symbols from the buckets.** With ``residue_bits`` = b, every bucket of the windows
that cover the exponents' lowest b bits also gets its Jacobi symbol (B|p) tested. A bucket is
the product of the bases whose digit in that window equals the bucket's, and the Jacobi symbol
is multiplicative, so (B|p) = 1 says an even number of non-residues sit in it. If the low b bits
of some non-residue's exponent are uniformly random and independent of every other base's
placement, then, whatever the other bases are, in each window exactly one digit (or none)
leaves every bucket even; all windows together pass for at most one value of those b bits:
probability ≤ 2^-b. (Testing only the final product would be one parity check: an even number
of non-residues, or one with an even exponent, would pass with probability 1/2.) This costs one
Jacobi symbol per bucket instead of one per base: thousands instead of hundreds of thousands.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

import gmpy2
from gmpy2 import mpz

ONE = mpz(1)
MAX_WINDOW = 18
JACOBI_COST = 6.5
"""A Jacobi symbol mod the 4096-bit p costs about 6.5 modular multiplications (gmpy2/GMP)."""


def _plan(lengths_ascending: list[int], residue_bits: int) -> list[tuple[int, int]]:
    """Windows (shift, width) tiling bits 0..max, cheapest first by estimated multiplications.

    A window of width c starting at bit s costs one multiplication per base with bits above s,
    2^c + (filled buckets) to sum the buckets, a Jacobi symbol per filled bucket when
    s < residue_bits, and c squarings of the result. Dynamic programming over the start bit finds
    the cheapest tiling.
    """
    n = len(lengths_ascending)
    top = lengths_ascending[-1] if n else 0
    if top == 0:
        return []
    best = [0.0] * (top + MAX_WINDOW + 1)
    choice = [0] * (top + 1)
    for s in range(top - 1, -1, -1):
        active = n - bisect_right(lengths_ascending, s)
        per_bucket = 1 + (JACOBI_COST if s < residue_bits else 0)
        cost_best = float("inf")
        for c in range(1, MAX_WINDOW + 1):
            filled = min((1 << c) - 1, active)
            cost = active + (1 << c) + per_bucket * filled + c + (best[s + c] if s + c < top else 0.0)
            if cost < cost_best:
                cost_best, choice[s] = cost, c
        best[s] = cost_best
    plan = []
    s = 0
    while s < top:
        plan.append((s, choice[s]))
        s += choice[s]
    return plan


def multiexp(bases: Sequence[mpz], exps: Sequence[int], p: mpz) -> mpz:
    """∏ bases[i]^exps[i] mod p; exponents must be non-negative."""
    result = residue_multiexp(bases, exps, p, 0)
    assert result is not None
    return result


def residue_multiexp(bases: Sequence[mpz], exps: Sequence[int], p: mpz, residue_bits: int) -> mpz | None:
    """∏ bases[i]^exps[i] mod p, or None if a bucket of the lowest ``residue_bits`` bits has
    Jacobi symbol ≠ 1 (see the module docstring for when that proves every base a residue).

    p must be an odd prime when residue_bits > 0; exponents must be non-negative.
    """
    n = len(bases)
    if n < 16 and residue_bits == 0:
        acc = ONE
        for x, e in zip(bases, exps, strict=True):
            if e:
                acc = acc * gmpy2.powmod(x, e, p) % p
        return acc
    # longest exponents first, so each window only walks the bases that still have bits there
    order = sorted(range(n), key=lambda i: exps[i].bit_length(), reverse=True)
    xs = [bases[i] for i in order]
    es = [int(exps[i]) for i in order]
    lengths = [e.bit_length() for e in es]
    ascending = lengths[::-1]
    plan = _plan(ascending, residue_bits)
    jacobi = gmpy2.jacobi
    result = ONE
    for shift, c in reversed(plan):
        if result != ONE:
            result = gmpy2.powmod(result, 1 << c, p)
        active = n - bisect_right(ascending, shift)
        mask = (1 << c) - 1
        buckets: list[mpz | None] = [None] * (mask + 1)
        for x, e in zip(xs[:active], es[:active], strict=True):
            d = (e >> shift) & mask
            if d:
                b = buckets[d]
                buckets[d] = x if b is None else b * x % p
        if shift < residue_bits:
            for b in buckets:
                if b is not None and jacobi(b, p) != 1:
                    return None
        running = ONE
        total = ONE
        started = False
        for d in range(mask, 0, -1):
            b = buckets[d]
            if b is not None:
                running = b if not started else running * b % p
                started = True
            if started:
                total = total * running % p
        if started:
            result = result * total % p
    return result
