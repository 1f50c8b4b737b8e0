"""The presidium steers a vote: close now, extend, cancel, edit or delete a draft; the embargo.

Each step is decided on the server (guarded UPDATEs, clear 409s) and announced to every page as
a live event, which these tests read from the journal every server shares.
"""

from __future__ import annotations

import dataclasses
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from server_helpers import Api, verify_record
from sqlalchemy import select
from vote_helpers import Stage, encrypt_for_vote

from evote.record import InvalidRecord, read_record
from evote.store.clock import ManualClock
from evote.store.db import get_session
from evote.store.models.ceremony import StoredDecryptionShare
from evote.store.models.live import LiveEventRecord


def live_events(app: Flask, kind: str) -> list[dict[str, Any]]:
    with app.app_context():
        rows = get_session().scalars(select(LiveEventRecord.payload).order_by(LiveEventRecord.id))
        return [e for e in map(json.loads, rows) if e["type"] == kind]


def cast(stage: Stage, vote_id: int, who: int, answer: str) -> Any:
    view = stage.vote_for(stage.delegates[who], vote_id)
    ballot = encrypt_for_vote(view, {"motion": [answer]}, f"steer-{vote_id}-{who}-{answer}")
    return stage.delegates[who].post(f"/api/votes/{vote_id}/ballots", ballot)


def decrypt_all(stage: Stage, vote_id: int) -> None:
    tally = stage.guardian.get(f"/api/votes/{vote_id}/encrypted-tally").get_json()
    for i in range(3):
        for share in stage.guardians.shares(i, tally):
            resp = stage.guardian.post(f"/api/votes/{vote_id}/decryption-shares", share)
            assert resp.status_code == 200, resp.get_json()


def test_close_now_ends_the_countdown_and_the_record_verifies(
    stage: Stage, clock: ManualClock, app: Flask, new_api: Any, tmp_path: Path
) -> None:
    vote = stage.open(stage.create(title="Antrag C1")["id"])
    assert cast(stage, vote["id"], 0, "yes").status_code == 201
    assert cast(stage, vote["id"], 1, "yes").status_code == 201
    clock.advance(20)
    assert stage.delegates[0].post(f"/api/votes/{vote['id']}/close").status_code == 403
    closed = stage.presidium.post(f"/api/votes/{vote['id']}/close")
    assert closed.status_code == 200, closed.get_json()
    body = closed.get_json()
    assert body["state"] == "closed" and body["closes_at"] == "2026-11-28T10:00:20+00:00"
    assert body["turnout"] == {"cast": 2, "roll": 3}
    late = cast(stage, vote["id"], 2, "no")
    assert late.status_code == 409 and late.get_json()["error"] == "vote_closed"
    again = stage.presidium.post(f"/api/votes/{vote['id']}/close")
    assert again.status_code == 409 and again.get_json()["error"] == "vote_not_open"
    [event] = live_events(app, "vote_closed")
    assert event["early"] is True and event["cast"] == 2

    decrypt_all(stage, vote["id"])
    assert stage.presidium.post(f"/api/votes/{vote['id']}/announce").status_code == 200
    record = tmp_path / "record.zip"
    record.write_bytes(new_api().get(f"/api/votes/{vote['id']}/record.zip").data)
    assert read_record(record).vote.closed_at.isoformat() == "2026-11-28T10:00:20+00:00"
    report = verify_record(record)
    statuses = {c["id"]: c["status"] for c in report["checks"]}
    # every ballot carries the opening time, so none is "after" an early close
    assert report["passed"] and statuses["V21"] == "ok" and statuses["V27"] == "skipped"


def test_extend_moves_the_close_later_only_while_open(
    stage: Stage, clock: ManualClock, app: Flask
) -> None:
    vote = stage.open(stage.create()["id"])
    url = f"/api/votes/{vote['id']}/extend"
    for bad in ({"seconds": 0}, {"seconds": 3601}, {"seconds": "30"}, {}):
        resp = stage.presidium.post(url, bad)
        assert resp.status_code == 400, bad
        assert resp.get_json()["error"] in ("bad_extension", "bad_field", "missing_field")
    assert stage.delegates[0].post(url, {"seconds": 30}).status_code == 403
    clock.advance(50)
    resp = stage.presidium.post(url, {"seconds": 30})
    assert resp.status_code == 200, resp.get_json()
    assert resp.get_json()["closes_at"] == "2026-11-28T10:01:30+00:00"
    assert resp.get_json()["ballot_timestamp"] == vote["ballot_timestamp"]  # unchanged
    [event] = live_events(app, "vote_extended")
    assert event["closes_at"] == "2026-11-28T10:01:30+00:00"
    clock.advance(30)  # 10:01:20, past the first close
    assert stage.vote_for(stage.delegates[0], vote["id"])["state"] == "open"
    assert cast(stage, vote["id"], 0, "yes").status_code == 201
    clock.advance(10)
    assert stage.vote_for(stage.delegates[0], vote["id"])["state"] == "closed"
    late = stage.presidium.post(url, {"seconds": 30})
    assert late.status_code == 409 and late.get_json()["error"] == "vote_not_open"


def test_cancel_an_open_vote_nobody_decrypts_it_and_its_record_says_so(
    stage: Stage, clock: ManualClock, app: Flask, new_api: Any, tmp_path: Path
) -> None:
    vote = stage.open(stage.create(title="Antrag X")["id"])
    assert cast(stage, vote["id"], 0, "no").status_code == 201
    clock.advance(5)
    resp = stage.presidium.post(f"/api/votes/{vote['id']}/cancel")
    assert resp.status_code == 200, resp.get_json()
    assert resp.get_json()["state"] == "cancelled"
    assert resp.get_json()["cancelled_at"] == "2026-11-28T10:00:05+00:00"
    [event] = live_events(app, "vote_cancelled")
    assert event["vote_id"] == vote["id"] and event["was_open"] is True
    late = cast(stage, vote["id"], 1, "yes")
    assert late.status_code == 409
    snapshot = stage.delegates[0].get("/api/live/snapshot").get_json()
    assert snapshot["open_vote"] is None

    # the guardians are refused, whatever they send; the tally itself stays public
    tally = stage.guardian.get(f"/api/votes/{vote['id']}/encrypted-tally").get_json()
    share = stage.guardians.shares(0, tally)[0]
    refused = stage.guardian.post(f"/api/votes/{vote['id']}/decryption-shares", share)
    assert refused.status_code == 409 and refused.get_json()["error"] == "vote_cancelled"
    status = stage.guardian.get(f"/api/votes/{vote['id']}/decryption").get_json()
    assert status["state"] == "cancelled" and status["objects"] == []
    result = stage.presidium.get(f"/api/votes/{vote['id']}/result")
    assert result.status_code == 409 and result.get_json()["error"] == "vote_cancelled"
    again = stage.presidium.post(f"/api/votes/{vote['id']}/cancel")
    assert again.status_code == 409 and again.get_json()["error"] == "cannot_cancel"

    zipped = new_api().get(f"/api/votes/{vote['id']}/record.zip")
    assert zipped.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(zipped.data)).namelist()
    assert "evote/cancelled.json" in names and "encrypted_tally.json" in names
    assert "tally.json" not in names and not any(n.startswith("spoiled_ballots/") for n in names)
    target = tmp_path / "cancelled.zip"
    target.write_bytes(zipped.data)
    loaded = read_record(target)
    cancelled = loaded.extras["cancelled.json"]
    assert cancelled["while"] == "open" and cancelled["cancelled_at"] == "2026-11-28T10:00:05Z"
    other = dataclasses.replace(
        loaded, extras={**loaded.extras, "cancelled.json": {**cancelled, "vote_id": "evote-9-vote-9"}}
    )
    with pytest.raises(InvalidRecord, match=r"cancelled\.json: vote_id"):
        other.check_structure()
    report = verify_record(target)
    statuses = {c["id"]: c["status"] for c in report["checks"]}
    assert report["passed"], report["failures"]
    assert statuses["V27"] == "ok" and statuses["V15"] == "ok" and statuses["V18"] == "skipped"

    # a "cancelled" record that holds a decryption after all fails V27
    forged = tmp_path / "forged.zip"
    with zipfile.ZipFile(target) as src, zipfile.ZipFile(forged, "w") as out:
        for item in src.infolist():
            out.writestr(item, src.read(item.filename))
        out.writestr("tally.json", "{}")
    run = subprocess.run(
        [sys.executable, "-m", "evote_verify", "--json", "--workers", "1", str(forged)],
        capture_output=True, text=True, timeout=600,
    )
    assert run.returncode == 1
    failed = {f["check"]: f for f in json.loads(run.stdout)["failures"]}
    assert failed["V27"]["where"] == "tally.json"


def test_cancel_a_closed_vote_drops_the_shares_that_came_in(
    stage: Stage, clock: ManualClock, app: Flask
) -> None:
    vote = stage.open(stage.create()["id"])
    assert cast(stage, vote["id"], 0, "yes").status_code == 201
    clock.advance(60)
    tally = stage.guardian.get(f"/api/votes/{vote['id']}/encrypted-tally").get_json()
    for share in stage.guardians.shares(0, tally):
        assert stage.guardian.post(f"/api/votes/{vote['id']}/decryption-shares", share).status_code == 200
    resp = stage.presidium.post(f"/api/votes/{vote['id']}/cancel")
    assert resp.status_code == 200 and resp.get_json()["state"] == "cancelled"
    with app.app_context():
        left = get_session().scalars(
            select(StoredDecryptionShare).where(StoredDecryptionShare.vote_id == vote["id"])
        ).all()
        assert left == []
    for share in stage.guardians.shares(1, tally):
        refused = stage.guardian.post(f"/api/votes/{vote['id']}/decryption-shares", share)
        assert refused.status_code == 409 and refused.get_json()["error"] == "vote_cancelled"
    [event] = live_events(app, "vote_cancelled")
    assert event["was_open"] is False


def test_a_counted_vote_or_a_draft_cannot_be_cancelled(stage: Stage, clock: ManualClock) -> None:
    draft = stage.create()
    resp = stage.presidium.post(f"/api/votes/{draft['id']}/cancel")
    assert resp.status_code == 409 and resp.get_json()["error"] == "vote_not_started"
    vote = stage.open(stage.create(title="B")["id"])
    assert cast(stage, vote["id"], 0, "yes").status_code == 201
    clock.advance(60)
    decrypt_all(stage, vote["id"])
    resp = stage.presidium.post(f"/api/votes/{vote['id']}/cancel")
    assert resp.status_code == 409 and resp.get_json()["error"] == "cannot_cancel"
    assert stage.delegates[0].post(f"/api/votes/{draft['id']}/cancel").status_code == 403


def test_edit_and_delete_only_drafts(stage: Stage, app: Flask) -> None:
    draft = stage.create(title="Alt")
    body = {"kind": "election", "title": "Neu", "candidates": ["Ada", "Cem"], "seats": 1,
            "majority_rule": "absolute", "duration_seconds": 90}
    assert stage.delegates[0].patch(f"/api/votes/{draft['id']}", body).status_code == 403
    resp = stage.presidium.patch(f"/api/votes/{draft['id']}", body)
    assert resp.status_code == 200, resp.get_json()
    edited = resp.get_json()
    assert edited["title"] == "Neu" and edited["kind"] == "election"
    assert edited["duration_seconds"] == 90 and edited["majority_rule"] == "absolute"
    assert [c["ballot_title"]["text"][0]["value"] for c in edited["manifest"]["contests"]] == ["Neu"]
    assert edited["manifest"]["election_scope_id"] == draft["manifest"]["election_scope_id"]
    bad = stage.presidium.patch(f"/api/votes/{draft['id']}", {**body, "candidates": []})
    assert bad.status_code == 400
    assert stage.vote_for(stage.delegates[0], draft["id"])["title"] == "Neu"  # unchanged by it

    stage.open(draft["id"])
    resp = stage.presidium.patch(f"/api/votes/{draft['id']}", body)
    assert resp.status_code == 409 and resp.get_json()["error"] == "vote_not_draft"
    resp = stage.presidium.delete(f"/api/votes/{draft['id']}")
    assert resp.status_code == 409 and resp.get_json()["error"] == "vote_not_draft"

    other = stage.create(title="Weg")
    assert stage.presidium.delete(f"/api/votes/{other['id']}").status_code == 200
    assert stage.presidium.get(f"/api/votes/{other['id']}").status_code == 404
    changes = [(e["vote_id"], e["change"]) for e in live_events(app, "votes_changed")]
    assert changes == [
        (draft["id"], "created"), (draft["id"], "edited"), (other["id"], "created"),
        (other["id"], "deleted"),
    ]


def test_results_are_embargoed_until_announced_but_the_board_is_not(
    stage: Stage, clock: ManualClock, new_api: Any, logged_in: Any
) -> None:
    vote = stage.open(stage.create(title="Antrag E", majority_rule="absolute", majority_base="present")["id"])
    for i, answer in enumerate(("yes", "yes", "no")):
        assert cast(stage, vote["id"], i, answer).status_code == 201
    clock.advance(60)
    decrypt_all(stage, vote["id"])
    anyone: Api = new_api()
    for who in (stage.delegates[0], stage.guardian, logged_in("support")):
        resp = who.get(f"/api/votes/{vote['id']}/result")
        assert resp.status_code == 409
        assert resp.get_json()["error"] == "result_not_announced"
        assert "announces" in resp.get_json()["message"]
    resp = anyone.get(f"/api/votes/{vote['id']}/record.zip")
    assert resp.status_code == 409 and resp.get_json()["error"] == "result_not_announced"
    # what is needed to check and to decrypt stays public: the board of codes, the ballots
    assert anyone.get(f"/api/votes/{vote['id']}/bulletin-board").status_code == 200
    assert anyone.get(f"/api/votes/{vote['id']}/published-ballots").status_code == 200

    # the presidium sees totals, verdict and the rule with its base, in the page's language
    result = stage.presidium.get(f"/api/votes/{vote['id']}/result").get_json()
    assert result["outcome"]["adopted"] is True and result["announced_at"] is None
    assert result["threshold"] == {"rule": "absolute", "base_of": "present", "base": 3, "needed": 2}
    assert result["threshold_text"] == (
        "nötig: 2 Stimmen, mehr als die Hälfte der 3 anwesenden Stimmberechtigten"
    )
    english = stage.presidium.get(f"/api/votes/{vote['id']}/result?lang=en").get_json()
    assert english["threshold_text"] == (
        "needed: 2 votes, more than half of the 3 voting members present"
    )
    assert stage.presidium.get(f"/api/votes/{vote['id']}/record.zip").status_code == 200

    assert stage.presidium.post(f"/api/votes/{vote['id']}/announce").status_code == 200
    shown = stage.delegates[0].get(f"/api/votes/{vote['id']}/result").get_json()
    assert shown["announced_at"] == "2026-11-28T10:01:00+00:00"
    assert anyone.get(f"/api/votes/{vote['id']}/record.zip").status_code == 200
