"""The Flask application factory.

Configuration comes from the environment so that gunicorn workers, the CLI and the tests build
identical apps:

- ``EVOTE_INSTANCE_PATH``: folder for the SQLite file and the generated secret key (default:
  Flask's instance folder, ``src/instance`` in a source checkout).
- ``EVOTE_DATABASE_URL``: SQLAlchemy URL; default a SQLite file ``evote.sqlite`` in the instance
  folder (laptop rehearsal). PostgreSQL: ``postgresql+psycopg://user@host/db``.
- ``EVOTE_DATABASE_SCHEMA``: optional PostgreSQL schema to work in.
- ``EVOTE_SECRET_KEY``: signs session cookies and seals the receipt keys of open votes. Must be
  the same on every worker and app server, and must not change while a vote is open; when
  unset, a random key is created once in the instance folder (fine for one machine). The
  app refuses to start with a key of less than 256 bits (64 hex characters; ``secret_key``).
- ``EVOTE_COOKIE_SECURE``: ``0`` only for a plain-http test server. Browsers return the Secure
  cookie to http://localhost, but non-browser clients (``evote-guardian``, scripts) never do
  over http; they then get ``403 insecure_transport`` (``csrf``, docs/deployment.md).
- ``EVOTE_PUBLIC_URL``: default base URL for access letters when an event sets none.
- ``EVOTE_TIME_ZONE``: the convention's time zone (IANA name, default ``Europe/Berlin``); every
  page shows times in it, never in UTC or the device's own zone (``pages/timezone.py``).
- ``EVOTE_PROXY_COUNT``: how many reverse proxies stand in front (default 0). Only then are
  ``X-Forwarded-For``/``-Proto`` believed, and only that many hops of them: the login rate limit
  keys on the client address, which a client could otherwise forge in a header.

Blueprints, one per area, are listed in :data:`BLUEPRINTS` (module path, attribute name).
"""

from __future__ import annotations

import importlib
import os
import secrets
import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from evote.store import db
from evote.voting import events, proof_batcher
from evote.voting.lifecycle import Sweeper
from evote.webapp import csrf, secret_key, security_headers
from evote.webapp.pages import timezone

BLUEPRINTS: list[str] = [
    "evote.webapp.api.meta:bp",
    "evote.webapp.api.auth:bp",
    "evote.webapp.api.attendance:bp",
    "evote.webapp.api.support:bp",
    "evote.webapp.api.admin:bp",
    "evote.webapp.api.letters:bp",
    "evote.webapp.pages.people:bp",
    "evote.webapp.api.presence:bp",
    "evote.webapp.api.audit:bp",
    "evote.webapp.pages.audit:bp",
    "evote.webapp.api.minutes:bp",
    "evote.webapp.pages.staff:bp",
    "evote.webapp.api.votes:bp",
    "evote.webapp.api.ballots:bp",
    "evote.webapp.api.tally:bp",
    "evote.webapp.api.rounds:bp",
    "evote.webapp.api.ceremony:bp",
    "evote.webapp.api.live:bp",
    "evote.webapp.api.stage:bp",
    "evote.webapp.api.agenda:bp",
    "evote.webapp.api.event_settings:bp",
    "evote.webapp.api.motions:bp",
    "evote.webapp.api.committee:bp",
    "evote.webapp.api.speakers:bp",
    "evote.webapp.api.speaker_calls:bp",
    "evote.webapp.pages.speakers:bp",
    "evote.webapp.pages.assets:bp",
    "evote.webapp.pages.views:bp",
    "evote.webapp.pages.motions:bp",
]
"""Every area's blueprint. Add one line per new area (``module:attribute``)."""


def _secret_key(instance_path: Path) -> str:
    """A per-installation key kept in the instance folder, readable by its owner only."""
    path = instance_path / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(key)
    return key


def _check_secret_key(app: Flask, instance_path: Path, test_config: dict[str, Any]) -> None:
    """Fill in the instance folder's key if none is configured; refuse a weak one.

    A key from the environment is always checked; one handed in by a test (``TESTING``) is
    the test's business.
    """
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(instance_path)
        source = f"the secret key in {instance_path / 'secret_key'}"
    elif "SECRET_KEY" in test_config:
        if app.config.get("TESTING"):
            return
        source = "SECRET_KEY"
    else:
        source = "EVOTE_SECRET_KEY"
    secret_key.check(str(app.config["SECRET_KEY"]), source)


def _config_from_env(instance_path: Path) -> dict[str, Any]:
    env = os.environ
    return {
        "DATABASE_URL": env.get("EVOTE_DATABASE_URL")
        or f"sqlite:///{instance_path / 'evote.sqlite'}",
        "DATABASE_SCHEMA": env.get("EVOTE_DATABASE_SCHEMA") or None,
        "SECRET_KEY": env.get("EVOTE_SECRET_KEY"),
        "SESSION_COOKIE_SECURE": env.get("EVOTE_COOKIE_SECURE", "1") != "0",
        "PUBLIC_URL": env.get("EVOTE_PUBLIC_URL", ""),
        "PROXY_COUNT": int(env.get("EVOTE_PROXY_COUNT", "0")),
        "TIME_ZONE": env.get("EVOTE_TIME_ZONE", "Europe/Berlin"),
        # Importing guardian records without the ceremony lets whoever holds the secrets
        # decrypt single ballots; only rehearsals and tests may switch it on.
        "ALLOW_KEY_IMPORT": env.get("EVOTE_ALLOW_KEY_IMPORT", "0") == "1",
    }


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app; ``test_config`` overrides the environment (tests, CLI runner)."""
    instance = os.environ.get("EVOTE_INSTANCE_PATH") or None
    app = Flask(
        "evote",
        instance_relative_config=True,
        instance_path=instance,
        template_folder=str(Path(__file__).with_name("templates")),
    )
    instance_path = Path(app.instance_path)
    app.config.update(
        SESSION_COOKIE_NAME="evote_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=16),
        MAX_CONTENT_LENGTH=1024 * 1024,
        PASSWORD_HASH_PROFILE="rfc9106_low_memory",
        # Login throttle (people/ratelimit.py): failures are forgotten after 15 idle minutes;
        # past the free ones, each makes the next attempt wait 2, 4, 8 ... 60 s. Per address
        # far above a venue's size: a whole hall behind one NAT address mistypes now and then.
        LOGIN_RATE_WINDOW_SECONDS=15 * 60,
        LOGIN_FREE_FAILURES_PER_ACCOUNT=5,
        LOGIN_FREE_FAILURES_PER_IP=2000,
        LOGIN_MAX_DELAY_SECONDS=60,
        JSON_SORT_KEYS=False,
    )
    app.config.update(_config_from_env(instance_path))
    if test_config:
        app.config.update(test_config)
    _check_secret_key(app, instance_path, test_config or {})
    timezone.check(str(app.config["TIME_ZONE"]))

    if app.config.get("PROXY_COUNT"):
        hops = int(app.config["PROXY_COUNT"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]

    db.init_app(app)
    csrf.init_app(app)
    security_headers.init_app(app)
    app.jinja_env.globals["csrf_token"] = csrf.csrf_token
    app.jinja_env.filters["clock"] = timezone.clock_from_iso
    for spec in BLUEPRINTS:
        module_name, attribute = spec.split(":")
        app.register_blueprint(getattr(importlib.import_module(module_name), attribute))
    _json_errors(app)
    _start_vote_services(app)
    return app


def _json_errors(app: Flask) -> None:
    """Errors as JSON with a stable ``error`` code, since every client here speaks JSON."""

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Any:
        code = (exc.name or "error").lower().replace(" ", "_")
        return jsonify({"error": code, "message": exc.description}), exc.code or 500


def _start_vote_services(app: Flask) -> None:
    """Live hub (broker chosen from config), the proof batcher (its thread starts with the first
    ballot) and, unless disabled, the close sweeper thread.

    The sweeper starts with the first request a process serves, not when the app is built: CLI
    commands (`evote db upgrade` before the tables exist) build apps too and must not sweep, and
    gunicorn workers (preload off) each get their own thread this way.
    """
    events.init_app(app)
    proof_batcher.init_app(app)
    if not app.config.get("VOTE_SWEEPER", not app.config.get("TESTING", False)):
        return
    lock = threading.Lock()

    def start_sweeper() -> None:
        if "evote_sweeper" in app.extensions:
            return
        with lock:
            if "evote_sweeper" not in app.extensions:
                sweeper = Sweeper(app, float(app.config.get("VOTE_SWEEP_INTERVAL", 0.5)))
                app.extensions["evote_sweeper"] = sweeper
                sweeper.start()

    app.before_request(start_sweeper)
