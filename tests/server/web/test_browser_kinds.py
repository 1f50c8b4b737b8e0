"""Every kind of issue 15 in Chromium, from opening to the announced result.

`web/e2e/election_kinds.mjs` plays the presidium (the console's form), three delegates (two in
the group "Frauen") and the projector; this test plays the guardians and time, as
`test_browser_vote.py` does (its clock and live server are reused): once everybody on a roll
has voted, the clock jumps to three seconds before the close and the sweeper closes the vote;
a secret vote is then decrypted, an open one counted by the server alone.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from server_helpers import Api, Person, live_http
from sqlalchemy import select
from vote_helpers import Guardians

from evote.rules.roles import Role
from evote.store.db import get_session
from evote.store.models.votes import Secrecy, Vote, VoteState

REPO = Path(__file__).parents[3]
CHROMIUM = os.environ.get("EVOTE_CHROMIUM", "/usr/bin/chromium")
NODE = shutil.which("node")


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
    """The system clock plus a shift that only grows (as in test_browser_vote.py)."""

    def __init__(self, shift: timedelta) -> None:
        self.shift, self.lock = shift, threading.Lock()

    def now(self) -> datetime:
        with self.lock:
            return datetime.now(UTC) + self.shift

    def jump_to(self, moment: datetime) -> None:
        with self.lock:
            ahead = moment - (datetime.now(UTC) + self.shift)
            if ahead > timedelta():
                self.shift += ahead


@pytest.fixture
def shifted() -> ShiftedClock:
    return ShiftedClock(timedelta(hours=2))


@pytest.fixture
def app_config(app_config: dict[str, Any], shifted: ShiftedClock) -> dict[str, Any]:
    return {**app_config, "CLOCK": shifted, "VOTE_SWEEPER": True, "VOTE_SWEEP_INTERVAL": 0.2,
            "LIVE_TURNOUT_INTERVAL": 0, "LIVE_HEARTBEAT": 2.0, "SESSION_COOKIE_SECURE": False}


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    with live_http(app) as server:
        yield server.url("127.0.0.1")
    app.extensions["evote_sweeper"].stop()


class Stagehand(threading.Thread):
    """Moves the clock once a vote's roll has all voted; decrypts a closed secret vote."""

    def __init__(self, app: Flask, clock: ShiftedClock, guardian: Api, guardians: Guardians):
        super().__init__(daemon=True)
        self.app, self.clock, self.guardian, self.guardians = app, clock, guardian, guardians
        self.stop = threading.Event()
        self.error: BaseException | None = None
        self.decrypted: list[int] = []

    def run(self) -> None:
        try:
            self._run()
        except BaseException as exc:  # reported by the test
            self.error = exc

    def _votes(self) -> list[Vote]:
        with self.app.app_context():
            db = get_session()
            found = list(db.scalars(select(Vote).where(Vote.state.in_(
                (VoteState.OPEN.value, VoteState.CLOSED.value)))))
            for vote in found:
                db.expunge(vote)
            return found

    def _run(self) -> None:
        shifted: set[int] = set()
        while not self.stop.wait(0.2):
            for vote in self._votes():
                if (vote.state == VoteState.OPEN.value and vote.roll_size
                        and vote.cast_count >= vote.roll_size and vote.id not in shifted):
                    assert vote.closes_at is not None
                    self.clock.jump_to(vote.closes_at.replace(tzinfo=UTC) - timedelta(seconds=3))
                    shifted.add(vote.id)
                if (vote.state == VoteState.CLOSED.value and vote.secrecy == Secrecy.SECRET.value
                        and vote.encrypted_tally_json and vote.id not in self.decrypted):
                    self._decrypt(vote.id)
                    self.decrypted.append(vote.id)

    def _decrypt(self, vote_id: int) -> None:
        payload = self.guardian.get(f"/api/votes/{vote_id}/encrypted-tally").get_json()
        for index in (0, 1, 2):
            for share in self.guardians.shares(index, payload):
                resp = self.guardian.post(f"/api/votes/{vote_id}/decryption-shares", share)
                assert resp.status_code == 200, resp.get_json()


def test_every_kind_from_opening_to_announced_result_in_chromium(
    app: Flask, live_server: str, shifted: ShiftedClock,
    person: Callable[..., Person], logged_in: Callable[..., Api], tmp_path: Path,
) -> None:
    guardians = Guardians(3, 2, label="browser-kinds")
    presidium = person(Role.PRESIDIUM, Role.DELEGATE, voting_right=False)
    setup = logged_in(Role.PRESIDIUM)
    assert setup.put("/api/election-key", guardians.ceremony_json()).status_code == 200
    delegates = [person(Role.DELEGATE, name=f"Delegierte {i}",
                        groups=["Frauen"] if i < 3 else []) for i in (1, 2, 3)]
    stagehand = Stagehand(app, shifted, logged_in(Role.GUARDIAN), guardians)
    stagehand.start()
    config = {
        "base": live_server,
        "presidium": {"login": presidium.login_name, "password": presidium.password},
        "delegates": [{"login": d.login_name, "password": d.password} for d in delegates],
    }
    assert NODE is not None
    log = Path(os.environ.get("EVOTE_E2E_LOG") or tmp_path / "browser.log")
    with log.open("w") as stderr:
        run = subprocess.run(
            [NODE, str(REPO / "web" / "e2e" / "election_kinds.mjs")],
            env={**os.environ, "EVOTE_E2E": json.dumps(config), "EVOTE_CHROMIUM": CHROMIUM},
            stdout=subprocess.PIPE, stderr=stderr, text=True,
            timeout=int(os.environ.get("EVOTE_E2E_TIMEOUT", "600")),
        )
    stagehand.stop.set()
    stagehand.join(timeout=30)
    assert run.returncode == 0, f"{stagehand.error!r}\n" + run.stdout[-3000:] + log.read_text()[-6000:]
    assert stagehand.error is None, stagehand.error
    seen = json.loads(run.stdout.strip().splitlines()[-1])
    assert seen["csp"] == [], seen["csp"]
    # 1. the overall No wins: 1 of 3 valid ballots for Ada is no absolute majority
    assert "Niemand gewählt" in seen["overallNo"]
    # 2. the Frauenvotum: the third delegate is told; two yes of two
    assert seen["electorateLabel"] == "Stimmberechtigt: nur Frauen"
    assert "Frauen beschränkt" in seen["notInGroup"]
    assert "Angenommen" in seen["frauenvotum"]
    # 3. the open vote, labelled on the console, the delegate page and the projector
    assert seen["consoleOpenLabel"] == "offene Abstimmung"
    assert seen["delegateOpenLabel"].startswith("Offene Abstimmung – nicht geheim")
    assert seen["projectorLiveLabel"] == "Tagesordnung annehmen – offene Abstimmung"
    assert seen["openTitle"] == "Tagesordnung annehmen – offene Abstimmung"
    assert "Angenommen" in seen["openVote"]
    # 4. the roll call: every name with its choice
    assert sorted(seen["rollCallRows"]) == [
        "Delegierte 1Ja", "Delegierte 2Nein", "Delegierte 3Enthaltung"]
    # 5. the tie and the lot
    assert "Niemand gewählt" in seen["tie"] and "Gleichstand" in seen["tieProposal"]
    assert seen["lotLine"].startswith("Durch Los bestimmt: ") and "Herz Dame" in seen["lotLine"]
    # 6. the runoff, opened with one click from the tie of three
    assert "Niemand gewählt" in seen["firstRound"] and "Gewählt: Dag" in seen["secondRound"]
    # 7. quota seats: Bo and Cem have the most votes, but one seat is a woman's
    assert "Gewählt: Ada (Quotenplatz), Bo (offener Platz)" in seen["quota"]
    # the guardians decrypted the secret votes only (6 secret of 8 votes)
    assert len(seen["voteIds"]) == 8 and len(stagehand.decrypted) == 6
