"""The election context (`CiphertextElectionContext`) and its base hashes, as in 1.4.0.

Q (the base hash) binds the group, the guardian count n, the quorum k and the manifest:
  Q  = H(p, q, g, n, k, manifest hash)        (p, q, g as the package's hex)
  Q̄  = H(Q, commitment hash)                  (the extended base hash)
Q̄ starts every ballot proof's challenge, so a proof made for one election (or one key
ceremony) fails in any other.  A context read from outside is checked on the way in: the two
hashes are recomputed and the joint key K must lie in the order-q subgroup, since every
ciphertext and proof of the election is built on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Self

from .errors import InvalidContext
from .group import ElementModP, ElementModQ, G, P, Q, int_to_hex
from .hash import hash_elems
from .jsonread import read_bool, read_int, read_p, read_q, require_object

E = InvalidContext


@dataclass(frozen=True, slots=True)
class Configuration:
    """Edge-case switches the package records in the context (it reads neither here)."""

    allow_overvotes: bool = True
    max_votes: int = 1_000_000

    def to_json(self) -> dict[str, Any]:
        return {"allow_overvotes": self.allow_overvotes, "max_votes": self.max_votes}

    @classmethod
    def from_json(cls, data: object) -> Self:
        obj = require_object(data, "context configuration", E)
        what = "context configuration"
        allow = read_bool(obj, "allow_overvotes", what, E) if "allow_overvotes" in obj else True
        votes = read_int(obj, "max_votes", what, E) if "max_votes" in obj else 1_000_000
        return cls(allow, votes)


def crypto_base_hash(
    number_of_guardians: int, quorum: int, manifest_hash: ElementModQ
) -> ElementModQ:
    """Q = H(p, q, g, n, k, manifest hash)."""
    return hash_elems(
        int_to_hex(P), int_to_hex(Q), int_to_hex(G), number_of_guardians, quorum, manifest_hash
    )


def crypto_extended_base_hash(base_hash: ElementModQ, commitment_hash: ElementModQ) -> ElementModQ:
    """Q̄ = H(Q, commitment hash)."""
    return hash_elems(base_hash, commitment_hash)


@dataclass(frozen=True, slots=True)
class ElectionContext:
    """The package's `CiphertextElectionContext`: everything a ballot is encrypted under."""

    number_of_guardians: int
    """n."""
    quorum: int
    """k: how many guardians must take part in decryption."""
    elgamal_public_key: ElementModP
    """K, the joint key."""
    commitment_hash: ElementModQ
    """H(K_1,0, ..., K_n,0 ...) over the guardians' coefficient commitments."""
    manifest_hash: ElementModQ
    crypto_base_hash: ElementModQ
    """Q."""
    crypto_extended_base_hash: ElementModQ
    """Q̄."""
    extended_data: dict[str, str] | None = None
    configuration: Configuration = field(default_factory=Configuration)

    def check(self) -> None:
        """Raise `InvalidContext` unless n, k, Q, Q̄ and K are consistent and K is a real key."""
        if not 1 <= self.quorum <= self.number_of_guardians:
            raise InvalidContext(
                f"quorum {self.quorum} must be between 1 and {self.number_of_guardians} guardians"
            )
        base = crypto_base_hash(self.number_of_guardians, self.quorum, self.manifest_hash)
        if base != self.crypto_base_hash:
            raise InvalidContext("crypto_base_hash is not H(p, q, g, n, k, manifest hash)")
        if crypto_extended_base_hash(base, self.commitment_hash) != self.crypto_extended_base_hash:
            raise InvalidContext("crypto_extended_base_hash is not H(Q, commitment hash)")
        if not self.elgamal_public_key.is_valid_residue():
            raise InvalidContext("elgamal_public_key is not in the order-q subgroup")
        if self.elgamal_public_key.value == 1:
            # in the subgroup, yet K^ξ = 1: every ballot would carry g^vote in clear
            raise InvalidContext("elgamal_public_key is 1, which encrypts nothing")

    def to_json(self) -> dict[str, Any]:
        return {
            "number_of_guardians": self.number_of_guardians,
            "quorum": self.quorum,
            "elgamal_public_key": self.elgamal_public_key.to_hex(),
            "commitment_hash": self.commitment_hash.to_hex(),
            "manifest_hash": self.manifest_hash.to_hex(),
            "crypto_base_hash": self.crypto_base_hash.to_hex(),
            "crypto_extended_base_hash": self.crypto_extended_base_hash.to_hex(),
            "extended_data": None if self.extended_data is None else dict(self.extended_data),
            "configuration": self.configuration.to_json(),
        }

    @classmethod
    def from_json(cls, data: object, *, check: bool = True) -> Self:
        """Parse the package's context.json; by default also `check()` it."""
        what = "context"
        obj = require_object(data, what, E)
        extended = obj.get("extended_data")
        if extended is not None and not (
            isinstance(extended, dict)
            and all(isinstance(k, str) and isinstance(v, str) for k, v in extended.items())
        ):
            raise InvalidContext("context: extended_data must map strings to strings")
        context = cls(
            read_int(obj, "number_of_guardians", what, E),
            read_int(obj, "quorum", what, E),
            read_p(obj, "elgamal_public_key", what, E),
            read_q(obj, "commitment_hash", what, E),
            read_q(obj, "manifest_hash", what, E),
            read_q(obj, "crypto_base_hash", what, E),
            read_q(obj, "crypto_extended_base_hash", what, E),
            extended,
            Configuration.from_json(obj.get("configuration") or {}),
        )
        if check:
            context.check()
        return context


CiphertextElectionContext = ElectionContext
"""The package's name for the same object."""


def make_context(
    number_of_guardians: int,
    quorum: int,
    elgamal_public_key: ElementModP,
    commitment_hash: ElementModQ,
    manifest_hash: ElementModQ,
    extended_data: dict[str, str] | None = None,
    configuration: Configuration | None = None,
) -> ElectionContext:
    """The package's `make_ciphertext_election_context`: Q and Q̄ from their inputs."""
    base = crypto_base_hash(number_of_guardians, quorum, manifest_hash)
    context = ElectionContext(
        number_of_guardians,
        quorum,
        elgamal_public_key,
        commitment_hash,
        manifest_hash,
        base,
        crypto_extended_base_hash(base, commitment_hash),
        extended_data,
        configuration or Configuration(),
    )
    context.check()
    return context
