"""The attack signed receipts answer: a ballot deleted from the database before the close.

Whoever can write to the database deletes one accepted ballot (and lowers the counter to
match) while the vote is open.  The tally, the result and the record are then consistent
without it, so the record verifies.  The delegate's signed receipt is what exposes it:
`evote-verify --receipt` finds the server's signature valid and the ballot missing.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path
from typing import Any

from flask import Flask
from server_helpers import oracle_accepts, verify_receipt, verify_record
from sqlalchemy import delete, update
from vote_helpers import Stage, encrypt_for_vote

from evote.store.clock import ManualClock
from evote.store.db import get_session
from evote.store.models.votes import StoredBallot, Vote


def delete_ballot_row(app: Flask, vote_id: int, tracking_code: str) -> None:
    """The attack: one row gone, the turnout counter lowered so the record's counts agree."""
    with app.app_context():
        db = get_session()
        gone = db.execute(
            delete(StoredBallot).where(
                StoredBallot.vote_id == vote_id, StoredBallot.tracking_code == tracking_code
            )
        ).rowcount
        assert gone == 1
        db.execute(update(Vote).where(Vote.id == vote_id).values(cast_count=Vote.cast_count - 1))
        db.commit()


def decrypt(stage: Stage, vote_id: int) -> None:
    """Guardians 1 and 2 decrypt, guardian 3 is away (so the record has its coefficients)."""
    tally = stage.guardian.get(f"/api/votes/{vote_id}/encrypted-tally").get_json()
    g = stage.guardians
    shares = [*g.shares(0, tally), *g.shares(1, tally)]
    shares += [*g.compensated(0, 2, tally), *g.compensated(1, 2, tally)]
    for share in shares:
        resp = stage.guardian.post(f"/api/votes/{vote_id}/decryption-shares", share)
        assert resp.status_code == 200, resp.get_json()


def complaint(receipt: dict[str, Any], board_bytes: bytes, url: str) -> dict[str, Any]:
    """What the board page offers to download when the code is missing (web/js/pages)."""
    return {
        "type": "evote/complaint",
        "version": 1,
        "receipt": receipt,
        "board": {
            "url": url,
            "sha256": hashlib.sha256(board_bytes).hexdigest(),
            "fetched_at": "2026-11-28T10:02:00Z",
            "found": False,
        },
    }


def test_a_ballot_deleted_before_the_close_is_named_by_its_receipt(
    stage: Stage, clock: ManualClock, app: Flask, new_api: Any, tmp_path: Path
) -> None:
    vote = stage.open(stage.create(title="Antrag D1")["id"])
    view = stage.vote_for(stage.delegates[0], vote["id"])
    receipts = []
    for i, choice in enumerate(("no", "yes", "yes")):
        ballot = encrypt_for_vote(view, {"motion": [choice]}, f"dropped-{i}")
        resp = stage.delegates[i].post(f"/api/votes/{vote['id']}/ballots", ballot)
        assert resp.status_code == 201, resp.get_json()
        receipts.append(resp.get_json())
    dropped = receipts[0]["tracking_code"]

    delete_ballot_row(app, vote["id"], dropped)
    clock.advance(60)
    decrypt(stage, vote["id"])
    result = stage.presidium.get(f"/api/votes/{vote['id']}/result").get_json()
    assert result["totals"]["motion"] == {"yes": 2, "no": 0, "abstain": 0}  # the "no" is gone
    assert stage.presidium.post(f"/api/votes/{vote['id']}/announce").status_code == 200

    anyone = new_api()
    board_url = f"/api/votes/{vote['id']}/bulletin-board"
    board = anyone.get(board_url)
    assert dropped not in board.get_json()["cast"]
    record = tmp_path / "record.zip"
    record.write_bytes(anyone.get(f"/api/votes/{vote['id']}/record.zip").data)

    # the record alone cannot tell: it verifies, and electionguard 1.4.0 loads it
    report = verify_record(record)
    assert {c["id"]: c["status"] for c in report["checks"]}["V26"] == "ok"
    with zipfile.ZipFile(record) as z:
        key_file = json.loads(z.read("evote/receipt_key.json"))
        context = json.loads(z.read("context.json"))
        z.extractall(tmp_path / "tree")
    assert key_file["public_key"] == receipts[0]["public_key"]
    assert context["extended_data"]["evote_receipt_key_ed25519"] == key_file["public_key"]
    oracle_accepts(tmp_path / "tree")

    # the delegate's complaint names the dropped ballot
    filed = tmp_path / "complaint.json"
    filed.write_text(json.dumps(complaint(receipts[0], board.data, board_url)))
    run = verify_receipt(filed, record)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "SERVER AT FAULT" in run.stdout and "BALLOT DROPPED" in run.stdout
    assert dropped in run.stdout

    # a delegate whose ballot is there gets a confirmation (the bare receipt works too)
    kept = tmp_path / "receipt.json"
    kept.write_text(json.dumps(receipts[1]))
    run = verify_receipt(kept, record)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "RECEIPT CONFIRMED" in run.stdout

    # a receipt "signed" by someone else for a made-up ballot proves nothing
    forged = dict(receipts[0], signature=receipts[1]["signature"])
    fake = tmp_path / "forged.json"
    fake.write_text(json.dumps(forged))
    run = verify_receipt(fake, record)
    assert run.returncode == 3, run.stdout + run.stderr
    assert "RECEIPT NOT VALID" in run.stdout
