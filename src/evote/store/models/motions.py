"""Motions and amendments: kinds with their deadlines, the motions, their text versions,
supporters, history, and the votes opened from them (see ``evote.motions``).

An amendment is a row of ``motions`` too (``amends_id`` names its motion): it is submitted,
supported, screened, numbered, withdrawn and voted like a motion, so one table and one history
serve both. Its own columns say which lines of which text version it replaces (``line_from``,
``line_to``, ``base_version``, ``old_text``); its ``text`` is what replaces them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from evote.store.base import Base, UtcDateTime


class MotionKind(Base):
    """A kind of motion at one event (statute amendment S, programme P, other A), each with its
    own number series, deadlines, the supporters a group needs, and its usual majority."""

    __tablename__ = "motion_kinds"
    __table_args__ = (
        UniqueConstraint("event_id", "code"),
        CheckConstraint("supporters_required >= 0", name="supporters_nonnegative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(8))
    """Prefix of the numbers: ``S`` gives S1, S2 …"""
    name: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(Integer, default=0)
    deadline: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    """Motions submitted later are refused unless submitted as urgent (Dringlichkeitsantrag)."""
    amendment_deadline: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    supporters_required: Mapped[int] = mapped_column(Integer, default=0)
    """Supporters a group submission needs besides its author."""
    majority_rule: Mapped[str] = mapped_column(String(16), default="simple")
    """Default rule of votes on this kind (``evote.rules.majority.MajorityRule``)."""


class MotionSettings(Base):
    """Per-event settings of the motions area."""

    __tablename__ = "motion_settings"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    public_listing: Mapped[bool] = mapped_column(default=False)
    """Admitted motions readable without login (``/events/<slug>/motions``)."""


class Motion(Base):
    __tablename__ = "motions"
    __table_args__ = (UniqueConstraint("series", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    kind_id: Mapped[int] = mapped_column(ForeignKey("motion_kinds.id", ondelete="CASCADE"))
    amends_id: Mapped[int | None] = mapped_column(
        ForeignKey("motions.id", ondelete="CASCADE"), default=None, index=True
    )
    series: Mapped[str] = mapped_column(String(40))
    """Number series: ``kind-<id>`` for motions, ``motion-<id>`` for the amendments of one
    motion; the unique (series, number) makes two committee members unable to give a number
    twice."""
    number: Mapped[int | None] = mapped_column(Integer, default=None)
    state: Mapped[str] = mapped_column(String(24), index=True)
    title: Mapped[str] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text)
    """Canonical text (``evote.motions.text``): the motion's current (consolidated) text, or
    the amendment's replacement for its lines."""
    text_version: Mapped[int] = mapped_column(Integer, default=1)
    reason: Mapped[str] = mapped_column(Text, default="")
    """The Begründung; never voted on."""
    submitter_kind: Mapped[str] = mapped_column(String(16))
    body_name: Mapped[str] = mapped_column(String(200), default="")
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="SET NULL"), default=None, index=True
    )
    author_name: Mapped[str] = mapped_column(String(200), default="")
    urgent: Mapped[bool] = mapped_column(default=False)
    """Submitted after the deadline as a Dringlichkeitsantrag; shown marked."""
    refusal_reason: Mapped[str] = mapped_column(Text, default="")
    line_from: Mapped[int | None] = mapped_column(Integer, default=None)
    line_to: Mapped[int | None] = mapped_column(Integer, default=None)
    base_version: Mapped[int | None] = mapped_column(Integer, default=None)
    old_text: Mapped[str | None] = mapped_column(Text, default=None)
    recommendation: Mapped[str | None] = mapped_column(String(16), default=None)
    recommendation_reason: Mapped[str] = mapped_column(Text, default="")
    recommended_text: Mapped[str | None] = mapped_column(Text, default=None)
    """For ``adopt_modified``: the form the committee proposes (an amendment's replacement)."""
    agenda_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="SET NULL"), default=None
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    submitted_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)


class MotionText(Base):
    """Every version of a motion's text since submission: 1 as submitted, then one per adopted
    or taken-over amendment. Amendments are diffs against one of these."""

    __tablename__ = "motion_texts"

    motion_id: Mapped[int] = mapped_column(
        ForeignKey("motions.id", ondelete="CASCADE"), primary_key=True
    )
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(String(300), default="")
    replaced_from: Mapped[int | None] = mapped_column(Integer, default=None)
    replaced_to: Mapped[int | None] = mapped_column(Integer, default=None)
    replaced_by: Mapped[int | None] = mapped_column(Integer, default=None)
    """How this version came from the one before: its numbered lines ``replaced_from``..
    ``replaced_to`` became ``replaced_by`` lines (None for version 1). Amendments written
    against an older version follow their lines through these (``motions.diff.map_range``)."""
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class MotionSupporter(Base):
    __tablename__ = "motion_supporters"

    motion_id: Mapped[int] = mapped_column(
        ForeignKey("motions.id", ondelete="CASCADE"), primary_key=True
    )
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class MotionHistory(Base):
    """One step of a motion's life: from which state to which, by whom, with what note."""

    __tablename__ = "motion_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    motion_id: Mapped[int] = mapped_column(
        ForeignKey("motions.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    from_state: Mapped[str | None] = mapped_column(String(24), default=None)
    to_state: Mapped[str] = mapped_column(String(24))
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="SET NULL"), default=None
    )
    note: Mapped[str] = mapped_column(Text, default="")


class MotionVote(Base):
    """A vote opened from a motion (final vote) or an amendment, with the exact text voted on.

    ``text`` is the motion's text as it reads if the vote adopts (for an amendment: with it
    applied); its SHA-256 is in the vote's manifest. ``applied`` turns true once the result has
    been carried back to the motion.
    """

    __tablename__ = "motion_votes"

    vote_id: Mapped[int] = mapped_column(
        ForeignKey("votes.id", ondelete="CASCADE"), primary_key=True
    )
    motion_id: Mapped[int] = mapped_column(
        ForeignKey("motions.id", ondelete="CASCADE"), index=True
    )
    purpose: Mapped[str] = mapped_column(String(16))
    base_version: Mapped[int] = mapped_column(Integer)
    """The motion's text version the vote was opened on."""
    text: Mapped[str] = mapped_column(Text)
    text_sha256: Mapped[str] = mapped_column(String(64))
    applied: Mapped[bool] = mapped_column(default=False)
    outcome: Mapped[str | None] = mapped_column(String(24), default=None)
