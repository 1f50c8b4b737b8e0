"""What the presidium puts on the delegates' screens: the livestream and the projected result.

One row per event, created on first use. Kept apart from ``events`` so that the stage settings
of the web pages (issue 6) do not touch the people side's table.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from evote.store.base import Base


class EventStage(Base):
    __tablename__ = "event_stage"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    livestream_url: Mapped[str] = mapped_column(String(500), default="")
    """https URL of the hall's stream: a YouTube page or embed URL, or an HLS playlist (.m3u8)."""
    projected_vote_id: Mapped[int | None] = mapped_column(Integer, default=None)
    """The vote whose result the presidium announced last; the projector shows it."""


class AgendaItem(Base):
    """One item of the day's agenda, in the order the presidium entered them."""

    __tablename__ = "agenda_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
