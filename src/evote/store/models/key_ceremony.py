"""The key ceremony as the server keeps it: a mailbox of public records and sealed backups.

Nothing here is secret to the server.  A guardian's public record (commitments K_ij and their
Schnorr proofs) is public by design; a backup is P_i(ℓ) encrypted to guardian ℓ's election
public key K_ℓ, whose secret only ℓ's laptop holds; a challenge answer reveals P_i(ℓ) in
clear, which the ElectionGuard protocol makes public on purpose so that anyone can see who
cheated.  The joint key, once every backup is verified, is written to H5b's `ElectionKey`.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from evote.store.base import Base, UtcDateTime


class CeremonyState(StrEnum):
    """Where one event's ceremony stands; it only ever moves forward."""

    COLLECTING_KEYS = "collecting_keys"
    """Waiting for every guardian's public record."""
    CONFIRMING_FINGERPRINT = "confirming_fingerprint"
    """All records are in; each guardian compares the fingerprint of all of them with the others
    (read aloud) and confirms it, signed.  No backup is accepted before all n have confirmed."""
    EXCHANGING_BACKUPS = "exchanging_backups"
    """Every guardian confirmed the fingerprint; backups are posted, verified, challenged and
    answered."""
    COMPLETE = "complete"
    """Every backup verified (or its challenge answered correctly); the joint key is published."""


class BackupStatus(StrEnum):
    """The life of one backup from guardian i to guardian ℓ."""

    SENT = "sent"
    VERIFIED = "verified"
    """ℓ opened it and found P_i(ℓ) on i's polynomial."""
    CHALLENGED = "challenged"
    """ℓ could not open it or found it off the polynomial; i owes a public answer."""
    RESOLVED = "resolved"
    """i answered the challenge with a point that fits its commitments (checked by the server)."""


class KeyCeremony(Base):
    """One event's ceremony: n guardians, quorum k."""

    __tablename__ = "key_ceremonies"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    ceremony_id: Mapped[str] = mapped_column(String(32))
    """Random; a guardian client binds its sealed polynomial to it, so an aborted ceremony's
    polynomial is never reused in the next one."""
    number_of_guardians: Mapped[int] = mapped_column(Integer)
    quorum: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(32), default=CeremonyState.COLLECTING_KEYS.value)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime())
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)


class CeremonyGuardian(Base):
    """A seat in the ceremony: which participant is guardian `guardian_id` with order i."""

    __tablename__ = "ceremony_guardians"
    __table_args__ = (
        UniqueConstraint("event_id", "sequence_order"),
        UniqueConstraint("event_id", "participant_id"),
    )

    event_id: Mapped[int] = mapped_column(
        ForeignKey("key_ceremonies.event_id", ondelete="CASCADE"), primary_key=True
    )
    guardian_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    sequence_order: Mapped[int] = mapped_column(Integer)
    """i in the spec, 1..n."""
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    public_key_json: Mapped[str | None] = mapped_column(Text, default=None)
    """The verified `GuardianPublicKey` record, once posted."""
    key_posted_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    fingerprint_confirmation_json: Mapped[str | None] = mapped_column(Text, default=None)
    """The guardian's `FingerprintConfirmation`: its signature on the fingerprint its own client
    computed, checked against this seat's key and the fingerprint of the stored records."""
    fingerprint_confirmed_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)


class CeremonyBackup(Base):
    """Guardian i's backup for guardian ℓ, its verification and, if disputed, i's answer."""

    __tablename__ = "ceremony_backups"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("key_ceremonies.event_id", ondelete="CASCADE"), primary_key=True
    )
    owner_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    """i, the sender."""
    designated_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    """ℓ, the only guardian the backup is delivered to."""
    backup_json: Mapped[str] = mapped_column(Text)
    """`PartialKeyBackup`: hashed ElGamal to K_ℓ; the server cannot open it."""
    status: Mapped[str] = mapped_column(String(16), default=BackupStatus.SENT.value)
    challenge_reason: Mapped[str | None] = mapped_column(Text, default=None)
    """What ℓ's client reported when it disputed the backup."""
    answer_json: Mapped[str | None] = mapped_column(Text, default=None)
    """i's `PartialKeyChallenge`, public once the server checked it."""
