"""Proof checks as data: group equations and subgroup memberships that a checker evaluates.

Every Schnorr and Chaum-Pedersen verification ends in equations of one shape,
∏ bᵢ^eᵢ = ∏ bⱼ^eⱼ (mod p), plus "x is in the order-q subgroup" for each element read from
outside.  Verifiers here *describe* those checks (`Claims`) instead of computing them, so the
same description can be evaluated one powmod at a time (`SequentialChecker`, the default) or
by a batch checker (random linear combination, fixed-base tables) without touching the proof
code.  The cheap parts of a proof (its Fiat-Shamir challenge, ranges mod q) are checked eagerly
by the proof itself, because they need no exponentiation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

import gmpy2
from gmpy2 import mpz

from .errors import InvalidElement, InvalidProof
from .group import ElementModP, ElementModQ, P, Q

Term = tuple[mpz, mpz]
"""(base, exponent): one factor base^exponent mod p.  Exponents are already reduced mod q."""


def term(base: ElementModP | mpz | int, exponent: ElementModQ | mpz | int) -> Term:
    b = base.value if isinstance(base, ElementModP) else mpz(base)
    e = exponent.value if isinstance(exponent, ElementModQ) else mpz(exponent) % Q
    return (b, e)


@dataclass(frozen=True, slots=True)
class Equation:
    """∏ lhs base^exp = ∏ rhs base^exp (mod p); `what` names it in the error if it fails."""

    lhs: tuple[Term, ...]
    rhs: tuple[Term, ...]
    what: str

    def holds(self) -> bool:
        return _product(self.lhs) == _product(self.rhs)


@dataclass(frozen=True, slots=True)
class Membership:
    """`element` must be in Z_p^r (0 < x < p and x^q = 1)."""

    element: mpz
    what: str


@dataclass(slots=True)
class Claims:
    """What must hold for a set of proofs to be valid, gathered before any powmod is spent."""

    equations: list[Equation] = field(default_factory=list)
    members: list[Membership] = field(default_factory=list)
    products: dict[mpz, tuple[mpz, ...]] = field(default_factory=dict)
    """element → factors, for elements computed here as products (a contest's accumulation).
    Not a claim: evaluated as stated, the equations need none of it; a batch checker may
    expand a power of the product into powers of the factors, after checking the product."""

    def equation(self, lhs: Iterable[Term], rhs: Iterable[Term], what: str) -> None:
        self.equations.append(Equation(tuple(lhs), tuple(rhs), what))

    def member(self, element: ElementModP, what: str) -> None:
        self.members.append(Membership(element.value, what))

    def product(self, element: ElementModP, factors: Iterable[ElementModP]) -> None:
        self.products[element.value] = tuple(f.value for f in factors)

    def extend(self, other: Claims) -> None:
        self.equations.extend(other.equations)
        self.members.extend(other.members)
        self.products.update(other.products)


class Checker(Protocol):
    """Evaluates claims; raises `InvalidElement`/`InvalidProof` naming the first failure."""

    def check(self, claims: Claims) -> None: ...


def _product(terms: tuple[Term, ...]) -> mpz:
    acc = mpz(1)
    for base, exponent in terms:
        if exponent == 1:
            acc = acc * base % P
        elif exponent != 0:
            acc = acc * gmpy2.powmod(base, exponent, P) % P
    return acc


def is_member(value: mpz) -> bool:
    return 0 < value < P and gmpy2.powmod(value, Q, P) == 1


class SequentialChecker:
    """The reference checker: one membership test and one product of powmods per claim.

    Memberships come first, because an equation over elements outside the subgroup proves
    nothing.  An element seen twice (the joint key in every proof) is tested once.
    """

    def check(self, claims: Claims) -> None:
        seen: set[mpz] = set()
        for m in claims.members:
            if m.element in seen:
                continue
            if not is_member(m.element):
                raise InvalidElement(f"{m.what} is not in the order-q subgroup of Z_p*")
            seen.add(m.element)
        for eq in claims.equations:
            if not eq.holds():
                raise InvalidProof(f"{eq.what} does not hold")


DEFAULT_CHECKER: Checker = SequentialChecker()
