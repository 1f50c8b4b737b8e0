"""The stage API behind the pages: the public copy of a challenged ballot for the second
device, and announcing a result on the projector."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from server_helpers import Api
from vote_helpers import Guardians, encrypt_for_vote

from evote.rules.roles import Role


@pytest.fixture(scope="module")
def guardians() -> Guardians:
    return Guardians(3, 2, label="stage-api")


def _open_vote(presidium: Api, guardians: Guardians) -> int:
    assert presidium.put("/api/election-key", guardians.ceremony_json()).status_code == 200
    created = presidium.post("/api/votes", {"kind": "motion", "title": "Antrag W1"})
    assert created.status_code == 201, created.get_json()
    vote_id: int = created.get_json()["id"]
    assert presidium.post(f"/api/votes/{vote_id}/open").status_code == 200
    return vote_id


def test_challenged_ballot_is_public_byte_for_byte_and_cast_ones_are_not(
    logged_in: Callable[..., Api], new_api: Callable[[], Api], guardians: Guardians
) -> None:
    presidium = logged_in(Role.PRESIDIUM)
    delegate = logged_in(Role.DELEGATE, checked_in=True)  # on the roll when the vote opens
    vote_id = _open_vote(presidium, guardians)
    view = delegate.get(f"/api/votes/{vote_id}").get_json()
    challenged = encrypt_for_vote(view, {"motion": ["yes"]}, "stage-challenge")
    spoiled = delegate.post(f"/api/votes/{vote_id}/spoiled-ballots", challenged)
    assert spoiled.status_code == 201, spoiled.get_json()
    code = spoiled.get_json()["tracking_code"]
    cast = delegate.post(
        f"/api/votes/{vote_id}/ballots", encrypt_for_vote(view, {"motion": ["no"]}, "stage-cast")
    )
    assert cast.status_code == 201
    cast_code = cast.get_json()["tracking_code"]

    anyone = new_api()
    resp = anyone.get(f"/api/votes/{vote_id}/challenged-ballots/{code}")
    assert resp.status_code == 200
    body = resp.get_json()
    assert body["ballot"]["code"] == code and body["title"] == "Antrag W1"
    assert body["context"] == view["context"] and body["manifest"] == view["manifest"]
    # the ballot keeps the package's field order (the verifier compares bytes)
    text = resp.get_data(as_text=True)
    start = text.index('"ballot": ') + len('"ballot": ')
    served, _ = json.JSONDecoder().raw_decode(text[start:])
    assert list(served) == [*challenged, "state"]
    assert served["state"] == 2  # SPOILED in electionguard 1.4.0
    # a cast ballot is never served here, nor a code of another vote
    assert anyone.get(f"/api/votes/{vote_id}/challenged-ballots/{cast_code}").status_code == 404
    assert anyone.get(f"/api/votes/{vote_id + 1}/challenged-ballots/{code}").status_code == 404


def test_announce_needs_a_counted_vote_and_the_presidium(
    logged_in: Callable[..., Api], guardians: Guardians
) -> None:
    presidium = logged_in(Role.PRESIDIUM)
    vote_id = _open_vote(presidium, guardians)
    refused = presidium.post(f"/api/votes/{vote_id}/announce")
    assert refused.status_code == 409 and refused.get_json()["error"] == "no_result_yet"
    delegate = logged_in(Role.DELEGATE, checked_in=True)
    assert delegate.post(f"/api/votes/{vote_id}/announce").status_code == 403
    assert presidium.post("/api/votes/999/announce").status_code == 404
    assert delegate.get("/api/event/stage").get_json()["projected_vote_id"] is None


def test_agenda_items_are_listed_in_order_and_called_onto_the_stage(
    logged_in: Callable[..., Api],
) -> None:
    presidium = logged_in(Role.PRESIDIUM)
    delegate = logged_in(Role.DELEGATE)
    assert delegate.get("/api/agenda").get_json() == {
        "items": [], "current": None, "current_id": None}
    for title in ("TOP 1: Eröffnung", "  TOP 2: Wahlen  "):
        assert presidium.post("/api/agenda", {"title": title}).status_code == 201
    assert presidium.post("/api/agenda", {"title": "   "}).status_code == 400
    assert delegate.post("/api/agenda", {"title": "TOP 9"}).status_code == 403
    items = delegate.get("/api/agenda").get_json()["items"]
    assert [(i["position"], i["title"]) for i in items] == [(1, "TOP 1: Eröffnung"), (2, "TOP 2: Wahlen")]
    called = presidium.post(f"/api/agenda/{items[1]['id']}/call")
    assert called.status_code == 200 and called.get_json()["current"] == "TOP 2: Wahlen"
    assert delegate.get("/api/agenda").get_json()["current"] == "TOP 2: Wahlen"
    assert delegate.post(f"/api/agenda/{items[0]['id']}/call").status_code == 403
    assert presidium.post("/api/agenda/999/call").status_code == 404
