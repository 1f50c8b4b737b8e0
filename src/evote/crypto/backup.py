"""Election partial key backups: guardian i's point P_i(ℓ), sent encrypted to guardian ℓ (spec §3.2.2).

With k such points a quorum can stand in for guardian i if it is absent at decryption.  As in
electionguard 1.4.0, the point travels as the JSON text {"coordinate": "<hex>"}, padded to
512 bytes and encrypted with hashed ElGamal to ℓ's election public key K_ℓ, with encryption
seed H(ℓ's id, ℓ's sequence order).  Guardian ℓ checks the point against i's published
commitments; if it does not fit, ℓ disputes it, and i must reveal P_i(ℓ) in a challenge
response that anyone checks against the same commitments.  A guardian who cannot answer is
the one at fault.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from .ceremony import GuardianPublicKey, GuardianSecret
from .errors import InvalidCiphertext, InvalidElement, InvalidShare
from .group import ElementModQ
from .hash import hash_elems
from .hashed_elgamal import (
    HashedElGamalCiphertext,
    hashed_elgamal_encrypt,
    pad_message,
    unpad_message,
)
from .polynomial import verify_coordinate
from .record_fields import int_field, object_field, q_field, text_field


def backup_seed(designated_id: str, designated_sequence_order: int) -> ElementModQ:
    """The hashed-ElGamal encryption seed of a backup: H(ℓ's id, ℓ's sequence order)."""
    return hash_elems(designated_id, designated_sequence_order)


@dataclass(frozen=True, slots=True)
class PartialKeyBackup:
    """Package type `ElectionPartialKeyBackup`."""

    owner_id: str
    """i: whose polynomial the point is on."""
    designated_id: str
    """ℓ: who can decrypt it."""
    designated_sequence_order: int
    """ℓ's sequence order, the x of the point."""
    encrypted_coordinate: HashedElGamalCiphertext
    """E(P_i(ℓ)) under K_ℓ."""

    def to_json(self) -> dict[str, Any]:
        return {
            "owner_id": self.owner_id,
            "designated_id": self.designated_id,
            "designated_sequence_order": self.designated_sequence_order,
            "encrypted_coordinate": self.encrypted_coordinate.to_json(),
        }

    @classmethod
    def from_json(cls, obj: object) -> PartialKeyBackup:
        where = "partial key backup"
        return cls(
            text_field(obj, "owner_id", where),
            text_field(obj, "designated_id", where),
            int_field(obj, "designated_sequence_order", where),
            HashedElGamalCiphertext.from_json(
                object_field(obj, "encrypted_coordinate", where), f"{where}: encrypted_coordinate"
            ),
        )


def make_backup(
    sender: GuardianSecret, receiver: GuardianPublicKey, nonce: ElementModQ
) -> PartialKeyBackup:
    """Guardian i's backup for ℓ; `nonce` is a fresh secret ξ ≠ 0 the caller drew."""
    coordinate = sender.polynomial.value_at(receiver.sequence_order)
    message = pad_message(json.dumps({"coordinate": coordinate.to_hex()}).encode("utf-8"))
    return PartialKeyBackup(
        sender.guardian_id,
        receiver.guardian_id,
        receiver.sequence_order,
        hashed_elgamal_encrypt(
            message,
            nonce,
            receiver.election_public_key,
            backup_seed(receiver.guardian_id, receiver.sequence_order),
        ),
    )


def open_backup(
    backup: PartialKeyBackup, receiver: GuardianSecret, sender: GuardianPublicKey
) -> ElementModQ:
    """Decrypt and check a backup addressed to `receiver`; returns P_i(ℓ).

    Raises `InvalidShare` naming the sending guardian if the backup is not for this
    receiver, does not decrypt (MAC), is malformed, or is not on the sender's polynomial:
    each of those is grounds for the receiver to dispute it.
    """
    who = f"guardian {backup.owner_id}'s backup for guardian {backup.designated_id}"
    if backup.owner_id != sender.guardian_id:
        raise InvalidShare(f"{who}: checked against guardian {sender.guardian_id}'s commitments")
    if (backup.designated_id, backup.designated_sequence_order) != (
        receiver.guardian_id,
        receiver.sequence_order,
    ):
        raise InvalidShare(f"{who}: not addressed to guardian {receiver.guardian_id}")
    try:
        # A pad outside the subgroup could make accept/reject leak bits of the receiver's key.
        backup.encrypted_coordinate.pad.require_subgroup("backup pad")
        padded = backup.encrypted_coordinate.decrypt(
            receiver.polynomial.secret_key,
            backup_seed(receiver.guardian_id, receiver.sequence_order),
        )
        coordinate = _read_coordinate(unpad_message(padded))
    except (InvalidCiphertext, InvalidElement) as e:
        raise InvalidShare(f"{who}: {e}") from None
    verify_coordinate(
        coordinate, receiver.sequence_order, sender.election_commitments, sender.guardian_id
    )
    return coordinate


def _read_coordinate(text: bytes) -> ElementModQ:
    try:
        obj = json.loads(text.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise InvalidElement("the decrypted backup is not JSON") from None
    return q_field(obj, "coordinate", "decrypted backup")


@dataclass(frozen=True, slots=True)
class PartialKeyChallenge:
    """Guardian i's public answer to a disputed backup: P_i(ℓ) in clear (`ElectionPartialKeyChallenge`).

    Revealing P_i(ℓ) costs nothing beyond what ℓ was already owed; it lets every guardian see
    who is at fault without trusting either side.
    """

    owner_id: str
    designated_id: str
    designated_sequence_order: int
    value: ElementModQ
    """P_i(ℓ)."""

    def to_json(self, owner: GuardianPublicKey) -> dict[str, Any]:
        """In the package's layout, which repeats the owner's commitments and proofs."""
        return {
            "owner_id": self.owner_id,
            "designated_id": self.designated_id,
            "designated_sequence_order": self.designated_sequence_order,
            "value": self.value.to_hex(),
            "coefficient_commitments": [k.to_hex() for k in owner.election_commitments],
            "coefficient_proofs": [p.to_json() for p in owner.election_proofs],
        }

    @classmethod
    def from_json(cls, obj: object) -> PartialKeyChallenge:
        """Reads the point only: commitments are taken from the owner's published record."""
        where = "partial key challenge"
        return cls(
            text_field(obj, "owner_id", where),
            text_field(obj, "designated_id", where),
            int_field(obj, "designated_sequence_order", where),
            q_field(obj, "value", where),
        )


def answer_challenge(sender: GuardianSecret, backup: PartialKeyBackup) -> PartialKeyChallenge:
    """Guardian i reveals the point its disputed backup should have carried."""
    if backup.owner_id != sender.guardian_id:
        raise ValueError("a guardian can only answer for its own backups")
    return PartialKeyChallenge(
        sender.guardian_id,
        backup.designated_id,
        backup.designated_sequence_order,
        sender.polynomial.value_at(backup.designated_sequence_order),
    )


def verify_challenge(
    challenge: PartialKeyChallenge, owner: GuardianPublicKey, designated: GuardianPublicKey
) -> None:
    """Raise `InvalidShare` naming guardian i unless its revealed point fits its commitments.

    Unlike the package, which checks against the commitments inside the challenge, this
    checks against i's published record, so i cannot answer with a different polynomial.
    """
    if challenge.owner_id != owner.guardian_id:
        raise InvalidShare(
            f"challenge answered by guardian {challenge.owner_id}, not {owner.guardian_id}"
        )
    if (challenge.designated_id, challenge.designated_sequence_order) != (
        designated.guardian_id,
        designated.sequence_order,
    ):
        raise InvalidShare(
            f"guardian {owner.guardian_id}: challenge answer is not for guardian {designated.guardian_id}"
        )
    verify_coordinate(
        challenge.value, designated.sequence_order, owner.election_commitments, owner.guardian_id
    )
