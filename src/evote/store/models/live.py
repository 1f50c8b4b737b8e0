"""What live pages are told: the agenda item on stage now (so a page that connects late is told
too), and the recent live events themselves (so a page that lost its stream gets what it missed).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from evote.store.base import Base, UtcDateTime


class CurrentAgendaItem(Base):
    __tablename__ = "current_agenda_item"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    title: Mapped[str] = mapped_column(String(300))
    item_id: Mapped[int | None] = mapped_column(Integer, default=None)
    """The called agenda item (`agenda_items.id`), so the console marks it even when two items
    share a title; None for a title set by hand (``PUT /api/agenda/current``)."""


class LiveEventRecord(Base):
    """One live event as it was published, numbered, kept for `LIVE_REPLAY_SECONDS`.

    Why in the database: a page reconnects to whichever worker or server is alive (the one it
    was on may have died) and names the last event it got (`Last-Event-ID`); only a store every
    server shares can answer "what came after". The id is that number: increasing across all
    servers, never reused (AUTOINCREMENT on SQLite, a sequence on PostgreSQL), so pruning old
    rows cannot make a new event look old. Turnout is not kept (the next one supersedes it,
    and the snapshot carries it); no event carries anything secret.
    """

    __tablename__ = "live_events"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    published_at: Mapped[datetime] = mapped_column(UtcDateTime)
    payload: Mapped[str] = mapped_column(Text)
