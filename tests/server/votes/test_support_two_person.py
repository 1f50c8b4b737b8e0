"""Two-person rule for a password reissue during an open vote (support page, issue 13).

A new password lets whoever holds it cast the delegate's ballot; while a vote is open, one
staff member only asks, a second one confirms, and the delegate's next page says so.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from flask import Flask
from server_helpers import Api
from sqlalchemy import update
from vote_helpers import Stage

from evote.rules.roles import Role
from evote.store.db import get_session
from evote.store.models.people import Participant

HTML = {"Accept": "text/html"}


def _version(app: Flask, pid: int) -> int:
    with app.app_context():
        found = get_session().get(Participant, pid)
        assert found is not None
        return found.credential_version


def test_reissue_during_an_open_vote_needs_a_second_person(
    app: Flask, stage: Stage, logged_in: Callable[..., Api]
) -> None:
    first, second = logged_in(Role.SUPPORT), logged_in(Role.SUPPORT)
    delegate = stage.delegates[0]
    assert delegate.person is not None
    pid = delegate.person.id
    before = _version(app, pid)
    stage.open(stage.create()["id"])
    url = f"/api/support/participants/{pid}/credentials"

    asked = first.post(url)
    assert asked.status_code == 202 and asked.get_json()["status"] == "confirmation_needed"
    assert "password" not in asked.get_json()
    assert first.person is not None
    assert asked.get_json()["reissue_request"]["requested_by"] == first.person.id
    assert _version(app, pid) == before  # nothing issued yet; the delegate stays logged in
    assert delegate.get("/api/me").status_code == 200
    # the one who asked cannot confirm, nor ask a second time past a colleague's request
    refused = first.post(f"{url}/confirm")
    assert refused.status_code == 409 and refused.get_json()["error"] == "same_person"
    assert second.post(url).get_json()["error"] == "reissue_pending"
    assert _version(app, pid) == before

    confirmed = second.post(f"{url}/confirm")
    assert confirmed.status_code == 200, confirmed.get_json()
    body = confirmed.get_json()
    assert body["status"] == "issued" and body["password"]
    assert base64.b64decode(body["letter_pdf"]).startswith(b"%PDF")
    assert _version(app, pid) == before + 1
    again = second.post(f"{url}/confirm")  # taken once
    assert again.status_code == 409 and again.get_json()["error"] == "no_reissue_request"

    # the delegate, logging in with the new password, is told on the next page, once
    fresh = Api(app.test_client())
    login = fresh.post("/api/auth/login", {"login": body["login_name"], "password": body["password"]})
    assert login.status_code == 200
    page = fresh.client.get("/", headers=HTML).get_data(as_text=True)
    assert 'id="reissue-notice"' in page and "während einer laufenden Abstimmung" in page
    assert 'id="reissue-notice"' not in fresh.client.get("/", headers=HTML).get_data(as_text=True)


def test_request_expires_and_can_be_withdrawn(
    app: Flask, stage: Stage, logged_in: Callable[..., Api]
) -> None:
    first, second = logged_in(Role.SUPPORT), logged_in(Role.ADMIN)
    assert stage.delegates[1].person is not None
    pid = stage.delegates[1].person.id
    stage.open(stage.create()["id"])
    url = f"/api/support/participants/{pid}/credentials"
    assert first.post(url).status_code == 202
    withdrawn = second.delete(f"{url}/request")
    assert withdrawn.status_code == 200 and "reissue_request" not in withdrawn.get_json()
    assert second.post(f"{url}/confirm").get_json()["error"] == "no_reissue_request"
    assert first.post(url).status_code == 202
    with app.app_context():  # sixteen minutes later
        get_session().execute(
            update(Participant).where(Participant.id == pid)
            .values(reissue_requested_at=datetime.now(UTC) - timedelta(minutes=16))
        )
        get_session().commit()
    stale = second.post(f"{url}/confirm")
    assert stale.status_code == 409 and stale.get_json()["error"] == "no_reissue_request"
    assert second.post(url).status_code == 202  # an expired request is no obstacle


def test_reissue_without_an_open_vote_is_immediate_and_untold(
    app: Flask, stage: Stage, logged_in: Callable[..., Api]
) -> None:
    support = logged_in(Role.SUPPORT)
    assert stage.delegates[2].person is not None
    stage.create()  # a draft is no open vote
    resp = support.post(f"/api/support/participants/{stage.delegates[2].person.id}/credentials")
    assert resp.status_code == 200 and resp.get_json()["status"] == "issued"
    fresh = Api(app.test_client())
    body = resp.get_json()
    fresh.post("/api/auth/login", {"login": body["login_name"], "password": body["password"]})
    assert "reissue-notice" not in fresh.client.get("/", headers=HTML).get_data(as_text=True)
