"""The credential documents' format (evote.record.credentials): what is signed, how a slot's roll
folds, and what the record's evote/credentials.json must hold.  Signatures are not checked here
(the pure core has no Ed25519); the shapes and the arithmetic of the roll are."""

from __future__ import annotations

import hashlib

import pytest

from evote.record import InvalidRecord
from evote.record.credentials import (
    BallotSignature,
    BatchHeader,
    CredentialError,
    CredentialsInfo,
    Kdf,
    Signed,
    Statement,
    ballot_message,
    check_batch,
    fold,
    signed_bytes,
)

KDF = Kdf(1000, "00" * 16)
SIG = "ab" * 64


def key(label: str) -> str:
    return hashlib.sha256(label.encode()).hexdigest()


def statement(batch: int, slot: int, added: list[str], revoked: list[str] = ()) -> Statement:  # type: ignore[assignment]
    return Statement("lpt", batch, slot, KDF, tuple(sorted(added)), tuple(sorted(revoked)))


def test_signed_bytes_are_tagged_canonical_json() -> None:
    s = statement(0, 1, [key("a")])
    data = signed_bytes(s.to_json())
    assert data.startswith(b"evote/credential-statement/1\x00{")
    assert b" " not in data and data == s.signed_bytes()
    assert Statement.from_json(s.to_json()) == s


def test_ballot_message_is_framed_and_fixed_width() -> None:
    m = ballot_message("evote-1-vote-2", 5, 7)
    assert m == (b"evote-ballot-credential-v1\x00" + (14).to_bytes(4, "big") + b"evote-1-vote-2"
                 + (5).to_bytes(32, "big") + (7).to_bytes(32, "big"))
    with pytest.raises(CredentialError):
        ballot_message("", 1, 1)
    with pytest.raises(CredentialError):
        ballot_message("v", 2**256, 1)


def test_fold_adds_and_revokes_for_good() -> None:
    roll = fold([statement(0, 1, [key("a"), key("b")]), statement(1, 1, [key("c")], [key("a")])])
    assert roll.eligible == {key("b"), key("c")} and roll.revoked == {key("a")}
    with pytest.raises(CredentialError, match="not on the roll"):
        fold([statement(0, 1, [key("a")]), statement(1, 1, [key("b")], [key("z")])])
    with pytest.raises(CredentialError, match="second time"):
        fold([statement(0, 1, [key("a"), key("b")]), statement(1, 1, [key("a")], [key("b")])])
    with pytest.raises(CredentialError, match="second time"):  # a revoked key never returns
        fold([statement(0, 1, [key("a"), key("x")]), statement(1, 1, [key("b")], [key("a")]),
              statement(2, 1, [key("a")], [key("x")])])


@pytest.mark.parametrize("doc_change", [
    lambda d: d.update(added=list(reversed(d["added"]))),
    lambda d: d.update(added=[*d["added"], d["added"][0]]),
    lambda d: d.update(added=["AB" * 32]),
    lambda d: d.update(kdf={**d["kdf"], "name": "scrypt"}),
    lambda d: d.update(extra=1),
    lambda d: d.update(version=2),
])
def test_malformed_statements_are_refused(doc_change) -> None:  # type: ignore[no-untyped-def]
    doc = statement(0, 1, [key("a"), key("b")]).to_json()
    doc_change(doc)
    with pytest.raises(CredentialError):
        Statement.from_json(doc)


def test_batch_counts_must_fit_the_kind() -> None:
    header = BatchHeader("lpt", 0, "issue", (1, 2), (0, 1), KDF)
    good = [statement(0, s, [key(f"{s}a"), key(f"{s}b")]) for s in (0, 1)]
    check_batch(header, good)
    with pytest.raises(CredentialError, match="adds 1"):
        check_batch(header, [good[0], statement(0, 1, [key("x")])])
    with pytest.raises(CredentialError, match="exactly the slots"):
        check_batch(header, good[:1])
    replace = BatchHeader("lpt", 1, "replace", (2,), (0, 1), KDF)
    with pytest.raises(CredentialError, match="revokes 0"):
        check_batch(replace, [statement(1, s, [key(f"n{s}")]) for s in (0, 1)])
    with pytest.raises(CredentialError, match="check slot"):
        BatchHeader.from_json({**header.to_json(), "slots": [1, 2]})


def info(ballots: list[BallotSignature]) -> CredentialsInfo:
    s0 = statement(0, 3, [key("a"), key("b"), key("c")])
    s1 = statement(1, 3, [key("d")], [key("c")])
    return CredentialsInfo("evote-1-vote-3", key("committee"), 3,
                           (Signed(s0.to_json(), SIG), Signed(s1.to_json(), SIG)), tuple(ballots))


def test_record_file_round_trip_and_checks() -> None:
    good = info([BallotSignature("b-2", key("d"), SIG), BallotSignature("b-1", key("a"), SIG)])
    doc = good.to_json()
    assert doc["roll"] == sorted([key("a"), key("b"), key("d")]) and doc["revoked"] == [key("c")]
    assert [b["public_key"] for b in doc["ballots"]] == sorted([key("a"), key("d")])
    again = CredentialsInfo.from_json(doc)
    again.check("evote-1-vote-3", ["b-1", "b-2"])
    with pytest.raises(InvalidRecord, match="one signature per cast ballot"):
        again.check("evote-1-vote-3", ["b-1", "b-2", "b-3"])
    with pytest.raises(InvalidRecord, match="vote_id"):
        again.check("evote-1-vote-4", ["b-1", "b-2"])
    with pytest.raises(InvalidRecord, match="two ballots"):
        info([BallotSignature("b-1", key("a"), SIG), BallotSignature("b-2", key("a"), SIG)]).check(
            "evote-1-vote-3", ["b-1", "b-2"])
    with pytest.raises(InvalidRecord, match="not on the roll"):  # revoked
        info([BallotSignature("b-1", key("c"), SIG)]).check("evote-1-vote-3", ["b-1"])
    tampered = {**doc, "roll": doc["roll"][:-1]}
    with pytest.raises(InvalidRecord, match="roll and revoked"):
        CredentialsInfo.from_json(tampered)
