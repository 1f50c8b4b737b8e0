"""The organisers' side in Debian's Chromium (issue 13's 'done when'): a presidium close-now
with the turnout in its question, the agenda and the vote form of the console, a support
password reset whose new password logs in, an admin CSV import refused line by line and then
imported; axe-core on each page. `web/e2e/staff_cases.mjs` is every person at a browser; this
file seats them and checks what the script saw.

EVOTE_SCREENSHOT_DIR=docs/screenshots refreshes the docs' pictures (by default they go to the
test's folder). Skips with the reason when Chromium, Node, playwright-core or axe-core is
missing (CI installs them).
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_harness import CHROMIUM, NODE, REPO, needs_chromium
from flask import Flask
from server_helpers import Api, Person, live_http
from vote_helpers import Guardians

from evote.rules.roles import Role

SERIOUS = {"serious", "critical"}


pytestmark = needs_chromium


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    return {**app_config, "LIVE_TURNOUT_INTERVAL": 0, "LIVE_HEARTBEAT": 2.0,
            "SESSION_COOKIE_SECURE": False}


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    with live_http(app) as server:
        yield server.url("127.0.0.1")


def _run(config: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    assert NODE is not None
    log = Path(os.environ.get("EVOTE_E2E_LOG") or tmp_path / "browser.log")
    with log.open("w") as stderr:
        run = subprocess.run(
            [NODE, str(REPO / "web" / "e2e" / "staff_cases.mjs")],
            env={**os.environ, "EVOTE_E2E": json.dumps(config), "EVOTE_CHROMIUM": CHROMIUM},
            stdout=subprocess.PIPE, stderr=stderr, text=True,
            timeout=int(os.environ.get("EVOTE_E2E_TIMEOUT", "300")),
        )
    assert run.returncode == 0, run.stdout[-3000:] + log.read_text()[-6000:]
    seen: dict[str, Any] = json.loads(run.stdout.strip().splitlines()[-1])
    return seen


def test_organisers_pages_in_chromium(
    live_server: str,
    person: Callable[..., Person],
    logged_in: Callable[..., Api],
    tmp_path: Path,
) -> None:
    guardians = Guardians(3, 2, label="browser-staff")
    presidium = person(Role.PRESIDIUM, voting_right=False)
    assert logged_in(Role.PRESIDIUM).put(
        "/api/election-key", guardians.ceremony_json()).status_code == 200
    support = person(Role.SUPPORT)
    admin = person(Role.ADMIN)
    delegate = person(Role.DELEGATE, name="Delegierte Dora Support", checked_in=True)
    person(Role.DELEGATE, name="Delegierter Emil", checked_in=True)
    screenshots = Path(os.environ.get("EVOTE_SCREENSHOT_DIR") or tmp_path / "screenshots")
    seen = _run({
        "base": live_server,
        "presidium": {"login": presidium.login_name, "password": presidium.password},
        "support": {"login": support.login_name, "password": support.password},
        "admin": {"login": admin.login_name, "password": admin.password},
        "delegate": {"login": delegate.login_name, "password": delegate.password,
                     "name": "Delegierte Dora Support"},
        "screenshots": str(screenshots.resolve()),
    }, tmp_path)
    assert seen["csp"] == [], seen["csp"]

    # The console: only the kind's fields, in the convention's words.
    console = seen["console"]
    assert console["motion"] == {"seats": False, "candidates": False, "abstain": True}
    election = console["election"]
    assert election["seats"] and not election["abstain"]
    assert election["kindOption"] == "Wahl: bis zu 3 Personen ankreuzen"
    assert election["seatsLabel"] == "Wie viele Personen darf man höchstens ankreuzen?"
    # the quorum rule set in the console; a fraction above 1 refused in German
    assert console["quorum"] == {
        "rule": "Beschlussfähig, wenn mindestens 2/3 der Stimmberechtigten eingecheckt sind.",
        "error": "Die Beschlussfähigkeit ist ein Bruch zwischen 0/1 und 1/1 (Nenner höchstens 1000).",
    }
    # the agenda reordered, renamed, the called item marked; the form defaults to it
    assert console["agenda"] == [
        {"title": "1. TOP 1: Eröffnung", "current": False},
        {"title": "2. TOP 2: Satzung", "current": True},
        {"title": "3. TOP 3: Wahlen zum Vorstand", "current": False},
    ]
    assert console["agendaChoice"] == "TOP 2: Satzung"
    assert console["underItem"] == "zu: TOP 2: Satzung"
    assert console["onProjector"] == "Auf dem Beamer: Satzungsänderung S1"
    # close now: the question names the turnout; the vote closes
    assert console["closeQuestion"].startswith("Die Abstimmung „Satzungsänderung S1“ jetzt schließen?")
    assert "Bisher haben 0 von 2 abgestimmt" in console["closeQuestion"]
    assert console["stateAfter"] == "geschlossen"
    assert console["deleteRefused"].startswith("Unter diesem Tagesordnungspunkt gab es schon")
    assert console["itemsAfter"] == 3

    # Support: the new password logs in, the old one does not.
    assert seen["support"] == {
        "letter": f"letter-{delegate.login_name}.pdf", "newPasswordWorks": True,
        "oldPasswordRefused": True,
    }

    # Admin: the import refused with its line, nothing imported; the fixed file goes in.
    admin_seen = seen["admin"]
    assert len(admin_seen["errors"]) == 1 and admin_seen["errors"][0].startswith("Zeile 3:")
    assert admin_seen["errorFocused"] == "import-error" and admin_seen["afterRefusal"] == 0
    assert admin_seen["imported"] == "2 Teilnehmende importiert."
    # edited with a group; the group listed with its count
    assert admin_seen["edited"] == "Jugend" and admin_seen["groups"] == "Gruppen: Jugend (1)"
    # letters for the two imported, who had no password
    assert admin_seen["letters"] == "2 Passwörter ausgestellt; 0 noch ohne Passwort."
    assert admin_seen["lettersCount"] == "0 aktive Teilnehmende haben noch kein Passwort."
    assert admin_seen["eventStatus"] == "Check-in ist geöffnet."  # the test event is open

    for page, violations in seen["axe"].items():
        bad = [v for v in violations if v["impact"] in SERIOUS]
        assert bad == [], (page, bad)
    assert set(seen["axe"]) == {"console", "presence", "support", "admin"}
