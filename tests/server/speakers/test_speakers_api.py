"""Speakers' lists over HTTP: asking, withdrawing, refusals that change nothing (DE and EN),
the presidium's steering, the speaking time on the server clock, and the live event."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from server_helpers import Api

from evote.rules.roles import Role
from evote.store.clock import ManualClock
from evote.voting import events


@pytest.fixture
def clock(app: Flask) -> ManualClock:
    manual = ManualClock(datetime.now(UTC))  # logins are throttled on the same clock
    app.config["CLOCK"] = manual
    return manual


@pytest.fixture
def presidium(logged_in: Callable[..., Api]) -> Api:
    return logged_in(Role.PRESIDIUM, Role.DELEGATE, checked_in=True)


@pytest.fixture
def list_id(presidium: Api) -> int:
    resp = presidium.post("/api/agenda", {"title": "TOP 3: Satzung"})
    assert resp.status_code == 201
    item = resp.get_json()["items"][0]["id"]
    resp = presidium.post("/api/speakers/lists", {"agenda_item_id": item, "speaking_seconds": 120})
    assert resp.status_code == 201, resp.get_json()
    return int(resp.get_json()["list"]["list_id"])


def delegate(logged_in: Callable[..., Api], quota: str = "", **kw: Any) -> Api:
    browser = logged_in(Role.DELEGATE, checked_in=kw.pop("checked_in", True), **kw)
    if quota:
        assert browser.put("/api/speakers/profile", {"quota": quota}).status_code == 200
    return browser


def waiting_names(api: Api) -> list[str]:
    return [w["name"] for w in api.get("/api/speakers").get_json()["list"]["waiting"]]


def test_quota_order_points_of_order_and_places(
    logged_in: Callable[..., Api], presidium: Api, list_id: int
) -> None:
    url = f"/api/speakers/lists/{list_id}/entries"
    open1 = delegate(logged_in, name="Otto")
    open2 = delegate(logged_in, name="Olaf")
    woman = delegate(logged_in, "woman", name="Wanda")
    flinta = delegate(logged_in, "flinta", name="Fynn")
    for who in (open1, open2, woman, flinta):
        assert who.post(url, {"kind": "speech"}).status_code == 201
    # women only count by default: Fynn is on the open side
    assert waiting_names(presidium) == ["Wanda", "Otto", "Olaf", "Fynn"]
    assert presidium.put("/api/speakers/settings", {"quota_group": "flinta"}).status_code == 200
    late = delegate(logged_in, "flinta", name="Frida")
    late.post(url, {"kind": "speech"})
    assert waiting_names(presidium) == ["Wanda", "Otto", "Frida", "Olaf", "Fynn"]
    point = delegate(logged_in, name="Gustav")
    assert point.post(url, {"kind": "point_of_order"}).status_code == 201
    assert waiting_names(presidium)[0] == "Gustav"
    mine = open2.get("/api/speakers").get_json()["mine"]
    assert [(m["kind"], m["place"]) for m in mine] == [("speech", 5)]
    # quota off: sign-up order
    presidium.patch(f"/api/speakers/lists/{list_id}", {"quota": False})
    assert waiting_names(presidium) == ["Gustav", "Otto", "Olaf", "Wanda", "Fynn", "Frida"]


def test_refusals_change_nothing_and_speak_both_languages(
    logged_in: Callable[..., Api], presidium: Api, list_id: int
) -> None:
    url = f"/api/speakers/lists/{list_id}/entries"
    absent = delegate(logged_in, checked_in=False)
    resp = absent.post(url, {"kind": "speech"})
    assert resp.status_code == 403
    body = resp.get_json()
    assert body["error"] == "not_checked_in"
    assert body["message"] == body["message_de"] == "Bitte bestätige zuerst Deine Anwesenheit."
    assert body["message_en"].startswith("Please confirm")
    here = delegate(logged_in)
    assert here.post(url, {"kind": "speech"}).status_code == 201
    twice = here.post(url, {"kind": "speech"}, headers={"Cookie": "evote_lang=en"})
    assert twice.status_code == 409
    assert twice.get_json()["error"] == "already_on_list"
    assert presidium.patch(f"/api/speakers/lists/{list_id}", {"closed": True}).status_code == 200
    other = delegate(logged_in)
    closed = other.post(url, {"kind": "speech"})
    assert closed.status_code == 409 and closed.get_json()["error"] == "list_closed"
    assert closed.get_json()["message_de"] == "Die Redeliste ist geschlossen."
    # a point of order still goes on a closed list
    assert other.post(url, {"kind": "point_of_order"}).status_code == 201
    state = presidium.get("/api/speakers").get_json()["list"]
    assert state["total"] == 2
    guest = logged_in(Role.GUEST_DELEGATE, checked_in=True)
    resp = guest.post(url, {"kind": "point_of_order"})
    assert resp.status_code == 403 and resp.get_json()["error"] == "guests_not_allowed"
    presidium.patch(f"/api/speakers/lists/{list_id}", {"guests": True})
    assert guest.post(url, {"kind": "point_of_order"}).status_code == 201
    bad = presidium.patch(f"/api/speakers/lists/{list_id}", {"speaking_seconds": 5})
    assert bad.status_code == 400 and bad.get_json()["error"] == "bad_speaking_time"
    assert presidium.get("/api/speakers").get_json()["list"]["speaking_seconds"] == 120
    technician = logged_in(Role.TECHNICIAN, checked_in=True)
    assert technician.post(url, {"kind": "speech"}).status_code == 403
    assert here.post(f"/api/speakers/lists/{list_id}/next", {}).status_code == 403


def test_withdraw_remove_move_and_call_with_the_server_clock(
    logged_in: Callable[..., Api], presidium: Api, list_id: int, clock: ManualClock
) -> None:
    url = f"/api/speakers/lists/{list_id}/entries"
    a, b, c = (delegate(logged_in, name=n) for n in ("Anna", "Bert", "Cleo"))
    ids = [who.post(url, {"kind": "speech"}).get_json()["mine"][0]["entry_id"] for who in (a, b, c)]
    presidium.patch(f"/api/speakers/lists/{list_id}", {"quota": False})
    assert b.delete(f"{url}/{ids[0]}").status_code == 404  # not Bert's to withdraw
    assert a.delete(f"{url}/{ids[0]}").status_code == 200
    assert a.delete(f"{url}/{ids[0]}").get_json()["error"] == "not_waiting"
    assert waiting_names(presidium) == ["Bert", "Cleo"]
    presidium.post(f"{url}/{ids[2]}/move", {"before": ids[1]})
    assert waiting_names(presidium) == ["Cleo", "Bert"]
    presidium.post(f"{url}/{ids[2]}/prepare")
    assert c.get("/api/speakers").get_json()["mine"][0]["prepared"] is True
    started = clock.now()
    resp = presidium.post(f"/api/speakers/lists/{list_id}/next", {})
    current = resp.get_json()["list"]["current"]
    assert current["name"] == "Cleo"
    assert current["ends_at"] == events.iso(started + timedelta(seconds=120))
    clock.advance(30)
    presidium.patch(f"/api/speakers/lists/{list_id}", {"speaking_seconds": 60})
    current = presidium.get("/api/speakers").get_json()["list"]["current"]
    assert current["ends_at"] == events.iso(started + timedelta(seconds=60))
    presidium.post(f"{url}/{ids[1]}/remove")
    assert waiting_names(presidium) == []
    done = presidium.post(f"/api/speakers/lists/{list_id}/next", {}).get_json()
    assert done["list"]["current"] is None
    assert [m["name"] for m in done["minutes"]] == ["Cleo"]


def test_changes_are_announced_live(
    app: Flask, logged_in: Callable[..., Api], presidium: Api, list_id: int
) -> None:
    seen: list[dict[str, Any]] = []
    hub = events.hub(app)
    original = hub.publish
    hub.publish = lambda event: (seen.append(event), original(event))  # type: ignore[method-assign]
    try:
        delegate(logged_in, name="Lena").post(
            f"/api/speakers/lists/{list_id}/entries", {"kind": "speech"}
        )
    finally:
        hub.publish = original  # type: ignore[method-assign]
    [event] = [e for e in seen if e["type"] == "speakers"]
    assert event["waiting"][0]["name"] == "Lena" and event["total"] == 1
    assert "side" not in event["waiting"][0]  # the self-declaration stays with the presidium
    assert "server_time" in event and isinstance(event.get("id"), int)
