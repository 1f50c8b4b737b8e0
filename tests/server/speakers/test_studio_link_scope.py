"""The studio link opens the studio and nothing else (security review, docs/threat-model.md).

Attacks reproduced: the link of an account that is a technician *and* an admin (or presidium)
logged its holder in with every one of those roles; and a studio session could do all a
technician does (take speakers from the queue, hand them over live) beyond showing /studio.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from urllib.parse import urlsplit

from click.testing import Result
from flask import Flask
from server_helpers import Api, Person
from sqlalchemy import select

from evote import audit
from evote.rules.roles import Role
from evote.speakers import studio
from evote.store.db import get_session
from evote.store.models.people import Event, Participant


def _link(app: Flask, who: Person) -> str:
    """The link `evote studio-link` would print, made as it does (for accounts it refuses)."""
    with app.app_context():
        account = get_session().get(Participant, who.id)
        assert account is not None
        token = studio.token(str(app.config["SECRET_KEY"]).encode(), who.id, account.credential_version)
    return f"/studio/enter?p={who.id}&token={token}"


def test_a_studio_link_of_a_staff_account_with_more_roles_is_refused(
    app: Flask, event_id: int, person: Callable[..., Person], new_api: Callable[[], Api],
    cli: Callable[..., Result],
) -> None:
    for extra in (Role.ADMIN, Role.PRESIDIUM, Role.SUPPORT, Role.DELEGATE):
        both = person(Role.TECHNICIAN, extra)
        with app.app_context():
            slug = get_session().scalars(select(Event.slug).where(Event.id == event_id)).one()
        made = cli("studio-link", slug, both.login_name)
        assert made.exit_code != 0 and "no active technician" in made.output, made.output
        browser = new_api()
        entered = browser.client.get(_link(app, both))
        assert entered.status_code == 403, extra
        assert browser.get("/api/me").status_code == 401


def test_a_studio_session_shows_the_studio_and_cannot_act_as_a_technician(
    app: Flask, person: Callable[..., Person], new_api: Callable[[], Api],
    logged_in: Callable[..., Api],
) -> None:
    account = person(Role.TECHNICIAN, name="Studio")
    browser = new_api()
    entered = browser.client.get(_link(app, account))
    assert entered.status_code == 303 and urlsplit(entered.headers["Location"]).path == "/studio"
    assert browser.get("/studio").status_code == 200
    with app.app_context():  # a login without a password, audited as a staff login
        [entry] = audit.entries(get_session(), account.event_id, actions=["staff.login"])
        assert entry["details"] == {"via": "studio_link"}, entry
        assert str(account.id) in json.dumps(entry["object"]), entry
    assert browser.get("/api/speakers").status_code == 200
    assert browser.get("/api/speakers/signals?after=0").status_code == 200
    # what a technician may do, but the studio link does not open
    assert browser.get("/technik").status_code == 403
    taken = browser.post("/api/speakers/entries/1/take")
    assert taken.status_code == 403 and taken.get_json()["error"] == "forbidden"
    # the same account logged in with its password is a full technician
    technician = Api(app.test_client())
    technician.login(account)
    assert technician.get("/technik").status_code == 200
    assert logged_in(Role.TECHNICIAN).get("/technik").status_code == 200


def test_a_studio_link_does_not_replace_someone_elses_session(
    app: Flask, person: Callable[..., Person], logged_in: Callable[..., Api],
) -> None:
    """Login CSRF: whoever holds the link could get a delegate's browser to open it (a link in
    a chat) and so swap the delegate's session for the studio's. A browser already logged in
    as someone else keeps its session and is told to log out first."""
    account = person(Role.TECHNICIAN, name="Studio")
    delegate = logged_in(Role.DELEGATE)
    me = delegate.get("/api/me").get_json()["id"]
    opened = delegate.client.get(_link(app, account))
    assert opened.status_code == 409
    assert "Du bist schon angemeldet" in opened.get_data(as_text=True)  # link.logged_in
    english = delegate.client.get(_link(app, account) + "&lang=en")
    assert "You are already logged in" in english.get_data(as_text=True)
    assert delegate.get("/api/me").get_json()["id"] == me
    # the studio's own browser, still logged in as the studio, just goes on
    studio_browser = Api(app.test_client())
    assert studio_browser.client.get(_link(app, account)).status_code == 303
    assert studio_browser.client.get(_link(app, account)).status_code == 303
