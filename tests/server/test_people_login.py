"""Logging in and out: Argon2id, sessions, cookie flags, the rate limit."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from server_helpers import Api, Person
from sqlalchemy import select

from evote.db import get_session
from evote.models.people import Participant
from evote.permissions import Role


def test_login_me_logout(api: Api, person: Callable[..., Person]) -> None:
    someone = person(Role.DELEGATE)
    assert api.get("/api/me").status_code == 401
    api.login(someone)
    me = api.get("/api/me").get_json()
    assert me["login_name"] == someone.login_name
    assert me["roles"] == ["delegate"]
    assert me["checked_in"] is False and me["can_vote"] is False
    assert api.post("/api/auth/logout").status_code == 200
    assert api.get("/api/me").status_code == 401


def test_password_stored_as_argon2id(app: Flask, person: Callable[..., Person]) -> None:
    someone = person(Role.DELEGATE)
    with app.app_context():
        stored = get_session().scalars(
            select(Participant.password_hash).where(Participant.id == someone.id)
        ).one()
    assert stored is not None and stored.startswith("$argon2id$")
    assert someone.password not in stored
