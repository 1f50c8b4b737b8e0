"""Chaum-Pedersen proofs (spec §3.3, §3.5), made and checked as electionguard 1.4.0 does.

Three forms, all non-interactive through a Fiat-Shamir challenge that starts with the
extended base hash Q̄, so a proof made for one election says nothing in another:

- `ChaumPedersenProof` (generic): log_g K = log_α M, i.e. M = α^s for the s behind K = g^s.
  A guardian's decryption share M of a ciphertext (α, β) carries one.
- `DisjunctiveChaumPedersenProof`: (α, β) encrypts 0 or 1, without saying which.
  Every selection (placeholders too) carries one; without it a ballot could vote 5 times.
- `ConstantChaumPedersenProof`: (α, β) encrypts the constant L.  Every contest carries one
  over the product of its selections, proving the selection limit is met exactly.

Provers are deterministic given `seed` (their random values come from `Nonces(seed, ...)`
with the package's headers), so a known-answer test reproduces the package's proofs.
Verifiers check the challenge eagerly and return the group equations as `Claims`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Self

from .elgamal import ElGamalCiphertext
from .equations import DEFAULT_CHECKER, Checker, Claims, term
from .errors import InvalidProof
from .group import (
    ElementModP,
    ElementModQ,
    G,
    a_minus_b_q,
    a_plus_bc_q,
    add_q,
    g_pow_p,
    mult_p,
)
from .hash import hash_elems
from .jsonread import read_int, read_p, read_q, require_object
from .nonces import Nonces
from .usage import ProofUsage, check_usage

MAX_CONSTANT = 1_000_000_000
"""The package refuses constants (selection limits) outside [0, 10^9)."""


def _ciphertext_members(claims: Claims, ciphertext: ElGamalCiphertext, what: str) -> None:
    claims.member(ciphertext.pad, f"{what}: ciphertext pad α")
    claims.member(ciphertext.data, f"{what}: ciphertext data β")


@dataclass(frozen=True, slots=True)
class ChaumPedersenProof:
    """Proof that M = α^s where K = g^s, for a known (α, β), K and M."""

    pad: ElementModP
    """a = g^u."""
    data: ElementModP
    """b = α^u."""
    challenge: ElementModQ
    """c = H(Q̄, α, β, a, b, M)."""
    response: ElementModQ
    """v = u + c·s mod q."""

    def claims(
        self,
        ciphertext: ElGamalCiphertext,
        public_key: ElementModP,
        partial: ElementModP,
        extended_base_hash: ElementModQ,
        what: str = "Chaum-Pedersen proof",
    ) -> Claims:
        """`public_key` is K (e.g. a guardian's K_i), `partial` is M (its share α^s)."""
        alpha, beta = ciphertext.pad, ciphertext.data
        a, b, c, v = self.pad, self.data, self.challenge, self.response
        if hash_elems(extended_base_hash, alpha, beta, a, b, partial) != c:
            raise InvalidProof(f"{what}: challenge c is not H(Q̄, α, β, a, b, M)")
        claims = Claims()
        _ciphertext_members(claims, ciphertext, what)
        claims.member(public_key, f"{what}: public key K")
        claims.member(partial, f"{what}: share M")
        claims.member(a, f"{what}: commitment a")
        claims.member(b, f"{what}: commitment b")
        claims.equation([term(G, v)], [term(a, 1), term(public_key, c)], f"{what}: g^v = a·K^c")
        claims.equation([term(alpha, v)], [term(b, 1), term(partial, c)], f"{what}: α^v = b·M^c")
        return claims

    def verify(
        self,
        ciphertext: ElGamalCiphertext,
        public_key: ElementModP,
        partial: ElementModP,
        extended_base_hash: ElementModQ,
        *,
        checker: Checker = DEFAULT_CHECKER,
        what: str = "Chaum-Pedersen proof",
    ) -> None:
        checker.check(self.claims(ciphertext, public_key, partial, extended_base_hash, what))

    def to_json(self) -> dict[str, Any]:
        return {
            "pad": self.pad.to_hex(),
            "data": self.data.to_hex(),
            "challenge": self.challenge.to_hex(),
            "response": self.response.to_hex(),
            "usage": ProofUsage.SECRET_VALUE.value,
        }

    @classmethod
    def from_json(cls, data: object, what: str = "Chaum-Pedersen proof") -> Self:
        obj = require_object(data, what, InvalidProof)
        check_usage(obj, ProofUsage.SECRET_VALUE, what, InvalidProof)
        return cls(
            read_p(obj, "pad", what, InvalidProof),
            read_p(obj, "data", what, InvalidProof),
            read_q(obj, "challenge", what, InvalidProof),
            read_q(obj, "response", what, InvalidProof),
        )


@dataclass(frozen=True, slots=True)
class DisjunctiveChaumPedersenProof:
    """Proof that (α, β) encrypts 0 or 1: one branch real, the other simulated."""

    proof_zero_pad: ElementModP
    """a0."""
    proof_zero_data: ElementModP
    """b0."""
    proof_one_pad: ElementModP
    """a1."""
    proof_one_data: ElementModP
    """b1."""
    proof_zero_challenge: ElementModQ
    """c0."""
    proof_one_challenge: ElementModQ
    """c1."""
    challenge: ElementModQ
    """c = H(Q̄, α, β, a0, b0, a1, b1) = c0 + c1 mod q."""
    proof_zero_response: ElementModQ
    """v0."""
    proof_one_response: ElementModQ
    """v1."""

    def claims(
        self,
        ciphertext: ElGamalCiphertext,
        public_key: ElementModP,
        extended_base_hash: ElementModQ,
        what: str = "disjunctive proof",
    ) -> Claims:
        alpha, beta, k = ciphertext.pad, ciphertext.data, public_key
        a0, b0 = self.proof_zero_pad, self.proof_zero_data
        a1, b1 = self.proof_one_pad, self.proof_one_data
        c0, c1, c = self.proof_zero_challenge, self.proof_one_challenge, self.challenge
        v0, v1 = self.proof_zero_response, self.proof_one_response
        if add_q(c0, c1) != c:
            raise InvalidProof(f"{what}: c0 + c1 is not c")
        if hash_elems(extended_base_hash, alpha, beta, a0, b0, a1, b1) != c:
            raise InvalidProof(f"{what}: challenge c is not H(Q̄, α, β, a0, b0, a1, b1)")
        claims = Claims()
        _ciphertext_members(claims, ciphertext, what)
        for element, name in ((a0, "a0"), (b0, "b0"), (a1, "a1"), (b1, "b1")):
            claims.member(element, f"{what}: commitment {name}")
        claims.equation([term(G, v0)], [term(a0, 1), term(alpha, c0)], f"{what}: g^v0 = a0·α^c0")
        claims.equation([term(G, v1)], [term(a1, 1), term(alpha, c1)], f"{what}: g^v1 = a1·α^c1")
        claims.equation([term(k, v0)], [term(b0, 1), term(beta, c0)], f"{what}: K^v0 = b0·β^c0")
        claims.equation(
            [term(G, c1), term(k, v1)],
            [term(b1, 1), term(beta, c1)],
            f"{what}: g^c1·K^v1 = b1·β^c1",
        )
        return claims

    def verify(
        self,
        ciphertext: ElGamalCiphertext,
        public_key: ElementModP,
        extended_base_hash: ElementModQ,
        *,
        checker: Checker = DEFAULT_CHECKER,
        what: str = "disjunctive proof",
    ) -> None:
        checker.check(self.claims(ciphertext, public_key, extended_base_hash, what))

    def to_json(self) -> dict[str, Any]:
        return {
            "proof_zero_pad": self.proof_zero_pad.to_hex(),
            "proof_zero_data": self.proof_zero_data.to_hex(),
            "proof_one_pad": self.proof_one_pad.to_hex(),
            "proof_one_data": self.proof_one_data.to_hex(),
            "proof_zero_challenge": self.proof_zero_challenge.to_hex(),
            "proof_one_challenge": self.proof_one_challenge.to_hex(),
            "challenge": self.challenge.to_hex(),
            "proof_zero_response": self.proof_zero_response.to_hex(),
            "proof_one_response": self.proof_one_response.to_hex(),
            "usage": ProofUsage.SELECTION_VALUE.value,
        }

    @classmethod
    def from_json(cls, data: object, what: str = "disjunctive proof") -> Self:
        obj = require_object(data, what, InvalidProof)
        check_usage(obj, ProofUsage.SELECTION_VALUE, what, InvalidProof)
        p = [read_p(obj, k, what, InvalidProof) for k in _DISJUNCTIVE_P]
        q = [read_q(obj, k, what, InvalidProof) for k in _DISJUNCTIVE_Q]
        return cls(*p, *q)


_DISJUNCTIVE_P = ("proof_zero_pad", "proof_zero_data", "proof_one_pad", "proof_one_data")
_DISJUNCTIVE_Q = (
    "proof_zero_challenge",
    "proof_one_challenge",
    "challenge",
    "proof_zero_response",
    "proof_one_response",
)


@dataclass(frozen=True, slots=True)
class ConstantChaumPedersenProof:
    """Proof that (α, β) encrypts exactly `constant` (L), the contest's selection limit."""

    pad: ElementModP
    """a = g^u."""
    data: ElementModP
    """b = K^u."""
    challenge: ElementModQ
    """c = H(Q̄, α, β, a, b)."""
    response: ElementModQ
    """v = u + c·ξ mod q, ξ the aggregate nonce."""
    constant: int
    """L."""

    def claims(
        self,
        ciphertext: ElGamalCiphertext,
        public_key: ElementModP,
        extended_base_hash: ElementModQ,
        what: str = "constant proof",
        *,
        check_ciphertext: bool = True,
    ) -> Claims:
        """`check_ciphertext=False` when (α, β) is a product of ciphertexts already checked."""
        alpha, beta, k = ciphertext.pad, ciphertext.data, public_key
        a, b, c, v, constant = self.pad, self.data, self.challenge, self.response, self.constant
        if not 0 <= constant < MAX_CONSTANT:
            raise InvalidProof(f"{what}: constant L = {constant} is out of range")
        if hash_elems(extended_base_hash, alpha, beta, a, b) != c:
            raise InvalidProof(f"{what}: challenge c is not H(Q̄, α, β, a, b)")
        claims = Claims()
        if check_ciphertext:
            _ciphertext_members(claims, ciphertext, what)
        claims.member(a, f"{what}: commitment a")
        claims.member(b, f"{what}: commitment b")
        claims.equation([term(G, v)], [term(a, 1), term(alpha, c)], f"{what}: g^v = a·α^c")
        claims.equation(
            [term(G, c.value * constant), term(k, v)],
            [term(b, 1), term(beta, c)],
            f"{what}: g^(c·L)·K^v = b·β^c",
        )
        return claims

    def verify(
        self,
        ciphertext: ElGamalCiphertext,
        public_key: ElementModP,
        extended_base_hash: ElementModQ,
        *,
        checker: Checker = DEFAULT_CHECKER,
        what: str = "constant proof",
    ) -> None:
        checker.check(self.claims(ciphertext, public_key, extended_base_hash, what))

    def to_json(self) -> dict[str, Any]:
        return {
            "pad": self.pad.to_hex(),
            "data": self.data.to_hex(),
            "challenge": self.challenge.to_hex(),
            "response": self.response.to_hex(),
            "constant": self.constant,
            "usage": ProofUsage.SELECTION_LIMIT.value,
        }

    @classmethod
    def from_json(cls, data: object, what: str = "constant proof") -> Self:
        obj = require_object(data, what, InvalidProof)
        check_usage(obj, ProofUsage.SELECTION_LIMIT, what, InvalidProof)
        return cls(
            read_p(obj, "pad", what, InvalidProof),
            read_p(obj, "data", what, InvalidProof),
            read_q(obj, "challenge", what, InvalidProof),
            read_q(obj, "response", what, InvalidProof),
            read_int(obj, "constant", what, InvalidProof),
        )


def make_chaum_pedersen(
    ciphertext: ElGamalCiphertext,
    secret: ElementModQ,
    partial: ElementModP,
    seed: ElementModQ,
    extended_base_hash: ElementModQ,
) -> ChaumPedersenProof:
    """Prove M = α^s for the s behind K = g^s; u = Nonces(seed, "constant-chaum-pedersen-proof")[0]."""
    alpha, beta = ciphertext.pad, ciphertext.data
    u = Nonces(seed, "constant-chaum-pedersen-proof")[0]
    a = g_pow_p(u)
    b = alpha.pow(u)
    c = hash_elems(extended_base_hash, alpha, beta, a, b, partial)
    return ChaumPedersenProof(a, b, c, a_plus_bc_q(u, c, secret))


def make_disjunctive_chaum_pedersen(
    ciphertext: ElGamalCiphertext,
    nonce: ElementModQ,
    public_key: ElementModP,
    extended_base_hash: ElementModQ,
    seed: ElementModQ,
    plaintext: int,
) -> DisjunctiveChaumPedersenProof:
    """Prove (α, β) = (g^ξ, K^ξ·g^plaintext) encrypts 0 or 1, given ξ (`nonce`).

    The three random values come from Nonces(seed, "disjoint-chaum-pedersen-proof")[0:3];
    the branch for the other value is simulated with a chosen challenge.
    """
    if plaintext not in (0, 1):
        raise ValueError("a disjunctive proof covers only plaintexts 0 and 1")
    alpha, beta, k = ciphertext.pad, ciphertext.data, public_key
    n0, n1, n2 = Nonces(seed, "disjoint-chaum-pedersen-proof")[0:3]
    if plaintext == 0:
        c1, v, u0 = n0, n1, n2
        a0, b0 = g_pow_p(u0), k.pow(u0)
        a1, b1 = g_pow_p(v), mult_p(k.pow(v), g_pow_p(c1))
        c = hash_elems(extended_base_hash, alpha, beta, a0, b0, a1, b1)
        c0 = a_minus_b_q(c, c1)
        v0, v1 = a_plus_bc_q(u0, c0, nonce), a_plus_bc_q(v, c1, nonce)
    else:
        w, v, u1 = n0, n1, n2
        a0, b0 = g_pow_p(v), mult_p(k.pow(v), g_pow_p(w))
        a1, b1 = g_pow_p(u1), k.pow(u1)
        c = hash_elems(extended_base_hash, alpha, beta, a0, b0, a1, b1)
        c0, c1 = -w, add_q(c, w)
        v0, v1 = a_plus_bc_q(v, c0, nonce), a_plus_bc_q(u1, c1, nonce)
    return DisjunctiveChaumPedersenProof(a0, b0, a1, b1, c0, c1, c, v0, v1)


def make_constant_chaum_pedersen(
    ciphertext: ElGamalCiphertext,
    constant: int,
    nonce: ElementModQ,
    public_key: ElementModP,
    seed: ElementModQ,
    extended_base_hash: ElementModQ,
) -> ConstantChaumPedersenProof:
    """Prove (α, β) encrypts `constant` given its aggregate nonce ξ; u from Nonces(seed, ...)[0]."""
    alpha, beta = ciphertext.pad, ciphertext.data
    u = Nonces(seed, "constant-chaum-pedersen-proof")[0]
    a, b = g_pow_p(u), public_key.pow(u)
    c = hash_elems(extended_base_hash, alpha, beta, a, b)
    return ConstantChaumPedersenProof(a, b, c, a_plus_bc_q(u, c, nonce), constant)
