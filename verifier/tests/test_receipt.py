"""`evote-verify --receipt FILE RECORD`: a signed receipt against the record it claims a ballot in.

The records here are cut down to what the receipt check reads (manifest scope id, context,
evote/receipt_key.json, submitted ballots); the whole-vote test on the server side runs the
same check on a real record.  Receipts are signed here with the documented message written
out again, so the verifier's own framing is checked against docs/ballot-box.md too.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import nacl.signing
import pytest
from click.testing import CliRunner

from evote_verify.cli import main
from evote_verify.extras import check_receipt_key
from evote_verify.receipt import message
from evote_verify.record import Record
from evote_verify.report import Report

VOTE = "evote-9-vote-4"
KEY = nacl.signing.SigningKey(bytes(range(32)))
OTHER = nacl.signing.SigningKey(bytes(range(1, 33)))
PRESENT_CODE, DROPPED_CODE = "0A1B2C3D", "77AA01FF"


def documented(r: dict[str, Any]) -> bytes:
    fields = (r["election_scope_id"], r["tracking_code"], r["ballot_hash"], str(r["timestamp"]), r["state"])
    return b"evote-receipt-v1\x00" + b"".join(len(f.encode()).to_bytes(4, "big") + f.encode() for f in fields)


def receipt(code: str, *, state: str = "cast", key: nacl.signing.SigningKey = KEY, **changes: Any) -> dict[str, Any]:
    r = {
        "type": "evote/receipt",
        "version": 1,
        "vote_id": 4,
        "election_scope_id": VOTE,
        "tracking_code": code,
        "ballot_hash": "C0FFEE" + code,
        "timestamp": 1_800_000_000,
        "state": state,
        "public_key": KEY.verify_key.encode().hex(),
    }
    r["signature"] = key.sign(documented(r)).signature.hex()
    r.update(changes)
    return r


def write(path: Path, doc: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc))
    return path


@pytest.fixture
def record(tmp_path: Path) -> Path:
    root = tmp_path / "record"
    public = KEY.verify_key.encode().hex()
    write(root / "manifest.json", {"election_scope_id": VOTE})
    write(root / "context.json", {"extended_data": {"evote_receipt_key_ed25519": public}})
    write(
        root / "evote" / "receipt_key.json",
        {"type": "evote/receipt-key", "version": 1, "vote_id": VOTE, "algorithm": "Ed25519", "public_key": public},
    )
    ballot = {"object_id": "b-1", "code": PRESENT_CODE, "crypto_hash": "C0FFEE" + PRESENT_CODE, "state": 1}
    write(root / "submitted_ballots" / "submitted_ballot_b-1.json", ballot)
    return root


def run(tmp_path: Path, claim: Any, record: Path) -> tuple[int, str]:
    path = claim if isinstance(claim, Path) else write(tmp_path / "claim.json", claim)
    result = CliRunner().invoke(main, ["--receipt", str(path), str(record)])
    return result.exit_code, result.output


def test_the_signed_message_is_the_documented_bytes() -> None:
    got = message("v", "0A", "FF", 12, "cast")
    assert got == b"evote-receipt-v1\x00" + b"\0\0\0\x01v" + b"\0\0\0\x020A" + b"\0\0\0\x02FF" + b"\0\0\0\x0212" + b"\0\0\0\x04cast"


def test_a_receipt_for_a_ballot_in_the_record_is_confirmed(tmp_path: Path, record: Path) -> None:
    code, out = run(tmp_path, receipt(PRESENT_CODE), record)
    assert code == 0, out
    assert "RECEIPT CONFIRMED" in out and PRESENT_CODE in out


def test_a_signed_receipt_for_a_missing_ballot_names_the_dropped_ballot(tmp_path: Path, record: Path) -> None:
    complaint = {
        "type": "evote/complaint",
        "version": 1,
        "receipt": receipt(DROPPED_CODE),
        "board": {"url": "/api/votes/4/bulletin-board", "sha256": "ab" * 32, "found": False},
    }
    code, out = run(tmp_path, complaint, record)
    assert code == 1, out
    assert "BALLOT DROPPED" in out and DROPPED_CODE in out and "ab" * 32 in out
    result = CliRunner().invoke(main, ["--json", "--receipt", str(tmp_path / "claim.json"), str(record)])
    verdict = json.loads(result.output)
    assert (result.exit_code, verdict["status"], verdict["tracking_code"]) == (1, "dropped", DROPPED_CODE)


def test_a_ballot_in_another_state_than_signed_is_the_servers_fault(tmp_path: Path, record: Path) -> None:
    code, out = run(tmp_path, receipt(PRESENT_CODE, state="spoiled"), record)
    assert code == 1 and "BALLOT ALTERED" in out, out


@pytest.mark.parametrize(
    "forged",
    [
        # the vote's key named, another key's signature: a forgery
        pytest.param(receipt(DROPPED_CODE, key=OTHER), id="signed by another key"),
        # a genuine signature moved onto another ballot
        pytest.param(receipt(PRESENT_CODE, tracking_code=DROPPED_CODE), id="signature of another ballot"),
        pytest.param(receipt(DROPPED_CODE, signature="00" * 64), id="zero signature"),
        # someone's own key pair: signs fine, but is not this vote's key
        pytest.param(
            receipt(DROPPED_CODE, key=OTHER, public_key=OTHER.verify_key.encode().hex()), id="another key named"
        ),
        pytest.param(receipt(DROPPED_CODE, election_scope_id="evote-9-vote-5"), id="another vote"),
        pytest.param(receipt(DROPPED_CODE, tracking_code="77aa01ff"), id="lower-case code"),
        pytest.param(receipt(DROPPED_CODE, timestamp=True), id="boolean timestamp"),
        pytest.param({k: v for k, v in receipt(DROPPED_CODE).items() if k != "signature"}, id="no signature"),
    ],
)
def test_a_forged_or_damaged_receipt_is_refused(tmp_path: Path, record: Path, forged: dict[str, Any]) -> None:
    code, out = run(tmp_path, forged, record)
    assert code == 3, out
    assert "RECEIPT NOT VALID" in out


def test_unreadable_files_exit_2(tmp_path: Path, record: Path) -> None:
    junk = tmp_path / "junk.json"
    junk.write_text("not json")
    assert run(tmp_path, junk, record)[0] == 2
    assert run(tmp_path, {"type": "evote/vote", "version": 1}, record)[0] == 2
    assert run(tmp_path, receipt(PRESENT_CODE), tmp_path / "nowhere")[0] == 2


def test_a_record_without_a_receipt_key_cannot_confirm_anything(tmp_path: Path, record: Path) -> None:
    (record / "evote" / "receipt_key.json").unlink()
    code, out = run(tmp_path, receipt(PRESENT_CODE), record)
    assert code == 3 and "no receipt key" in out, out


def test_two_different_keys_in_the_record_are_caught(tmp_path: Path, record: Path) -> None:
    write(record / "context.json", {"extended_data": {"evote_receipt_key_ed25519": OTHER.verify_key.encode().hex()}})
    code, out = run(tmp_path, receipt(PRESENT_CODE), record)
    assert code == 1 and "RECORD INCONSISTENT" in out, out
    rep = Report()
    check_receipt_key(Record(record), {"election_scope_id": VOTE}, rep)
    assert rep.checks["V26"].failed == 1


def test_v24_accepts_the_key_and_names_a_wrong_vote(record: Path) -> None:
    rep = Report()
    check_receipt_key(Record(record), {"election_scope_id": VOTE}, rep)
    assert (rep.checks["V26"].checked, rep.checks["V26"].failed) == (1, 0)
    rep = Report()
    check_receipt_key(Record(record), {"election_scope_id": "evote-9-vote-5"}, rep)
    assert rep.checks["V26"].failed == 1 and "election_scope_id" in rep.failures[0].what
