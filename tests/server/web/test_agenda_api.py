"""The agenda in the console (issue 13): items edited, reordered and deleted, the called one
marked by id, votes linked to their item; bad input refused with a clear code, nothing changed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from server_helpers import Api
from vote_helpers import Guardians

from evote.rules.roles import Role


def _items(api: Api) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = api.get("/api/agenda").get_json()["items"]
    return items


def _agenda(presidium: Api, *titles: str) -> list[int]:
    for title in titles:
        assert presidium.post("/api/agenda", {"title": title}).status_code == 201
    return [i["id"] for i in _items(presidium)]


def test_items_are_edited_reordered_and_the_called_one_is_marked(
    logged_in: Callable[..., Api],
) -> None:
    presidium = logged_in(Role.PRESIDIUM)
    delegate = logged_in(Role.DELEGATE)
    one, two, three = _agenda(presidium, "TOP 1", "TOP 2", "TOP 2")  # same title twice
    called = presidium.post(f"/api/agenda/{three}/call").get_json()
    assert called["current_id"] == three
    assert [i["current"] for i in called["items"]] == [False, False, True]

    edited = presidium.patch(f"/api/agenda/{three}", {"title": "  TOP 3:   Wahlen "})
    assert edited.status_code == 200
    assert edited.get_json()["current"] == "TOP 3: Wahlen"  # the stage follows the edit
    assert presidium.patch(f"/api/agenda/{two}", {"title": "x" * 301}).status_code == 400
    refused = presidium.patch(f"/api/agenda/{two}", {"title": " "})
    assert refused.status_code == 400 and refused.get_json()["error"] == "bad_agenda_title"
    assert presidium.patch("/api/agenda/999", {"title": "TOP 9"}).status_code == 404
    assert delegate.patch(f"/api/agenda/{two}", {"title": "mine"}).status_code == 403
    assert [i["title"] for i in _items(delegate)] == ["TOP 1", "TOP 2", "TOP 3: Wahlen"]

    moved = presidium.put("/api/agenda/order", {"ids": [three, one, two]})
    assert moved.status_code == 200
    assert [(i["id"], i["position"]) for i in moved.get_json()["items"]] == [
        (three, 1), (one, 2), (two, 3)]
    for bad, code, status in (
        ({"ids": [one, two]}, "agenda_changed", 409),
        ({"ids": [one, two, three, 999]}, "agenda_changed", 409),
        ({"ids": [one, one, two]}, "bad_agenda_order", 400),
        ({"ids": "1,2,3"}, "bad_agenda_order", 400),
        ({"ids": [one, True, two]}, "bad_agenda_order", 400),
    ):
        refused = presidium.put("/api/agenda/order", bad)
        assert (refused.status_code, refused.get_json()["error"]) == (status, code), bad
    assert [i["id"] for i in _items(delegate)] == [three, one, two]  # nothing changed
    assert delegate.put("/api/agenda/order", {"ids": [one, two, three]}).status_code == 403

    # a title set by hand is none of the items
    presidium.put("/api/agenda/current", {"title": "Pause"})
    assert not any(i["current"] for i in _items(delegate))


def test_votes_are_linked_and_an_item_with_a_history_is_not_deleted(
    logged_in: Callable[..., Api],
) -> None:
    presidium = logged_in(Role.PRESIDIUM)
    one, two = _agenda(presidium, "TOP 1: Satzung", "TOP 2: Wahlen")
    presidium.post(f"/api/agenda/{two}/call")
    draft = presidium.post("/api/votes", {"kind": "motion", "title": "S1", "agenda_item_id": one})
    assert draft.status_code == 201 and draft.get_json()["agenda_item_id"] == one
    vote_id = draft.get_json()["id"]
    unlinked = presidium.post("/api/votes", {"kind": "motion", "title": "S2"})
    assert unlinked.get_json()["agenda_item_id"] is None
    for bad, status in ((999, 404), ("1", 400), (True, 400)):
        refused = presidium.post("/api/votes", {"kind": "motion", "title": "S3", "agenda_item_id": bad})
        assert refused.status_code == status, bad
    assert len(presidium.get("/api/votes").get_json()["votes"]) == 2  # nothing created
    moved = presidium.patch(f"/api/votes/{vote_id}", {"kind": "motion", "title": "S1", "agenda_item_id": two})
    assert moved.status_code == 200 and moved.get_json()["agenda_item_id"] == two
    assert [i["votes"] for i in _items(presidium)] == [[], [vote_id]]

    # a draft's link goes with the item; the called item leaves the stage
    deleted = presidium.delete(f"/api/agenda/{two}")
    assert deleted.status_code == 200
    body = deleted.get_json()
    assert [(i["id"], i["position"]) for i in body["items"]] == [(one, 1)]
    assert body["current"] is None and body["current_id"] is None
    assert presidium.get(f"/api/votes/{vote_id}").get_json()["agenda_item_id"] is None
    assert presidium.delete(f"/api/agenda/{two}").status_code == 404

    # once a vote under it has opened, the item stays (the minutes need it)
    assert presidium.put("/api/election-key", Guardians(3, 2, label="agenda").ceremony_json()).status_code == 200
    presidium.patch(f"/api/votes/{vote_id}", {"kind": "motion", "title": "S1", "agenda_item_id": one})
    assert presidium.post(f"/api/votes/{vote_id}/open").status_code == 200
    refused = presidium.delete(f"/api/agenda/{one}")
    assert refused.status_code == 409 and refused.get_json()["error"] == "agenda_item_in_use"
    assert [i["id"] for i in _items(presidium)] == [one]
