"""Schnorr proof of knowledge of a secret key (spec §2.1), as electionguard 1.4.0 makes it.

A guardian publishes one per polynomial coefficient: without it, a guardian could publish
a commitment K = g^s for an s it does not know (e.g. one that cancels another guardian's
key).  Transcript: commitment h = g^r, challenge c = H(K, h), response u = r + c·s mod q;
valid iff g^u = h·K^c.  (In 1.4.0 this challenge has no base hash in it.)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Self

from .elgamal import ElGamalKeyPair
from .equations import DEFAULT_CHECKER, Checker, Claims, term
from .errors import InvalidProof
from .group import ElementModP, ElementModQ, G, a_plus_bc_q, g_pow_p
from .hash import hash_elems
from .jsonread import read_p, read_q, require_object
from .usage import ProofUsage, check_usage


@dataclass(frozen=True, slots=True)
class SchnorrProof:
    public_key: ElementModP
    """K (k in the package): the key whose secret is known."""
    commitment: ElementModP
    """h = g^r."""
    challenge: ElementModQ
    """c = H(K, h)."""
    response: ElementModQ
    """u = r + c·s mod q."""

    def claims(self, what: str = "Schnorr proof") -> Claims:
        """The checks still to run after the challenge is found consistent."""
        k, h, c, u = self.public_key, self.commitment, self.challenge, self.response
        if hash_elems(k, h) != c:
            raise InvalidProof(f"{what}: challenge c is not H(K, h)")
        claims = Claims()
        claims.member(k, f"{what}: public key K")
        claims.member(h, f"{what}: commitment h")
        claims.equation([term(G, u)], [term(h, 1), term(k, c)], f"{what}: g^u = h·K^c")
        return claims

    def verify(
        self,
        *,
        expected_public_key: ElementModP | None = None,
        checker: Checker = DEFAULT_CHECKER,
        what: str = "Schnorr proof",
    ) -> None:
        """Raise `InvalidProof`/`InvalidElement` unless the proof is valid (for that key)."""
        if expected_public_key is not None and expected_public_key != self.public_key:
            raise InvalidProof(f"{what}: proves a different public key")
        checker.check(self.claims(what))

    def to_json(self) -> dict[str, Any]:
        return {
            "public_key": self.public_key.to_hex(),
            "commitment": self.commitment.to_hex(),
            "challenge": self.challenge.to_hex(),
            "response": self.response.to_hex(),
            "usage": ProofUsage.SECRET_VALUE.value,
        }

    @classmethod
    def from_json(cls, data: object, what: str = "Schnorr proof") -> Self:
        obj = require_object(data, what, InvalidProof)
        check_usage(obj, ProofUsage.SECRET_VALUE, what, InvalidProof)
        return cls(
            read_p(obj, "public_key", what, InvalidProof),
            read_p(obj, "commitment", what, InvalidProof),
            read_q(obj, "challenge", what, InvalidProof),
            read_q(obj, "response", what, InvalidProof),
        )


def make_schnorr_proof(keypair: ElGamalKeyPair, nonce: ElementModQ) -> SchnorrProof:
    """Prove knowledge of `keypair.secret_key`; `nonce` is r, fresh and secret for every proof."""
    h = g_pow_p(nonce)
    c = hash_elems(keypair.public_key, h)
    return SchnorrProof(keypair.public_key, h, c, a_plus_bc_q(nonce, keypair.secret_key, c))
