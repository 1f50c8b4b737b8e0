"""A guardian's election polynomial and the threshold arithmetic built on it (spec §3.2).

Guardian i picks a polynomial P_i(x) = Σ_j a_ij·x^j of degree k-1 (k the quorum).  a_i0 is
the guardian's election secret key s_i; guardian ℓ receives the point P_i(ℓ) as a backup.
Everyone can check such a point against the public commitments K_ij = g^a_ij, because
g^P_i(ℓ) = ∏_j K_ij^(ℓ^j); that product is also the "recovery public key" against which a
compensated decryption share for a missing guardian i is proved.  Any k points determine
P_i, so k present guardians can stand in for an absent one through Lagrange interpolation.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import gmpy2
from gmpy2 import mpz

from .errors import InvalidElement, InvalidShare
from .group import ElementModP, ElementModQ, P, Q, g_pow_p

_COEFFICIENT_TAG = b"evote/election-polynomial/coefficient/v1"


def derive_q(seed: bytes, tag: bytes, index: int) -> ElementModQ:
    """An element of Z_q drawn from `seed` for one purpose (`tag`) and position (`index`).

    The core draws no randomness, yet a guardian needs several independent secrets from one
    random seed.  SHA-512 over a domain tag, the index and the seed gives 64 bytes, which
    reduce mod q with negligible bias; distinct tags keep the streams apart.
    """
    if len(seed) < 32:
        raise ValueError("a seed must hold at least 32 random bytes")
    digest = hashlib.sha512(
        len(tag).to_bytes(2, "big") + tag + index.to_bytes(4, "big") + seed
    ).digest()
    return ElementModQ(mpz(int.from_bytes(digest, "big")) % Q)


@dataclass(frozen=True, slots=True)
class ElectionPolynomial:
    """The secret coefficients a_i0, ..., a_i(k-1) of guardian i; never leaves that guardian."""

    coefficients: tuple[ElementModQ, ...] = field(repr=False)
    """a_ij; kept out of repr so a stray log line or traceback cannot print them."""

    def __post_init__(self) -> None:
        if not self.coefficients:
            raise ValueError("a polynomial needs at least one coefficient")

    @classmethod
    def from_seed(cls, quorum: int, seed: bytes) -> ElectionPolynomial:
        """k = quorum coefficients from 32+ random bytes; a_i0 is kept ≥ 2, as ElGamal requires."""
        if quorum < 1:
            raise ValueError("the quorum must be at least 1")
        coefficients = [derive_q(seed, _COEFFICIENT_TAG, j) for j in range(quorum)]
        if coefficients[0].value < 2:  # probability ~2^-255, but a key of 0 or 1 is no key
            raise ValueError("seed yields a degenerate secret key; draw another seed")
        return cls(tuple(coefficients))

    @property
    def secret_key(self) -> ElementModQ:
        """s_i = a_i0 = P_i(0)."""
        return self.coefficients[0]

    def commitments(self) -> tuple[ElementModP, ...]:
        """K_ij = g^a_ij; K_i0 is the guardian's election public key."""
        return tuple(g_pow_p(a) for a in self.coefficients)

    def value_at(self, x: int) -> ElementModQ:
        """P_i(x) mod q by Horner's rule: the backup for the guardian with sequence order x."""
        if x <= 0:
            raise ValueError("backups are evaluated at sequence orders ≥ 1 (P(0) is the secret)")
        acc = mpz(0)
        for a in reversed(self.coefficients):
            acc = (acc * x + a.value) % Q
        return ElementModQ(acc)


def commitment_product(commitments: Sequence[ElementModP], x: int) -> ElementModP:
    """∏_j K_ij^(x^j) mod p, which equals g^P_i(x).

    With x a present guardian's sequence order this is the recovery public key for the
    missing guardian i; comparing it with g^P_i(x) checks a backup without learning P_i.
    """
    acc = mpz(1)
    power = mpz(1)
    for commitment in commitments:
        acc = acc * gmpy2.powmod(commitment.value, power, P) % P
        power = power * x % Q
    return ElementModP(acc)


def verify_coordinate(
    value: ElementModQ, x: int, commitments: Sequence[ElementModP], owner_id: str = "?"
) -> None:
    """Raise `InvalidShare` unless g^value = ∏_j K_ij^(x^j), i.e. value = P_i(x)."""
    if g_pow_p(value) != commitment_product(commitments, x):
        raise InvalidShare(
            f"guardian {owner_id}: the backup for sequence order {x} is not on the "
            "polynomial its commitments describe"
        )


def lagrange_coefficient(coordinate: int, others: Iterable[int]) -> ElementModQ:
    """w_ℓ = ∏_{j≠ℓ} j / (j - ℓ) mod q, for interpolating at 0 from the points `others` ∪ {ℓ}.

    Sequence orders must be distinct and non-zero mod q, or the interpolation is undefined.
    """
    numerator, denominator = mpz(1), mpz(1)
    for j in others:
        if j == coordinate:
            raise InvalidElement(f"sequence order {j} appears twice in a Lagrange set")
        numerator = numerator * j % Q
        denominator = denominator * (j - coordinate) % Q
    if numerator == 0 or denominator == 0:
        raise InvalidElement("sequence orders must be non-zero mod q")
    return ElementModQ(numerator * gmpy2.invert(denominator, Q) % Q)


def lagrange_coefficients(sequence_orders: Sequence[int]) -> list[ElementModQ]:
    """w_ℓ for every ℓ of the present set, in the order given."""
    if len(set(sequence_orders)) != len(sequence_orders):
        raise InvalidElement("sequence orders in a Lagrange set must be distinct")
    return [
        lagrange_coefficient(x, [y for y in sequence_orders if y != x]) for x in sequence_orders
    ]


def interpolate_at_zero(points: Sequence[tuple[int, ElementModQ]]) -> ElementModQ:
    """Σ_ℓ w_ℓ·y_ℓ: P(0) from k points of a degree k-1 polynomial (the secret a quorum shares)."""
    weights = lagrange_coefficients([x for x, _ in points])
    acc = mpz(0)
    for w, (_, y) in zip(weights, points, strict=True):
        acc = (acc + w.value * y.value) % Q
    return ElementModQ(acc)
