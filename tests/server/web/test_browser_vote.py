"""A whole vote in a real browser: Debian's Chromium against a live evote server.

The server runs in a thread (werkzeug, threaded, SQLite in the test's folder, the real vote
sweeper). `web/e2e/whole_vote.mjs` plays every person at a browser (presidium, three
delegates, a second device, the projector) through playwright-core. This test plays what is
not a browser: the guardians (the in-process helper of the vote tests, as H7's client would)
and time. The server's clock is the system clock plus a shift the test controls: once all
three ballots are in, it moves the clock to three seconds before the close, so the countdown
runs out for real on the server (the sweeper closes the vote) without the test waiting out a
five-minute countdown. Afterwards the downloaded record must pass `evote-verify`.

Skips with the reason when Chromium, Node or playwright-core is missing (`apt-get install
chromium`, `npm ci --prefix web`); CI installs both.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from credential_helpers import leaks, seat_committee, secret_forms, server_holdings
from flask import Flask
from server_helpers import Api, Person, live_http, verify_receipt, verify_record
from sqlalchemy import select
from vote_helpers import Guardians

from evote.rules.roles import Role
from evote.store.db import get_session
from evote.store.models.votes import Vote, VoteState

REPO = Path(__file__).parents[3]
CHROMIUM = os.environ.get("EVOTE_CHROMIUM", "/usr/bin/chromium")
NODE = shutil.which("node")
PAGE_BUDGET = 200 * 1024


def _missing() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    if NODE is None:
        return "node is not installed"
    if not (REPO / "web" / "node_modules" / "playwright-core").exists():
        return "playwright-core is not installed (npm ci --prefix web)"
    return None


pytestmark = pytest.mark.skipif(_missing() is not None, reason=_missing() or "")


class ShiftedClock:
    """The system clock plus a shift that only grows; thread-safe."""

    def __init__(self, shift: timedelta) -> None:
        self.shift = shift
        self.lock = threading.Lock()

    def now(self) -> datetime:
        with self.lock:
            return datetime.now(UTC) + self.shift

    def jump_to(self, moment: datetime) -> None:
        with self.lock:
            ahead = moment - (datetime.now(UTC) + self.shift)
            if ahead > timedelta():
                self.shift += ahead


@pytest.fixture
def clock() -> ShiftedClock:
    """Two hours ahead of the browsers' clock: the countdown must follow the server's."""
    return ShiftedClock(timedelta(hours=2))


@pytest.fixture
def app_config(app_config: dict[str, Any], clock: ShiftedClock) -> dict[str, Any]:
    return {
        **app_config,
        "CLOCK": clock,
        "VOTE_SWEEPER": True,
        "VOTE_SWEEP_INTERVAL": 0.2,
        "LIVE_TURNOUT_INTERVAL": 0,
        "LIVE_HEARTBEAT": 2.0,
        "SESSION_COOKIE_SECURE": False,
    }


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    with live_http(app) as server:
        yield server.url("127.0.0.1")
    # The sweeper runs on the shifted clock: on PostgreSQL, where the next test reuses the
    # tables, it would close that test's votes two hours early.
    app.extensions["evote_sweeper"].stop()


class Stagehand(threading.Thread):
    """Watches the vote from the server side: moves the clock when all have voted, then has
    the three guardians decrypt the totals (and any challenged ballot) once the sweeper has
    closed the vote.  Handles each vote of the run once."""

    def __init__(self, app: Flask, clock: ShiftedClock, guardian: Api, guardians: Guardians,
                 voters: int) -> None:
        super().__init__(daemon=True)
        self.app, self.clock, self.guardian, self.guardians = app, clock, guardian, guardians
        self.voters = voters
        self.stop = threading.Event()
        self.error: BaseException | None = None
        self.closed_by_sweeper: dict[int, bool] = {}
        self.spoiled: dict[int, int] = {}

    def _vote(self) -> Vote | None:
        with self.app.app_context():
            db = get_session()
            vote = db.scalars(select(Vote).order_by(Vote.id.desc()).limit(1)).first()
            if vote is not None:
                db.expunge(vote)
            return vote

    def run(self) -> None:
        try:
            self._run()
        except BaseException as exc:  # reported by the test
            self.error = exc

    def _run(self) -> None:
        shifted: set[int] = set()
        decrypted: set[int] = set()
        while not self.stop.wait(0.2):
            vote = self._vote()
            if vote is None:
                continue
            if (vote.state == VoteState.OPEN.value and vote.cast_count >= self.voters
                    and vote.id not in shifted):
                assert vote.closes_at is not None
                closes = vote.closes_at.replace(tzinfo=UTC)
                self.clock.jump_to(closes - timedelta(seconds=3))
                shifted.add(vote.id)
            if vote.state == VoteState.CLOSED.value and vote.id not in decrypted:
                self.closed_by_sweeper[vote.id] = vote.id in shifted
                self._decrypt(vote.id)
                decrypted.add(vote.id)

    def _decrypt(self, vote_id: int) -> None:
        resp = self.guardian.get(f"/api/votes/{vote_id}/encrypted-tally")
        assert resp.status_code == 200, resp.get_json()
        payload = resp.get_json()
        self.spoiled[vote_id] = len(payload["spoiled_ballots"])  # decrypted too
        for index in (0, 1, 2):
            for share in self.guardians.shares(index, payload):
                resp = self.guardian.post(f"/api/votes/{vote_id}/decryption-shares", share)
                assert resp.status_code == 200, resp.get_json()


def test_three_delegates_vote_in_chromium(
    app: Flask,
    live_server: str,
    clock: ShiftedClock,
    person: Callable[..., Person],
    logged_in: Callable[..., Api],
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # the live server's access log, every request of the run (named: `evote demo`, run by
    # earlier tests in the same process, turns werkzeug's own logger down to warnings)
    caplog.set_level(logging.INFO)
    caplog.set_level(logging.INFO, logger="werkzeug")
    guardians = Guardians(3, 2, label="browser-vote")
    presidium = person(Role.PRESIDIUM, Role.DELEGATE, voting_right=False)
    setup = logged_in(Role.PRESIDIUM)
    assert setup.put("/api/election-key", guardians.ceremony_json()).status_code == 200
    delegates = [person(Role.DELEGATE, name=f"Delegierte {i}") for i in (1, 2, 3)]
    # The credentials committee seats itself: every ballot must be signed with a voting code
    # the delegate types (or opens from the letter's QR code) on the page.
    committee, _ = seat_committee(logged_in(Role.ADMIN), slots=4)
    stagehand = Stagehand(app, clock, logged_in(Role.GUARDIAN), guardians, voters=3)
    stagehand.start()

    # EVOTE_SCREENSHOT_DIR=docs/screenshots refreshes the README's pictures; by default they
    # go to the test's folder, so a test run leaves the shared tree unchanged.
    screenshots = Path(os.environ.get("EVOTE_SCREENSHOT_DIR") or tmp_path / "screenshots")
    record = tmp_path / "record.zip"
    config = {
        "base": live_server,
        "presidium": {"login": presidium.login_name, "password": presidium.password},
        "delegates": [{"login": d.login_name, "password": d.password,
                       "credential": committee.code(d.id)} for d in delegates],
        # well formed (its check character fits) but issued to nobody here
        "wrongCredential": "RMZTW-BCNTH-P6ZPM-8B78T",
        "screenshots": str(screenshots.resolve()),
        "record": str(record),
    }
    assert NODE is not None
    log = Path(os.environ.get("EVOTE_E2E_LOG") or tmp_path / "browser.log")
    with log.open("w") as stderr:
        run = subprocess.run(
            [NODE, str(REPO / "web" / "e2e" / "whole_vote.mjs")],
            env={**os.environ, "EVOTE_E2E": json.dumps(config), "EVOTE_CHROMIUM": CHROMIUM},
            stdout=subprocess.PIPE, stderr=stderr, text=True, timeout=int(os.environ.get("EVOTE_E2E_TIMEOUT", "300")),
        )
    stagehand.stop.set()
    stagehand.join(timeout=30)
    assert run.returncode == 0, f"{stagehand.error!r}\n" + run.stdout[-3000:] + log.read_text()[-5000:]
    assert stagehand.error is None, stagehand.error
    seen = json.loads(run.stdout.strip().splitlines()[-1])
    # every page worked under its Content-Security-Policy: Chromium refused nothing
    assert seen["csp"] == [], seen["csp"]
    motion, election = seen["voteIds"]
    # both votes closed by their countdown, on the server, after all had voted
    assert stagehand.closed_by_sweeper == {motion: True, election: True}
    assert stagehand.spoiled == {motion: 1, election: 0}

    # Three cast ballots, three codes on the board; the challenged one listed as spoiled.
    assert len(set(seen["codes"])) == 3
    assert sorted(seen["board"]) == sorted(seen["codes"])
    assert seen["spoiled"] == [seen["challengedCode"]]
    assert "Dein Tracking-Code ist dabei." in seen["boardStatus"]
    # The board link carries the code in the fragment, never in the query; the page checked the
    # signed receipt (Chromium has Ed25519) and kept it, and the verifier confirms it.
    assert seen["boardUrl"].endswith(f"/board#code={seen['codes'][0]}"), seen["boardUrl"]
    assert seen["receiptSignature"] == "true" and seen["receiptWarned"] is False
    [receipt] = seen["kept"]
    assert receipt["tracking_code"] == seen["codes"][0] and receipt["state"] == "cast"
    # Two yes, one no, simple majority: adopted, and the chart shows the numbers.
    assert "Angenommen" in seen["verdict"] and "erreicht" in seen["verdict"]
    assert "Ja" in seen["chart"] and "2 (67 %)" in seen["chart"] and "1 (33 %)" in seen["chart"]
    # The election, 2 of 3: Ada 2, Bert 1, Cem 2 votes.
    assert "Gewählt: Ada, Cem" in seen["electionVerdict"]
    # absolute majority of the valid ballots, stated on the console before and the projector after
    assert seen["electionRule"] == (
        "Absolute Mehrheit: mehr als die Hälfte der abgegebenen gültigen Stimmzettel"
    )
    assert seen["electionThreshold"] == (
        "nötig: 2 Stimmen, mehr als die Hälfte der 3 abgegebenen gültigen Stimmzettel"
    )
    # shares are of the three ballots, not of the five marks
    assert "Ada" in seen["electionChart"] and "2 (67 %)" in seen["electionChart"]
    assert "1 (33 %)" in seen["electionChart"]
    # What the delegate page loaded before its ballot worker started.
    weight = seen["weight"]
    assert 0 < weight["bytes"] < PAGE_BUDGET, weight
    assert not any("/js/crypto/" in f["url"] for f in weight["files"]), weight["files"]
    for name in ("delegate.png", "confirm.png", "challenge.png", "projector.png", "presidium.png"):
        assert (screenshots / name).stat().st_size > 10_000

    report = verify_record(record)
    # the record shows who could vote: three signed ballots of three distinct keys on the roll
    v23 = next(c for c in report["checks"] if c["id"] == "V23")
    assert v23["status"] == "ok", v23
    # Typed, or opened from the letter's address: no form of a code, its master secret or a
    # slot key reached the server's database, files or access log.
    assert "GET /delegate HTTP" in caplog.text and "GET /api/committee/slots/0" in caplog.text
    assert leaks(secret_forms(committee), {**server_holdings(app), "log": caplog.text.encode()}) == []
    kept = tmp_path / "receipt.json"
    kept.write_text(json.dumps(receipt))
    confirmed = verify_receipt(kept, record)
    assert confirmed.returncode == 0 and "RECEIPT CONFIRMED" in confirmed.stdout, confirmed.stdout
    # A code missing from the board: the page's complaint file, which the verifier reads (and
    # refuses here, since the test made that receipt up: exit 3, not 1).
    assert "nicht in der Liste" in seen["missingStatus"]
    filed = json.loads(seen["complaintFile"]["body"])
    assert (filed["type"], filed["version"], filed["board"]["found"]) == ("evote/complaint", 1, False)
    assert filed["receipt"]["tracking_code"] == "ABCDEF0123" and len(filed["board"]["sha256"]) == 64
    complaint = tmp_path / seen["complaintFile"]["name"]
    complaint.write_text(seen["complaintFile"]["body"])
    refused = verify_receipt(complaint, record)
    assert refused.returncode == 3 and "RECEIPT NOT VALID" in refused.stdout, refused.stdout
    # The challenged ballot's check text, checked offline by the verifier and against the record.
    check_text = tmp_path / "challenge.txt"
    check_text.write_text(seen["challengePayload"])
    checked = subprocess.run(
        [sys.executable, "-m", "evote_verify", "challenge", str(check_text), "--record", str(record), "--json"],
        capture_output=True, text=True, timeout=120,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    report = json.loads(checked.stdout)
    assert report["passed"] and report["record_checked"] and report["record_problems"] == []
    assert report["tracking_code"] == seen["challengedCode"]
    assert report["choices"] == {"motion": {"yes": 1, "no": 0, "abstain": 0}}
