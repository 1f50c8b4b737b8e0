"""Who may call a speaker (security review, docs/threat-model.md): the speaker's page answers
every ``hello`` with an offer carrying camera and microphone, so the server lets a technician
say hello only to a speaker they took from the queue, or once the speaker is handed over live
(the studio); any other technician (or a leaked studio link) is refused and stores nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from server_helpers import Api

from evote.rules.roles import Role


def me(api: Api) -> int:
    return int(api.get("/api/me").get_json()["id"])


@pytest.fixture
def presidium(logged_in: Callable[..., Api]) -> Api:
    return logged_in(Role.PRESIDIUM, checked_in=True)


def test_only_the_speakers_own_technician_and_after_live_the_studio_may_call(
    app: Flask, logged_in: Callable[..., Api], presidium: Api,
) -> None:
    item = presidium.post("/api/agenda", {"title": "TOP 4"}).get_json()["items"][0]["id"]
    list_id = presidium.post("/api/speakers/lists", {"agenda_item_id": item}).get_json()["list"]["list_id"]
    speaker = logged_in(Role.DELEGATE, checked_in=True)
    tech, other, studio = (logged_in(Role.TECHNICIAN) for _ in range(3))
    entry = speaker.post(f"/api/speakers/lists/{list_id}/entries", {"kind": "speech"}).get_json()["mine"][0]["entry_id"]
    hello = {"entry_id": entry, "to": me(speaker), "kind": "hello", "payload": '{"call":"x"}'}

    def refused(api: Api, body: dict[str, object]) -> bool:
        resp = api.post("/api/speakers/signals", body)
        return resp.status_code == 403 and resp.get_json()["error"] == "not_your_call"

    # before anyone took the speaker: no technician may call them, and the speaker may not
    # send their offer to a technician who did not take them
    assert refused(tech, hello) and refused(studio, hello)
    assert refused(speaker, {"entry_id": entry, "to": me(other), "kind": "offer", "payload": "{}"})
    assert speaker.get("/api/speakers/signals?after=0").get_json()["signals"] == []
    presidium.post(f"/api/speakers/lists/{list_id}/entries/{entry}/prepare")
    speaker.post(f"/api/speakers/entries/{entry}/ready")
    assert tech.post(f"/api/speakers/entries/{entry}/take").status_code == 200
    assert tech.post("/api/speakers/signals", hello).status_code == 201
    offer = {"entry_id": entry, "to": me(tech), "kind": "offer", "payload": "{}"}
    assert speaker.post("/api/speakers/signals", offer).status_code == 201
    assert refused(other, hello) and refused(studio, hello)
    assert refused(speaker, {**offer, "to": me(studio)})
    # handed over live: the studio (any technician's page on /studio) may call
    tech.post(f"/api/speakers/entries/{entry}/check", {"state": "live"})
    assert studio.post("/api/speakers/signals", hello).status_code == 201
    assert speaker.post("/api/speakers/signals", {**offer, "to": me(studio)}).status_code == 201
    # a bye ends a call whoever had it
    tech.post(f"/api/speakers/entries/{entry}/check", {"state": "lost"})
    bye = {"entry_id": entry, "to": me(speaker), "kind": "bye"}
    assert studio.post("/api/speakers/signals", bye).status_code == 201
