"""Partial key backups: delivery, refusal of forged backups, and the dispute (challenge) flow."""

from __future__ import annotations

from dataclasses import replace

import pytest

from evote.crypto.backup import (
    PartialKeyBackup,
    PartialKeyChallenge,
    answer_challenge,
    make_backup,
    open_backup,
    verify_challenge,
)
from evote.crypto.ceremony import GuardianSecret
from evote.crypto.errors import InvalidShare
from evote.crypto.group import ElementModP, ElementModQ, P

SECRETS = [GuardianSecret.generate(f"g{i}", i, 2, bytes([i]) * 32) for i in (1, 2, 3)]
RECORDS = [s.public_key() for s in SECRETS]


def test_backup_carries_the_point_on_the_senders_polynomial() -> None:
    backup = make_backup(SECRETS[0], RECORDS[2], ElementModQ.of(424242))
    assert (backup.owner_id, backup.designated_id, backup.designated_sequence_order) == (
        "g1",
        "g3",
        3,
    )
    again = PartialKeyBackup.from_json(backup.to_json())
    assert again == backup
    assert open_backup(again, SECRETS[2], RECORDS[0]) == SECRETS[0].polynomial.value_at(3)


def test_backup_off_the_polynomial_is_refused_naming_the_sender() -> None:
    impostor = GuardianSecret.generate("g1", 1, 2, b"\x77" * 32)  # same id, another polynomial
    forged = make_backup(impostor, RECORDS[1], ElementModQ.of(5))
    with pytest.raises(InvalidShare, match="guardian g1: the backup for sequence order 2"):
        open_backup(forged, SECRETS[1], RECORDS[0])


def test_tampered_or_misaddressed_backup_is_refused() -> None:
    backup = make_backup(SECRETS[0], RECORDS[1], ElementModQ.of(5))
    flipped = backup.encrypted_coordinate.data[:-1] + (
        "0" if backup.encrypted_coordinate.data[-1] != "0" else "1"
    )
    tampered = replace(
        backup, encrypted_coordinate=replace(backup.encrypted_coordinate, data=flipped)
    )
    with pytest.raises(InvalidShare, match=r"guardian g1.s backup for guardian g2: .*MAC"):
        open_backup(tampered, SECRETS[1], RECORDS[0])
    with pytest.raises(InvalidShare, match="not addressed to guardian g3"):
        open_backup(backup, SECRETS[2], RECORDS[0])
    with pytest.raises(InvalidShare, match="checked against guardian g3"):
        open_backup(backup, SECRETS[1], RECORDS[2])


def test_dispute_honest_answer_passes_dishonest_fails() -> None:
    backup = make_backup(SECRETS[0], RECORDS[1], ElementModQ.of(9))
    answer = answer_challenge(SECRETS[0], backup)
    verify_challenge(
        PartialKeyChallenge.from_json(answer.to_json(RECORDS[0])), RECORDS[0], RECORDS[1]
    )
    lie = replace(answer, value=answer.value + ElementModQ.of(1))
    with pytest.raises(InvalidShare, match="guardian g1"):
        verify_challenge(lie, RECORDS[0], RECORDS[1])
    with pytest.raises(InvalidShare, match="not for guardian g3"):
        verify_challenge(answer, RECORDS[0], RECORDS[2])


def test_backup_with_a_pad_outside_the_subgroup_is_refused() -> None:
    backup = make_backup(SECRETS[0], RECORDS[1], ElementModQ.of(5))
    odd = replace(backup.encrypted_coordinate, pad=ElementModP(P - 1))  # order 2
    with pytest.raises(InvalidShare, match="backup pad is not in the order-q subgroup"):
        open_backup(replace(backup, encrypted_coordinate=odd), SECRETS[1], RECORDS[0])


def test_secret_coefficients_stay_out_of_repr() -> None:
    text = repr(SECRETS[0])
    assert SECRETS[0].polynomial.secret_key.to_hex() not in text
    assert str(int(SECRETS[0].polynomial.secret_key)) not in text
