"""Issue 16's "done when", in Debian's Chromium: a motion and an amendment written by delegates,
screened by the committee, both votes opened by the presidium with one click and decided with
real encrypted ballots, ending with the adopted consolidated text whose SHA-256 is in the final
vote's record, which passes evote-verify.

The server, the guardians and the clock are played as in `test_browser_vote.py` (whose
`Stagehand` moves the clock once all have voted and decrypts each vote once closed); every
person at a browser is `web/e2e/motions.mjs`. Screenshots of the motion page with its diff go to
EVOTE_SCREENSHOT_DIR (docs/screenshots refreshes the README's), else the test's folder.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import zipfile
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from pypdf import PdfReader
from server_helpers import Api, Person, live_http, verify_record
from vote_helpers import Guardians

from evote.motions.voting import text_sha256_of
from evote.rules.roles import Role
from tests.server.web.test_browser_vote import (
    CHROMIUM,
    NODE,
    REPO,
    ShiftedClock,
    Stagehand,
    _missing,
)

pytestmark = pytest.mark.skipif(_missing() is not None, reason=_missing() or "")

AMENDED = """Die Versammlung möge beschließen:

Der Parteitag fordert eine **klimaneutrale** Verwaltung bis 2030.
Dazu werden alle Dienstgebäude saniert.

- Photovoltaik auf jedem geeigneten Dach
- Wärmepumpen statt Gasheizungen

Die Finanzierung erfolgt aus dem Klimafonds."""


@pytest.fixture
def clock() -> ShiftedClock:
    return ShiftedClock(timedelta(hours=2))


@pytest.fixture
def app_config(app_config: dict[str, Any], clock: ShiftedClock) -> dict[str, Any]:
    return {**app_config, "CLOCK": clock, "VOTE_SWEEPER": True, "VOTE_SWEEP_INTERVAL": 0.2,
            "LIVE_TURNOUT_INTERVAL": 0, "LIVE_HEARTBEAT": 2.0, "SESSION_COOKIE_SECURE": False}


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    with live_http(app) as server:
        yield server.url("127.0.0.1")
    app.extensions["evote_sweeper"].stop()


def _login(p: Person) -> dict[str, str]:
    return {"login": p.login_name, "password": p.password}


def test_a_motion_and_its_amendment_from_submission_to_the_adopted_text_in_chromium(
    app: Flask, live_server: str, clock: ShiftedClock, person: Callable[..., Person],
    logged_in: Callable[..., Api], tmp_path: Path,
) -> None:
    guardians = Guardians(3, 2, label="browser-motions")
    setup = logged_in(Role.PRESIDIUM)
    assert setup.put("/api/election-key", guardians.ceremony_json()).status_code == 200
    committee = person(Role.MOTIONS_COMMITTEE, name="Antragskommission")
    presidium = person(Role.PRESIDIUM, name="Präsidium")
    delegates = [person(Role.DELEGATE, name=n, checked_in=True) for n in ("Ada", "Bert", "Cem")]
    stagehand = Stagehand(app, clock, logged_in(Role.GUARDIAN), guardians, voters=3)
    stagehand.start()

    screenshots = Path(os.environ.get("EVOTE_SCREENSHOT_DIR") or tmp_path / "screenshots")
    record, resolutions = tmp_path / "record.zip", tmp_path / "resolutions.pdf"
    config = {
        "base": live_server, "committee": _login(committee), "presidium": _login(presidium),
        "delegates": [_login(d) for d in delegates], "screenshots": str(screenshots.resolve()),
        "record": str(record), "resolutions": str(resolutions),
    }
    assert NODE is not None
    log = Path(os.environ.get("EVOTE_E2E_LOG") or tmp_path / "browser.log")
    with log.open("w") as stderr:
        run = subprocess.run(
            [NODE, str(REPO / "web" / "e2e" / "motions.mjs")],
            env={**os.environ, "EVOTE_E2E": json.dumps(config), "EVOTE_CHROMIUM": CHROMIUM},
            stdout=subprocess.PIPE, stderr=stderr, text=True,
            timeout=int(os.environ.get("EVOTE_E2E_TIMEOUT", "400")),
        )
    stagehand.stop.set()
    stagehand.join(timeout=30)
    assert run.returncode == 0, f"{stagehand.error!r}\n" + run.stdout[-3000:] + log.read_text()[-6000:]
    assert stagehand.error is None, stagehand.error
    seen = json.loads(run.stdout.strip().splitlines()[-1])
    assert seen["csp"] == [], seen["csp"]
    assert seen["axe"] == {"motion": [], "motions": [], "committee": [], "public": [],
                           "presidium": []}, seen["axe"]
    # the public list, read without an account once the committee published it
    assert seen["publicUrl"] == "/public/bpt/motions"
    assert "A1 Klimaneutrale Verwaltung" in seen["publicText"] and "Ä1 zu A1, Zeile 2" in seen["publicText"]

    # read as the hall names it: numbered lines, the amendment as a diff
    assert seen["lineNumbers"] == [str(n) for n in range(1, 7)]
    assert seen["amendmentHeading"] == "Ä1 zu A1, Zeile 2"
    assert "2035" in seen["diffDeleted"][0] and "2030" in seen["diffInserted"][0]
    # the reason's markup is text, and nothing of it ran
    assert "<script>window.pwned = 1</script>" in seen["reasonShown"]
    assert seen["pwned"] is None and seen["injected"] == 0
    assert seen["amendedLine"].endswith("Verwaltung bis 2030.")

    # adopted as amended; the consolidated text is the one the final vote's record names
    motion = seen["motion"]
    assert seen["finalState"] == "in geänderter Fassung angenommen"
    assert motion["state"] == "adopted_as_amended" and motion["text"] == AMENDED
    adopted_sha = hashlib.sha256(AMENDED.encode()).hexdigest()
    assert motion["text_sha256"] == adopted_sha and adopted_sha in seen["versionLine"]
    [amendment] = motion["amendments"]
    assert amendment["state"] == "adopted" and amendment["votes"][0]["outcome"] == "adopted"
    [final] = [v for v in motion["votes"] if v["purpose"] == "final"]
    assert final["outcome"] == "adopted_as_amended" and final["text_sha256"] == adopted_sha
    with zipfile.ZipFile(record) as z:
        manifest = z.read("manifest.json").decode()
    assert text_sha256_of(manifest) == adopted_sha
    verify_record(record)
    assert stagehand.closed_by_sweeper == {amendment["votes"][0]["vote_id"]: True, final["vote_id"]: True}

    # the resolutions book prints that text with its hash
    book = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(resolutions.read_bytes())).pages)
    assert "Beschlussbuch" in book and f"SHA-256 {adopted_sha}" in book
    for name in ("motion.png", "motion-phone.png", "motion-adopted-phone.png"):
        assert (screenshots / name).stat().st_size > 10_000
