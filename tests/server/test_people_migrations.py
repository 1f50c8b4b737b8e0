"""The Alembic migrations build exactly the schema of the models, on SQLite and PostgreSQL.

Runs on the database the suite runs on (``EVOTE_TEST_DATABASE_URL``), in a schema of its own on
PostgreSQL. Any model change without a migration (from any area) makes this test fail.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from click.testing import CliRunner
from server_helpers import DATABASE_URL, is_postgres
from sqlalchemy import Engine, inspect, text

from evote.store import migrations, models  # noqa: F401
from evote.store.base import Base
from evote.store.db import make_engine
from evote.webapp.app import create_app


@pytest.fixture
def empty_database(tmp_path: Path) -> Iterator[tuple[str, str | None]]:
    if not is_postgres():
        yield f"sqlite:///{tmp_path / 'migrate.sqlite'}", None
        return
    assert DATABASE_URL is not None
    schema = f"evote_mig_{os.getpid()}_{secrets.token_hex(3)}"
    admin = make_engine(DATABASE_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield DATABASE_URL, schema
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


def _user_tables(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names()) - {"alembic_version"}


def test_upgrade_to_head_matches_the_models_and_downgrades(
    empty_database: tuple[str, str | None],
) -> None:
    url, schema = empty_database
    engine = make_engine(url, schema)
    try:
        migrations.upgrade(engine)
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        assert diff == [], f"models and migrations differ: {diff}"
        assert _user_tables(engine) == set(Base.metadata.tables)
        migrations.downgrade(engine, "base")
        assert _user_tables(engine) == set()
    finally:
        engine.dispose()


def test_cli_db_upgrade(empty_database: tuple[str, str | None]) -> None:
    from evote.cli import main

    url, schema = empty_database
    app = create_app(
        {"DATABASE_URL": url, "DATABASE_SCHEMA": schema, "SECRET_KEY": "x", "TESTING": True}
    )
    result = CliRunner().invoke(main, ["db", "upgrade"], obj=app)
    assert result.exit_code == 0, result.output
    assert "database at revision" in result.output
    again = CliRunner().invoke(main, ["db", "current"], obj=app)
    assert again.output.strip() == result.output.strip().rsplit(" ", 1)[1]


KEY = secrets.token_hex(32)


def _evote_from_env(monkeypatch: pytest.MonkeyPatch, *args: str, **env: str) -> Any:
    """Run `evote ...` as from a shell: the app is built from these EVOTE_* variables."""
    from evote.cli import main

    for name in ("EVOTE_DATABASE_URL", "EVOTE_DATABASE_SCHEMA", "EVOTE_SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return CliRunner().invoke(main, list(args))


def test_db_upgrade_creates_a_missing_instance_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fresh install with its secret key in the environment has no instance folder yet."""
    instance = tmp_path / "not" / "yet" / "instance"
    result = _evote_from_env(
        monkeypatch, "db", "upgrade", EVOTE_INSTANCE_PATH=str(instance), EVOTE_SECRET_KEY=KEY
    )
    assert result.exit_code == 0, result.output
    assert result.exception is None
    assert f"created the instance folder {instance}" in result.output
    assert "database at revision" in result.output
    assert (instance.stat().st_mode & 0o777) == 0o700
    assert ((instance / "evote.sqlite").stat().st_mode & 0o777) == 0o600
    again = _evote_from_env(
        monkeypatch, "db", "upgrade", EVOTE_INSTANCE_PATH=str(instance), EVOTE_SECRET_KEY=KEY
    )
    assert again.exit_code == 0 and "created" not in again.output


def test_db_upgrade_names_a_missing_database_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder named in EVOTE_DATABASE_URL is not evote's to create (it may be a typo)."""
    missing = tmp_path / "typo"
    result = _evote_from_env(
        monkeypatch, "db", "upgrade", EVOTE_INSTANCE_PATH=str(tmp_path / "instance"),
        EVOTE_DATABASE_URL=f"sqlite:///{missing / 'evote.sqlite'}", EVOTE_SECRET_KEY=KEY,
    )
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)  # a message, not a traceback
    assert f"mkdir -p {missing}" in result.output
    assert not missing.exists()


def test_db_upgrade_reports_an_unreachable_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = _evote_from_env(
        monkeypatch, "db", "upgrade", EVOTE_INSTANCE_PATH=str(tmp_path),
        EVOTE_DATABASE_URL="postgresql+psycopg://evote:hunter2@127.0.0.1:1/evote",
        EVOTE_SECRET_KEY=KEY,
    )
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert "cannot open the database" in result.output
    assert "hunter2" not in result.output
