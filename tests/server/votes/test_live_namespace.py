"""Two evote installations sharing one Redis never see each other's live events.

Each installation's channel carries a namespace (`EVOTE_LIVE_NAMESPACE`), by default derived
from its database: the servers of one installation agree on it without being told, and two
installations differ. Without it, one convention's pages would show another's votes, and a
logout in one would end the streams of the other's participant with the same number.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from processes import redis_url
from vote_helpers import REDIS_URL

from evote.live.bus import channel
from evote.voting import events
from evote.voting.events import default_namespace, live_namespace
from evote.webapp.app import create_app


@pytest.fixture(scope="module")
def redis() -> Iterator[str]:
    with redis_url(REDIS_URL) as url:
        yield url


def _other_database(config: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    """The config of a second installation: another schema of the same PostgreSQL database,
    or another SQLite file."""
    if config["DATABASE_SCHEMA"]:
        return {**config, "DATABASE_SCHEMA": f"{config['DATABASE_SCHEMA']}_other"}
    return {**config, "DATABASE_URL": f"sqlite:///{tmp_path / 'other.sqlite'}"}


def test_the_default_namespace_names_the_database_not_the_way_to_it() -> None:
    pg = "postgresql+psycopg://evote:secret@DB.internal/evote"
    same = default_namespace(pg, "lpt26")
    assert same == default_namespace("postgresql://evote:other@db.internal:5432/evote", "lpt26")
    assert same != default_namespace(pg, "bpt26")  # another schema
    assert same != default_namespace(pg.replace("/evote", "/evote2"), "lpt26")
    assert same != default_namespace(pg.replace("DB.internal", "db2.internal"), "lpt26")
    # without a schema, the user's own search_path decides: another user, another installation
    assert default_namespace(pg, None) != default_namespace(pg.replace("evote:", "kv:"), None)
    assert default_namespace("sqlite:///a/evote.sqlite", None) != default_namespace(
        "sqlite:///b/evote.sqlite", None
    )
    assert len(same) == 16 and channel(same) == f"evote_live_{same}"


def test_a_configured_namespace_wins_and_a_bad_one_is_refused(
    app_config: dict[str, Any]
) -> None:
    app = create_app({**app_config, "LIVE_NAMESPACE": "lpt26"})
    assert live_namespace(app) == "lpt26"
    for bad in ("a b", "x" * 49, "evote;drop", "ü"):
        with pytest.raises(ValueError, match="bad live namespace"):
            create_app({**app_config, "LIVE_NAMESPACE": bad})
    assert live_namespace(create_app(app_config)) == default_namespace(
        app_config["DATABASE_URL"], app_config["DATABASE_SCHEMA"]
    )


def test_two_installations_on_one_redis_do_not_hear_each_other(
    app_config: dict[str, Any], tmp_path: Path, redis: str
) -> None:
    base = {**app_config, "LIVE_BROKER": "redis", "REDIS_URL": redis, "VOTE_SWEEPER": False}
    first = [create_app(base), create_app(base)]  # two servers of one installation
    second = create_app(_other_database(base, tmp_path))
    apps: list[Flask] = [*first, second]
    hubs = [events.hub(a) for a in apps]
    assert live_namespace(first[0]) == live_namespace(first[1]) != live_namespace(second)
    # both conventions have an event 1 and a participant 7: the numbers collide by design
    event_id = 1
    try:
        for hub in hubs:
            hub.start()
        subs = [hub.subscribe(event_id, participant_id=7) for hub in hubs]
        marker = secrets.token_hex(4)
        with first[0].app_context():
            events.agenda(event_id, f"first {marker}")
        got = subs[1].get(timeout=10)
        assert got is not None and got["title"] == f"first {marker}"  # its sibling heard it
        with second.app_context():
            events.agenda(event_id, f"second {marker}")
        # each stream gets exactly its own installation's events
        assert subs[0].get(timeout=10)["title"] == f"first {marker}"  # type: ignore[index]
        assert subs[2].get(timeout=10)["title"] == f"second {marker}"  # type: ignore[index]
        for sub in subs:
            assert sub.get(timeout=0.5) is None, "an event crossed installations"
        # a logout in the second installation ends its participant 7's stream only
        with second.app_context():
            events.end_streams(event_id, 7)
        with pytest.raises(Exception, match="session_ended"):
            subs[2].get(timeout=10)
        assert subs[0].get(timeout=0.5) is None and subs[1].get(timeout=0.1) is None
        assert not subs[0].dropped and not subs[1].dropped
    finally:
        for hub in hubs:
            hub.stop()
