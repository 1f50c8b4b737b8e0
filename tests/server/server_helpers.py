"""Helpers for server tests: an API client that carries the CSRF token, people factories, and a
live HTTP server for tests that need real connections.

Import in tests as ``from server_helpers import Api, Person`` (tests/server is on sys.path).
Fixtures that hand these out live in ``conftest.py``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from evote.demo.local_server import ServerThread, bind
from evote.people.accounts import add_participant, create_event
from evote.people.credentials import issue
from evote.rules.roles import Role
from evote.store.db import get_session
from evote.store.models.event import Event, EventStatus
from evote.store.models.people import Participant
from evote.webapp.csrf import HEADER

DATABASE_URL: str | None = os.environ.get("EVOTE_TEST_DATABASE_URL") or None
"""The suite's database when not SQLite (CI's second pass runs on PostgreSQL)."""


def is_postgres() -> bool:
    return bool(DATABASE_URL and DATABASE_URL.startswith("postgresql"))


def verify_record(record: Path) -> dict[str, Any]:
    """Run the standalone `evote-verify` on a downloaded record; its JSON report, all passed."""
    run = subprocess.run(
        [_verifier(), "--json", "--workers", "1", str(record)],
        capture_output=True, text=True, timeout=600,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    report: dict[str, Any] = json.loads(run.stdout)
    assert report["passed"] is True and report["failures"] == []
    return report


def verify_receipt(receipt: Path, record: Path) -> subprocess.CompletedProcess[str]:
    """`evote-verify --receipt RECEIPT RECORD`, its exit status and text as they come."""
    return subprocess.run(
        [_verifier(), "--receipt", str(receipt), str(record)],
        capture_output=True, text=True, timeout=600,
    )


def oracle_accepts(tree: Path) -> dict[str, Any]:
    """Microsoft's electionguard 1.4.0 loads and checks the record unpacked at `tree`
    (tests/oracle/check_record.py under the .oracle venv); its summary."""
    oracle = Path(__file__).parents[2] / ".oracle" / "bin" / "python"
    if not oracle.exists():
        pytest.skip(f"no electionguard 1.4.0 venv at {oracle.parent.parent}")
    script = Path(__file__).parents[1] / "oracle" / "check_record.py"
    done = subprocess.run(
        [str(oracle), str(script), str(tree)], capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-3000:]
    summary: dict[str, Any] = json.loads(done.stdout)
    assert summary
    return summary


def _verifier() -> str:
    """The standalone verifier's command; skips when it is not installed: it is a separate
    package (pip install -e ./verifier)."""
    repo = Path(__file__).parents[2]
    verifier = shutil.which("evote-verify") or str(repo / ".venv" / "bin" / "evote-verify")
    if not Path(verifier).exists():
        pytest.skip("evote-verify is not installed (pip install -e ./verifier)")
    return verifier


@contextmanager
def live_http(app: Flask) -> Iterator[ServerThread]:
    """`app` on a free port of 127.0.0.1, in a thread, for as long as the block runs.

    The demo's `ServerThread`, so the tests and the demo serve the same way.
    """
    server = ServerThread(app, bind("127.0.0.1", 0)).start()
    try:
        yield server
    finally:
        server.stop()


@dataclass(frozen=True)
class Person:
    """A participant made for a test, with the clear password only the test knows."""

    id: int
    login_name: str
    password: str
    roles: frozenset[Role]
    voting_right: bool
    event_id: int


class Api:
    """A logged-out or logged-in browser: a Flask test client plus its CSRF token.

    ``post``/``put``/``patch``/``delete`` send the token in the ``X-CSRF-Token`` header like the
    web client does; pass ``csrf=False`` to test the refusal.
    """

    def __init__(self, client: FlaskClient) -> None:
        self.client = client
        self.csrf: str | None = None
        self.person: Person | None = None

    def fetch_csrf(self) -> str:
        token: str = self.client.get("/api/csrf").get_json()["csrf_token"]
        self.csrf = token
        return token

    def get(self, path: str, **kwargs: Any) -> TestResponse:
        return self.client.get(path, **kwargs)

    def _send(self, method: str, path: str, csrf: bool, **kwargs: Any) -> TestResponse:
        headers = dict(kwargs.pop("headers", {}) or {})
        if csrf:
            headers[HEADER] = self.csrf or self.fetch_csrf()
        return self.client.open(path, method=method, headers=headers, **kwargs)

    def post(self, path: str, json: Any = None, *, csrf: bool = True, **kw: Any) -> TestResponse:
        if json is not None:
            kw["json"] = json
        return self._send("POST", path, csrf, **kw)

    def patch(self, path: str, json: Any = None, *, csrf: bool = True, **kw: Any) -> TestResponse:
        if json is not None:
            kw["json"] = json
        return self._send("PATCH", path, csrf, **kw)

    def put(self, path: str, json: Any = None, *, csrf: bool = True, **kw: Any) -> TestResponse:
        if json is not None:
            kw["json"] = json
        return self._send("PUT", path, csrf, **kw)

    def delete(self, path: str, *, csrf: bool = True, **kw: Any) -> TestResponse:
        return self._send("DELETE", path, csrf, **kw)

    def login(self, person: Person) -> TestResponse:
        """Log in; asserts success and keeps the new session's CSRF token."""
        resp = self.post("/api/auth/login", {"login": person.login_name, "password": person.password})
        assert resp.status_code == 200, resp.get_json()
        self.csrf = resp.get_json()["csrf_token"]
        self.person = person
        return resp

    def check_in(self) -> TestResponse:
        resp = self.post("/api/checkin")
        assert resp.status_code == 200, resp.get_json()
        return resp


def make_event(
    app: Flask,
    slug: str = "bpt",
    status: EventStatus = EventStatus.OPEN,
    quorum: tuple[int, int] = (1, 2),
    quorum_strict: bool = True,
) -> int:
    """Create an event and return its id (open by default, so check-in works)."""
    with app.app_context():
        db = get_session()
        event = create_event(
            db, slug, f"Convention {slug}", "https://vote.example.org", quorum, quorum_strict
        )
        event.status = status.value
        db.commit()
        return event.id


def deactivate(app: Flask, person: Person) -> None:
    """Set the account inactive in the database, as an administrator's deactivation does."""
    with app.app_context():
        db = get_session()
        p = db.get(Participant, person.id)
        assert p is not None
        p.active = False
        db.commit()


def make_person(
    app: Flask,
    event_id: int,
    roles: Iterable[Role | str] = (Role.DELEGATE,),
    *,
    voting_right: bool | None = None,
    checked_in: bool = False,
    name: str | None = None,
    groups: Iterable[str] = (),
    delegation: str = "Test delegation",
) -> Person:
    """Create a participant with credentials. A delegate gets a voting right unless told not."""
    role_set = frozenset(Role(r) for r in roles)
    if voting_right is None:
        voting_right = Role.DELEGATE in role_set
    with app.app_context():
        db = get_session()
        event = db.get(Event, event_id)
        assert event is not None
        count = db.scalar(select(Participant.id).order_by(Participant.id.desc()).limit(1)) or 0
        label = name or f"Person {count + 1}"
        p = add_participant(
            db,
            event,
            name=label,
            email=f"p{count + 1}-{'-'.join(sorted(role_set))}@example.org".replace("_", ""),
            delegation=delegation,
            roles=role_set,
            groups=groups,
            voting_right=voting_right,
        )
        db.flush()
        [credential] = issue([p], app.config["PASSWORD_HASH_PROFILE"])
        if checked_in:
            from evote.people.attendance import check_in

            check_in(p)
        db.commit()
        return Person(
            id=p.id,
            login_name=p.login_name,
            password=credential.password,
            roles=role_set,
            voting_right=voting_right,
            event_id=event_id,
        )
