"""Database plumbing: one engine per app, one SQLAlchemy session per request or CLI command.

Why a session per application context rather than a global scoped_session: gunicorn workers,
the test suite and CLI commands each build their own app (and so their own engine), and nothing
may leak between them. Code asks for the session with :func:`get_session`; it is closed (and
rolled back if nobody committed) when the request or command ends.

PostgreSQL only: ``DATABASE_SCHEMA`` puts every connection's ``search_path`` on one schema, so
parallel test runs (and several events on one server, should we want that) never collide.

SQLite only: the database file holds, while a vote is open, what pairs delegates with ballots
(the retry key and tags), and its write-ahead log keeps every older page image in arrival
order. So the files are created readable by their owner only, deleted content is overwritten
(``secure_delete``), and :func:`forget_old_pages` folds the log into the file and truncates it
after every close (docs/ballot-box.md).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy import Engine, create_engine, event, make_url, text
from sqlalchemy.orm import Session, sessionmaker

# Importing every model puts every table on Base.metadata, for create_all and Alembic.
from evote.store import models  # noqa: F401
from evote.store.base import Base

_EXT = "evote_db"
_REQUEST_KEY = "evote.db_session"
_log = logging.getLogger(__name__)


def make_engine(url: str, schema: str | None = None, **kwargs: Any) -> Engine:
    """Build an engine with the per-dialect settings evote relies on.

    SQLite: foreign keys on (off by default there), WAL and a busy timeout so a rehearsal with
    a few workers does not fail with "database is locked". PostgreSQL: optional schema pinned
    through ``search_path`` in the connection options, so it holds for every pooled connection.
    """
    connect_args: dict[str, Any] = dict(kwargs.pop("connect_args", {}))
    if url.startswith("sqlite"):
        connect_args.setdefault("timeout", 30)
        _owner_only(make_url(url).database)
    elif schema:
        connect_args["options"] = f"-csearch_path={schema}"
    engine = create_engine(url, connect_args=connect_args, **kwargs)
    if url.startswith("sqlite"):
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL (None for other databases and in-memory ones)."""
    parsed = make_url(url)
    database = parsed.database
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return None
    if database.startswith("file:"):
        return None
    return Path(database)


def own_sqlite_file(url: str) -> None:
    """Create a SQLite URL's file private (mode 600) now, e.g. once its folder exists."""
    path = sqlite_file(url)
    if path is not None:
        _owner_only(str(path))


def _owner_only(database: str | None) -> None:
    """Create the SQLite file with mode 600 before SQLite opens it, and narrow existing ones.

    SQLite gives its ``-wal`` and ``-shm`` files the mode of the database file, so a private
    database file keeps the log private too. A umask would do the same but is process-wide.
    """
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    path = Path(database)
    if not path.exists() and path.parent.is_dir():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    for name in (path, *(path.with_name(path.name + s) for s in SQLITE_SIDE_FILES)):
        if name.exists():
            os.chmod(name, 0o600)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    # Deleted and overwritten content (the retry key and tags a close erases) is zeroed in the
    # file, not left in free space.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def forget_old_pages(engine: Engine) -> bool:
    """SQLite: copy the write-ahead log into the database file and truncate the log to zero.

    Called after a close has committed: the log still holds every page image written while the
    vote was open, in arrival order, retry tags included. A no-op (True) on PostgreSQL, whose
    WAL is the database server's (docs/ballot-box.md). False when readers kept the log busy;
    the sweeper then tries again (:func:`retry_forget`).
    """
    if engine.dialect.name != "sqlite":
        return True
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA busy_timeout=5000")
        try:
            busy, _log_frames, _done = conn.exec_driver_sql(
                "PRAGMA wal_checkpoint(TRUNCATE)"
            ).one()
        finally:
            conn.exec_driver_sql("PRAGMA busy_timeout=30000")
    if busy:
        _log.warning("SQLite checkpoint after a close was busy; retrying on the next sweep")
    return not busy


def forget_after_close(app: Flask | None = None) -> None:
    """:func:`forget_old_pages` for the (current) app; if busy, leave it to the sweeper."""
    app = app or current_app
    ext = app.extensions[_EXT]
    ext["forget_due"] = not forget_old_pages(ext["engine"])


def retry_forget(app: Flask) -> None:
    """The sweeper's retry of a checkpoint that readers kept busy at the close."""
    if app.extensions[_EXT].get("forget_due"):
        forget_after_close(app)


def ensure_schema(engine: Engine, schema: str | None) -> None:
    """Create the PostgreSQL schema named in the config if it is missing (no-op elsewhere)."""
    if not schema or engine.dialect.name != "postgresql":
        return
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))


def init_app(app: Flask) -> None:
    """Create the app's engine; close each request's (and app context's) session at its end."""
    url = app.config["DATABASE_URL"]
    schema = app.config.get("DATABASE_SCHEMA") or None
    engine = make_engine(url, schema, pool_pre_ping=True)
    ensure_schema(engine, schema)
    app.extensions[_EXT] = {
        "engine": engine,
        "sessionmaker": sessionmaker(bind=engine, expire_on_commit=False),
    }
    app.teardown_request(_close_request_session)
    app.teardown_appcontext(_close_session)


def get_engine(app: Flask | None = None) -> Engine:
    """The engine of the given (or current) app."""
    app = app or current_app
    engine: Engine = app.extensions[_EXT]["engine"]
    return engine


def get_session() -> Session:
    """The session of the current request (or, outside requests, of the CLI command / app
    context), created on first use.

    Why keyed on the request and not only on ``g``: Flask reuses an already pushed app context
    for a request (a test's ``with app.app_context()``, a streaming response still open), and a
    session living in that ``g`` would carry identity-mapped rows from one request into the next.
    """
    if has_request_context():
        session: Session | None = request.environ.get(_REQUEST_KEY)
        if session is None:
            session = current_app.extensions[_EXT]["sessionmaker"]()
            request.environ[_REQUEST_KEY] = session
        return session
    session = g.get("_evote_session")
    if session is None:
        session = current_app.extensions[_EXT]["sessionmaker"]()
        g._evote_session = session
    return session


def _close_request_session(_exc: BaseException | None) -> None:
    session: Session | None = request.environ.pop(_REQUEST_KEY, None)
    if session is not None:
        session.close()


def _close_session(_exc: BaseException | None) -> None:
    session: Session | None = g.pop("_evote_session", None)
    if session is not None:
        session.close()


def create_all(app: Flask) -> None:
    """Create every table directly (tests); real deployments run ``evote db upgrade``."""
    Base.metadata.create_all(get_engine(app))


def drop_all(app: Flask) -> None:
    """Drop every table (tests)."""
    Base.metadata.drop_all(get_engine(app))
