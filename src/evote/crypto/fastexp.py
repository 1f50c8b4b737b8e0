"""Fast exponentiation mod p: fixed-base tables and multi-exponentiation.

Why this exists: one 4096-bit `powmod` with a 256-bit exponent costs about 255 modular
multiplications (~1 ms here), and checking ballots, decryption shares and tallies is almost
nothing but products of such powers.  Two classic tricks cut that cost without leaving gmpy2:

* `FixedBaseTable` (a comb: the base raised to every digit at every digit position) turns
  g^e or K^e into one multiplication per 8-bit digit of e, about 8× cheaper than `powmod`;
  it pays off for g and the joint key K, which are raised to thousands of exponents.
* `multiexp` computes ∏ b_i^e_i with shared squarings: Straus's interleaved windows for a few
  bases, Pippenger's bucket method for many.  With n bases the cost per base falls towards
  bits(e)/c multiplications for a window of c bits, instead of ~bits(e) for its own powmod.

All results are exact: these are different orders of the same multiplications, so they agree
with `gmpy2.powmod` bit for bit (the tests check this with Hypothesis).  Exponents must be
non-negative; reducing them mod q is the caller's business, because it is only correct for
bases that are known to lie in the order-q subgroup.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache

import gmpy2
from gmpy2 import mpz

from .parameters import G, P, Q

Pair = tuple[mpz | int, mpz | int]
"""(base, exponent): one factor base^exponent of a product."""

_COMB_WINDOW = 8
"""Digit width of the fixed-base comb: 2^8 entries per digit position, 32 positions for a
256-bit exponent, ~4 MB per base at 4096 bits; one multiplication per digit."""


class FixedBaseTable:
    """base^e mod p for many e, at one multiplication per 8-bit digit of e.

    `table[j][d]` holds base^(d·2^(8j)).  When `order` is given (the base is known to have that
    order, e.g. g or a checked joint key K, both of order q) exponents are reduced by it;
    otherwise exponents longer than `exponent_bits` fall back to `powmod`.
    """

    __slots__ = ("base", "exponent_bits", "modulus", "order", "table")

    def __init__(
        self,
        base: mpz | int,
        *,
        modulus: mpz | int = P,
        order: mpz | int | None = None,
        exponent_bits: int = 256,
    ) -> None:
        self.base = mpz(base) % modulus
        self.modulus = mpz(modulus)
        self.order = None if order is None else mpz(order)
        self.exponent_bits = exponent_bits
        positions = -(-exponent_bits // _COMB_WINDOW)
        table: list[list[mpz]] = []
        start = self.base
        for _ in range(positions):
            row = [mpz(1), start]
            for _ in range((1 << _COMB_WINDOW) - 2):
                row.append(row[-1] * start % self.modulus)
            table.append(row)
            # base^(2^(8(j+1))) = (largest entry)·start, so no extra powmod is needed
            start = row[-1] * start % self.modulus
        self.table = table

    def pow(self, exponent: mpz | int) -> mpz:
        e = mpz(exponent)
        if e < 0:
            raise ValueError("negative exponent")
        if self.order is not None:
            e %= self.order
        if e.bit_length() > self.exponent_bits:
            return gmpy2.powmod(self.base, e, self.modulus)
        digits = int(e).to_bytes(len(self.table), "little")
        acc = mpz(1)
        m = self.modulus
        table = self.table
        for j, d in enumerate(digits):
            if d:
                acc = acc * table[j][d] % m
        return acc


@lru_cache(maxsize=8)
def _subgroup_table(base: int) -> FixedBaseTable:
    value = mpz(base)
    if not (1 < value < P) or gmpy2.powmod(value, Q, P) != 1:
        raise ValueError("a fixed-base table with order q needs an element of the order-q subgroup")
    return FixedBaseTable(value, order=Q)


def fixed_base(base: mpz | int) -> FixedBaseTable:
    """The cached table for an element of the order-q subgroup (g, a joint key K, a guardian key).

    Building costs ~8,000 multiplications (~30 ms) and ~4 MB, so tables are kept per base (the
    last eight bases) and built once per process.  Membership is checked once, at build time,
    which is what makes reducing exponents mod q correct.
    """
    return _subgroup_table(int(base))


def g_table() -> FixedBaseTable:
    """The table for the generator g."""
    return fixed_base(G)


def g_pow(exponent: mpz | int) -> mpz:
    """g^e mod p through the cached table: the hot path of encryption and verification."""
    return fixed_base(G).pow(exponent)


# ---- multi-exponentiation ----------------------------------------------------------------


def _histogram(bits: Sequence[int]) -> list[tuple[int, int]]:
    counts: dict[int, int] = {}
    for b in bits:
        counts[b] = counts.get(b, 0) + 1
    return list(counts.items())


def _digits(hist: list[tuple[int, int]], w: int) -> int:
    return sum(n * -(-b // w) for b, n in hist)


def _plan(bits: Sequence[int]) -> tuple[str, int, int]:
    """Method, window and cost: the fewest modular multiplications by a cost model.

    Straus: top squarings, one multiplication per non-zero digit, 2^w − 2 per base for its
    table.  Pippenger: top squarings, one per digit, ~2^(c+1) per window to sum the buckets.
    """
    hist = _histogram(bits)
    top, n = max(bits), len(bits)
    best = ("straus", 1, top + _digits(hist, 1))
    for w in range(2, 9):
        cost = top + _digits(hist, w) + n * ((1 << w) - 2)
        if cost < best[2]:
            best = ("straus", w, cost)
    for c in range(2, 17):
        cost = top + _digits(hist, c) + (-(-top // c)) * (2 << c)
        if cost < best[2]:
            best = ("pippenger", c, cost)
    return best


def _straus(pairs: Sequence[tuple[mpz, mpz]], top: int, w: int, m: mpz) -> mpz:
    """Interleaved fixed windows: one table of 2^w powers per base, shared squarings."""
    tables = []
    for b, _ in pairs:
        row = [mpz(1), b]
        for _ in range((1 << w) - 2):
            row.append(row[-1] * b % m)
        tables.append(row)
    mask = (1 << w) - 1
    windows = -(-top // w)
    acc = mpz(1)
    shift_sq = mpz(1) << w
    for j in range(windows - 1, -1, -1):
        if j != windows - 1:
            acc = gmpy2.powmod(acc, shift_sq, m)
        shift = j * w
        for (_, e), row in zip(pairs, tables, strict=True):
            d = (e >> shift) & mask
            if d:
                acc = acc * row[d] % m
    return acc


def _pippenger(pairs: Sequence[tuple[mpz, mpz]], top: int, c: int, m: mpz) -> mpz:
    """Bucket method: per c-bit window, sort bases into buckets by digit, then sum d·B_d with
    two running products (2·2^c multiplications, independent of the number of bases)."""
    mask = (1 << c) - 1
    windows = -(-top // c)
    # bases with the longest exponents first, so each window can stop at the first short one
    ordered = sorted(pairs, key=lambda be: be[1].bit_length(), reverse=True)
    lengths = [e.bit_length() for _, e in ordered]
    acc = mpz(1)
    shift_sq = mpz(1) << c
    for j in range(windows - 1, -1, -1):
        if j != windows - 1:
            acc = gmpy2.powmod(acc, shift_sq, m)
        shift = j * c
        buckets: list[mpz | None] = [None] * (mask + 1)
        for (b, e), n in zip(ordered, lengths, strict=True):
            if n <= shift:
                break
            d = (e >> shift) & mask
            if d:
                cur = buckets[d]
                buckets[d] = b if cur is None else cur * b % m
        running: mpz | None = None
        total: mpz | None = None
        for d in range(mask, 0, -1):
            bd = buckets[d]
            if bd is not None:
                running = bd if running is None else running * bd % m
            if running is not None:
                total = running if total is None else total * running % m
        if total is not None:
            acc = acc * total % m
    return acc


def multiexp(pairs: Iterable[Pair], modulus: mpz | int = P) -> mpz:
    """∏ base_i^exponent_i mod `modulus`, exactly, for non-negative exponents.

    Chooses between one `powmod`, Straus and Pippenger by counting multiplications.  Bases
    are reduced mod the modulus; exponents are used as given (reduce them mod q yourself
    where that is valid).
    """
    m = mpz(modulus)
    work: list[tuple[mpz, mpz]] = []
    for b, e in pairs:
        e = mpz(e)
        if e < 0:
            raise ValueError("negative exponent")
        if e:
            work.append((mpz(b) % m, e))
    if not work:
        return mpz(1) % m
    if len(work) == 1:
        return gmpy2.powmod(work[0][0], work[0][1], m)
    work.sort(key=lambda be: be[1].bit_length())
    return _multiexp_sorted(work, m)


def _multiexp_sorted(work: list[tuple[mpz, mpz]], m: mpz) -> mpz:
    """`work` sorted by exponent length.  A few much longer exponents would make every window
    of Pippenger pay for them, so the longest ones may be split off into their own product."""
    if len(work) == 1:
        return gmpy2.powmod(work[0][0], work[0][1], m)
    bits = [e.bit_length() for _, e in work]
    method, window, cost = _plan(bits)
    split = _best_split(bits, cost)
    if split:
        return _multiexp_sorted(work[:split], m) * _multiexp_sorted(work[split:], m) % m
    top = bits[-1]
    if method == "straus":
        return _straus(work, top, window, m)
    return _pippenger(work, top, window, m)


def _best_split(bits: Sequence[int], whole: int) -> int:
    """The index where splitting into short and long exponents saves most, or 0."""
    best, at = whole, 0
    for i in range(1, len(bits)):
        if bits[i] - bits[i - 1] >= 32:
            cost = _plan(bits[:i])[2] + _plan(bits[i:])[2] + 1
            if cost < best:
                best, at = cost, i
    return at
