"""Voting credentials as the server holds them: the committee's signed statements, the anonymous
sets of public keys they make, and which participants received a letter in each batch.

What is deliberately *not* here: which key belongs to which participant.  The committee uploads
each slot's keys as a sorted set, apart from the list of participants, so the server can check
"this ballot carries a key of the roll" but never "this is Anna's key" (docs/credentials.md,
docs/threat-model.md).  The secret codes never reach the server at all.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from evote.store.base import Base, UtcDateTime


class CredentialBatch(Base):
    """One upload of the committee: batch 0 issues, later ones replace lost letters."""

    __tablename__ = "credential_batches"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    number: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    """"issue" or "replace"."""
    header_json: Mapped[str] = mapped_column(Text)
    """The signed batch header as uploaded (participants who received a letter, slots)."""
    signature: Mapped[str] = mapped_column(String(128))
    uploaded_at: Mapped[datetime] = mapped_column(UtcDateTime())


class CredentialStatement(Base):
    """The committee's signed statement for one slot in one batch, exactly as signed; the
    record of each vote carries its slot's statements."""

    __tablename__ = "credential_statements"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    batch: Mapped[int] = mapped_column(Integer, primary_key=True)
    slot: Mapped[int] = mapped_column(Integer, primary_key=True)
    statement_json: Mapped[str] = mapped_column(Text)
    signature: Mapped[str] = mapped_column(String(128))


class CredentialKey(Base):
    """A public key on a slot's roll: added in one batch, perhaps revoked in a later one.

    Keyed by (event, key), so a key can never be uploaded twice in an event, in any slot."""

    __tablename__ = "credential_keys"
    __table_args__ = (Index("ix_credential_keys_event_slot", "event_id", "slot"),)

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    public_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    slot: Mapped[int] = mapped_column(Integer)
    added_batch: Mapped[int] = mapped_column(Integer)
    revoked_batch: Mapped[int | None] = mapped_column(Integer, default=None)
