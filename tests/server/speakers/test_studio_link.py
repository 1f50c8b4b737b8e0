"""The studio link (`evote studio-link`): the broadcast machine's browser is logged in as the
studio's technician account without a password; a wrong, foreign or outdated link changes
nothing and says so in German and English."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from click.testing import Result
from flask import Flask
from server_helpers import Api, Person
from sqlalchemy import select

from evote.rules.roles import Role
from evote.store.db import get_session
from evote.store.models.people import Event, Participant


def _slug(app: Flask, event_id: int) -> str:
    with app.app_context():
        return get_session().scalars(select(Event.slug).where(Event.id == event_id)).one()


def test_the_studio_link_logs_in_the_studio_and_nothing_else(
    app: Flask, event_id: int, person: Callable[..., Person], new_api: Callable[[], Api],
    cli: Callable[..., Result],
) -> None:
    studio = person(Role.TECHNICIAN, name="Studio")
    slug = _slug(app, event_id)
    made = cli("studio-link", slug, studio.login_name, "--base", "https://vote.example.org/")
    assert made.exit_code == 0, made.output
    link = made.output.strip()
    assert link.startswith("https://vote.example.org/studio/enter?p=")
    path = urlsplit(link)._replace(scheme="", netloc="").geturl()
    browser = new_api()
    entered = browser.client.get(path)
    assert entered.status_code == 303 and entered.headers["Location"] == "/studio"
    assert browser.client.get("/studio").status_code == 200
    assert browser.get("/api/me").get_json()["id"] == studio.id

    # a wrong token, someone else's id, a delegate: refused, nobody logged in
    stranger = new_api()
    wrong = stranger.client.get(path[:-3] + "AAA")
    assert wrong.status_code == 403 and "Dieser Studio-Link gilt nicht" in wrong.get_data(as_text=True)
    english = stranger.client.get(path[:-3] + "AAA" + "&lang=en")
    assert "This studio link is not valid" in english.get_data(as_text=True)
    assert stranger.get("/api/me").status_code == 401
    delegate = person(Role.DELEGATE)
    assert "no active technician" in cli("studio-link", slug, delegate.login_name).output
    foreign = path.replace(f"p={studio.id}", f"p={delegate.id}")
    assert stranger.client.get(foreign).status_code == 403
    assert stranger.client.get("/studio/enter?p=x&token=y").status_code == 403

    # a new password for the studio account ends the link
    with app.app_context():
        db = get_session()
        account = db.get(Participant, studio.id)
        assert account is not None
        account.credential_version += 1
        db.commit()
    assert new_api().client.get(path).status_code == 403
