"""A technician's steps are in the audit log like every staff step: taking a speaker, each state
of the check (connected, ok, problem, live, lost) and releasing them, by the technician's
participant id and roles, with the entry, its list and the speaker's id, and only whether a
note was written: never the note itself. A refused step and taking one's own speaker again
write nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from server_helpers import Api

from evote import audit
from evote.rules.roles import Role
from evote.store.db import get_session
from evote.store.models.speakers import SpeakerList


@pytest.fixture
def presidium(logged_in: Callable[..., Api]) -> Api:
    return logged_in(Role.PRESIDIUM, checked_in=True)


@pytest.fixture
def list_id(presidium: Api) -> int:
    item = presidium.post("/api/agenda", {"title": "Aussprache"}).get_json()["items"][0]["id"]
    resp = presidium.post("/api/speakers/lists", {"agenda_item_id": item})
    assert resp.status_code == 201, resp.get_json()
    return int(resp.get_json()["list"]["list_id"])


def me(api: Api) -> int:
    return int(api.get("/api/me").get_json()["id"])


def ask(api: Api, list_id: int) -> int:
    resp = api.post(f"/api/speakers/lists/{list_id}/entries", {"kind": "speech"})
    assert resp.status_code == 201, resp.get_json()
    return int(resp.get_json()["mine"][0]["entry_id"])


def _steps(app: Flask, list_id: int) -> list[dict[str, Any]]:
    with app.app_context():
        db = get_session()
        lst = db.get(SpeakerList, list_id)
        assert lst is not None
        return [e for e in audit.entries(db, lst.event_id) if e["action"].startswith("speaker.")]


def test_take_check_and_release_are_audited_without_the_note(
    logged_in: Callable[..., Api], presidium: Api, list_id: int, app: Flask,
) -> None:
    speaker = logged_in(Role.DELEGATE, checked_in=True, name="Sara")
    tech1, tech2 = logged_in(Role.TECHNICIAN), logged_in(Role.TECHNICIAN)
    entry = ask(speaker, list_id)
    presidium.post(f"/api/speakers/lists/{list_id}/entries/{entry}/prepare")
    assert speaker.post(f"/api/speakers/entries/{entry}/ready").status_code == 200
    assert _steps(app, list_id) == []  # the speaker's own step is not logged

    url = f"/api/speakers/entries/{entry}"
    assert tech1.post(f"{url}/take").status_code == 200
    assert tech1.post(f"{url}/take").status_code == 200  # again: no second entry
    assert tech2.post(f"{url}/take").status_code == 409  # refused: nothing logged
    assert tech2.post(f"{url}/check", {"state": "ok"}).status_code == 409
    assert tech1.post(f"{url}/check", {"state": "perfect"}).status_code == 400
    for state, note in (("connected", ""), ("problem", "Mikro zu leise, Küche im Hintergrund"),
                        ("ok", ""), ("live", "passt")):
        resp = tech1.post(f"{url}/check", {"state": state, "note": note})
        assert resp.status_code == 200, resp.get_json()
    assert tech1.post(f"{url}/release").status_code == 200

    steps = _steps(app, list_id)
    assert [(s["action"], s["details"].get("state"), s["details"].get("note")) for s in steps] == [
        ("speaker.take", None, None),
        ("speaker.check", "connected", False),
        ("speaker.check", "problem", True),
        ("speaker.check", "ok", False),
        ("speaker.check", "live", True),
        ("speaker.release", None, None),
    ]
    who = me(tech1)
    for step in steps:
        assert step["actor"] == f"participant:{who}" and step["roles"] == ["technician"]
        assert step["object"] == {"type": "speaker_entry", "id": str(entry)}
        assert step["details"]["list"] == list_id and step["details"]["speaker"] == me(speaker)
    written = json.dumps(steps, ensure_ascii=False)
    assert "Mikro" not in written and "passt" not in written and "Sara" not in written
