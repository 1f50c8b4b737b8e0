"""A whole vote through the HTTP API, ending with the standalone verifier on the downloaded record.

Ballots are encrypted in Python with evote.crypto (as the browser would), guardians are played
by the test helper (one of the three absent, so compensated shares are exercised), and the
record the server publishes must pass `evote-verify`, which shares no code with the server.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from pathlib import Path
from typing import Any

from flask import Flask
from server_helpers import verify_record
from vote_helpers import Stage, encrypt_for_vote

from evote.record import ScriptsInfo, read_record
from evote.store.clock import ManualClock


def close_and_fetch_tally(stage: Stage, vote_id: int, clock: ManualClock) -> dict[str, Any]:
    clock.advance(60)
    resp = stage.guardian.get(f"/api/votes/{vote_id}/encrypted-tally")
    assert resp.status_code == 200, resp.get_json()
    body: dict[str, Any] = resp.get_json()
    return body


def decrypt_with_one_guardian_absent(stage: Stage, vote_id: int, tally: dict[str, Any]) -> None:
    """Guardians 1 and 2 are present, guardian 3 is away and compensated for."""
    g = stage.guardians
    url = f"/api/votes/{vote_id}/decryption-shares"
    for i in (0, 1):
        for share in g.shares(i, tally):
            resp = stage.guardian.post(url, share)
            assert resp.status_code == 200, resp.get_json()
    status = stage.guardian.get(f"/api/votes/{vote_id}/decryption").get_json()
    assert status["compensated_needed"] == {"guardian-3": ["guardian-1", "guardian-2"]}
    for share in g.compensated(0, 2, tally):
        first = stage.guardian.post(url, share)
        assert first.status_code == 200 and first.get_json()["state"] == "closed"
    *parts, final = g.compensated(1, 2, tally)
    for share in parts:
        assert stage.guardian.post(url, share).get_json()["state"] == "closed"
    last = stage.guardian.post(url, final)
    assert last.status_code == 200, last.get_json()
    assert last.get_json()["state"] == "decrypted"


def test_motion_from_ballots_to_verified_record(
    stage: Stage, clock: ManualClock, app: Flask, new_api: Any, tmp_path: Path
) -> None:
    vote = stage.open(stage.create(title="Antrag S1", majority_rule="two_thirds")["id"])
    view = stage.vote_for(stage.delegates[0], vote["id"])
    choices = [{"motion": ["yes"]}, {"motion": ["yes"]}, {"motion": ["no"]}]
    challenged = encrypt_for_vote(view, {"motion": ["abstain"]}, "whole-challenge")
    resp = stage.delegates[0].post(f"/api/votes/{vote['id']}/spoiled-ballots", challenged)
    assert resp.status_code == 201
    codes = []
    for i, choice in enumerate(choices):
        ballot = encrypt_for_vote(view, choice, f"whole-{i}")
        resp = stage.delegates[i].post(f"/api/votes/{vote['id']}/ballots", ballot)
        assert resp.status_code == 201, resp.get_json()
        codes.append(resp.get_json()["tracking_code"])
    assert stage.presidium.get(f"/api/votes/{vote['id']}/result").status_code == 409

    tally = close_and_fetch_tally(stage, vote["id"], clock)
    decrypt_with_one_guardian_absent(stage, vote["id"], tally)
    # embargoed until the presidium announces it: the result and the record
    embargoed = stage.delegates[0].get(f"/api/votes/{vote['id']}/result")
    assert embargoed.status_code == 409
    assert embargoed.get_json()["error"] == "result_not_announced"
    assert new_api().get(f"/api/votes/{vote['id']}/record.zip").status_code == 409
    assert stage.presidium.post(f"/api/votes/{vote['id']}/announce").status_code == 200

    result = stage.delegates[0].get(f"/api/votes/{vote['id']}/result").get_json()
    assert result["totals"] == {"motion": {"yes": 2, "no": 1, "abstain": 0}}
    assert result["majority_rule"] == "two_thirds"
    assert result["outcome"]["adopted"] is True  # 2 of 3 is exactly two thirds
    assert result["ballots_cast"] == 3 and result["roll_size"] == 3
    assert result["ballots_spoiled"] == 1
    assert result["quorum"]["met"] is True and result["valid"] is True

    anyone = new_api()
    board = anyone.get(f"/api/votes/{vote['id']}/bulletin-board").get_json()
    assert board["cast"] == sorted(codes) and board["spoiled"] == [challenged["code"]]
    resp = anyone.get(f"/api/votes/{vote['id']}/record.zip")
    assert resp.status_code == 200 and resp.mimetype == "application/zip"
    target = tmp_path / "record.zip"
    target.write_bytes(resp.data)
    again = stage.delegates[1].get(f"/api/votes/{vote['id']}/record.zip")
    assert again.data == resp.data  # built once, then served as the same file

    names = zipfile.ZipFile(io.BytesIO(resp.data)).namelist()
    assert "evote/vote.json" in names and "tally.json" in names and "coefficients.json" in names
    record = read_record(target)
    assert record.vote is not None
    assert record.vote.eligible_voters == 3 and record.vote.ballots_cast == 3
    assert record.vote.closed_at.isoformat() == "2026-11-28T10:01:00+00:00"
    assert sorted(b.tracking_code for b in record.cast_ballots()) == sorted(codes)
    [opened] = record.spoiled_ballots  # the guardians' decryption of the challenged ballot
    assert opened.object_id == challenged["object_id"]
    assert opened.totals() == {"motion": {"yes": 0, "no": 0, "abstain": 1}}

    # What the browsers ran: every served script and style, hashed as the server sends it.
    scripts = ScriptsInfo.from_json(record.extras["scripts.json"])
    listed = {f.path: f for f in scripts.files}
    assert {"/js/worker.js", "/js/crypto/ballot.js", "/js/pages/delegate.js", "/css/evote.css"} <= set(listed)
    for path, entry in listed.items():
        served = anyone.get(path)
        assert served.status_code == 200, path
        assert hashlib.sha256(served.data).hexdigest() == entry.sha256, path
    # ... and the pages' integrity attributes are the record's values.
    pinned = re.findall(r'(?:href|src)="(/[^"]+)" integrity="([^"]+)"', anyone.get("/verify").get_data(as_text=True))
    assert len(pinned) > 10
    assert all(listed[path].integrity == value for path, value in pinned)

    report = verify_record(target)
    checked = {c["id"]: c for c in report["checks"]}
    assert checked["V10"]["status"] == "ok" and checked["V10"]["checked"] == 4 * 4  # 3 + placeholder
    assert checked["V15"]["status"] == "ok" and checked["V17"]["status"] == "ok"
    assert checked["V19"]["status"] == "ok" and checked["V19"]["checked"] >= 3
    assert checked["V21"]["status"] == "ok"  # no ballot after the close
    # This test's key was imported (a rehearsal), not made in a ceremony: no fingerprint was
    # confirmed, the record has no evote/ceremony.json, and the verifier says so.
    assert "evote/ceremony.json" not in names and checked["V24"]["status"] == "skipped"


def test_a_wrong_share_is_refused_naming_the_guardian(stage: Stage, clock: ManualClock) -> None:
    vote = stage.open(stage.create()["id"])
    view = stage.vote_for(stage.delegates[0], vote["id"])
    ballot = encrypt_for_vote(view, {"motion": ["no"]}, "wrong-share")
    assert stage.delegates[0].post(f"/api/votes/{vote['id']}/ballots", ballot).status_code == 201
    tally = close_and_fetch_tally(stage, vote["id"], clock)
    [share] = stage.guardians.shares(1, tally)
    # guardian 2's share relabelled as guardian 1's: the proof is not for guardian 1's key
    share["guardian_id"] = "guardian-1"
    resp = stage.guardian.post(f"/api/votes/{vote['id']}/decryption-shares", share)
    assert resp.status_code == 422
    assert "guardian-1" in resp.get_json()["message"]
    # a share with a broken proof
    [good] = stage.guardians.shares(0, tally)
    selection = next(iter(next(iter(good["contests"].values())).values()))
    selection["proof"]["response"] = "01"
    resp = stage.guardian.post(f"/api/votes/{vote['id']}/decryption-shares", good)
    assert resp.status_code == 422 and "guardian-1" in resp.get_json()["message"]
    status = stage.guardian.get(f"/api/votes/{vote['id']}/decryption").get_json()
    assert status["direct_shares"] == []
    # delegates cannot submit shares at all
    [honest] = stage.guardians.shares(0, tally)
    assert stage.delegates[0].post(
        f"/api/votes/{vote['id']}/decryption-shares", honest
    ).status_code == 403


def test_election_k_of_n_and_per_candidate(stage: Stage, clock: ManualClock) -> None:
    vote = stage.open(
        stage.create(kind="election", title="Vorstand", candidates=["Ada", "Bert", "Cem"], seats=2)["id"]
    )
    view = stage.vote_for(stage.delegates[0], vote["id"])
    marks = [["candidate-1", "candidate-3"], ["candidate-1"], []]
    for i, marked in enumerate(marks):
        ballot = encrypt_for_vote(view, {"election": marked}, f"election-{i}")
        resp = stage.delegates[i].post(f"/api/votes/{vote['id']}/ballots", ballot)
        assert resp.status_code == 201, resp.get_json()
    tally = close_and_fetch_tally(stage, vote["id"], clock)
    g = stage.guardians
    for i in range(3):
        for share in g.shares(i, tally):
            resp = stage.guardian.post(f"/api/votes/{vote['id']}/decryption-shares", share)
            assert resp.status_code == 200, resp.get_json()
    result = stage.presidium.get(f"/api/votes/{vote['id']}/result").get_json()
    assert result["totals"] == {"election": {"candidate-1": 3 - 1, "candidate-2": 0, "candidate-3": 1}}
    assert result["outcome"]["elected"] == ["Ada", "Cem"]
