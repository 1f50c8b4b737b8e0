"""V23: each way to break the credentials of a record is caught, named, and caught by V23 alone.

The base is `evote simulate`'s signed record. Most mutations need signatures that *hold*
(a duplicate key, a revoked key, a key off the roll: the attack is a valid signature where none
may be), so `_resign` plays a committee of the test's own: it draws a committee key and one key
per cast ballot, signs the statements and ballots again, and the mutation then changes one
thing. A record re-signed without a mutation verifies, so each failure is the mutation's.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import nacl.signing
import pytest
from click.testing import CliRunner

from evote_verify.cli import main
from evote_verify.credentials import FILE, NO_COMMITTEE, STATEMENT_TAG, _canonical, ballot_message

Doc = dict[str, Any]


def _hex(key: nacl.signing.SigningKey) -> str:
    return key.verify_key.encode().hex()


def _run(rec: Path, *extra: str) -> tuple[int, Any]:
    result = CliRunner().invoke(main, [str(rec), "--workers", "1", *extra])
    return result.exit_code, json.loads(result.output) if "--json" in extra else result.output


def _cast(rec: Path) -> list[Doc]:
    ballots = [json.loads(f.read_text()) for f in sorted((rec / "submitted_ballots").glob("*.json"))]
    return [b for b in ballots if b["state"] == 1]


class Committee:
    """The test's committee for one record: statements and ballot signatures that hold."""

    def __init__(self, rec: Path) -> None:
        self.rec = rec
        self.doc: Doc = json.loads((rec / FILE).read_text())
        self.key = nacl.signing.SigningKey.generate()
        self.cast = _cast(rec)
        self.voters = [nacl.signing.SigningKey.generate() for _ in self.cast]
        self.spare = [nacl.signing.SigningKey.generate() for _ in range(2)]
        context = json.loads((rec / "context.json").read_text())
        self.manifest_hash = int(context["manifest_hash"], 16)
        self.batches: list[tuple[list[str], list[str]]] = [
            (sorted(_hex(k) for k in [*self.voters, *self.spare]), [])
        ]
        self.signers = list(self.voters)

    def statement(self, batch: int, added: list[str], revoked: list[str]) -> Doc:
        first = self.doc["statements"][0]["document"]
        st = {"type": "evote/credential-statement", "version": 1, "event": first["event"], "batch": batch,
              "slot": self.doc["slot"], "kdf": first["kdf"], "added": sorted(added), "revoked": sorted(revoked)}
        return {"document": st, "signature": self.key.sign(STATEMENT_TAG + _canonical(st)).signature.hex()}

    def sign(self, key: nacl.signing.SigningKey, ballot: Doc) -> Doc:
        message = ballot_message(self.doc["vote_id"], self.manifest_hash, int(ballot["crypto_hash"], 16))
        return {"ballot_id": ballot["object_id"], "public_key": _hex(key), "signature": key.sign(message).signature.hex()}

    def write(self, mutate: Callable[[Doc], None] | None = None) -> None:
        roll: set[str] = set()
        revoked: set[str] = set()
        for added, gone in self.batches:
            roll -= set(gone)
            revoked |= set(gone)
            roll |= set(added)
        doc = dict(self.doc)
        doc["committee_key"] = _hex(self.key)
        doc["statements"] = [self.statement(i, a, r) for i, (a, r) in enumerate(self.batches)]
        doc["roll"], doc["revoked"] = sorted(roll), sorted(revoked)
        doc["ballots"] = sorted((self.sign(k, b) for k, b in zip(self.signers, self.cast, strict=True)),
                                key=lambda e: e["public_key"])
        if mutate is not None:
            mutate(doc)
        (self.rec / FILE).write_text(json.dumps(doc))


def _only_v23(rec: Path, *words: str) -> list[Doc]:
    code, report = _run(rec, "--json")
    failed = {c["id"] for c in report["checks"] if c["status"] in ("failed", "incomplete")}
    assert code == 1 and failed == {"V23"}, report["failures"]
    texts = " | ".join(f["what"] for f in report["failures"])
    for word in words:
        assert word in texts, texts
    return report["failures"]


def test_the_simulated_record_verifies_and_prints_the_roll_size(sim_record: Path) -> None:
    code, text = _run(sim_record)
    assert code == 0, text
    doc = json.loads((sim_record / FILE).read_text())
    assert doc["revoked"], "the simulation replaces one letter, so its record carries a revocation"
    assert f"Voting credentials (V23): {len(doc['roll'])} keys on the roll of vote slot 1" in text
    assert doc["committee_key"] in text
    code, report = _run(sim_record, "--json")
    assert report["credentials"]["roll_size"] == len(doc["roll"])
    assert report["credentials"]["valid_signatures"] == len(_cast(sim_record))


def test_a_record_re_signed_by_another_committee_still_verifies(sim_record: Path, copy_of) -> None:
    rec = copy_of(sim_record)
    Committee(rec).write()
    code, text = _run(rec)
    assert code == 0, text


def test_without_a_committee_v23_says_plainly_that_eligibility_is_not_shown(sim_record: Path, copy_of) -> None:
    rec = copy_of(sim_record)
    (rec / FILE).unlink()
    code, text = _run(rec)
    assert code == 0, text
    assert "does NOT show that only credentialed delegates cast" in text
    code, report = _run(rec, "--json")
    v23 = next(c for c in report["checks"] if c["id"] == "V23")
    assert v23["status"] == "skipped" and v23["note"] == NO_COMMITTEE and report["credentials"] is None


def test_forged_ballot_signature(sim_record: Path, copy_of) -> None:
    rec = copy_of(sim_record)
    doc = json.loads((rec / FILE).read_text())
    sig = doc["ballots"][0]["signature"]
    doc["ballots"][0]["signature"] = ("0" if sig[0] != "0" else "1") + sig[1:]
    (rec / FILE).write_text(json.dumps(doc))
    (failure,) = _only_v23(rec, "FORGED")
    assert failure["where"] == f"ballot {doc['ballots'][0]['ballot_id']}"


def test_ballot_signed_by_a_key_the_server_made_up(sim_record: Path, copy_of) -> None:
    """The admin's own key: the signature holds, but the key is on no committee statement."""
    rec = copy_of(sim_record)
    c = Committee(rec)
    c.write(lambda doc: None)
    stranger = nacl.signing.SigningKey.generate()

    def swap(doc: Doc) -> None:
        doc["ballots"][0] = c.sign(stranger, next(b for b in c.cast if b["object_id"] == doc["ballots"][0]["ballot_id"]))

    c.write(swap)
    _only_v23(rec, "is not on the committee-signed roll")


def test_missing_signature(sim_record: Path, copy_of) -> None:
    rec = copy_of(sim_record)
    doc = json.loads((rec / FILE).read_text())
    gone = doc["ballots"].pop(1)
    (rec / FILE).write_text(json.dumps(doc))
    (failure,) = _only_v23(rec, "MISSING")
    assert failure["where"] == f"ballot {gone['ballot_id']}"


def test_duplicate_key(sim_record: Path, copy_of) -> None:
    """Two ballots, each validly signed, by one key: one credential voted twice."""
    rec = copy_of(sim_record)
    c = Committee(rec)
    c.signers[1] = c.signers[0]
    c.write()
    (failure,) = _only_v23(rec, "DUPLICATE")
    assert c.cast[0]["object_id"] in failure["what"] or c.cast[1]["object_id"] in failure["what"]


def test_revoked_key(sim_record: Path, copy_of) -> None:
    """The committee replaced a lost letter before the vote; the old key still cast."""
    rec = copy_of(sim_record)
    c = Committee(rec)
    old = c.signers[0]
    new = nacl.signing.SigningKey.generate()
    c.batches.append(([_hex(new)], [_hex(old)]))
    c.write()
    _only_v23(rec, "REVOKED KEY")
    # the replacement casting instead is fine
    c.signers[0] = new
    c.write()
    code, text = _run(rec)
    assert code == 0, text


def test_statement_not_signed_by_the_committee(sim_record: Path, copy_of) -> None:
    """A key slipped into the roll after the committee signed it."""
    rec = copy_of(sim_record)
    c = Committee(rec)
    extra = _hex(nacl.signing.SigningKey.generate())

    def slip(doc: Doc) -> None:
        st = doc["statements"][0]["document"]
        st["added"] = sorted([*st["added"], extra])
        doc["roll"] = sorted([*doc["roll"], extra])

    c.write(slip)
    _only_v23(rec, "FORGED: the committee's signature on this statement does not hold")


def test_more_cast_ballots_than_keys_on_the_roll(sim_record: Path, copy_of) -> None:
    rec = copy_of(sim_record)
    c = Committee(rec)
    c.batches = [([_hex(c.voters[0])], [])]
    c.write()
    failures = _only_v23(rec, "cast ballots but only 1 keys on the roll")
    assert any("is not on the committee-signed roll" in f["what"] for f in failures)


@pytest.mark.parametrize("field", ["roll", "revoked"])
def test_restated_roll_must_be_what_the_statements_make(field: str, sim_record: Path, copy_of) -> None:
    rec = copy_of(sim_record)
    doc = json.loads((rec / FILE).read_text())
    doc[field] = doc[field][1:]
    (rec / FILE).write_text(json.dumps(doc))
    _only_v23(rec, "roll/revoked are not what the committee's statements make")
