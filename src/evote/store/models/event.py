"""The event: one convention day (or a rehearsal), the frame every participant belongs to."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from evote.rules.majority import Quorum
from evote.store.base import Base, UtcDateTime


class EventStatus(StrEnum):
    """Lifecycle of an event. Check-in is possible only while ``OPEN``."""

    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


class Event(Base):
    """A convention. The quorum rule lives here because statutes differ between parties.

    Quorum: the event is quorate when the checked-in voting delegates, compared with all active
    voting delegates, reach ``quorum_numerator / quorum_denominator`` — "more than" that share
    when ``quorum_strict`` (the usual "more than half"), else "at least". 0/1 "at least" means no
    quorum is required. Integers, not a float, so 1/2 and 2/3 compare exactly.
    """

    __tablename__ = "events"
    __table_args__ = (
        CheckConstraint("quorum_denominator > 0", name="quorum_denominator_positive"),
        CheckConstraint(
            "quorum_numerator >= 0 AND quorum_numerator <= quorum_denominator",
            name="quorum_fraction_range",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    """Short name used on the command line and in login names' context."""
    name: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16), default=EventStatus.DRAFT.value)
    public_url: Mapped[str] = mapped_column(String(500), default="")
    """Base URL delegates open; printed on access letters and encoded in their QR codes."""
    quorum_numerator: Mapped[int] = mapped_column(Integer, default=1)
    quorum_denominator: Mapped[int] = mapped_column(Integer, default=2)
    quorum_strict: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    opened_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    committee_key: Mapped[str | None] = mapped_column(String(64), default=None)
    """The credentials committee's Ed25519 public key (64 hex digits).  Set, every cast ballot
    must be signed with a voting credential the committee issued (docs/credentials.md); unset,
    the server alone decides who votes, as before."""

    @property
    def quorum(self) -> Quorum:
        """The event's rule as the value object the result logic (``evote.rules.majority``) uses."""
        return Quorum(self.quorum_numerator, self.quorum_denominator, self.quorum_strict)

    @property
    def is_open(self) -> bool:
        return self.status == EventStatus.OPEN.value
