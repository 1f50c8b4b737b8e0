"""Logging in and out: Argon2id, sessions, cookie flags, the rate limit."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from server_helpers import Api, Person, deactivate
from sqlalchemy import select

from evote.rules.roles import Role
from evote.store.db import get_session
from evote.store.models.people import Participant


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


def test_a_cookie_saved_before_logout_no_longer_works(
    app: Flask, api: Api, person: Callable[..., Person]
) -> None:
    """The session cookie is signed, not stored: without the epoch a copy taken before logout
    (shared computer, proxy log, browser backup) stayed valid for its 16 hours."""
    someone = person(Role.DELEGATE)
    api.login(someone)
    saved = api.client.get_cookie("evote_session")
    assert saved is not None
    other_device = Api(app.test_client())
    other_device.login(someone)
    assert api.post("/api/auth/logout").status_code == 200
    thief = app.test_client()
    thief.set_cookie("evote_session", saved.value)
    assert thief.get("/api/me").status_code == 401
    # logout ends every session of the account, on every device
    assert other_device.get("/api/me").status_code == 401
    # and a new login works, with a session of the new epoch
    api.csrf = None  # the logout cleared the session and its token
    api.login(someone)
    assert api.get("/api/me").status_code == 200


def test_logout_form_also_ends_saved_sessions(
    app: Flask, api: Api, person: Callable[..., Person]
) -> None:
    someone = person(Role.DELEGATE)
    api.login(someone)
    saved = api.client.get_cookie("evote_session")
    assert saved is not None
    resp = api.post("/logout", data={"csrf_token": api.csrf}, csrf=False)
    assert resp.status_code == 303
    thief = app.test_client()
    thief.set_cookie("evote_session", saved.value)
    assert thief.get("/api/me").status_code == 401


def test_password_stored_as_argon2id(app: Flask, person: Callable[..., Person]) -> None:
    someone = person(Role.DELEGATE)
    with app.app_context():
        stored = get_session().scalars(
            select(Participant.password_hash).where(Participant.id == someone.id)
        ).one()
    assert stored is not None and stored.startswith("$argon2id$")
    assert someone.password not in stored


def test_wrong_password_and_unknown_login_look_alike(api: Api, person: Callable[..., Person]) -> None:
    someone = person(Role.DELEGATE)
    wrong = api.post("/api/auth/login", {"login": someone.login_name, "password": "nope"})
    unknown = api.post("/api/auth/login", {"login": "nobody", "password": "nope"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.get_json() == unknown.get_json()
    assert api.get("/api/me").status_code == 401


def test_login_name_is_case_insensitive(api: Api, person: Callable[..., Person]) -> None:
    someone = person(Role.DELEGATE)
    resp = api.post(
        "/api/auth/login", {"login": someone.login_name.upper(), "password": someone.password}
    )
    assert resp.status_code == 200


def test_malformed_login_requests_are_refused(api: Api) -> None:
    assert api.post("/api/auth/login", {"login": "x"}).status_code == 400
    assert api.post("/api/auth/login", {"login": 3, "password": "x"}).status_code == 400
    resp = api.post("/api/auth/login", data="not json", content_type="application/json")
    assert resp.status_code == 400
    assert api.post("/api/auth/login", data="login=x", content_type="text/plain").status_code == 415


def test_session_cookie_flags(api: Api, person: Callable[..., Person]) -> None:
    resp = api.login(person(Role.DELEGATE))
    cookies = [h for h in resp.headers.getlist("Set-Cookie") if h.startswith("evote_session=")]
    assert cookies, resp.headers
    flags = {part.strip().split("=")[0].lower() for part in cookies[-1].split(";")}
    assert {"secure", "httponly"} <= flags
    assert "SameSite=Lax" in cookies[-1]


def test_login_replaces_the_session_and_its_csrf_token(api: Api, person: Callable[..., Person]) -> None:
    before = api.fetch_csrf()
    api.login(person(Role.DELEGATE))
    assert api.csrf != before


def test_deactivated_participant_cannot_log_in_and_is_logged_out(
    app: Flask, api: Api, new_api: Callable[[], Api], person: Callable[..., Person]
) -> None:
    someone = person(Role.DELEGATE)
    api.login(someone)
    deactivate(app, someone)
    assert api.get("/api/me").status_code == 401
    fresh = new_api()
    resp = fresh.post("/api/auth/login", {"login": someone.login_name, "password": someone.password})
    assert resp.status_code == 401


def test_unknown_login_costs_a_hash_too(
    api: Api, person: Callable[..., Person], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Same Argon2 work whether or not the login name exists, so timing does not tell."""
    from evote.people import login as login_module

    calls: list[str | None] = []
    real = login_module.verify_password

    def counting(stored: str | None, password: str, profile: str) -> bool:
        calls.append(stored)
        return real(stored, password, profile)

    monkeypatch.setattr(login_module, "verify_password", counting)
    someone = person(Role.DELEGATE)
    api.post("/api/auth/login", {"login": "no-such-name", "password": "x"})
    api.post("/api/auth/login", {"login": someone.login_name, "password": "x"})
    assert len(calls) == 2 and calls[0] is None and calls[1] is not None


def test_a_login_holds_no_database_connection_while_it_hashes(
    app: Flask, api: Api, person: Callable[..., Person], monkeypatch: pytest.MonkeyPatch
) -> None:
    """In a login rush each login waits for a core to hash on. Waiting with a pooled connection
    checked out drained the worker's pool, and its other requests failed with a 500 after the
    pool's timeout (evote rehearse, 100 delegates: 24 logins and 3 check-ins)."""
    from evote.people import login as login_module
    from evote.store.db import get_engine

    pool = get_engine(app).pool
    held: list[int] = []
    real = login_module.verify_password

    def watching(stored: str | None, password: str, profile: str) -> bool:
        held.append(pool.checkedout())  # type: ignore[attr-defined]
        return real(stored, password, profile)

    monkeypatch.setattr(login_module, "verify_password", watching)
    someone = person(Role.DELEGATE)
    assert api.post("/api/auth/login", {"login": someone.login_name, "password": "wrong"}).status_code == 401
    api.login(someone)
    assert api.get("/api/me").get_json()["login_name"] == someone.login_name
    assert held == [0, 0]
