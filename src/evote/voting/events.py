"""What the server tells every open page, through the live hub (see `evote.live`).

Every event carries `server_time`, so a browser computes its offset to the server's clock and
shows a countdown that ends when the server closes the vote, not when the laptop thinks so.
Turnout is coalesced: at most one turnout event per vote per `LIVE_TURNOUT_INTERVAL` seconds
per process, so a thousand casts in a minute do not become a million messages.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from sqlalchemy.engine import make_url

from evote.live import journal
from evote.live.bus import PER_PARTICIPANT, Broker, Hub, LiveEvent, channel
from evote.store.clock import current_clock, utc
from evote.store.db import get_engine
from evote.store.models.votes import Vote

_EXT = "evote_live"


def default_namespace(database_url: str, schema: str | None) -> str:
    """A namespace that names the database: 16 hex digits of a hash of where it is.

    Every server of one installation reaches the same database, so they agree without being
    told; two installations on one Redis differ (another database, or another schema of the
    same one). The hash covers backend, host, port, database name and schema, or the user name
    when no schema is set (PostgreSQL's default `search_path` is the user's own schema); not the
    password or the driver. Servers that reach one database under different host names (an IP
    here, a DNS name there) must set `EVOTE_LIVE_NAMESPACE` themselves.
    """
    url = make_url(database_url)
    backend = url.get_backend_name()
    if backend == "sqlite":
        place = str(Path(url.database or "").resolve()) if url.database else ":memory:"
    else:
        port = url.port or {"postgresql": 5432}.get(backend, "")
        who = "" if schema else (url.username or "")
        place = f"{(url.host or '').lower()}:{port}/{url.database or ''}/{who}"
    digest = hashlib.sha256(f"evote/live-namespace/v1\0{backend}\0{place}\0{schema or ''}".encode())
    return digest.hexdigest()[:16]


def live_namespace(app: Flask) -> str:
    """`LIVE_NAMESPACE` or `EVOTE_LIVE_NAMESPACE`, else derived from the database
    (`default_namespace`): the part of the broker channel that keeps installations apart."""
    configured = app.config.get("LIVE_NAMESPACE") or os.environ.get("EVOTE_LIVE_NAMESPACE")
    if configured:
        return str(configured)
    return default_namespace(app.config["DATABASE_URL"], app.config.get("DATABASE_SCHEMA"))


def _broker(app: Flask) -> Broker:
    kind = app.config.get("LIVE_BROKER") or os.environ.get("EVOTE_LIVE_BROKER") or ""
    redis_url = app.config.get("REDIS_URL") or os.environ.get("EVOTE_REDIS_URL")
    db_url: str = app.config["DATABASE_URL"]
    name = channel(live_namespace(app))  # checked for every broker, so a typo fails early
    if not kind and app.config.get("TESTING"):
        kind = "memory"  # each test builds an app: no listener threads left behind per test
    if not kind:
        kind = "redis" if redis_url else (
            "postgres" if db_url.startswith("postgresql") else "memory"
        )
    if kind == "redis":
        from evote.live.redis_broker import RedisBroker  # loads redis only where used

        return RedisBroker(redis_url or "redis://127.0.0.1:6379/0", name)
    if kind == "postgres":
        from evote.live.postgres_broker import PostgresBroker  # psycopg only where used

        return PostgresBroker(db_url, name)
    if kind != "memory":
        raise ValueError(f"unknown LIVE_BROKER {kind!r}: memory, redis or postgres")
    from evote.live.memory import MemoryBroker  # like the others: each broker on demand

    return MemoryBroker()


class _Turnout:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.last: dict[int, float] = {}
        self.pending: dict[int, LiveEvent] = {}
        self.pruned = -1e9
        """When this process last pruned the journal (monotonic)."""


def _max_streams(app: Flask) -> int | None:
    """`LIVE_MAX_STREAMS` or `EVOTE_LIVE_STREAMS` (gunicorn.conf.py sets it below the thread
    count); 0 means no cap."""
    value = app.config.get("LIVE_MAX_STREAMS")
    if value is None:
        value = os.environ.get("EVOTE_LIVE_STREAMS") or 1000
    return int(value) or None


def _per_participant(app: Flask) -> int | None:
    """`LIVE_STREAMS_PER_PARTICIPANT` or `EVOTE_LIVE_STREAMS_PER_PARTICIPANT`, default 3: the
    streams one account may hold across all workers; 0 means no cap."""
    value = app.config.get("LIVE_STREAMS_PER_PARTICIPANT")
    if value is None:
        value = os.environ.get("EVOTE_LIVE_STREAMS_PER_PARTICIPANT") or PER_PARTICIPANT
    return int(value) or None


def init_app(app: Flask) -> None:
    app.extensions[_EXT] = Hub(
        _broker(app), _max_streams(app), per_participant=_per_participant(app)
    )
    app.extensions[_EXT + "_turnout"] = _Turnout()


def hub(app: Flask | None = None) -> Hub:
    found: Hub = (app or current_app).extensions[_EXT]
    return found


def iso(moment: Any) -> str | None:
    return utc(moment).isoformat() if moment is not None else None


def server_time() -> str:
    return iso(current_clock().now()) or ""


REPLAY_SECONDS = 30 * 60
"""Default of `LIVE_REPLAY_SECONDS`: how long events are kept for pages that reconnect."""

PRUNE_EVERY = 60.0
"""Seconds between two prunings of the journal by one process (each costs a DELETE)."""


def publish(event_id: int, kind: str, **fields: Any) -> None:
    """Number and keep the event (`evote.live.journal`, unless it is turnout), then send it.

    Best effort: a broker or journal outage must never fail a ballot that is already stored;
    an event that could not be kept is still sent, without a number.
    """
    event: LiveEvent = {"type": kind, "event_id": event_id, "server_time": server_time(), **fields}
    if journal.keeps(event):
        try:
            event["id"] = _record(event)
        except Exception:
            current_app.logger.warning("live event %s not kept for replay", kind, exc_info=True)
    try:
        hub().publish(event)
    except Exception:
        current_app.logger.warning("live event %s not published", kind, exc_info=True)


def _record(event: LiveEvent) -> int:
    state: _Turnout = current_app.extensions[_EXT + "_turnout"]
    now = current_clock().now()
    keep = float(current_app.config.get("LIVE_REPLAY_SECONDS", REPLAY_SECONDS))
    prune = None
    with state.lock:
        if time.monotonic() - state.pruned >= PRUNE_EVERY:
            state.pruned = time.monotonic()
            prune = journal.cutoff(now, keep)
    return journal.record(get_engine(), event, now, prune)


def end_streams(event_id: int, participant_id: int) -> None:
    """End the participant's live streams in every worker: logout, deactivation, new password.

    Best effort like `publish`: if the broker is down, this worker's streams still end and the
    others at their next session check.
    """
    if not hub().end_participant(event_id, participant_id):
        current_app.logger.warning("end of live streams not broadcast (broker unavailable)")


SHIPPED_VOTE_BYTES = 6000
"""The largest vote description `vote_opened` carries (PostgreSQL's NOTIFY takes 8,000 bytes
per message): a yes/no vote's manifest, context and device are about 3 KB. A larger one (an
election with many candidates) is left out and the pages fetch it."""


def vote_opened(vote: Vote, detail: dict[str, Any] | None = None) -> None:
    """The vote is open. `detail` is what `GET /api/votes/<id>` says of it, the same for every
    page (manifest, context, device): shipped in the event when small enough, so a thousand
    pages start encrypting without a thousand requests at the moment of the opening rush."""
    fields: dict[str, Any] = {}
    if detail is not None:
        shipped = {k: v for k, v in detail.items() if k not in ("server_time", "you_have_voted", "you_are_on_roll")}
        if len(json.dumps(shipped, separators=(",", ":"))) <= SHIPPED_VOTE_BYTES:
            fields["vote"] = shipped
    publish(
        vote.event_id, "vote_opened", vote_id=vote.id, title=vote.title,
        opens_at=iso(vote.opens_at), closes_at=iso(vote.closes_at), roll=vote.roll_size,
        secrecy=vote.secrecy, **fields,
    )


def vote_closed(closed: Any, *, early: bool = False) -> None:
    """The countdown ended, or (`early`) the presidium closed the vote before it did."""
    publish(
        closed.event_id, "vote_closed", vote_id=closed.vote_id,
        closed_at=iso(closed.closed_at), cast=closed.cast, roll=closed.roll, early=early,
    )


def vote_extended(vote: Vote) -> None:
    """The presidium moved the close later: every countdown restarts from `closes_at`."""
    publish(vote.event_id, "vote_extended", vote_id=vote.id, closes_at=iso(vote.closes_at))


def vote_cancelled(event_id: int, vote_id: int, was_open: bool) -> None:
    """Called off: no result will come; an open ballot form must stop at once."""
    publish(event_id, "vote_cancelled", vote_id=vote_id, was_open=was_open)


def votes_changed(event_id: int, vote_id: int, change: str) -> None:
    """A draft was created, edited or deleted (`change`): pages listing votes reload them."""
    publish(event_id, "votes_changed", vote_id=vote_id, change=change)


def agenda(event_id: int, title: str) -> None:
    publish(event_id, "agenda", title=title)


def turnout(event_id: int, vote_id: int, cast: int, roll: int) -> None:
    """"x of y have voted" — a count, never a choice; coalesced per vote."""
    state: _Turnout = current_app.extensions[_EXT + "_turnout"]
    interval = float(current_app.config.get("LIVE_TURNOUT_INTERVAL", 1.0))
    event = {"vote_id": vote_id, "cast": cast, "roll": roll, "event_id": event_id}
    now = time.monotonic()
    with state.lock:
        if now - state.last.get(vote_id, -1e9) < interval:
            previous = state.pending.get(vote_id)
            if previous is None or previous["cast"] < cast:
                state.pending[vote_id] = event
            return
        state.last[vote_id] = now
        state.pending.pop(vote_id, None)
    publish(event_id, "turnout", vote_id=vote_id, cast=cast, roll=roll)


def flush_turnout() -> None:
    """Send coalesced turnout whose interval has passed (the sweeper calls this each tick)."""
    state: _Turnout = current_app.extensions[_EXT + "_turnout"]
    interval = float(current_app.config.get("LIVE_TURNOUT_INTERVAL", 1.0))
    now = time.monotonic()
    due: list[LiveEvent] = []
    with state.lock:
        for vote_id, event in list(state.pending.items()):
            if now - state.last.get(vote_id, -1e9) >= interval:
                due.append(event)
                state.last[vote_id] = now
                del state.pending[vote_id]
    for event in due:
        publish(event["event_id"], "turnout", vote_id=event["vote_id"], cast=event["cast"],
                roll=event["roll"])
