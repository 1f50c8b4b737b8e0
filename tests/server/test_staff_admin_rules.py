"""Admin rules decided on the server: no role change to one's own account."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from server_helpers import Api

from evote.rules.roles import Role
from evote.store.db import get_session
from evote.store.models.people import Participant


def test_admin_cannot_change_own_roles(app: Flask, logged_in: Callable[..., Api]) -> None:
    admin = logged_in(Role.ADMIN)
    assert admin.person is not None
    me = f"/api/admin/participants/{admin.person.id}"
    for roles in (["admin", "presidium"], ["admin", "delegate"], ["admin", "guardian"]):
        resp = admin.patch(me, {"roles": roles, "voting_right": roles[1] == "delegate"})
        assert resp.status_code == 403 and resp.get_json()["error"] == "own_roles", roles
    with app.app_context():  # nothing changed
        found = get_session().get(Participant, admin.person.id)
        assert found is not None and found.role_set == {Role.ADMIN}
    assert admin.patch(me, {"active": False}).get_json()["error"] == "self_lockout"
    # the same roles again, or a name change, are no role change
    assert admin.patch(me, {"roles": ["admin"], "name": "Neu"}).status_code == 200
    # another admin may
    other = logged_in(Role.ADMIN)
    resp = other.patch(me, {"roles": ["admin", "presidium"]})
    assert resp.status_code == 200 and resp.get_json()["roles"] == ["admin", "presidium"]
