"""Two app instances (two gunicorn workers, or two servers) share live events through the
configured broker: what one publishes, the other's streams receive."""

from __future__ import annotations

import secrets
from typing import Any

import pytest
from flask import Flask
from vote_helpers import PG_URL, REDIS_URL, pg_available, redis_available

from evote.live.bus import Hub
from evote.voting import events
from evote.webapp.app import create_app


@pytest.mark.parametrize("broker", ["redis", "postgres"])
def test_event_published_in_one_app_reaches_the_other(
    broker: str, app_config: dict[str, Any]
) -> None:
    if broker == "redis" and not redis_available():
        pytest.skip(f"no Redis at {REDIS_URL}")
    if broker == "postgres" and not pg_available():
        pytest.skip(f"no PostgreSQL at {PG_URL}")
    config = {
        **app_config,
        "LIVE_BROKER": broker,
        "REDIS_URL": REDIS_URL,
        "VOTE_SWEEPER": False,
        # a private channel, so parallel test runs do not hear each other
        "LIVE_NAMESPACE": f"test_{secrets.token_hex(6)}",
    }
    if broker == "postgres":
        config["DATABASE_URL"] = PG_URL.replace("postgresql://", "postgresql+psycopg://")
    apps: list[Flask] = [create_app(config), create_app(config)]
    hubs: list[Hub] = [events.hub(a) for a in apps]
    try:
        with hubs[1].subscribe(42) as sub:
            with apps[0].app_context():
                events.turnout(42, 7, 5, 9)
            got = sub.get(timeout=10)
        assert got is not None
        assert (got["type"], got["vote_id"], got["cast"], got["roll"]) == ("turnout", 7, 5, 9)
    finally:
        for hub in hubs:
            hub.stop()
