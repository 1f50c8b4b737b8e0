"""The recent live events of each convention, numbered, in the database.

Why: a page's stream breaks when its worker or server dies, is restarted or drops it. The
browser reconnects, through the proxy, to whichever server is alive, and names the last event
it got (`Last-Event-ID`). Pub/sub (Redis, NOTIFY) keeps nothing for a listener that was away,
and the new server never saw the old stream, so only a store all servers share can say what
came after: the database they already share. Each event is written here before it is
published, and its row id is its number.

Turnout is not kept: it comes every second during a vote, each one supersedes the last, and the
snapshot a reconnecting page gets carries the current count. Control messages (stream limits,
session ends) are not events and are never kept.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from sqlalchemy import Engine, delete, func, insert, select
from sqlalchemy.orm import Session

from evote.live.bus import LiveEvent, encode
from evote.store.models.live import LiveEventRecord

EPHEMERAL = frozenset({"turnout", "signal"})
"""Event types not kept: superseded by the next one and carried by the snapshot (a
``signal`` only says a WebRTC message waits in the recipient's mailbox, which the call's page
also polls)."""

REPLAY_LIMIT = 200
"""At most this many missed events are replayed to one page (the newest); a page away longer
relies on the snapshot that follows them."""


def keeps(event: LiveEvent) -> bool:
    return not event.get("control") and event.get("type") not in EPHEMERAL


def record(engine: Engine, event: LiveEvent, now: datetime, prune_before: datetime | None) -> int:
    """Store `event` in its own transaction and return its number.

    Its own connection, not the request's session: the caller has committed what the event
    announces, and must not have its session's next work committed by a journal write.
    With `prune_before`, events published before then are deleted in the same transaction.
    """
    with engine.begin() as conn:
        if prune_before is not None:
            conn.execute(
                delete(LiveEventRecord).where(LiveEventRecord.published_at < prune_before)
            )
        result = conn.execute(
            insert(LiveEventRecord).values(
                event_id=event["event_id"], published_at=now, payload=encode(event)
            )
        )
        number = result.inserted_primary_key[0]
    return int(number)


def since(db: Session, event_id: int, after: int, limit: int = REPLAY_LIMIT) -> list[LiveEvent]:
    """The kept events of the convention numbered above `after`, oldest first, each with its
    number as `id` (the newest `limit` if there are more)."""
    rows = db.execute(
        select(LiveEventRecord.id, LiveEventRecord.payload)
        .where(LiveEventRecord.event_id == event_id, LiveEventRecord.id > after)
        .order_by(LiveEventRecord.id.desc())
        .limit(limit)
    ).all()
    return [{**json.loads(payload), "id": number} for number, payload in reversed(rows)]


def latest(db: Session, event_id: int) -> int:
    """The number of the convention's newest kept event, 0 if none: what a snapshot is "as of"."""
    found = db.scalar(
        select(func.max(LiveEventRecord.id)).where(LiveEventRecord.event_id == event_id)
    )
    return int(found or 0)


def cutoff(now: datetime, keep_seconds: float) -> datetime:
    return now - timedelta(seconds=keep_seconds)
