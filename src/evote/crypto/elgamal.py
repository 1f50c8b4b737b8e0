"""Exponential ElGamal over the standard group (spec §3.1).

A vote v is encrypted as (α, β) = (g^ξ, K^ξ·g^v).  Multiplying ciphertexts adds votes, which
is what lets the guardians decrypt only the totals.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import gmpy2
from gmpy2 import mpz

from .dlog import discrete_log
from .errors import InvalidElement
from .group import ElementModP, ElementModQ, P, g_pow_p
from .hash import hash_elems


@dataclass(frozen=True, slots=True)
class ElGamalKeyPair:
    secret_key: ElementModQ = field(repr=False)
    """s in the spec; never leaves the guardian's machine (nor a log line: kept out of repr)."""
    public_key: ElementModP
    """K = g^s."""

    @classmethod
    def from_secret(cls, secret_key: ElementModQ) -> ElGamalKeyPair:
        if secret_key.value < 2:
            raise InvalidElement("an ElGamal secret key must be at least 2")
        return cls(secret_key, g_pow_p(secret_key))


@dataclass(frozen=True, slots=True)
class ElGamalCiphertext:
    pad: ElementModP
    """α = g^ξ."""
    data: ElementModP
    """β = K^ξ · g^v."""

    def __mul__(self, other: ElGamalCiphertext) -> ElGamalCiphertext:
        return ElGamalCiphertext(self.pad * other.pad, self.data * other.data)

    def crypto_hash(self) -> ElementModQ:
        return hash_elems(self.pad, self.data)

    def require_subgroup(self, what: str = "ciphertext") -> ElGamalCiphertext:
        self.pad.require_subgroup(f"{what} pad")
        self.data.require_subgroup(f"{what} data")
        return self

    def decrypt_known_product(self, product: ElementModP, bound: int) -> int:
        """The vote from β / M, where M = α^s or K^ξ is known."""
        return discrete_log(self.data.value * gmpy2.invert(product.value, P) % P, bound)

    def decrypt(self, secret_key: ElementModQ, bound: int = 1_000_000) -> int:
        return self.decrypt_known_product(self.pad.pow(secret_key), bound)

    def decrypt_known_nonce(
        self, public_key: ElementModP, nonce: ElementModQ, bound: int = 1_000_000
    ) -> int:
        """How a challenged (spoiled) ballot is opened: whoever knows ξ knows the vote."""
        return self.decrypt_known_product(public_key.pow(nonce), bound)


def elgamal_encrypt(vote: int, nonce: ElementModQ, public_key: ElementModP) -> ElGamalCiphertext:
    """Deterministic given its nonce, which must be in [1, q)."""
    if nonce.value == 0:
        raise InvalidElement("the encryption nonce must not be zero")
    if vote < 0:
        raise ValueError("votes are non-negative")
    pad = g_pow_p(nonce)
    data = ElementModP(public_key.pow(nonce).value * g_pow_p(vote).value % P)
    return ElGamalCiphertext(pad, data)


def elgamal_add(ciphertexts: Iterable[ElGamalCiphertext]) -> ElGamalCiphertext:
    """The homomorphic sum; the empty sum is the encryption (1, 1) of 0 with nonce 0."""
    pad, data = mpz(1), mpz(1)
    for c in ciphertexts:
        pad = pad * c.pad.value % P
        data = data * c.data.value % P
    return ElGamalCiphertext(ElementModP(pad), ElementModP(data))


def combine_public_keys(keys: Iterable[ElementModP]) -> ElementModP:
    """The joint key K = ∏ K_i."""
    acc = mpz(1)
    for k in keys:
        acc = acc * k.value % P
    return ElementModP(acc)
