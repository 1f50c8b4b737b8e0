"""Fixtures of the server tests: a fresh app, client and CLI runner per test, on either database.

Database choice: ``EVOTE_TEST_DATABASE_URL`` set (CI's second pass, e.g.
``postgresql+psycopg://postgres@127.0.0.1:5432/test``) runs every test against it; otherwise each
test gets its own SQLite file. PostgreSQL is shared by several engineers' test runs, so each run
works in its own schema ``evote_test_<pid>_<random>`` (dropped at the end), tables are created once
per run and emptied before every test.

Fixtures: ``app``, ``client``, ``api`` (an :class:`server_helpers.Api`), ``new_api`` (factory of
more browsers), ``cli`` (run ``evote ...`` against this app), ``event_id`` (an open event),
``person`` (factory: ``person(Role.DELEGATE, checked_in=True)``), ``logged_in`` (factory: a
logged-in ``Api`` for a new participant with the given roles).
"""

from __future__ import annotations

import hashlib
import os
import secrets
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from flask import Flask
from sqlalchemy import Engine, text

# Test modules import ``server_helpers`` by name; make that work however pytest was started.
sys.path.insert(0, str(Path(__file__).parent))
from server_helpers import DATABASE_URL, Api, Person, is_postgres, make_event, make_person

from evote.rules.roles import Role
from evote.store import models  # noqa: F401  (every table on Base.metadata)
from evote.store.base import Base
from evote.store.db import make_engine
from evote.webapp.app import create_app


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests of one database's own storage are deselected in the other database's pass (not
    skipped: each runs in the pass that can run it, and CI runs both)."""
    other = "sqlite_only" if is_postgres() else "postgres_only"
    dropped = [item for item in items if item.get_closest_marker(other)]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = [item for item in items if not item.get_closest_marker(other)]


def _drop_orphaned_schemas(engine: Engine) -> None:
    """Drop test schemas left by runs that were killed before their cleanup (a timeout, ^C).

    A schema's name carries the pid of the run that made it; one whose process no longer exists
    on this machine is garbage. Runs still alive (a colleague's, in parallel) are left alone.
    """
    with engine.begin() as conn:
        names = conn.execute(
            text(
                "SELECT nspname FROM pg_namespace "
                "WHERE nspname LIKE 'evote\\_test\\_%' OR nspname LIKE 'evote\\_mig\\_%'"
            )
        ).scalars()
        for name in list(names):
            parts = name.split("_")
            if len(parts) == 4 and parts[2].isdigit() and not Path(f"/proc/{parts[2]}").exists():
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))


@pytest.fixture(scope="session")
def pg_schema() -> Iterator[str | None]:
    """This run's private PostgreSQL schema with all tables, or ``None`` on SQLite."""
    if not is_postgres():
        yield None
        return
    assert DATABASE_URL is not None
    schema = f"evote_test_{os.getpid()}_{secrets.token_hex(3)}"
    engine = make_engine(DATABASE_URL)
    _drop_orphaned_schemas(engine)
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    scoped = make_engine(DATABASE_URL, schema)
    Base.metadata.create_all(scoped)
    scoped.dispose()
    try:
        yield schema
    finally:
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        engine.dispose()


TEST_SECRET_KEY = hashlib.sha256(b"evote test secret key").hexdigest()
"""A key of the strength `evote.webapp.secret_key` demands (tests may pass weaker ones, but
apps built from the environment, such as a test's gunicorn, may not)."""


def app_test_config(tmp_path: Path, pg_schema: str | None) -> dict[str, Any]:
    """Config of a test app; also used by tests that build a second app on the same database."""
    url = DATABASE_URL if pg_schema else f"sqlite:///{tmp_path / 'evote.sqlite'}"
    return {
        "TESTING": True,
        "SECRET_KEY": TEST_SECRET_KEY,
        "DATABASE_URL": url,
        "DATABASE_SCHEMA": pg_schema,
        "PASSWORD_HASH_PROFILE": "cheapest",
        "PUBLIC_URL": "https://vote.example.org",
        "ALLOW_KEY_IMPORT": True,
    }


@pytest.fixture
def app_config(tmp_path: Path, pg_schema: str | None) -> dict[str, Any]:
    return app_test_config(tmp_path, pg_schema)


@pytest.fixture
def app(app_config: dict[str, Any], pg_schema: str | None) -> Iterator[Flask]:
    application = create_app(app_config)
    from evote.store.db import get_engine

    engine = get_engine(application)
    if pg_schema:
        tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
        with engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    else:
        Base.metadata.create_all(engine)
    yield application
    engine.dispose()


@pytest.fixture
def client(app: Flask) -> Any:
    return app.test_client()


@pytest.fixture
def api(app: Flask) -> Api:
    return Api(app.test_client())


@pytest.fixture
def new_api(app: Flask) -> Callable[[], Api]:
    """Another browser with its own cookies."""
    return lambda: Api(app.test_client())


@pytest.fixture
def cli(app: Flask) -> Callable[..., Result]:
    """Run an ``evote`` command against this test's app: ``cli("event", "create", ...)``."""
    from evote.cli import main

    runner = CliRunner()

    def run(*args: str, input: str | None = None) -> Result:
        return runner.invoke(main, list(args), obj=app, input=input, catch_exceptions=False)

    return run


@pytest.fixture
def event_id(app: Flask) -> int:
    """An open event (check-in possible), quorum "more than half"."""
    return make_event(app)


@pytest.fixture
def person(app: Flask, event_id: int) -> Callable[..., Person]:
    """``person(Role.PRESIDIUM, Role.DELEGATE, checked_in=True, voting_right=...)``."""

    def make(*roles: Role | str, **kwargs: Any) -> Person:
        return make_person(app, event_id, roles or (Role.DELEGATE,), **kwargs)

    return make


@pytest.fixture
def logged_in(app: Flask, person: Callable[..., Person]) -> Callable[..., Api]:
    """``logged_in(Role.DELEGATE, checked_in=True)``: a browser logged in as a new participant."""

    def make(*roles: Role | str, **kwargs: Any) -> Api:
        browser = Api(app.test_client())
        browser.login(person(*roles, **kwargs))
        return browser

    return make
