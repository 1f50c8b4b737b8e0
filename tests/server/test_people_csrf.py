"""CSRF: every state-changing request must echo the session's token; nothing changes otherwise."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from server_helpers import Api, Person

from evote.rules.roles import Role
from evote.store.db import get_session
from evote.store.models.people import Participant
from evote.webapp.csrf import HEADER


def _checked_in(app: Flask, person_id: int) -> bool:
    with app.app_context():
        p = get_session().get(Participant, person_id)
        assert p is not None
        return p.checked_in_at is not None


def test_post_without_token_is_refused_and_changes_nothing(
    app: Flask, logged_in: Callable[..., Api]
) -> None:
    browser = logged_in(Role.DELEGATE)
    resp = browser.post("/api/checkin", csrf=False)
    assert resp.status_code == 403
    assert resp.get_json()["error"] == "csrf_failed"
    assert browser.person is not None
    assert not _checked_in(app, browser.person.id)


def test_wrong_token_and_another_sessions_token_are_refused(
    app: Flask, logged_in: Callable[..., Api]
) -> None:
    alice, bob = logged_in(Role.DELEGATE), logged_in(Role.DELEGATE)
    assert alice.post("/api/checkin", csrf=False, headers={HEADER: "guess"}).status_code == 403
    assert bob.csrf and bob.csrf != alice.csrf
    assert alice.post("/api/checkin", csrf=False, headers={HEADER: bob.csrf}).status_code == 403
    assert alice.person is not None
    assert not _checked_in(app, alice.person.id)
    assert alice.post("/api/checkin").status_code == 200


def test_form_field_is_accepted_like_the_header(app: Flask, logged_in: Callable[..., Api]) -> None:
    browser = logged_in(Role.DELEGATE)
    resp = browser.client.post("/api/checkin", data={"csrf_token": browser.csrf})
    assert resp.status_code == 200
    wrong = logged_in(Role.DELEGATE)
    resp = wrong.client.post("/api/checkin", data={"csrf_token": "forged"})
    assert resp.status_code == 403


def test_login_itself_needs_the_token(api: Api, person: Callable[..., Person]) -> None:
    """Login CSRF: a foreign page must not log a delegate into an attacker's account."""
    someone = person(Role.DELEGATE)
    body = {"login": someone.login_name, "password": someone.password}
    assert api.post("/api/auth/login", body, csrf=False).status_code == 403
    assert api.get("/api/me").status_code == 401


def test_safe_methods_need_no_token(logged_in: Callable[..., Api]) -> None:
    assert logged_in(Role.DELEGATE).get("/api/me").status_code == 200
