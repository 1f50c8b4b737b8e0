"""No one account can take the live stream from everybody else, and a session's end ends its streams.

The attack this answers: one guest opened streams until the process's cap was reached, and
every delegate page after it got 503 and never learnt that a vote had opened; the guest's
streams also outlived logout, deactivation and a new password.  Now an account holds at most
`LIVE_STREAMS_PER_PARTICIPANT` streams (its newest), a refused page polls
`GET /api/live/snapshot`, and logout, deactivation and a reissued password end the account's
streams in every worker (broadcast through the live bus; across processes in test_live_bus.py).

A real threaded server, since every stream needs its own thread (as under gunicorn).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from server_helpers import Person, deactivate, live_http
from test_live_capacity import Page, _wait_for, login, request
from vote_helpers import Guardians

from evote.rules.roles import Role
from evote.voting import events

Address = tuple[str, int]


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    return {**app_config, "LIVE_MAX_STREAMS": 6, "LIVE_STREAMS_PER_PARTICIPANT": 3}


@pytest.fixture
def address(app: Flask) -> Iterator[Address]:
    with live_http(app) as server:
        yield "127.0.0.1", server.port


def _open(address: Address, cookie: str) -> Page:
    page = Page(address, cookie)
    status, _ = page.head()
    assert status == 200
    first = page.next_event()
    assert first is not None and first["type"] == "snapshot"
    return page


def _ended(page: Page) -> str:
    """The reason of the `ended` event that must come next, and then the end of the response."""
    event = page.next_event()
    assert event is not None and event["type"] == "ended", event
    assert page.next_event() is None and page.ended  # no reconnect hint after it
    page.close()
    reason: str = event["reason"]
    return reason


def _open_vote(address: Address, person: Callable[..., Person], guardians: Guardians) -> int:
    """A presidium member records a ceremony, creates and opens a motion; its id."""
    cookie, csrf = login(address, person(Role.PRESIDIUM))
    status, _, body = request(
        address, "PUT", "/api/election-key", cookie, csrf, guardians.ceremony_json()
    )
    assert status == 200, body
    status, _, body = request(
        address, "POST", "/api/votes", cookie, csrf, {"kind": "motion", "title": "Antrag 1"}
    )
    assert status == 201, body
    vote_id: int = body["id"]
    status, _, body = request(address, "POST", f"/api/votes/{vote_id}/open", cookie, csrf)
    assert status == 200, body
    return vote_id


def test_one_account_cannot_take_every_stream_place(
    app: Flask, address: Address, person: Callable[..., Person], guardians: Guardians
) -> None:
    guest = login(address, person(Role.GUEST_DELEGATE))[0]
    greedy = [_open(address, guest) for _ in range(10)]  # more than the process's 6 places
    try:
        assert [_ended(page) for page in greedy[:7]] == ["replaced"] * 7
        _wait_for(lambda: events.hub(app).subscriber_count() == 3)  # only the newest three
        delegates = [login(address, person(Role.DELEGATE, checked_in=True))[0] for _ in range(3)]
        pages = [_open(address, cookie) for cookie in delegates]  # every delegate gets in
        vote_id = _open_vote(address, person, guardians)
        for page in pages:
            created = page.next_event()  # the draft, then its opening
            assert created is not None and created["type"] == "votes_changed"
            opened = page.next_event()
            assert opened is not None and opened["type"] == "vote_opened"
            assert opened["vote_id"] == vote_id
            page.close()
    finally:
        for page in greedy:
            page.close()


def test_a_refused_page_learns_the_open_vote_by_polling(
    app: Flask, address: Address, person: Callable[..., Person], guardians: Guardians
) -> None:
    events.hub(app).max_streams = 1
    held = _open(address, login(address, person(Role.DELEGATE, checked_in=True))[0])
    cookie = login(address, person(Role.DELEGATE, checked_in=True))[0]
    refused = Page(address, cookie)
    assert refused.head()[0] == 503
    refused.close()
    status, _, body = request(address, "GET", "/api/live/snapshot", cookie)
    assert status == 200 and body["type"] == "snapshot" and body["open_vote"] is None
    vote_id = _open_vote(address, person, guardians)
    status, _, body = request(address, "GET", "/api/live/snapshot", cookie)
    assert status == 200 and body["open_vote"]["id"] == vote_id
    assert body["open_vote"]["closes_at"] and body["server_time"]
    held.close()


def test_polling_needs_a_login(address: Address) -> None:
    assert request(address, "GET", "/api/live/snapshot")[0] == 401


def test_logout_ends_every_stream_of_the_account(
    app: Flask, address: Address, person: Callable[..., Person]
) -> None:
    someone = person(Role.DELEGATE, checked_in=True)
    laptop, csrf = login(address, someone)
    phone = login(address, someone)[0]
    pages = [_open(address, laptop), _open(address, phone)]
    assert request(address, "POST", "/api/auth/logout", laptop, csrf)[0] == 200
    assert [_ended(page) for page in pages] == ["session_ended", "session_ended"]
    _wait_for(lambda: events.hub(app).subscriber_count() == 0)


def test_deactivation_ends_the_streams(
    address: Address, person: Callable[..., Person]
) -> None:
    admin, csrf = login(address, person(Role.ADMIN))
    someone = person(Role.GUEST_DELEGATE)
    page = _open(address, login(address, someone)[0])
    status, _, body = request(
        address, "PATCH", f"/api/admin/participants/{someone.id}", admin, csrf, {"active": False}
    )
    assert status == 200, body
    assert _ended(page) == "session_ended"


def test_a_new_password_ends_the_old_sessions_streams(
    address: Address, person: Callable[..., Person]
) -> None:
    support, csrf = login(address, person(Role.SUPPORT))
    someone = person(Role.DELEGATE)
    page = _open(address, login(address, someone)[0])
    status, _, body = request(
        address, "POST", f"/api/support/participants/{someone.id}/credentials", support, csrf
    )
    assert status == 200, body
    assert _ended(page) == "session_ended"


def test_a_stream_rechecks_its_session_when_no_broadcast_came(
    app: Flask, address: Address, person: Callable[..., Person]
) -> None:
    """A lost broker message (or `evote credentials issue --reissue` with the memory broker)
    must not keep a stream alive: it reads its session again every LIVE_SESSION_CHECK s."""
    app.config["LIVE_SESSION_CHECK"] = 0
    someone = person(Role.DELEGATE)
    page = _open(address, login(address, someone)[0])
    deactivate(app, someone)  # straight in the database: nobody broadcasts anything
    assert _ended(page) == "session_ended"
