"""Append to and read an event's audit log.

`append` is called just before the caller commits the action it records, so the entry and the
action commit together; it takes the event's head row first (see `store.models.audit`), so two
appends at once are serialised and never fork the chain. Keep it the last statement before the
commit: the head's lock is then held only as long as the commit takes.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from evote.audit.actor import Actor, current_actor
from evote.record.audit import GENESIS, Mark, make_entry
from evote.record.extras import utc_text
from evote.record.jsonio import canonical_json
from evote.store.clock import current_clock
from evote.store.models.audit import AuditEntry, AuditHead

MAX_DETAIL = 200
"""Longest text kept in `details` (titles, names of steps); entries stay small."""


def _small(details: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in details.items():
        if isinstance(value, str):
            value = value[:MAX_DETAIL]
        elif isinstance(value, datetime):
            value = utc_text(value)
        out[key] = value
    return out


def _lock_head(db: Session, event_id: int) -> AuditHead:
    """The event's head row, created if missing, locked until the transaction ends.

    The INSERT ... ON CONFLICT DO NOTHING is a write: on SQLite it takes the database's write
    lock before the head is read, on PostgreSQL it waits for a concurrent first append; the
    SELECT ... FOR UPDATE then holds the row on PostgreSQL (SQLite ignores it, its lock is held).
    """
    dialect = db.get_bind().dialect.name
    values = {"event_id": event_id, "seq": 0, "hash": GENESIS}
    if dialect == "postgresql":
        db.execute(postgresql.insert(AuditHead).values(values).on_conflict_do_nothing())
    else:
        db.execute(sqlite.insert(AuditHead).values(values).on_conflict_do_nothing())
    head = db.scalars(
        select(AuditHead).where(AuditHead.event_id == event_id).with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    return head


def append(
    db: Session,
    event_id: int,
    action: str,
    object_type: str,
    object_id: str | int,
    details: dict[str, Any] | None = None,
    *,
    actor: Actor | None = None,
    now: datetime | None = None,
) -> Mark:
    """Write one entry (not committed: it commits with the caller's action). Returns its mark.

    `details` must never hold a vote's content or a secret: counts, times, ids, titles.
    """
    db.flush()  # rows this transaction changed are locked before the head, never after it
    who = actor or current_actor()
    at = (now or current_clock().now()).replace(microsecond=0)
    head = _lock_head(db, event_id)
    entry = make_entry(
        head.seq + 1, utc_text(at), who.name, who.roles, action, object_type, str(object_id),
        _small(details or {}), head.hash,
    )
    db.execute(
        insert(AuditEntry).values(
            event_id=event_id, seq=entry["seq"], at=at, actor_id=who.participant_id,
            action=action, object_type=object_type, object_id=str(object_id),
            entry_json=canonical_json(entry).decode("utf-8"), hash=entry["hash"],
        )
    )
    db.execute(
        update(AuditHead).where(AuditHead.event_id == event_id)
        .values(seq=entry["seq"], hash=entry["hash"])
        .execution_options(synchronize_session=False)
    )
    return Mark(entry["seq"], entry["hash"])


def entries(
    db: Session,
    event_id: int,
    *,
    up_to: int | None = None,
    actions: Sequence[str] = (),
    actor_id: int | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    limit: int | None = None,
    newest_first: bool = False,
) -> list[dict[str, Any]]:
    """The event's entries as written (each a dict with its hash), oldest first by default."""
    query = select(AuditEntry.entry_json).where(AuditEntry.event_id == event_id)
    if up_to is not None:
        query = query.where(AuditEntry.seq <= up_to)
    if actions:
        query = query.where(AuditEntry.action.in_(list(actions)))
    if actor_id is not None:
        query = query.where(AuditEntry.actor_id == actor_id)
    if object_type is not None:
        query = query.where(AuditEntry.object_type == object_type)
    if object_id is not None:
        query = query.where(AuditEntry.object_id == object_id)
    query = query.order_by(AuditEntry.seq.desc() if newest_first else AuditEntry.seq)
    if limit is not None:
        query = query.limit(limit)
    return [json.loads(text) for text in db.scalars(query)]


def head(db: Session, event_id: int) -> Mark:
    """The newest entry's mark (seq 0 and the genesis hash for an empty log)."""
    row = db.get(AuditHead, event_id)
    return Mark(0, GENESIS) if row is None else Mark(row.seq, row.hash)


def mark_of(
    db: Session, event_id: int, actions: Sequence[str], object_type: str, object_id: str
) -> Mark | None:
    """The first entry with one of `actions` on the object, or None."""
    row = db.execute(
        select(AuditEntry.seq, AuditEntry.hash)
        .where(
            AuditEntry.event_id == event_id, AuditEntry.action.in_(list(actions)),
            AuditEntry.object_type == object_type, AuditEntry.object_id == object_id,
        )
        .order_by(AuditEntry.seq)
        .limit(1)
    ).first()
    return None if row is None else Mark(row.seq, row.hash)
