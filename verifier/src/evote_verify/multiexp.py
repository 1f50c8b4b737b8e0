"""Multi-exponentiation ∏ x_i^e_i mod p with Pippenger's bucket method.

Batch verification turns a whole chunk of proofs into one product of many bases with short
exponents. Computing that product base by base would cost a full modular exponentiation each;
the bucket method shares the squarings across all bases, so each base costs roughly
(bits / window) multiplications instead of (bits * 1.2).
"""

from __future__ import annotations

from collections.abc import Sequence

import gmpy2
from gmpy2 import mpz

ONE = mpz(1)


def _window(n: int) -> int:
    """Window width c minimising (n + 2^(c+1)) / c: n bucket additions plus the bucket sums, per bit."""
    return min(range(2, 18), key=lambda c: (n + (1 << (c + 1))) / c)


def multiexp(bases: Sequence[mpz], exps: Sequence[int], p: mpz) -> mpz:
    """∏ bases[i]^exps[i] mod p; exponents must be non-negative."""
    n = len(bases)
    if n < 16:
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
    c = _window(n)
    mask = (1 << c) - 1
    windows = (lengths[0] + c - 1) // c if lengths else 0
    result = ONE
    active = 0
    for w in range(windows - 1, -1, -1):
        shift = w * c
        while active < n and lengths[active] > shift:
            active += 1
        if result != ONE:
            result = gmpy2.powmod(result, 1 << c, p)
        buckets: list[mpz | None] = [None] * (mask + 1)
        for i in range(active):
            d = (es[i] >> shift) & mask
            if d:
                b = buckets[d]
                buckets[d] = xs[i] if b is None else b * xs[i] % p
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
