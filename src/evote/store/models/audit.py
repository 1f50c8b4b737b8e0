"""The audit log's rows: one per entry, and one head per event that serialises appends.

Why a head row: two staff actions committed at the same moment must not both chain onto the same
predecessor (a fork). Every append first takes the event's head row for update (PostgreSQL: a row
lock held to the commit; SQLite: the database's one write lock, taken by the append's first
write), reads the previous hash from it and moves it on; the unique (event, seq) index is the
last line of defence. The entry's canonical JSON is stored as written, so the log served and
published is byte for byte what was hashed.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from evote.store.base import Base, UtcDateTime


class AuditHead(Base):
    """The newest entry of an event's log (seq 0 and the genesis hash before the first)."""

    __tablename__ = "audit_heads"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))


class AuditEntry(Base):
    """One entry; `entry_json` is the canonical entry (docs/audit.md), the rest is for filters."""

    __tablename__ = "audit_log"
    __table_args__ = (
        UniqueConstraint("event_id", "seq"),
        Index("ix_audit_log_object", "event_id", "object_type", "object_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor_id: Mapped[int | None] = mapped_column(Integer, default=None)
    """The participant who acted; None for the system (countdown, sweeper, a combined tally)."""
    action: Mapped[str] = mapped_column(String(64))
    object_type: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[str] = mapped_column(String(100))
    entry_json: Mapped[str] = mapped_column(Text)
    hash: Mapped[str] = mapped_column(String(64))
