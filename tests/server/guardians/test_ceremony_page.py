"""The key ceremony page (issue 13): who joined, who the ceremony waits for and for what, since
when, the fingerprint to compare; the page itself for those who may see the guardians.

Two guardians, quorum 2, driven by the real guardian client as in the ceremony tests.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from guardian_helpers import compare_fingerprints, run_ceremony, seat_guardians
from server_helpers import Api, Person

from evote.rules.roles import Role

REPO = Path(__file__).parents[3]
CHROMIUM = os.environ.get("EVOTE_CHROMIUM", "/usr/bin/chromium")
NODE = shutil.which("node")


def _waiting(presidium: Api) -> tuple[str, list[tuple[str, str]], dict[str, Any]]:
    view = presidium.get("/api/presidium/guardians").get_json()
    ceremony = view["ceremony"]
    assert view["server_time"]
    return (
        ceremony["state"],
        [(w["name"], w["step"]) for w in ceremony["waiting_for"]],
        ceremony,
    )


def test_the_page_names_who_the_ceremony_waits_for(
    live_server: str, laptops: Callable[[int], list[Any]], person: Callable[..., Person],
    new_api: Callable[[], Api], logged_in: Callable[..., Api],
) -> None:
    two = laptops(2)
    presidium, _ = seat_guardians(person, new_api, two, live_server, quorum=2)
    state, waiting, view = _waiting(presidium)
    assert state == "collecting_keys"
    assert waiting == [("Guardian 1", "public_key"), ("Guardian 2", "public_key")]
    assert view["phase_since"] == view["started_at"] and view["fingerprint"] is None

    two[0].run("ceremony")
    state, waiting, view = _waiting(presidium)
    assert waiting == [("Guardian 2", "public_key")]
    first = next(g for g in view["guardians"] if g["name"] == "Guardian 1")
    assert first["public_key_posted"] and first["key_posted_at"]

    two[1].run("ceremony")
    state, waiting, view = _waiting(presidium)
    assert state == "confirming_fingerprint" and view["fingerprint"]
    assert waiting == [("Guardian 1", "fingerprint"), ("Guardian 2", "fingerprint")]
    assert view["phase_since"] == max(g["key_posted_at"] for g in view["guardians"])

    shown = compare_fingerprints(two)
    assert shown == view["fingerprint"]  # the page shows what every laptop shows
    state, waiting, view = _waiting(presidium)
    assert state == "exchanging_backups"
    # the last to confirm sent its backup at once; the other still owes one, and has one to judge
    assert {step for _, step in waiting} <= {"send_backups", "verify_backups"} and waiting

    run_ceremony(two)
    state, waiting, view = _waiting(presidium)
    assert state == "complete" and waiting == []
    assert view["phase_since"] == view["completed_at"]

    # the page: for whoever may see the guardians; start and abort only for who may manage
    page = presidium.get("/presidium/ceremony")
    assert page.status_code == 200 and "Schlüsselzeremonie" in page.get_data(as_text=True)
    assert '"canManage":true' in page.get_data(as_text=True)
    guardian = logged_in(Role.GUARDIAN).get("/presidium/ceremony")
    assert guardian.status_code == 200 and '"canManage":false' in guardian.get_data(as_text=True)
    assert logged_in(Role.DELEGATE).get("/presidium/ceremony").status_code == 403
    assert logged_in(Role.SUPPORT).get("/presidium/ceremony").status_code == 403


def _no_browser() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    if NODE is None or not (REPO / "web" / "node_modules" / "playwright-core").exists():
        return "node or playwright-core is missing (npm ci --prefix web)"
    return None


@pytest.mark.skipif(_no_browser() is not None, reason=_no_browser() or "")
def test_the_page_in_chromium_mid_ceremony(
    live_server: str, laptops: Callable[[int], list[Any]], person: Callable[..., Person],
    new_api: Callable[[], Api], tmp_path: Path,
) -> None:
    """All keys in, one guardian has confirmed: the page shows the fingerprint the laptops show
    and names the one it waits for. EVOTE_SCREENSHOT_DIR=docs/screenshots keeps the picture."""
    two = laptops(2)
    chair = person(Role.PRESIDIUM, name="Präsidium Paula")
    presidium, _ = seat_guardians(person, new_api, two, live_server, quorum=2)
    for laptop in two:
        laptop.run("ceremony")
    view = presidium.get("/api/ceremony").get_json()
    shown = two[0].run("ceremony").output
    two[0].run("ceremony", "--fingerprint", view["fingerprint"])
    assert view["fingerprint"] in shown
    shots = Path(os.environ.get("EVOTE_SCREENSHOT_DIR") or tmp_path)
    config = {
        "base": live_server, "login": chair.login_name, "password": chair.password,
        "path": "/presidium/ceremony", "waitFor": "#guardians tr",
        "read": ["state", "next", "fingerprint", "guardians"],
        "shot": str((shots / "ceremony.png").resolve()),
    }
    assert NODE is not None
    run = subprocess.run(
        [NODE, str(REPO / "web" / "e2e" / "page_shot.mjs")],
        env={**os.environ, "EVOTE_E2E": json.dumps(config), "EVOTE_CHROMIUM": CHROMIUM},
        capture_output=True, text=True, timeout=180,
    )
    assert run.returncode == 0, run.stderr[-4000:]
    seen = json.loads(run.stdout.strip().splitlines()[-1])
    assert seen["csp"] == []
    assert [v for v in seen["axe"] if v["impact"] in ("serious", "critical")] == []
    read = seen["read"]
    assert read["state"].startswith("Schritt 2 von 3")
    assert read["fingerprint"] == view["fingerprint"]
    assert "Lies den Fingerabdruck laut vor" in read["next"]
    rows = read["guardians"].splitlines()
    waiting = [r for r in rows if "Bestätigung des Fingerabdrucks" in r]
    assert len(waiting) == 1 and "Guardian 2" in waiting[0]
