"""The audit log page in Debian's Chromium: an admin sees the presidium's steps with names and
roles, filtered by action; axe-core finds nothing serious. EVOTE_SCREENSHOT_DIR=docs/screenshots
keeps the picture (docs/screenshots/audit.png)."""

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


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    return {**app_config, "SESSION_COOKIE_SECURE": False}


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    with live_http(app) as server:
        yield server.url("127.0.0.1")


def test_the_audit_page_in_chromium(
    live_server: str, person: Callable[..., Person], logged_in: Callable[..., Api], tmp_path: Path,
) -> None:
    presidium = logged_in(Role.PRESIDIUM)
    for title in ("TOP 1: Eröffnung", "TOP 2: Satzung", "TOP 3: Wahlen"):
        assert presidium.post("/api/agenda", {"title": title}).status_code == 201
    first = presidium.get("/api/agenda").get_json()["items"][0]["id"]
    assert presidium.post(f"/api/agenda/{first}/call").status_code == 200
    admin = person(Role.ADMIN, name="Verwaltung Vera")
    shots = Path(os.environ.get("EVOTE_SCREENSHOT_DIR") or tmp_path)
    config = {
        "base": live_server, "login": admin.login_name, "password": admin.password,
        "path": "/audit?action=agenda.", "waitFor": "#audit-rows tr",
        "read": ["audit-rows", "audit-head"], "shot": str((shots / "audit.png").resolve()),
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
    assert [v for v in seen["axe"] if v["impact"] in ("serious", "critical")] == [], seen["axe"]
    rows = seen["read"]["audit-rows"].splitlines()
    assert len(rows) == 4 and "agenda.call" in rows[0] and "TOP 1: Eröffnung" in rows[0]
    assert all("(presidium)" in r for r in rows)
    assert seen["read"]["audit-head"].startswith("Neuester Eintrag Nr.")
