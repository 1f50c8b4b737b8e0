"""The technician check over HTTP: "bereit", the shared queue (one technician per speaker),
verdicts with the note the speaker reads, the signalling mailbox between exactly the speaker
and a technician, bounded in size and rate, and addressed live events. Refusals change nothing
and speak German and English."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from flask import Flask
from server_helpers import Api

from evote.rules.roles import Role
from evote.speakers import calls
from evote.store.clock import ManualClock
from evote.voting import events


@pytest.fixture
def clock(app: Flask) -> ManualClock:
    manual = ManualClock(datetime.now(UTC))
    app.config["CLOCK"] = manual
    return manual


@pytest.fixture
def presidium(logged_in: Callable[..., Api]) -> Api:
    return logged_in(Role.PRESIDIUM, checked_in=True)


@pytest.fixture
def list_id(presidium: Api) -> int:
    item = presidium.post("/api/agenda", {"title": "TOP 4: Aussprache"}).get_json()["items"][0]["id"]
    resp = presidium.post("/api/speakers/lists", {"agenda_item_id": item})
    assert resp.status_code == 201, resp.get_json()
    return int(resp.get_json()["list"]["list_id"])


def me(api: Api) -> int:
    return int(api.get("/api/me").get_json()["id"])


def ask(api: Api, list_id: int) -> int:
    resp = api.post(f"/api/speakers/lists/{list_id}/entries", {"kind": "speech"})
    assert resp.status_code == 201, resp.get_json()
    return int(resp.get_json()["mine"][0]["entry_id"])


def taken(presidium: Api, speaker: Api, tech: Api, list_id: int, entry: int) -> None:
    """The speaker called for the check and ready, the technician took them: their call."""
    presidium.post(f"/api/speakers/lists/{list_id}/entries/{entry}/prepare")
    assert speaker.post(f"/api/speakers/entries/{entry}/ready").status_code == 200
    assert tech.post(f"/api/speakers/entries/{entry}/take").status_code == 200


def entry_state(api: Api, entry_id: int) -> dict[str, Any]:
    lst = api.get("/api/speakers").get_json()["list"]
    return next(e for e in [lst["current"], *lst["waiting"]] if e and e["entry_id"] == entry_id)


def test_ready_take_verdicts_and_the_note_the_speaker_reads(
    logged_in: Callable[..., Api], presidium: Api, list_id: int, clock: ManualClock
) -> None:
    speaker = logged_in(Role.DELEGATE, checked_in=True, name="Sara")
    tech1 = logged_in(Role.TECHNICIAN)
    tech2 = logged_in(Role.TECHNICIAN)
    entry = ask(speaker, list_id)
    ready = f"/api/speakers/entries/{entry}/ready"
    early = speaker.post(ready)  # not marked "next" yet
    assert early.status_code == 409 and early.get_json()["error"] == "not_prepared"
    assert early.get_json()["message_de"].startswith("Das Präsidium hat Dich noch nicht")
    assert entry_state(presidium, entry)["tech"] == ""
    presidium.post(f"/api/speakers/lists/{list_id}/entries/{entry}/prepare")
    other = logged_in(Role.DELEGATE, checked_in=True)
    assert other.post(ready).get_json()["error"] == "not_yours"
    assert speaker.post(ready).get_json()["tech"] == "ready"
    # one technician gets the speaker; the second is refused and nothing changes
    assert tech1.post(f"/api/speakers/entries/{entry}/take").status_code == 200
    second = tech2.post(f"/api/speakers/entries/{entry}/take?lang=en")
    assert second.status_code == 409 and second.get_json()["error"] == "already_taken"
    assert second.get_json()["message"].startswith("Another technician")
    assert entry_state(presidium, entry)["technician_id"] == me(tech1)
    refused = tech2.post(f"/api/speakers/entries/{entry}/check", {"state": "ok"})
    assert refused.get_json()["error"] == "not_your_speaker"
    bad = tech1.post(f"/api/speakers/entries/{entry}/check", {"state": "perfect"})
    assert bad.status_code == 400 and bad.get_json()["error"] == "bad_tech_state"
    long = tech1.post(f"/api/speakers/entries/{entry}/check", {"state": "problem", "note": "x" * 301})
    assert long.status_code == 400 and long.get_json()["message_de"].startswith("Die Notiz hat")
    assert entry_state(presidium, entry)["tech"] == "ready"
    assert tech1.post(f"/api/speakers/entries/{entry}/check",
                      {"state": "problem", "note": "Mikro zu leise"}).status_code == 200
    mine = speaker.get("/api/speakers").get_json()["mine"][0]
    assert (mine["tech"], mine["tech_note"]) == ("problem", "Mikro zu leise")
    assert "tech_note" not in speaker.get("/api/speakers").get_json()["list"]["waiting"][0]
    tech1.post(f"/api/speakers/entries/{entry}/check", {"state": "live", "note": "passt"})
    assert entry_state(presidium, entry)["tech"] == "live"
    # a dropped call: the speaker stays on the list, "lost" for the technicians
    tech1.post(f"/api/speakers/entries/{entry}/check", {"state": "lost"})
    assert entry_state(presidium, entry)["tech"] == "lost"
    assert delegates_cannot_check(speaker, entry)
    # the speaker comes back (reload): ready again, still with the same technician
    speaker.post(ready)
    assert entry_state(presidium, entry)["technician_id"] == me(tech1)
    tech1.post(f"/api/speakers/entries/{entry}/release")
    assert entry_state(presidium, entry)["technician_id"] is None


def delegates_cannot_check(speaker: Api, entry: int) -> bool:
    return speaker.post(f"/api/speakers/entries/{entry}/check", {"state": "ok"}).status_code == 403


def test_signalling_only_within_ones_own_call_bounded_and_addressed(
    app: Flask, logged_in: Callable[..., Api], presidium: Api, list_id: int, clock: ManualClock
) -> None:
    speaker = logged_in(Role.DELEGATE, checked_in=True)
    bystander = logged_in(Role.DELEGATE, checked_in=True)
    tech = logged_in(Role.TECHNICIAN)
    entry = ask(speaker, list_id)
    taken(presidium, speaker, tech, list_id, entry)
    tech_id, speaker_id = me(tech), me(speaker)
    seen: list[dict[str, Any]] = []
    hub = events.hub(app)
    original = hub.publish
    hub.publish = lambda event: (seen.append(event), original(event))  # type: ignore[method-assign]
    try:
        hello = tech.post("/api/speakers/signals",
                          {"entry_id": entry, "to": speaker_id, "kind": "hello"})
        assert hello.status_code == 201
    finally:
        hub.publish = original  # type: ignore[method-assign]
    [event] = [e for e in seen if e["type"] == "signal"]
    assert event["to"] == speaker_id and "payload" not in event and "id" not in event  # not kept
    got = speaker.get("/api/speakers/signals?after=0").get_json()["signals"]
    assert [(s["kind"], s["sender"]) for s in got] == [("hello", tech_id)]
    assert bystander.get("/api/speakers/signals?after=0").get_json()["signals"] == []
    offer = {"entry_id": entry, "to": tech_id, "kind": "offer", "payload": '{"sdp":"v=0"}'}
    assert speaker.post("/api/speakers/signals", offer).status_code == 201
    # a delegate cannot reach another delegate, nor speak for someone else's entry
    wrong = bystander.post("/api/speakers/signals", {**offer, "to": speaker_id})
    assert wrong.status_code == 403 and wrong.get_json()["error"] == "not_your_call"
    assert bystander.post("/api/speakers/signals", offer).status_code == 403
    assert speaker.post("/api/speakers/signals", {**offer, "to": me(bystander)}).status_code == 403
    bad = speaker.post("/api/speakers/signals", {**offer, "kind": "video"})
    assert bad.status_code == 400 and bad.get_json()["message_de"].startswith("Die Art")
    large = speaker.post("/api/speakers/signals", {**offer, "payload": "x" * (calls.MAX_PAYLOAD + 1)})
    assert large.status_code == 413 and large.get_json()["error"] == "signal_too_large"
    assert speaker.get("/api/speakers/signals?after=x").status_code == 400
    assert presidium.post("/api/speakers/signals", offer).status_code == 403  # no role for it
    after = tech.get("/api/speakers/signals?after=0").get_json()["signals"]
    assert [s["kind"] for s in after] == ["offer"]
    # the rate: RATE_COUNT messages per RATE_SECONDS, then 429 until time passes
    for _ in range(calls.RATE_COUNT - 1):
        assert speaker.post("/api/speakers/signals", {**offer, "kind": "ice"}).status_code == 201
    flood = speaker.post("/api/speakers/signals", {**offer, "kind": "ice"})
    assert flood.status_code == 429 and flood.get_json()["error"] == "signal_rate"
    count = len(tech.get("/api/speakers/signals?after=0").get_json()["signals"])
    assert count == calls.RATE_COUNT
    clock.advance(calls.RATE_SECONDS + 1)
    assert speaker.post("/api/speakers/signals", {**offer, "kind": "ice"}).status_code == 201
    # a withdrawn request has no call any more
    speaker.delete(f"/api/speakers/lists/{list_id}/entries/{entry}")
    gone = tech.post("/api/speakers/signals", {"entry_id": entry, "to": speaker_id, "kind": "bye"})
    assert gone.status_code == 409 and gone.get_json()["error"] == "not_waiting"


def test_external_rooms_and_ice_servers_from_the_configuration(
    app: Flask, logged_in: Callable[..., Api], presidium: Api, list_id: int
) -> None:
    speaker = logged_in(Role.DELEGATE, checked_in=True)
    entry = ask(speaker, list_id)
    view = speaker.get("/api/speakers").get_json()
    assert view["call"] == {"ice_servers": [], "external_rooms": False}
    assert view["mine"][0]["room_url"] is None
    app.config["SPEAKER_ROOM_TEMPLATE"] = "https://meet.example.org/{room}"
    app.config["SPEAKER_ICE_SERVERS"] = [{"urls": "stun:stun.example.org:3478"}]
    view = speaker.get("/api/speakers").get_json()
    room = view["mine"][0]["room_url"]
    assert room.startswith("https://meet.example.org/evote-") and str(entry) not in room[30:]
    assert view["call"]["external_rooms"] is True
    assert view["call"]["ice_servers"] == [{"urls": "stun:stun.example.org:3478"}]
    assert presidium.get("/api/speakers").get_json()["list"]["waiting"][0]["room_url"] == room
    assert "room_url" not in speaker.get("/api/speakers").get_json()["list"]["waiting"][0]


def test_pages_by_role(logged_in: Callable[..., Api]) -> None:
    presidium = logged_in(Role.PRESIDIUM)
    tech = logged_in(Role.TECHNICIAN)
    delegate = logged_in(Role.DELEGATE)
    assert presidium.get("/speakers").status_code == 200
    assert tech.get("/technik").status_code == 200 and tech.get("/studio").status_code == 200
    assert presidium.get("/studio").status_code == 200
    for path in ("/speakers", "/technik", "/studio"):
        assert delegate.get(path).status_code == 403
    assert presidium.get("/technik").status_code == 403
    home = tech.get("/").get_data(as_text=True)
    assert 'href="/technik"' in home and 'href="/studio"' in home and 'href="/speakers"' not in home
    assert 'href="/speakers"' in presidium.get("/").get_data(as_text=True)


class _Events:
    """Event types of a streamed /api/live response, read up to a given type."""

    def __init__(self, response: Any) -> None:
        self.response, self.chunks, self.text = response, iter(response.response), ""

    def until(self, kind: str) -> list[str]:
        seen: list[str] = []
        while True:
            while "\n\n" not in self.text:
                chunk = next(self.chunks)
                self.text += chunk.decode() if isinstance(chunk, bytes) else chunk
            block, self.text = self.text.split("\n\n", 1)
            seen += [line[7:] for line in block.splitlines() if line.startswith("event: ")]
            if kind in seen:
                return seen


def test_a_signal_reaches_only_its_recipients_stream(
    logged_in: Callable[..., Api], presidium: Api, list_id: int
) -> None:
    speaker = logged_in(Role.DELEGATE, checked_in=True)
    bystander = logged_in(Role.DELEGATE, checked_in=True)
    tech = logged_in(Role.TECHNICIAN)
    entry = ask(speaker, list_id)
    taken(presidium, speaker, tech, list_id, entry)
    for viewer, expected in ((bystander, ["agenda"]), (speaker, ["signal", "agenda"])):
        stream = _Events(viewer.get("/api/live", buffered=False))  # one at a time in one thread
        assert stream.until("snapshot")[-1] == "snapshot"
        tech.post("/api/speakers/signals", {"entry_id": entry, "to": me(speaker), "kind": "hello"})
        presidium.put("/api/agenda/current", {"title": "TOP 5"})
        assert stream.until("agenda") == expected
        stream.response.close()


def test_every_speakers_refusal_has_its_sentence_in_both_languages() -> None:
    """The pages show `error.<code>` (common.js), never the server's message: every code the
    speakers' API can refuse with needs its text in German and English."""
    import re
    from pathlib import Path

    from evote.webapp.pages import i18n

    src = Path(calls.__file__).parents[1]
    files = [*sorted((src / "speakers").glob("*.py")), src / "webapp" / "api" / "speakers.py",
             src / "webapp" / "api" / "speaker_calls.py"]
    codes = {"no_such_list", "no_such_entry"}  # made by _not_found(what)
    for path in files:
        codes |= set(re.findall(r'(?:SpeakerError|_bad)\(\s*"([a-z_]+)"', path.read_text()))
    assert {"already_on_list", "signal_rate", "not_your_call", "bad_after"} <= codes
    for lang in i18n.LANGUAGES:
        missing = sorted(c for c in codes if f"error.{c}" not in i18n.MESSAGES[lang])
        assert missing == [], (lang, missing)
