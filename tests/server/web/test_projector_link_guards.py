"""The projector link's two guards, as the studio link's (security review, webapp/pages/
link_login.py): a browser logged in as someone else keeps its session (login CSRF), and the
login is audited as a staff login."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from flask import Flask
from server_helpers import Api, Person

from evote import audit
from evote.people import projector_link
from evote.rules.roles import Role
from evote.store.db import get_session

HTML = {"Accept": "text/html,application/xhtml+xml"}


def _link(app: Flask, who: Person) -> str:
    secret = str(app.config["SECRET_KEY"]).encode()
    return "/projector/enter?" + urlencode({"p": who.id, "token": projector_link.token(secret, who.id, 1)})


def test_a_projector_link_keeps_someone_elses_session_and_is_audited(
    app: Flask, person: Callable[..., Person], logged_in: Callable[..., Api],
) -> None:
    wall = person(Role.TECHNICIAN, name="Beamer")
    delegate = logged_in(Role.DELEGATE)
    me = delegate.get("/api/me").get_json()["id"]
    opened = delegate.get(_link(app, wall), headers=HTML)
    assert opened.status_code == 409
    assert "Du bist schon angemeldet" in opened.get_data(as_text=True)
    assert "You are already logged in" in delegate.get(_link(app, wall) + "&lang=en", headers=HTML).get_data(as_text=True)
    assert delegate.get("/api/me").get_json()["id"] == me
    with app.app_context():
        assert audit.entries(get_session(), wall.event_id, actions=["staff.login"]) == []

    browser = Api(app.test_client())
    assert browser.get(_link(app, wall), headers=HTML).status_code == 303
    assert browser.get(_link(app, wall), headers=HTML).status_code == 303  # the wall again
    with app.app_context():
        entries = audit.entries(get_session(), wall.event_id, actions=["staff.login"])
    assert [e["details"] for e in entries] == [{"via": "projector_link"}] * 2
