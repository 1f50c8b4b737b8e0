"""The permission matrix, enforced: every endpoint of the app × every role, and not logged in.

The endpoints are read from the app's URL map, not listed here, so an endpoint added by any area
is covered the moment it exists, and one without ``@requires`` fails this test.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from server_helpers import Person
from sqlalchemy import select
from werkzeug.routing import Rule as UrlRule

from evote.rules.roles import Role
from evote.store.db import get_session
from evote.store.models.people import Participant
from evote.webapp.auth import SESSION_CREDENTIAL_VERSION, SESSION_EPOCH, SESSION_PARTICIPANT
from evote.webapp.csrf import HEADER, SESSION_KEY
from evote.webapp.permissions import (
    ACTION_ATTRIBUTE,
    DENIAL_STATUS,
    MATRIX,
    Action,
    Denial,
    decide,
    requires,
)

PLACEHOLDERS = {"IntegerConverter": "999999", "UUIDConverter": "00000000-0000-0000-0000-000000000000"}


def endpoint_rules(app: Flask) -> list[UrlRule]:
    return [r for r in app.url_map.iter_rules() if r.endpoint != "static"]


def placeholder_url(rule: UrlRule) -> str:
    values = {
        name: PLACEHOLDERS.get(type(conv).__name__, "unknown")
        for name, conv in rule._converters.items()
    }
    return rule.build(values, append_unknown=False)[1]  # type: ignore[index]


def test_every_endpoint_names_an_action(app: Flask) -> None:
    missing = [
        r.endpoint
        for r in endpoint_rules(app)
        if getattr(app.view_functions[r.endpoint], ACTION_ATTRIBUTE, None) not in MATRIX
    ]
    assert not missing, f"endpoints without @requires(Action.X): {missing}"


def test_requires_refuses_an_action_outside_the_matrix() -> None:
    with pytest.raises(KeyError):
        requires("no_such_action")  # type: ignore[arg-type]


def test_every_action_has_a_rule() -> None:
    assert set(MATRIX) == set(Action)
    for action, rule in MATRIX.items():
        assert rule.public or rule.roles, f"{action} is reachable by nobody"


@dataclass(frozen=True)
class Actor:
    label: str
    person: Person | None
    roles: frozenset[Role] | None
    checked_in: bool
    can_vote: bool


def actors(person: Callable[..., Person]) -> list[Actor]:
    """Not logged in; each role alone, checked in or not; a delegate without voting right."""
    found = [Actor("anonymous", None, None, False, False)]
    for role, checked_in in itertools.product(Role, (False, True)):
        p = person(role, checked_in=checked_in)
        votes = checked_in and p.voting_right
        found.append(Actor(f"{role.value}/checked_in={checked_in}", p, p.roles, checked_in, votes))
    p = person(Role.DELEGATE, voting_right=False, checked_in=True)
    found.append(Actor("delegate-without-vote", p, p.roles, True, False))
    return found


def browser_as(app: Flask, actor: Actor) -> Any:
    """A client whose session is this actor's, set directly (fast, and a logout by one request
    cannot log out the next: the session takes the epoch the logout left)."""
    client = app.test_client()
    with client.session_transaction() as sess:
        sess[SESSION_KEY] = "matrix-token"
        if actor.person is not None:
            sess[SESSION_PARTICIPANT] = actor.person.id
            sess[SESSION_CREDENTIAL_VERSION] = 1
            with app.app_context():
                sess[SESSION_EPOCH] = get_session().scalar(
                    select(Participant.session_epoch).where(Participant.id == actor.person.id)
                )
    return client


def test_matrix_on_every_endpoint_for_every_role(
    app: Flask, person: Callable[..., Person]
) -> None:
    cast = actors(person)
    failures: list[str] = []
    checked = 0
    # Check-in changes who may do what; test it last so it does not leak into other endpoints.
    rules = sorted(
        endpoint_rules(app),
        key=lambda r: getattr(app.view_functions[r.endpoint], ACTION_ATTRIBUTE) == Action.CHECK_IN,
    )
    for rule in rules:
        action = getattr(app.view_functions[rule.endpoint], ACTION_ATTRIBUTE)
        url = placeholder_url(rule)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            for actor in cast:
                expected = decide(action, actor.roles, actor.checked_in, actor.can_vote)
                client = browser_as(app, actor)
                where = f"{method} {url} [{action}] as {actor.label}"
                try:
                    resp = client.open(url, method=method, headers={HEADER: "matrix-token"}, json={})
                except Exception as exc:  # report every broken endpoint, not just the first
                    failures.append(f"{where}: raised {exc!r}")
                    continue
                streaming = resp.mimetype == "text/event-stream"
                body = None if streaming else resp.get_json(silent=True)
                resp.close()  # ends a live stream, and with it the contexts it holds
                error = body.get("error") if isinstance(body, dict) else None
                if expected is None:
                    if error in {d.value for d in Denial}:
                        failures.append(f"{where}: refused ({resp.status_code} {error}), should pass")
                elif resp.status_code != DENIAL_STATUS[expected] or error != expected.value:
                    failures.append(
                        f"{where}: got {resp.status_code} {error}, expected {expected.value}"
                    )
                checked += 1
    assert checked > 0
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("checked_in", [False, True])
@pytest.mark.parametrize("voting_right", [False, True])
def test_casting_needs_check_in_and_voting_right(checked_in: bool, voting_right: bool) -> None:
    result = decide(Action.CAST_BALLOT, frozenset({Role.DELEGATE}), checked_in, checked_in and voting_right)
    if not checked_in:
        assert result is Denial.NOT_CHECKED_IN
    elif not voting_right:
        assert result is Denial.NO_VOTING_RIGHT
    else:
        assert result is None


@pytest.mark.parametrize("role", [r for r in Role if r is not Role.DELEGATE])
def test_only_delegates_cast(role: Role) -> None:
    assert decide(Action.CAST_BALLOT, frozenset({role}), True, True) is Denial.FORBIDDEN


def test_support_never_gets_a_vote_related_action() -> None:
    vote_actions = {Action.CAST_BALLOT, Action.MANAGE_VOTES, Action.GUARDIAN_DECRYPT,
                    Action.MANAGE_CREDENTIALS}
    for action in vote_actions:
        assert Role.SUPPORT not in MATRIX[action].roles


def test_an_unguarded_endpoint_would_be_caught(app: Flask) -> None:
    """The URL-map walk really sees new endpoints: one added without @requires is reported."""
    app.add_url_rule("/api/unguarded", "unguarded", lambda: "open to all")
    unguarded = [
        r.endpoint
        for r in endpoint_rules(app)
        if getattr(app.view_functions[r.endpoint], ACTION_ATTRIBUTE, None) is None
    ]
    assert unguarded == ["unguarded"]
