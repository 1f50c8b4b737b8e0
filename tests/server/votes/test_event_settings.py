"""The event's settings (issue 13): name, public address and the quorum rule, set from the
console or the admin page; every bad field refused with its code and nothing changed; the
quorum rule not changed while a vote is still to be decided against it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from server_helpers import Api
from vote_helpers import Guardians

from evote.rules.roles import Role


def _settings(api: Api) -> dict[str, Any]:
    body: dict[str, Any] = api.get("/api/event/settings").get_json()
    return body


def test_presidium_and_admin_change_settings_others_cannot(
    logged_in: Callable[..., Api],
) -> None:
    presidium = logged_in(Role.PRESIDIUM)
    admin = logged_in(Role.ADMIN)
    before = _settings(presidium)
    assert before["quorum"] == {"numerator": 1, "denominator": 2, "strict": True}
    changed = presidium.patch("/api/event/settings", {"quorum": {"numerator": 2, "denominator": 3, "strict": False}})
    assert changed.status_code == 200
    assert changed.get_json()["quorum"] == {"numerator": 2, "denominator": 3, "strict": False}
    attendance = presidium.get("/api/presidium/attendance").get_json()
    assert attendance["quorum_rule"] == {"numerator": 2, "denominator": 3, "strict": False}
    renamed = admin.patch("/api/event/settings", {
        "name": "  Landesparteitag   2026 ", "public_url": "https://wahl.example.org/"})
    assert renamed.status_code == 200
    assert (renamed.get_json()["name"], renamed.get_json()["public_url"]) == (
        "Landesparteitag 2026", "https://wahl.example.org")
    for role in (Role.DELEGATE, Role.SUPPORT, Role.GUARDIAN):
        api = logged_in(role)
        assert api.get("/api/event/settings").status_code == 403
        assert api.patch("/api/event/settings", {"name": "mine"}).status_code == 403


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"name": ""}, "bad_event_name"),
        ({"name": "x" * 201}, "bad_event_name"),
        ({"name": 7}, "bad_event_name"),
        ({"public_url": "javascript:alert(1)"}, "bad_public_url"),
        ({"public_url": "https://user:pw@example.org"}, "bad_public_url"),
        ({"public_url": "https://example.org/?next=evil"}, "bad_public_url"),
        ({"public_url": "example.org"}, "bad_public_url"),
        ({"quorum": {"numerator": 3, "denominator": 2}}, "bad_quorum"),
        ({"quorum": {"numerator": 1, "denominator": 0}}, "bad_quorum"),
        ({"quorum": {"numerator": -1, "denominator": 2}}, "bad_quorum"),
        ({"quorum": {"numerator": 1, "denominator": 2, "strict": "yes"}}, "bad_quorum"),
        ({"quorum": {"numerator": True, "denominator": 2}}, "bad_quorum"),
        ({"quorum": "1/2"}, "bad_quorum"),
        ({"name": "OK", "quorum": {"numerator": 1, "denominator": 5000}}, "bad_quorum"),
        ({"slug": "other"}, "bad_field"),
    ],
)
def test_bad_settings_are_refused_and_change_nothing(
    logged_in: Callable[..., Api], body: dict[str, Any], code: str,
) -> None:
    presidium = logged_in(Role.PRESIDIUM)
    before = _settings(presidium)
    refused = presidium.patch("/api/event/settings", body)
    assert (refused.status_code, refused.get_json()["error"]) == (400, code)
    assert _settings(presidium) == before


def test_quorum_rule_waits_while_a_vote_is_undecided(logged_in: Callable[..., Api]) -> None:
    presidium = logged_in(Role.PRESIDIUM)
    logged_in(Role.DELEGATE, checked_in=True)
    assert presidium.put("/api/election-key", Guardians(3, 2, label="settings").ceremony_json()).status_code == 200
    vote = presidium.post("/api/votes", {"kind": "motion", "title": "A1"}).get_json()
    # a draft is no obstacle
    assert presidium.patch("/api/event/settings", {"quorum": {"numerator": 1, "denominator": 3}}).status_code == 200
    assert presidium.post(f"/api/votes/{vote['id']}/open").status_code == 200
    refused = presidium.patch("/api/event/settings", {"quorum": {"numerator": 1, "denominator": 2}})
    assert refused.status_code == 409 and refused.get_json()["error"] == "vote_undecided"
    assert _settings(presidium)["quorum"]["denominator"] == 3
    # the same rule again, or the name, may still be changed
    same = {"name": "LPT", "quorum": {"numerator": 1, "denominator": 3, "strict": True}}
    assert presidium.patch("/api/event/settings", same).status_code == 200
    assert presidium.post(f"/api/votes/{vote['id']}/close").status_code == 200
    still = presidium.patch("/api/event/settings", {"quorum": {"numerator": 1, "denominator": 2}})
    assert still.status_code == 409  # closed, not yet counted: decided later against the rule
