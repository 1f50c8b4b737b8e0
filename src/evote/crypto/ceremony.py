"""Key ceremony: each guardian's keys, its public record, and the joint election key (spec §3.2).

Two types, because they live on different machines: `GuardianSecret` (the polynomial
coefficients a_ij) stays with its guardian, sealed by the guardian client; `GuardianPublicKey`
(K_i, the commitments K_ij and their Schnorr proofs) is sent to the server, the other
guardians and the published record as guardians/guardian_<i>.json.  The joint key
K = ∏ K_i0 and the commitment hash H(K_10, ..., K_n(k-1)) go into the election context.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .elgamal import ElGamalKeyPair, combine_public_keys
from .equations import DEFAULT_CHECKER, Checker
from .errors import InvalidElement, InvalidShare
from .group import ElementModP, ElementModQ
from .hash import hash_elems
from .polynomial import ElectionPolynomial, derive_q
from .record_fields import int_field, list_field, p_field, q_field, text_field
from .schnorr import SchnorrProof, make_schnorr_proof

_PROOF_NONCE_TAG = b"evote/coefficient-proof-nonce/v1"
SECRET_TYPE = "evote/guardian-secret"
SECRET_VERSION = 1


@dataclass(frozen=True, slots=True)
class GuardianPublicKey:
    """What guardian i publishes: package type `ElectionPublicKey` / `GuardianRecord`."""

    guardian_id: str
    sequence_order: int
    """i in the spec, ≥ 1: the x at which other guardians' backups for i are evaluated."""
    election_public_key: ElementModP
    """K_i = K_i0 = g^s_i."""
    election_commitments: tuple[ElementModP, ...]
    """K_ij = g^a_ij for j = 0 .. k-1."""
    election_proofs: tuple[SchnorrProof, ...]
    """One proof of knowledge of a_ij per commitment."""

    @property
    def quorum(self) -> int:
        return len(self.election_commitments)

    def verify(self, quorum: int | None = None, *, checker: Checker = DEFAULT_CHECKER) -> None:
        """Raise unless the record is whole and every coefficient's Schnorr proof holds.

        A guardian whose commitments are not proven could choose K_i0 to cancel the others'
        keys and decrypt alone; so no key is combined before this passes.
        """
        who = f"guardian {self.guardian_id}"
        if self.sequence_order < 1:
            raise InvalidShare(f"{who}: sequence order must be at least 1")
        if quorum is not None and self.quorum != quorum:
            raise InvalidShare(f"{who}: {self.quorum} commitments, the quorum is {quorum}")
        if not self.election_commitments or len(self.election_proofs) != self.quorum:
            raise InvalidShare(f"{who}: needs one Schnorr proof per coefficient commitment")
        if self.election_commitments[0] != self.election_public_key:
            raise InvalidShare(f"{who}: election public key differs from commitment K_i0")
        for j, (commitment, proof) in enumerate(
            zip(self.election_commitments, self.election_proofs, strict=True)
        ):
            proof.verify(
                expected_public_key=commitment,
                checker=checker,
                what=f"{who}: Schnorr proof for commitment K_i{j}",
            )

    def to_json(self) -> dict[str, Any]:
        return {
            "guardian_id": self.guardian_id,
            "sequence_order": self.sequence_order,
            "election_public_key": self.election_public_key.to_hex(),
            "election_commitments": [k.to_hex() for k in self.election_commitments],
            "election_proofs": [p.to_json() for p in self.election_proofs],
        }

    @classmethod
    def from_json(cls, obj: object) -> GuardianPublicKey:
        """Reads guardian_<i>.json; elements are subgroup-checked, proofs are not (see verify)."""
        where = "guardian record"
        guardian_id = text_field(obj, "guardian_id", where)
        where = f"guardian {guardian_id}"
        commitments = list_field(obj, "election_commitments", where)
        return cls(
            guardian_id,
            int_field(obj, "sequence_order", where),
            p_field(obj, "election_public_key", where),
            tuple(
                p_field({"K": k}, "K", f"{where}: commitment {j}")
                for j, k in enumerate(commitments)
            ),
            tuple(
                SchnorrProof.from_json(p, f"{where}: proof {j}")
                for j, p in enumerate(list_field(obj, "election_proofs", where))
            ),
        )


@dataclass(frozen=True, slots=True)
class GuardianSecret:
    """Guardian i's polynomial; never leaves the guardian's machine (serialize only to seal)."""

    guardian_id: str
    sequence_order: int
    polynomial: ElectionPolynomial

    @classmethod
    def generate(
        cls, guardian_id: str, sequence_order: int, quorum: int, seed: bytes
    ) -> GuardianSecret:
        """A fresh guardian from 32+ random bytes the caller drew (`secrets.token_bytes(32)`)."""
        if sequence_order < 1:
            raise ValueError("sequence orders start at 1 (P(0) is the secret)")
        if not guardian_id:
            raise ValueError("a guardian needs an id")
        return cls(guardian_id, sequence_order, ElectionPolynomial.from_seed(quorum, seed))

    @property
    def election_key_pair(self) -> ElGamalKeyPair:
        """(s_i, K_i): what the guardian's decryption shares are made with."""
        return ElGamalKeyPair.from_secret(self.polynomial.secret_key)

    def public_key(self) -> GuardianPublicKey:
        """The record to publish.  Deterministic: each proof's nonce r_j is derived from a_ij.

        Deriving r_j from the secret it proves (as RFC 6979 does for signatures) needs no
        extra random input and cannot repeat r_j across different statements, since each
        a_ij has exactly one statement K_ij.
        """
        commitments = self.polynomial.commitments()
        proofs = tuple(
            make_schnorr_proof(
                ElGamalKeyPair(a, k),
                derive_q(int(a.value).to_bytes(32, "big"), _PROOF_NONCE_TAG, j),
            )
            for j, (a, k) in enumerate(zip(self.polynomial.coefficients, commitments, strict=True))
        )
        return GuardianPublicKey(
            self.guardian_id, self.sequence_order, commitments[0], commitments, proofs
        )

    def to_json(self) -> dict[str, Any]:
        """evote's own sealed-state format (not in the record): typed and versioned."""
        return {
            "type": SECRET_TYPE,
            "version": SECRET_VERSION,
            "guardian_id": self.guardian_id,
            "sequence_order": self.sequence_order,
            "election_polynomial": [a.to_hex() for a in self.polynomial.coefficients],
        }

    @classmethod
    def from_json(cls, obj: object) -> GuardianSecret:
        where = "guardian secret"
        if text_field(obj, "type", where) != SECRET_TYPE:
            raise InvalidElement(f"{where}: not a {SECRET_TYPE}")
        if int_field(obj, "version", where) != SECRET_VERSION:
            raise InvalidElement(f"{where}: unsupported version")
        coefficients = list_field(obj, "election_polynomial", where)
        if not coefficients:
            raise InvalidElement(f"{where}: election_polynomial has no coefficients")
        return cls(
            text_field(obj, "guardian_id", where),
            int_field(obj, "sequence_order", where),
            ElectionPolynomial(
                tuple(q_field({"a": a}, "a", f"{where}: a_{j}") for j, a in enumerate(coefficients))
            ),
        )


@dataclass(frozen=True, slots=True)
class ElectionJointKey:
    joint_public_key: ElementModP
    """K = ∏ K_i0 mod p."""
    commitment_hash: ElementModQ
    """H(K_10, ..., K_1(k-1), K_20, ...): every commitment of every guardian, in sequence order."""


MIN_GUARDIANS = 2
MIN_QUORUM = 2


def threshold_problem(number_of_guardians: int, quorum: int) -> str | None:
    """Why n guardians with quorum k would not share the key, or None: n ≥ 2, 2 ≤ k ≤ n.

    The spec (and `combine_guardian_keys`, which reads others' records) allows k = 1, but then
    every guardian's polynomial is the constant a_i0 and each backup P_i(ℓ) = a_i0 is that
    guardian's secret itself: after the exchange every guardian holds every secret and could
    decrypt any ballot alone, which is what a threshold key exists to prevent.  One guardian
    alone is the same.  k = n is allowed (nobody may be absent).  Callers that set up a
    ceremony refuse with this message: the server, `evote simulate` and the guardian client.
    """
    if number_of_guardians < MIN_GUARDIANS:
        return (
            f"A key ceremony needs at least {MIN_GUARDIANS} guardians, not {number_of_guardians}: "
            "with one, a single person holds the whole election key."
        )
    if quorum < MIN_QUORUM:
        return (
            f"The quorum must be at least {MIN_QUORUM}, not {quorum}: with a quorum of 1 each "
            "guardian's backups are its secret itself, so every guardian could decrypt any "
            "ballot alone."
        )
    if quorum > number_of_guardians:
        return (
            f"A quorum of {quorum} is impossible with {number_of_guardians} guardians "
            f"(at most {number_of_guardians})."
        )
    return None


def combine_guardian_keys(
    records: Sequence[GuardianPublicKey],
    number_of_guardians: int,
    quorum: int,
    *,
    checker: Checker = DEFAULT_CHECKER,
) -> ElectionJointKey:
    """Verify all n records and combine them, as electionguard 1.4.0 does.

    The package hashes the commitments as one list, so the commitment hash is H of the hex of
    H(all K_ij); guardians are taken in sequence order, which is how `eg` announces them.
    """
    if len(records) != number_of_guardians:
        raise InvalidShare(
            f"{len(records)} guardian records, the ceremony has {number_of_guardians}"
        )
    if not 1 <= quorum <= number_of_guardians:
        raise InvalidShare(f"quorum {quorum} is not between 1 and {number_of_guardians}")
    ordered = sorted(records, key=lambda r: r.sequence_order)
    if len({r.sequence_order for r in ordered}) != len(ordered):
        raise InvalidShare("two guardians share a sequence order")
    if len({r.guardian_id for r in ordered}) != len(ordered):
        raise InvalidShare("two guardians share an id")
    for r in ordered:
        r.verify(quorum, checker=checker)
    # A proof's challenge H(K, h) names no guardian, so a copy of another guardian's
    # commitments and proofs verifies; the copier could then replay that guardian's shares.
    owner: dict[ElementModP, str] = {}
    for r in ordered:
        for k in r.election_commitments:
            first = owner.setdefault(k, r.guardian_id)
            if first != r.guardian_id:
                raise InvalidShare(
                    f"guardians {first} and {r.guardian_id} publish the same commitment"
                )
    commitments = [k for r in ordered for k in r.election_commitments]
    return ElectionJointKey(
        combine_public_keys(r.election_public_key for r in ordered),
        hash_elems(commitments),
    )
