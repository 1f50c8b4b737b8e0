"""Speakers' lists: one per agenda item, its entries, the speakers' self-declared quota side,
the event's speaker settings, and the signalling mailbox of the technician calls
(see ``evote.speakers`` and docs/speakers.md).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from evote.store.base import Base, UtcDateTime


class SpeakerSettings(Base):
    """Per event: who counts for the quota side, the default speaking time, the active list."""

    __tablename__ = "speaker_settings"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    quota_group: Mapped[str] = mapped_column(String(16), default="women")
    """``women`` (self-declared women) or ``flinta`` (women and other FLINTA* persons)."""
    speaking_seconds: Mapped[int] = mapped_column(Integer, default=180)
    active_list_id: Mapped[int | None] = mapped_column(Integer, default=None)
    """The list pages show (the one the presidium opened or picked last)."""


class SpeakerProfile(Base):
    """A participant's self-declaration for the quota: ``woman``, ``flinta`` or nothing."""

    __tablename__ = "speaker_profiles"

    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True
    )
    quota: Mapped[str] = mapped_column(String(16), default="")


class SpeakerList(Base):
    """The speakers' list of one agenda item."""

    __tablename__ = "speaker_lists"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    agenda_item_id: Mapped[int] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="CASCADE"), unique=True
    )
    closed: Mapped[bool] = mapped_column(default=False)
    quota: Mapped[bool] = mapped_column(default=True)
    when_side_empty: Mapped[str] = mapped_column(String(16), default="continue")
    guests: Mapped[bool] = mapped_column(default=False)
    """Guests (advisory members) may ask to speak on this item."""
    speaking_seconds: Mapped[int] = mapped_column(Integer, default=180)
    current_entry_id: Mapped[int | None] = mapped_column(Integer, default=None)
    speech_started_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    speech_ends_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    """Server clock: when the current speaker's time is up."""
    next_seq: Mapped[int] = mapped_column(Integer, default=1)
    """Sign-up counter of this list (an entry's first ``rank``)."""


class SpeakerEntry(Base):
    """One request to speak: waiting, speaking, done, withdrawn or removed."""

    __tablename__ = "speaker_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    list_id: Mapped[int] = mapped_column(
        ForeignKey("speaker_lists.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    side: Mapped[str] = mapped_column(String(8))
    """Quota side at sign-up (``quota`` or ``open``)."""
    rank: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(16), default="waiting")
    asked_at: Mapped[datetime] = mapped_column(UtcDateTime())
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    prepared: Mapped[bool] = mapped_column(default=False)
    """Marked "next" by the presidium: the speaker's page offers the technician check."""
    tech: Mapped[str] = mapped_column(String(16), default="")
    """Technician check: '', ready, connected, ok, problem, live, lost."""
    tech_note: Mapped[str] = mapped_column(String(300), default="")
    technician_id: Mapped[int | None] = mapped_column(Integer, default=None)


class SpeakerSignal(Base):
    """One WebRTC signalling message (offer, answer, ICE candidate, bye) between a speaker and
    a technician; only signalling passes through evote, never audio or video."""

    __tablename__ = "speaker_signals"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("speaker_entries.id", ondelete="CASCADE"), index=True
    )
    sender_id: Mapped[int] = mapped_column(Integer)
    recipient_id: Mapped[int] = mapped_column(Integer, index=True)
    kind: Mapped[str] = mapped_column(String(16))
    payload: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
