"""The audit log: who did what to a vote, as a hash chain the vote's record carries.

A whole vote is run through the API; the log names each step and its actor, the record's
evote/audit.json holds the chain up to the close with the opening and the close marked, and
evote-verify (V28) refuses the record when one entry is removed, changed or reordered. Appends
racing each other never fork the chain, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from server_helpers import verify_record
from vote_helpers import Stage, encrypt_for_vote

from evote import audit
from evote.cli import main
from evote.record.audit import GENESIS, BrokenChain, check_chain
from evote.store.clock import ManualClock
from evote.store.db import get_session
from evote.store.models.votes import Vote


def _cast(stage: Stage, vote_id: int, who: int) -> None:
    view = stage.vote_for(stage.delegates[who], vote_id)
    ballot = encrypt_for_vote(view, {"motion": ["yes"]}, f"audit-{vote_id}-{who}")
    assert stage.delegates[who].post(f"/api/votes/{vote_id}/ballots", ballot).status_code == 201


def _decrypt(stage: Stage, vote_id: int) -> None:
    tally = stage.guardian.get(f"/api/votes/{vote_id}/encrypted-tally").get_json()
    for i in range(3):
        for share in stage.guardians.shares(i, tally):
            resp = stage.guardian.post(f"/api/votes/{vote_id}/decryption-shares", share)
            assert resp.status_code == 200, resp.get_json()


def _log(app: Flask, event_id: int) -> list[dict[str, Any]]:
    with app.app_context():
        return audit.entries(get_session(), event_id)


def _event_of(app: Flask, vote_id: int) -> int:
    with app.app_context():
        vote = get_session().get(Vote, vote_id)
        assert vote is not None
        return vote.event_id


def _run_vote(stage: Stage, clock: ManualClock) -> int:
    vote_id = stage.create(title="Antrag A7")["id"]
    stage.open(vote_id)
    _cast(stage, vote_id, 0)
    assert stage.presidium.post(f"/api/votes/{vote_id}/extend", {"seconds": 30}).status_code == 200
    clock.advance(95)
    assert stage.delegates[1].get(f"/api/votes/{vote_id}").get_json()["state"] == "closed"
    _decrypt(stage, vote_id)
    assert stage.presidium.post(f"/api/votes/{vote_id}/announce").status_code == 200
    return vote_id


def test_a_vote_leaves_its_steps_in_the_log_with_who_did_them(
    app: Flask, stage: Stage, clock: ManualClock
) -> None:
    vote_id = _run_vote(stage, clock)
    log = _log(app, _event_of(app, vote_id))
    assert check_chain(log) == log[-1]["hash"] and log[0]["prev"] == GENESIS
    steps = [(e["action"], e["actor"]) for e in log if e["object"]["type"] == "vote"]
    presidium = steps[0][1]
    assert presidium.startswith("participant:")
    names = [a for a, _ in steps]
    assert names[:4] == ["vote.create", "vote.open", "vote.extend", "vote.close"]
    # the countdown closed the vote (a delegate's read only noticed it): the system did
    assert dict(steps)["vote.close"] == "system" and dict(steps)["vote.extend"] == presidium
    assert names.count("decryption.share") == 3 and names[-2:] == ["vote.decrypted", "vote.announce"]
    close = next(e for e in log if e["action"] == "vote.close")
    # the countdown's end, extended by 30 s; noticed later (the entry's time) by a delegate's read
    assert close["details"] == {"cast": 1, "roll": 3, "early": False, "closes_at": "2026-11-28T10:01:30Z"}
    assert close["time"] == "2026-11-28T10:01:35Z"
    assert next(e for e in log if e["action"] == "vote.open")["roles"] == ["presidium"]
    # nothing of a ballot's content, and no delegate's own step, is in the log
    text = json.dumps(log)
    assert "yes" not in text.replace("\"yes\"", "") and "ballot" not in text
    assert {tuple(e["roles"]) for e in log} == {("presidium",), ("guardian",), ()}


def _record(stage: Stage, vote_id: int, tmp_path: Path) -> Path:
    path = tmp_path / "record.zip"
    resp = stage.presidium.get(f"/api/votes/{vote_id}/record.zip")
    assert resp.status_code == 200
    path.write_bytes(resp.data)
    return path


def _rewrite(src: Path, dst: Path, change: Any) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.endswith("evote/audit.json"):
                doc = json.loads(data)
                change(doc)
                data = json.dumps(doc).encode()
            zout.writestr(item, data)
    return dst


def _v28(record: Path) -> tuple[int, dict[str, Any]]:
    run = subprocess.run(
        [sys.executable, "-m", "evote_verify", "--json", "--workers", "1", str(record)],
        capture_output=True, text=True, timeout=600,
    )
    report = json.loads(run.stdout)
    return run.returncode, next(c for c in report["checks"] if c["id"] == "V28")


def test_the_record_carries_the_log_up_to_the_close_and_the_verifier_checks_it(
    app: Flask, stage: Stage, clock: ManualClock, tmp_path: Path
) -> None:
    vote_id = _run_vote(stage, clock)
    record = _record(stage, vote_id, tmp_path)
    with zipfile.ZipFile(record) as z:
        [name] = [n for n in z.namelist() if n.endswith("evote/audit.json")]
        doc = json.loads(z.read(name))
    log = _log(app, _event_of(app, vote_id))
    closed = next(e for e in log if e["action"] == "vote.close")
    opened = next(e for e in log if e["action"] == "vote.open")
    assert doc["closed"] == {"seq": closed["seq"], "hash": closed["hash"]}
    assert doc["opened"] == {"seq": opened["seq"], "hash": opened["hash"]}
    assert doc["entries"] == log[: closed["seq"]]  # up to the close, not the shares after it
    report = verify_record(record)
    assert {c["id"]: c["status"] for c in report["checks"]}["V28"] == "ok"
    assert report["audit_close"] == closed["hash"]
    on_its_own = CliRunner().invoke(main, ["audit", "verify", str(record)])
    assert on_its_own.exit_code == 0 and closed["hash"] in on_its_own.output

    def removed(d: dict[str, Any]) -> None:
        del d["entries"][1]

    def changed(d: dict[str, Any]) -> None:
        d["entries"][0]["details"]["title"] = "Antrag B1"

    def reordered(d: dict[str, Any]) -> None:
        d["entries"][0], d["entries"][1] = d["entries"][1], d["entries"][0]

    for mutate in (removed, changed, reordered):
        broken = _rewrite(record, tmp_path / f"{mutate.__name__}.zip", mutate)
        code, check = _v28(broken)
        assert code == 1 and check["status"] == "failed", (mutate.__name__, check)
        alone = CliRunner().invoke(main, ["audit", "verify", str(broken)])
        assert alone.exit_code == 1 and "AUDIT LOG BROKEN" in alone.output, mutate.__name__


def test_appends_at_the_same_moment_never_fork_the_chain(app: Flask, event_id: int) -> None:
    threads, n = [], 8
    barrier = threading.Barrier(n)
    errors: list[BaseException] = []

    def append(i: int) -> None:
        try:
            with app.app_context():
                db = get_session()
                barrier.wait(timeout=30)
                audit.append(db, event_id, "agenda.add", "agenda_item", i, {"title": f"TOP {i}"})
                db.commit()
        except BaseException as exc:  # reported below
            errors.append(exc)

    for i in range(n):
        threads.append(threading.Thread(target=append, args=(i,)))
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    log = _log(app, event_id)
    assert [e["seq"] for e in log] == list(range(1, n + 1))
    assert sorted(e["object"]["id"] for e in log) == [str(i) for i in range(n)]
    check_chain(log)
    with app.app_context():
        assert audit.head(get_session(), event_id).hash == log[-1]["hash"]


def test_audit_verify_checks_a_log_file_on_its_own(
    app: Flask, event_id: int, cli: Any, tmp_path: Path
) -> None:
    with app.app_context():
        db = get_session()
        for i in range(3):
            audit.append(db, event_id, "agenda.add", "agenda_item", i, {"title": f"TOP {i}"})
        db.commit()
        from evote.store.models.event import Event
        slug = db.get(Event, event_id).slug  # type: ignore[union-attr]
    out = tmp_path / "log.json"
    assert cli("audit", "export", slug, "--out", str(out)).exit_code == 0
    good = CliRunner().invoke(main, ["audit", "verify", str(out)])
    assert good.exit_code == 0 and "AUDIT LOG VERIFIED" in good.output
    doc = json.loads(out.read_bytes())
    for name, change in (
        ("removed", lambda e: e.pop(1)),
        ("changed", lambda e: e[2]["details"].update(title="TOP 9")),
        ("reordered", lambda e: e.insert(0, e.pop(1))),
    ):
        broken = json.loads(json.dumps(doc))
        change(broken["entries"])
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(broken))
        result = CliRunner().invoke(main, ["audit", "verify", str(path)])
        assert result.exit_code == 1 and "AUDIT LOG BROKEN" in result.output, name
    with pytest.raises(BrokenChain):
        check_chain(broken["entries"])
