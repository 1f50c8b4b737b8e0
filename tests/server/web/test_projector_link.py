"""The projector without anyone's personal login (issue 12, item 8): a link for an account kept
for the wall, scoped to what the wall shows."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from click.testing import CliRunner
from flask import Flask
from server_helpers import Api, Person

from evote.people import projector_link
from evote.rules.roles import Role

HTML = {"Accept": "text/html,application/xhtml+xml"}


def _link(app: Flask, who: Person, version: int = 1) -> str:
    secret = str(app.config["SECRET_KEY"]).encode()
    return "/projector/enter?" + urlencode({"p": who.id, "token": projector_link.token(secret, who.id, version)})


def test_the_link_opens_the_projector_and_nothing_else(
    app: Flask, person: Callable[..., Person]
) -> None:
    wall = person(Role.TECHNICIAN, name="Beamer")
    browser = Api(app.test_client())
    entered = browser.get(_link(app, wall), headers=HTML)
    assert entered.status_code == 303 and entered.headers["Location"] == "/projector"
    page = browser.get("/projector", headers=HTML)
    assert page.status_code == 200
    assert browser.get("/api/live/snapshot").status_code == 200  # the wall follows live
    # nothing else: not the person's start page, the delegate page, the console or the API
    for path in ("/", "/vote", "/presidium", "/api/me", "/technik", "/studio"):
        assert browser.get(path, headers=HTML).status_code in (302, 303, 401, 403), path


def test_a_wrong_or_outdated_link_changes_nothing(
    app: Flask, person: Callable[..., Person], logged_in: Callable[..., Api]
) -> None:
    wall = person(Role.TECHNICIAN)
    browser = Api(app.test_client())
    bad = browser.get(_link(app, wall).replace("token=", "token=x"), headers=HTML)
    assert bad.status_code == 403 and "Beamer-Link gilt nicht" in bad.get_data(as_text=True)
    assert browser.get("/projector", headers=HTML).status_code in (302, 303, 401)
    # a link of another kind (the studio's), or for an account with more roles, is no link
    chair = person(Role.PRESIDIUM, Role.TECHNICIAN)
    assert browser.get(_link(app, chair), headers=HTML).status_code == 403
    # a new password ends the link
    admin = logged_in(Role.ADMIN)  # a staff account's password: only an admin resets it
    assert admin.post(f"/api/support/participants/{wall.id}/credentials").status_code == 200
    assert browser.get(_link(app, wall), headers=HTML).status_code == 403
    assert browser.get(_link(app, wall, version=2), headers=HTML).status_code == 303


def test_the_command_prints_the_link(app: Flask, person: Callable[..., Person], monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from evote.cli import projector

    wall = person(Role.TECHNICIAN)
    monkeypatch.setattr(projector, "command_app", lambda: app)
    with app.app_context():
        from evote.store.db import get_session
        from evote.store.models.people import Participant

        row = get_session().get(Participant, wall.id)
        assert row is not None
        slug, login = row.event.slug, row.login_name
    result = CliRunner().invoke(projector.projector_link_command, [slug, login, "--base", "https://hall.example"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "https://hall.example" + _link(app, wall)
    refused = CliRunner().invoke(projector.projector_link_command, [slug, "nobody"])
    assert refused.exit_code != 0 and "no active technician" in refused.output
