"""Migration 0018 makes the audit log append-only in the database itself: an UPDATE of an
entry is refused by a trigger, on SQLite and PostgreSQL (the suite's own tables come from
``create_all`` and have no trigger, so this test migrates a database of its own)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import pytest
from server_helpers import DATABASE_URL, is_postgres
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from evote.store import migrations
from evote.store.db import make_engine


def test_an_entry_cannot_be_updated_after_evote_db_upgrade(tmp_path: Path) -> None:
    schema = None
    if is_postgres():
        assert DATABASE_URL is not None
        url, schema = DATABASE_URL, f"evote_mig_{os.getpid()}_{secrets.token_hex(3)}"
        with make_engine(url).begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    else:
        url = f"sqlite:///{tmp_path / 'audit.sqlite'}"
    engine = make_engine(url, schema)
    try:
        migrations.upgrade(engine)
        with engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO events (id, slug, name, status, public_url, quorum_numerator, "
                "quorum_denominator, quorum_strict, created_at) VALUES "
                "(1, 'e', 'E', 'open', '', 1, 2, true, CURRENT_TIMESTAMP)"
            ))
            conn.execute(text(
                "INSERT INTO audit_log (event_id, seq, at, action, object_type, object_id, "
                "entry_json, hash) VALUES (1, 1, CURRENT_TIMESTAMP, 'x', 'event', '1', '{}', 'h')"
            ))
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
            conn.execute(text("UPDATE audit_log SET action = 'y'"))
        with engine.connect() as conn:
            assert conn.execute(text("SELECT action FROM audit_log")).scalar_one() == "x"
        migrations.downgrade(engine, "base")
    finally:
        engine.dispose()
        if schema:
            with make_engine(DATABASE_URL or "").begin() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
