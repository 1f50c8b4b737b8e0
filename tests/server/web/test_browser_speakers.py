"""The speakers' list, the technician check and the studio output in Debian's Chromium with a
fake camera and microphone (issue 17, "Done when"): two people's browsers talk WebRTC over
loopback, signalled through evote; the technician's page decodes the delegate's video frames.

The server runs in a thread as in test_browser_vote.py; `web/e2e/speakers.mjs` is every person
at a browser and prints what it saw. Screenshots go to EVOTE_SCREENSHOT_DIR (docs/screenshots
for the README). Skips with the reason when Chromium, Node, playwright-core or axe-core is
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

from evote.rules.roles import Role

pytestmark = needs_chromium
SERIOUS = {"serious", "critical"}


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    return {**app_config, "LIVE_HEARTBEAT": 2.0, "SESSION_COOKIE_SECURE": False}


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    with live_http(app) as server:
        yield server.url("127.0.0.1")


def test_ask_check_live_studio_and_projector_in_chromium(
    live_server: str, person: Callable[..., Person], logged_in: Callable[..., Api], tmp_path: Path,
) -> None:
    presidium = person(Role.PRESIDIUM, checked_in=True, voting_right=False, name="Paula Präsidium")
    technician = person(Role.TECHNICIAN, name="Tom Technik")
    speaker = person(Role.DELEGATE, checked_in=True, name="Rosa Redner", delegation="KV Nordstadt")
    steering = logged_in(Role.PRESIDIUM)
    item = steering.post("/api/agenda", {"title": "TOP 3: Satzungsänderung"}).get_json()["items"][0]
    opened = steering.post("/api/speakers/lists", {"agenda_item_id": item["id"], "speaking_seconds": 180})
    assert opened.status_code == 201
    list_id = opened.get_json()["list"]["list_id"]
    # others already on the list: two by quota self-declaration, one point of order
    for name, quota, kind in (("Anna Antrag", "woman", "speech"), ("Olaf Offen", "", "speech"),
                              ("Gerd Geschäftsordnung", "", "point_of_order")):
        other = logged_in(Role.DELEGATE, checked_in=True, name=name, delegation="KV Süd")
        if quota:
            other.put("/api/speakers/profile", {"quota": quota})
        assert other.post(f"/api/speakers/lists/{list_id}/entries", {"kind": kind}).status_code == 201
    screenshots = Path(os.environ.get("EVOTE_SCREENSHOT_DIR") or tmp_path / "screenshots")
    config = {
        "base": live_server,
        "presidium": {"login": presidium.login_name, "password": presidium.password},
        "technician": {"login": technician.login_name, "password": technician.password},
        "delegate": {"login": speaker.login_name, "password": speaker.password, "id": speaker.id},
        "screenshots": str(screenshots.resolve()),
    }
    assert NODE is not None
    log = tmp_path / "browser.log"
    with log.open("w") as stderr:
        run = subprocess.run(
            [NODE, str(REPO / "web" / "e2e" / "speakers.mjs")],
            env={**os.environ, "EVOTE_E2E": json.dumps(config), "EVOTE_CHROMIUM": CHROMIUM},
            stdout=subprocess.PIPE, stderr=stderr, text=True,
            timeout=int(os.environ.get("EVOTE_E2E_TIMEOUT", "300")),
        )
    assert run.returncode == 0, run.stdout[-3000:] + log.read_text()[-8000:]
    seen = json.loads(run.stdout.strip().splitlines()[-1])
    assert seen["errors"] == [] and seen["csp"] == [], (seen["errors"], seen["csp"])

    # asked to speak: the quota order puts Rosa after the point of order, Anna and Olaf
    assert "Du stehst auf Platz 4" in seen["place"]
    assert seen["presidiumList"] == ["Gerd Geschäftsordnung (KV Süd)", "Anna Antrag (KV Süd)",
                                     "Olaf Offen (KV Süd)", "Rosa Redner (KV Nordstadt)"]
    # the self-test saw the fake camera and microphone
    assert seen["devices"]["cameras"] >= 1 and seen["devices"]["mics"] >= 1
    # a real WebRTC call on loopback: the technician's page decodes the delegate's frames
    assert seen["queue"] == ["Rosa Redner (KV Nordstadt) Übernehmen"]
    video = seen["technicianVideo"]
    assert video["tracks"] == 1 and video["frames"] > 5 and video["width"] > 0
    assert seen["delegateNote"] == "Technik ok – Ton und Bild gut, bitte näher ans Mikro"
    assert seen["talkback"] == 1  # the technician's voice comes back to the speaker
    # the studio: the live speaker full-screen with the lower third, then the countdown
    assert seen["studioVideo"]["frames"] > 5
    assert (seen["studioName"], seen["studioDelegation"]) == ("Rosa Redner", "KV Nordstadt")
    assert seen["timeBefore"] == ""  # no time runs before the presidium gives the floor
    first, later = seen["countdown"]
    assert first.startswith(("3:00", "2:5")) and later < first
    assert seen["delegateTimer"].startswith(("Deine Redezeit: noch 3:00", "Deine Redezeit: noch 2:"))
    projector = seen["projector"]
    assert projector["now"] == "Es spricht: Rosa Redner (KV Nordstadt)"
    assert projector["timer"].startswith(("3:00", "2:"))
    assert projector["list"] == ["Gerd Geschäftsordnung (KV Süd)", "Anna Antrag (KV Süd)",
                                 "Olaf Offen (KV Süd)"]
    assert seen["console"]["now"] == projector["now"]
    assert seen["console"]["timer"].startswith(("3:00", "2:"))
    assert seen["removeQuestion"].startswith("Olaf Offen (KV Süd) von der Liste entfernen?")
    assert seen["afterRemove"] == ["Gerd Geschäftsordnung (KV Süd)", "Anna Antrag (KV Süd)"]
    # the speaker's page closed: the technician sees it, and the list says so
    assert seen["lost"] == "Verbindung verloren" and seen["lostOnList"] == "Verbindung verloren"
    after = steering.get("/api/speakers").get_json()["list"]["current"]
    assert after["name"] == "Rosa Redner" and after["tech"] == "lost"
    for page, violations in seen["axe"].items():
        bad = [v for v in violations if v["impact"] in SERIOUS]
        assert bad == [], (page, bad)
    assert set(seen["axe"]) == {"speakers", "delegate-check", "technik", "studio"}
