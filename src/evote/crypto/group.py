"""The ElectionGuard 1.x standard group and its typed elements.

Every number that arrives from outside (a ballot, a record, a guardian) becomes an
`ElementModP` or `ElementModQ` through `from_hex`/`checked`, which refuse anything out of
range; `ElementModP.require_subgroup` refuses anything outside the order-q subgroup, where
ElGamal and the Chaum-Pedersen proofs stop being sound.

Values are gmpy2 `mpz` underneath: one 4096-bit `powmod` is about a millisecond, so
the small wrapper objects cost nothing that matters.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import gmpy2
from gmpy2 import mpz

from .errors import InvalidElement
from .fastexp import g_pow
from .parameters import G, P, Q, R

assert (P - 1) == Q * R, "group constants are inconsistent"


def int_to_hex(value: int) -> str:
    """Upper-case hex with an even number of digits, as electionguard 1.4.0 writes numbers.

    The package formats with `02X` and prepends one "0" when the length is odd, so 0 is
    "00" and 0x5 is "05"; no padding to the modulus size.  Hashes depend on this exact text.
    """
    # mpz formats itself (no copy into a Python int); "X" then the odd-length rule gives
    # exactly the package's "02X" text
    text = format(value if isinstance(value, (int, mpz)) else int(value), "X")
    return "0" + text if len(text) % 2 else text


def hex_to_int(text: str) -> int:
    """Inverse of `int_to_hex`; raises `InvalidElement` on anything that is not hex."""
    if not isinstance(text, str) or not text or len(text) > 1100:
        raise InvalidElement(f"expected a hex string, got {text!r:.40}")
    # Only hex digits: int(..., 16) alone would also take "0x1F", "1_F" and " 1F ", which the
    # package refuses, and would give one ballot several JSON spellings.
    if text.strip("0123456789ABCDEFabcdef"):
        raise InvalidElement(f"not a hex number: {text!r:.40}")
    return int(text, 16)


@dataclass(frozen=True, slots=True)
class ElementModQ:
    """An exponent: an integer in [0, q)."""

    value: mpz

    def __post_init__(self) -> None:
        if not (0 <= self.value < Q):
            raise InvalidElement("element mod q out of range [0, q)")

    @classmethod
    def of(cls, value: int) -> ElementModQ:
        """Reduce any integer mod q; for values computed here, never for values read."""
        return cls(mpz(value) % Q)

    @classmethod
    def from_hex(cls, text: str) -> ElementModQ:
        return cls(mpz(hex_to_int(text)))

    def to_hex(self) -> str:
        return int_to_hex(self.value)

    def __int__(self) -> int:
        return int(self.value)

    def __add__(self, other: ElementModQ) -> ElementModQ:
        return ElementModQ((self.value + other.value) % Q)

    def __sub__(self, other: ElementModQ) -> ElementModQ:
        return ElementModQ((self.value - other.value) % Q)

    def __mul__(self, other: ElementModQ) -> ElementModQ:
        return ElementModQ((self.value * other.value) % Q)

    def __neg__(self) -> ElementModQ:
        return ElementModQ((-self.value) % Q)

    def inverse(self) -> ElementModQ:
        if self.value == 0:
            raise ZeroDivisionError("0 has no inverse mod q")
        return ElementModQ(gmpy2.invert(self.value, Q))


@dataclass(frozen=True, slots=True)
class ElementModP:
    """A group element: an integer in [0, p).  Subgroup membership is checked separately."""

    value: mpz

    def __post_init__(self) -> None:
        if not (0 <= self.value < P):
            raise InvalidElement("element mod p out of range [0, p)")

    @classmethod
    def from_hex(cls, text: str) -> ElementModP:
        return cls(mpz(hex_to_int(text)))

    def to_hex(self) -> str:
        return int_to_hex(self.value)

    def __int__(self) -> int:
        return int(self.value)

    def __mul__(self, other: ElementModP) -> ElementModP:
        return ElementModP((self.value * other.value) % P)

    def pow(self, exponent: ElementModQ | int) -> ElementModP:
        e = exponent.value if isinstance(exponent, ElementModQ) else mpz(exponent)
        return ElementModP(gmpy2.powmod(self.value, e, P))

    def inverse(self) -> ElementModP:
        if self.value == 0:
            raise ZeroDivisionError("0 has no inverse mod p")
        return ElementModP(gmpy2.invert(self.value, P))

    def is_valid_residue(self) -> bool:
        """In Z_p^r: 0 < x < p and x^q = 1 (the spec's check; one full powmod)."""
        return 0 < self.value < P and gmpy2.powmod(self.value, Q, P) == 1

    def require_subgroup(self, what: str = "element") -> ElementModP:
        if not self.is_valid_residue():
            raise InvalidElement(f"{what} is not in the order-q subgroup of Z_p*")
        return self


ZERO_MOD_Q: Final = ElementModQ(mpz(0))
ONE_MOD_Q: Final = ElementModQ(mpz(1))
ONE_MOD_P: Final = ElementModP(mpz(1))
G_MOD_P: Final = ElementModP(G)


def g_pow_p(exponent: ElementModQ | int) -> ElementModP:
    """g^e mod p, through the cached fixed-base table of `fastexp` (~7× a plain powmod).

    The table (4 MB, ~40 ms) is built on first use in each process.  Negative exponents keep
    the plain path.
    """
    e = exponent.value if isinstance(exponent, ElementModQ) else mpz(exponent)
    if e < 0:
        return G_MOD_P.pow(e)
    return ElementModP(g_pow(e))


def mult_p(*elements: ElementModP) -> ElementModP:
    acc = mpz(1)
    for e in elements:
        acc = acc * e.value % P
    return ElementModP(acc)


def add_q(*elements: ElementModQ | int) -> ElementModQ:
    acc = mpz(0)
    for e in elements:
        acc += e.value if isinstance(e, ElementModQ) else e
    return ElementModQ(acc % Q)


def a_plus_bc_q(a: ElementModQ, b: ElementModQ, c: ElementModQ) -> ElementModQ:
    """a + b·c mod q: every Schnorr and Chaum-Pedersen response has this shape."""
    return ElementModQ((a.value + b.value * c.value) % Q)


def a_minus_b_q(a: ElementModQ, b: ElementModQ) -> ElementModQ:
    return ElementModQ((a.value - b.value) % Q)


def random_q_from_bytes(seed: bytes) -> ElementModQ:
    """Map 64 uniformly random bytes to [0, q) with negligible bias.

    `evote.crypto` draws no randomness itself: callers pass `secrets.token_bytes(64)` (or a
    seeded stream in tests and `evote simulate`).
    """
    if len(seed) < 48:
        raise ValueError("need at least 48 random bytes for a uniform element mod q")
    return ElementModQ(mpz(int.from_bytes(seed, "big")) % Q)
