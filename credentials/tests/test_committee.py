"""The committee's batches: every key is a delegate's code's key, every statement is signed,
and a replacement revokes exactly the old keys of the slots still to come."""

from __future__ import annotations

import nacl.signing
import pytest

from evote.record.credentials import Statement, Upload, fold, signed_bytes
from evote_credentials.committee import Committee, CommitteeError
from evote_credentials.derivation import master_secret, public_key
from evote_credentials.roll import Delegate, DelegateRoll, RollError

ROLL = DelegateRoll("lpt-2026", "Landesparteitag", "https://vote.example.org",
                    tuple(Delegate(i, f"Delegate {i}", "KV Nord") for i in (3, 5, 8, 13)))


def committee(slots: int = 4) -> Committee:
    return Committee.create("lpt-2026", "Landesparteitag", "https://vote.example.org",
                            iterations=1000, slots=slots)


def verify(upload: Upload) -> None:
    key = nacl.signing.VerifyKey(bytes.fromhex(upload.committee_key))
    for signed in (upload.batch, *upload.statements):
        key.verify(signed_bytes(signed.document), bytes.fromhex(signed.signature))


def test_issue_makes_one_code_per_delegate_and_signed_anonymous_sets() -> None:
    c = committee()
    upload, letters = c.issue(ROLL)
    verify(upload)
    header = upload.header()
    assert header.participants == (3, 5, 8, 13) and header.slots == (0, 1, 2, 3, 4)
    assert [letter.delegate.participant_id for letter in letters] == [3, 5, 8, 13]
    assert letters[0].url == f"https://vote.example.org/delegate#credential={letters[0].code}"
    statements = upload.parsed_statements()
    for slot, statement in enumerate(statements):
        expected = sorted(public_key(master_secret(letter.code, c.salt, 1000), slot)
                          for letter in letters)
        assert list(statement.added) == expected and statement.revoked == ()
        assert statement.slot == slot and statement.event == "lpt-2026"
    # sorted, so the order says nothing about who is who
    assert all(list(s.added) == sorted(s.added) for s in statements)


def test_a_signature_covers_the_statement_exactly() -> None:
    c = committee()
    upload, _ = c.issue(ROLL)
    signed = upload.statements[1]
    doc = dict(signed.document)
    doc["added"] = doc["added"][:-1]
    key = nacl.signing.VerifyKey(bytes.fromhex(upload.committee_key))
    with pytest.raises(nacl.exceptions.BadSignatureError):
        key.verify(signed_bytes(doc), bytes.fromhex(signed.signature))


def test_issue_only_once_and_only_for_its_event() -> None:
    c = committee()
    with pytest.raises(CommitteeError, match="event"):
        c.issue(DelegateRoll("other", "x", "", ROLL.delegates))
    c.issue(ROLL)
    with pytest.raises(CommitteeError, match="replace"):
        c.issue(ROLL)


def test_replace_revokes_the_old_keys_from_the_next_vote_on() -> None:
    c = committee(slots=5)
    first, letters = c.issue(ROLL)
    old = {s: public_key(master_secret(letters[1].code, c.salt, 1000), s) for s in range(6)}
    upload, (letter,) = c.replace([ROLL.find(5)], from_slot=3)
    verify(upload)
    header = upload.header()
    assert (header.batch, header.kind, header.participants, header.slots) == (1, "replace", (5,), (0, 3, 4, 5))
    new_master = master_secret(letter.code, c.salt, 1000)
    for statement in upload.parsed_statements():
        assert statement.revoked == (old[statement.slot],)
        assert statement.added == (public_key(new_master, statement.slot),)
    # the keys of votes 1 and 2 (already opened) are never named
    named = {k for s in upload.parsed_statements() for k in (*s.added, *s.revoked)}
    assert old[1] not in named and old[2] not in named
    # folded with batch 0, slot 3 has the new key and not the old one
    slot3 = [Statement.from_json(first.statements[3].document), upload.parsed_statements()[1]]
    roll = fold(slot3)
    assert old[3] in roll.revoked and public_key(new_master, 3) in roll.eligible
    assert len(roll.eligible) == 4


def test_a_second_replacement_revokes_the_first_replacement() -> None:
    c = committee(slots=5)
    c.issue(ROLL)
    _, (first,) = c.replace([ROLL.find(5)], from_slot=2)
    upload, _ = c.replace([ROLL.find(5)], from_slot=4)
    m = master_secret(first.code, c.salt, 1000)
    assert [s.revoked for s in upload.parsed_statements()] == [
        (public_key(m, 0),), (public_key(m, 4),), (public_key(m, 5),)]


def test_a_refused_batch_can_be_made_again_under_its_number() -> None:
    c = committee(slots=5)
    c.issue(ROLL)
    gone, _ = c.replace([ROLL.find(5)], from_slot=2)
    again, (letter,) = c.replace([ROLL.find(5)], from_slot=3, batch=1)
    assert again.header().batch == 1 and c.batches == 2
    issued = public_key(master_secret(letter.code, c.salt, 1000), 3)
    # what batch 1 first said is forgotten: batch 2 would revoke the new key
    nxt, _ = c.replace([ROLL.find(5)], from_slot=4)
    assert nxt.header().batch == 2
    assert issued in {k for s in again.parsed_statements() for k in s.added}
    assert gone.statements != again.statements


@pytest.mark.parametrize(("ids", "from_slot", "says"), [
    ((99,), 2, "never received"),
    ((5,), 0, "run from 1"),
    ((5,), 9, "run from 1"),
])
def test_replace_refuses_what_cannot_be(ids: tuple[int, ...], from_slot: int, says: str) -> None:
    c = committee()
    c.issue(ROLL)
    with pytest.raises(CommitteeError, match=says):
        c.replace([Delegate(i, "x") for i in ids], from_slot)


def test_state_round_trip_keeps_everything() -> None:
    c = committee()
    c.issue(ROLL)
    c.replace([ROLL.find(8)], 2)
    again = Committee.from_state(c.to_state())
    assert again.to_state() == c.to_state() and again.public_key == c.public_key
    assert "seed" not in again.public_summary()


def test_bad_roll_files_are_refused() -> None:
    with pytest.raises(RollError, match="twice"):
        DelegateRoll.from_json({"type": "evote/delegate-roll", "version": 1, "event": "e",
                                "delegates": [{"participant_id": 1, "name": "A"},
                                              {"participant_id": 1, "name": "B"}]})
    with pytest.raises(RollError, match="not a delegate roll"):
        DelegateRoll.from_json({"type": "evote/other"})
