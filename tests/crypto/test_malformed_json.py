"""Every JSON reader of the crypto core refuses malformed input with a `CryptoError` subclass.

A deterministic sweep: each field of a valid object (nested ones too) is replaced by values of
every JSON type, or deleted; the reader must either parse or raise a typed error, never leak a
KeyError, TypeError or ValueError (which the API would turn into a 500).  test_ballot_fuzz.py
samples ballots, manifests and contexts at random; this covers the guardian side exhaustively.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from evote.crypto.backup import (
    PartialKeyBackup,
    PartialKeyChallenge,
    answer_challenge,
    make_backup,
    open_backup,
)
from evote.crypto.ballot import BallotBoxState, CiphertextBallot
from evote.crypto.ceremony import GuardianPublicKey, GuardianSecret
from evote.crypto.compensation import (
    CompensatedDecryptionShare,
    LagrangeCoefficients,
    compute_compensated_share,
)
from evote.crypto.decrypt import PlaintextTally
from evote.crypto.decryption_share import DecryptionShare, compute_decryption_share
from evote.crypto.elgamal import elgamal_encrypt
from evote.crypto.errors import CryptoError, InvalidCiphertext
from evote.crypto.group import ElementModQ
from evote.crypto.hash import hash_elems
from evote.crypto.hashed_elgamal import HashedElGamalCiphertext
from evote.crypto.tally import CiphertextTally, TallyContest, TallySelection

from .ballot_fixtures import vector_election
from .json_paths import json_paths, mangle

JUNK: list[Any] = [None, True, 0, -1, 1.5, 10**30, "", "x", "ZZ", "FF" * 600, [], [1], {}, {"a": 1}]

Q_BAR = hash_elems("evote test", "malformed json")
SENDER = GuardianSecret.generate("1", 1, 2, b"\x01" * 32)
RECEIVER = GuardianSecret.generate("2", 2, 2, b"\x02" * 32)
SENDER_KEY, RECEIVER_KEY = SENDER.public_key(), RECEIVER.public_key()
BACKUP = make_backup(SENDER, RECEIVER_KEY, ElementModQ.of(5))
_shape = TallyContest("c", 0, ElementModQ.of(1), {"s": TallySelection("s", 0, ElementModQ.of(2))})
TALLY = CiphertextTally.empty([_shape])
CIPHERTEXTS = {"c": {"s": elgamal_encrypt(1, ElementModQ.of(9), SENDER_KEY.election_public_key)}}
SHARE = compute_decryption_share(SENDER, "t", CIPHERTEXTS, Q_BAR, ElementModQ.of(3))
PART = compute_compensated_share(
    RECEIVER,
    RECEIVER_KEY,
    SENDER_KEY,
    open_backup(BACKUP, RECEIVER, SENDER_KEY),
    "t",
    CIPHERTEXTS,
    Q_BAR,
    ElementModQ.of(4),
)
PLAINTEXT = {
    "object_id": "t",
    "contests": {
        "c": {
            "object_id": "c",
            "selections": {
                "s": {
                    "object_id": "s",
                    "tally": 1,
                    "value": "01",
                    "message": {"pad": "01", "data": "01"},
                    "shares": [SHARE.contests["c"]["s"].to_json()],
                }
            },
        }
    },
}

READERS: list[tuple[str, Callable[[Any], object], dict[str, Any]]] = [
    ("guardian secret", GuardianSecret.from_json, SENDER.to_json()),
    ("guardian record", GuardianPublicKey.from_json, SENDER_KEY.to_json()),
    ("backup", PartialKeyBackup.from_json, BACKUP.to_json()),
    (
        "challenge",
        PartialKeyChallenge.from_json,
        answer_challenge(SENDER, BACKUP).to_json(SENDER_KEY),
    ),
    ("hashed ElGamal", HashedElGamalCiphertext.from_json, BACKUP.encrypted_coordinate.to_json()),
    ("decryption share", DecryptionShare.from_json, SHARE.to_json()),
    ("compensated share", CompensatedDecryptionShare.from_json, PART.to_json()),
    ("encrypted tally", CiphertextTally.from_json, TALLY.to_json()),
    ("plaintext tally", PlaintextTally.from_json, PLAINTEXT),
    ("coefficients", LagrangeCoefficients.from_json, {"coefficients": {"1": "02", "2": "03"}}),
]


def _mutations(doc: dict[str, Any]) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = [(f"whole object = {j!r:.20}", j) for j in JUNK]
    for path in json_paths(doc):
        for value in [*JUNK, "delete"]:
            if value == "delete" and not isinstance(path[-1], str):
                continue
            out.append((f"{path} = {value!r:.20}", mangle(doc, path, value, value == "delete")))
    return out


def _leaks(reader: Callable[[Any], object], doc: dict[str, Any]) -> list[str]:
    leaks = []
    for label, mutated in _mutations(doc):
        try:
            reader(mutated)
        except CryptoError:
            pass
        except Exception as exc:
            leaks.append(f"{label}: {type(exc).__name__}: {exc!s:.60}")
    return leaks


@pytest.mark.parametrize(("name", "reader", "doc"), READERS, ids=[r[0] for r in READERS])
def test_guardian_side_readers_raise_only_typed_errors(
    name: str, reader: Callable[[Any], object], doc: dict[str, Any]
) -> None:
    reader(doc)  # the unmangled object parses
    assert _leaks(reader, doc) == []


@pytest.mark.parametrize("state", [[], [1], {}, {"a": 1}, 1.0, 1.5, "1", True, 3])
def test_a_ballot_with_a_malformed_state_is_refused_with_a_typed_error(state: Any) -> None:
    e = vector_election()
    doc = e.encrypt(e.inputs["plaintext"]).submit(BallotBoxState.CAST).to_json()
    doc["state"] = state
    with pytest.raises(CryptoError, match="unknown state"):
        CiphertextBallot.from_json(doc)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("data", "FF" * 5_000_000, "longer than 1024 hex digits"),  # 10 MB
        ("data", "not hex at all", "not hex"),
        ("mac", "AB" * 33, "longer than 64 hex digits"),
        ("mac", "0x12", "not hex"),
    ],
)
def test_a_ballot_cannot_smuggle_text_in_its_extended_data(
    field: str, value: str, message: str
) -> None:
    """A contest's extended data is covered by no hash or proof, so only its shape bounds it."""
    e = vector_election()
    doc = e.encrypt(e.inputs["plaintext"]).submit(BallotBoxState.CAST).to_json()
    doc["contests"][0]["extended_data"][field] = value
    with pytest.raises(InvalidCiphertext, match=message):
        CiphertextBallot.from_json(doc)
