"""The demo convention's data: an open event on SQLite and its people, with fresh credentials.

Everything goes through the code paths a real convention uses: the Alembic migrations
(`evote db upgrade`), `create_event` and `add_participant` (the CSV import's rules), `issue`
(Argon2id hashes; the clear passwords exist only in the returned list, for printing once), and,
for what the presidium does, the HTTP API itself through a Flask client with the CSRF token.

Login names are readable (`delegate1`) so a person trying the demo can type them; a real
import gives random ones, so that accounts cannot be enumerated and locked out in order.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from evote.people.accounts import add_participant, create_event
from evote.people.credentials import issue
from evote.rules.roles import Role
from evote.store import migrations
from evote.store.db import get_engine, get_session
from evote.store.models.event import EventStatus
from evote.webapp.csrf import HEADER

EVENT_SLUG = "demo"
# The demo is a German party's convention, as the pages are German by default (issue 12, item 7).
EVENT_NAME = "Landesparteitag (Demo)"
GUARDIANS = 3
QUORUM = 2
"""k of n for the joint key: two of the three guardians can decrypt a result."""
AGENDA_ITEM = "TOP 1: Eröffnung, Beschluss der Tagesordnung"
DRAFT_MOTION = "Antrag A1: Der Parteitag beschließt die Tagesordnung"


@dataclass(frozen=True)
class Seat:
    """One demo participant: who they are and what the login is for."""

    login_name: str
    name: str
    roles: frozenset[Role]
    voting_right: bool
    delegation: str
    purpose: str


def _seats() -> list[Seat]:
    d, g = Role.DELEGATE, Role.GUARDIAN
    names = ["Anna Becker", "Ben Schulz", "Clara Wolf", "David Kaya", "Emma Lorenz"]
    seats = [
        Seat(f"delegate{i}", name, frozenset({d}), True, "KV Nord" if i <= 3 else "KV Süd",
             "delegate with a vote")
        for i, name in enumerate(names, start=1)
    ]  # fmt: skip
    seats += [
        Seat("guest1", "Farid Haddad", frozenset({Role.GUEST_DELEGATE}), False, "Jugend",
             "guest delegate: may speak, never votes"),
        Seat("presidium", "Greta Brandt", frozenset({Role.PRESIDIUM}), False, "",
             "presidium: opens votes, shows results"),
        Seat("support", "Hannes Ott", frozenset({Role.SUPPORT}), False, "",
             "support: helps delegates, never sees a vote"),
        Seat("admin", "Ines Roth", frozenset({Role.ADMIN}), False, "", "admin"),
        Seat("technician", "Jonas Pohl", frozenset({Role.TECHNICIAN}), False, "",
             "technician: checks speakers before they go live"),
    ]
    seats += [
        Seat(f"guardian{i}", f"Treuhänderin {i}", frozenset({g, Role.PRESIDIUM}), False, "",
             "presidium and guardian; the demo's guardian client uses this login")
        for i in range(1, GUARDIANS + 1)
    ]  # fmt: skip
    return seats


SEATS: list[Seat] = _seats()


@dataclass(frozen=True)
class Login:
    seat: Seat
    password: str


def demo_config(instance: Path, public_url: str) -> dict[str, Any]:
    """The app's settings, fixed here so that nothing in the environment (a PostgreSQL URL,
    Redis, a proxy count) turns the one-process SQLite demo into something else."""
    return {
        "DATABASE_URL": f"sqlite:///{instance / 'evote.sqlite'}",
        "DATABASE_SCHEMA": None,
        "SECRET_KEY": secrets.token_hex(32),
        "SESSION_COOKIE_SECURE": False,  # plain http; a real server is behind TLS
        "PUBLIC_URL": public_url,
        "PROXY_COUNT": 0,
        "LIVE_BROKER": "memory",
        "RECORD_FOLDER": str(instance / "records"),
        "VOTE_SWEEPER": True,
    }


def create_schema(app: Flask) -> None:
    migrations.upgrade(get_engine(app))


def seat_people(app: Flask, public_url: str) -> list[Login]:
    """Create the open event and every participant; the passwords are returned, never stored."""
    with app.app_context():
        db = get_session()
        event = create_event(db, EVENT_SLUG, EVENT_NAME, public_url)
        event.status = EventStatus.OPEN.value
        event.opened_at = datetime.now(UTC)
        people = []
        for seat in SEATS:
            people.append(add_participant(
                db, event, name=seat.name, email=f"{seat.login_name}@demo.invalid",
                delegation=seat.delegation, roles=seat.roles, voting_right=seat.voting_right,
                login_name=seat.login_name,
            ))  # fmt: skip
        db.flush()
        issued = issue(people, app.config["PASSWORD_HASH_PROFILE"], public_url)
        db.commit()
    by_login = {c.login_name: c.password for c in issued}
    return [Login(seat, by_login[seat.login_name]) for seat in SEATS]


class ApiClient:
    """A browser without the browser: the app's API with a session cookie and the CSRF token."""

    def __init__(self, app: Flask) -> None:
        self.client: FlaskClient = app.test_client()
        self.csrf = ""

    def login(self, login: Login) -> None:
        self.csrf = self.client.get("/api/csrf").get_json()["csrf_token"]
        body = self.post("/api/auth/login", {"login": login.seat.login_name, "password": login.password})
        self.csrf = body["csrf_token"]

    def send(self, method: str, path: str, body: dict[str, Any] | None = None,
             headers: dict[str, str] | None = None) -> Any:
        resp = self.client.open(path, method=method, json=body,
                                headers={HEADER: self.csrf, **(headers or {})})
        if resp.status_code >= 400:
            raise RuntimeError(f"{method} {path}: {resp.status_code} {resp.get_json()}")
        return resp.get_json()

    def post(self, path: str, body: dict[str, Any] | None = None,
             headers: dict[str, str] | None = None) -> Any:
        return self.send("POST", path, body, headers)

    def get(self, path: str) -> Any:
        resp = self.client.get(path)
        if resp.status_code >= 400:
            raise RuntimeError(f"GET {path}: {resp.status_code} {resp.get_json()}")
        return resp.get_json()


def presidium_of(app: Flask, logins: list[Login]) -> ApiClient:
    presidium = ApiClient(app)
    presidium.login(next(x for x in logins if x.seat.login_name == "presidium"))
    return presidium


def start_ceremony(presidium: ApiClient) -> None:
    """Seat every guardian of the event with the demo's quorum; they do the rest themselves."""
    presidium.post("/api/ceremony", {"quorum": QUORUM})


def draft_motion(presidium: ApiClient) -> dict[str, Any]:
    """The current agenda item and a yes/no/abstain motion in draft, ready to be opened."""
    presidium.send("PUT", "/api/agenda/current", {"title": AGENDA_ITEM})
    vote: dict[str, Any] = presidium.post("/api/votes", {
        "kind": "motion", "title": DRAFT_MOTION, "with_abstain": True,
        "majority_rule": "simple", "duration_seconds": 60,
    })  # fmt: skip
    return vote
