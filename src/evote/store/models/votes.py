"""Votes, their roll, who has voted, and the ballot box.

The secrecy of the vote shapes these tables (see docs/ballot-box.md):

* `vote_participation` (who has voted) and `ballots` (what was cast) share no key, no
  timestamp, no sequence and no id.  A participation row is (vote, participant, retry tag);
  a ballot row is (vote, tracking code, state, ballot JSON).  Neither has a created_at column
  or an autoincrement id, and on SQLite both are WITHOUT ROWID tables, so not even the hidden
  rowid counts arrivals.
* The one-ballot-per-delegate rule is the primary key of `vote_participation`: the database
  refuses a second row, so concurrent submits cannot both win a read-then-write race.
* The retry tag is an HMAC under a per-vote key that is erased, with all the tags, when the
  vote closes; after that nothing in the database can pair a delegate with a ballot.
* `ciphertext_fingerprints` keeps each selection ciphertext of the open vote once (weeding:
  a copied ballot is refused); it too has no id or timestamp, and the close empties it.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from evote.store.base import Base, UtcDateTime


class VoteState(StrEnum):
    DRAFT = "draft"
    """Created, manifest fixed, not yet open."""
    OPEN = "open"
    """Counting down; ballots accepted until `closes_at`."""
    CLOSED = "closed"
    """Past `closes_at`; the encrypted tally is formed; waiting for the guardians."""
    DECRYPTED = "decrypted"
    """Totals decrypted and the result decided."""
    CANCELLED = "cancelled"
    """Called off by the presidium while open or before decryption: its ballots are kept and
    published, but nobody decrypts its tally or its challenged ballots (docs/presidium.md)."""


class Secrecy(StrEnum):
    SECRET = "secret"
    """Encrypted in the browser, counted homomorphically, decrypted by the guardians."""
    OPEN = "open"
    """Offene Abstimmung: the choice is sent in plaintext and counted at once; the totals and
    who was eligible are published, not who chose what."""
    ROLL_CALL = "roll_call"
    """Namentliche Abstimmung: like an open vote, and each delegate's choice is published with
    their name after the close."""


class BallotState(StrEnum):
    CAST = "cast"
    SPOILED = "spoiled"


class Vote(Base):
    """One vote of the convention, from the presidium's definition to its decrypted result."""

    __tablename__ = "votes"
    __table_args__ = (
        CheckConstraint("seats >= 1", name="seats_positive"),
        CheckConstraint("cast_count >= 0 AND spoiled_count >= 0", name="counts_nonnegative"),
        # two votes opening at once cannot take the same committee slot
        Index("uq_votes_event_id_credential_slot", "event_id", "credential_slot", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(32))
    """`evote.voting.manifest.VoteKind`."""
    candidates_json: Mapped[str] = mapped_column(Text, default="[]")
    seats: Mapped[int] = mapped_column(Integer, default=1)
    with_abstain: Mapped[bool] = mapped_column(default=True)
    majority_rule: Mapped[str] = mapped_column(String(16))
    """`evote.rules.majority.MajorityRule`."""
    majority_base: Mapped[str] = mapped_column(String(16), default="valid")
    """`evote.rules.majority.MajorityBase`: what the rule's share is a share of."""
    abstentions_counted: Mapped[bool] = mapped_column(default=False)
    """Kept for older readers: true when the base is the votes cast including abstentions."""
    duration_seconds: Mapped[int] = mapped_column(Integer, default=60)
    state: Mapped[str] = mapped_column(String(16), default=VoteState.DRAFT.value, index=True)
    manifest_json: Mapped[str] = mapped_column(Text)
    context_json: Mapped[str | None] = mapped_column(Text, default=None)
    """Made when the vote opens, from the event's joint key and this manifest."""
    device_json: Mapped[str | None] = mapped_column(Text, default=None)
    """The vote's one encryption device (package `EncryptionDevice`); every ballot's code seed
    is its hash, so tracking codes form no chain in arrival order (docs/record.md)."""
    ballot_timestamp: Mapped[int | None] = mapped_column(Integer, default=None)
    """The one `timestamp` every ballot of this vote must carry: the opening time in Unix
    seconds, so ballots carry no time of their own that could order them (and none after the
    close, however early the presidium closes)."""
    opens_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    closes_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    """The end of the countdown on the server's clock: the close time in the record."""
    roll_size: Mapped[int] = mapped_column(Integer, default=0)
    """Delegates on the roll snapshotted at opening (checked in, with a voting right)."""
    voting_members: Mapped[int] = mapped_column(Integer, default=0)
    """All active delegates with a voting right at opening: the quorum's base."""
    cast_count: Mapped[int] = mapped_column(Integer, default=0)
    """Kept in the casting transaction so turnout costs one row read, not a count."""
    spoiled_count: Mapped[int] = mapped_column(Integer, default=0)
    retry_key: Mapped[bytes | None] = mapped_column(LargeBinary(32), default=None)
    """Keys the retry tags; erased at close so the tags cannot be recomputed afterwards."""
    receipt_key_box: Mapped[bytes | None] = mapped_column(LargeBinary(72), default=None)
    """The seed of the vote's Ed25519 receipt key, sealed under a key derived from the app's
    SECRET_KEY (`evote.voting.receipts`); erased at close.  The public key is in the context."""
    encrypted_tally_json: Mapped[str | None] = mapped_column(Text, default=None)
    plaintext_tally_json: Mapped[str | None] = mapped_column(Text, default=None)
    spoiled_decryptions_json: Mapped[str | None] = mapped_column(Text, default=None)
    """The guardians' decryptions of the challenged ballots (record: spoiled_ballots/)."""
    result_json: Mapped[str | None] = mapped_column(Text, default=None)
    credential_slot: Mapped[int | None] = mapped_column(Integer, default=None)
    """The committee's key slot this vote uses (the event's n-th vote opened gets slot n), or
    None when the event has no credentials committee."""
    credential_batch: Mapped[int | None] = mapped_column(Integer, default=None)
    """The newest committee batch when the vote opened: its roll is the slot's keys after
    batches 0 … this one, frozen for the vote."""
    announced_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    """When the presidium first announced the result; until then the result and the record are
    embargoed (only the presidium sees them)."""
    cancelled_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    electorate_group: Mapped[str | None] = mapped_column(String(100), default=None)
    """Only delegates in this group vote (a Frauenvotum: "women"); None: no such limit."""
    electorate_delegation: Mapped[str | None] = mapped_column(String(200), default=None)
    """Only delegates of this delegation vote; None: no such limit.  Both limits may apply."""
    assembly_present: Mapped[int | None] = mapped_column(Integer, default=None)
    """For a vote limited to a group: the whole assembly's voting delegates checked in at the
    opening, since the quorum is the assembly's, not the group's.  None: the roll is it."""
    assembly_members: Mapped[int | None] = mapped_column(Integer, default=None)
    """For a vote limited to a group: the whole assembly's voting members at the opening."""
    agenda_item_id: Mapped[int | None] = mapped_column(Integer, default=None, index=True)
    """The agenda item (`agenda_items.id`) the vote belongs to, for the console and the minutes.
    No foreign key (SQLite cannot add one without copying the table): the API checks the id,
    and an item with a vote past its draft is not deleted (`api/agenda.py`)."""
    secrecy: Mapped[str] = mapped_column(String(16), default=Secrecy.SECRET.value)
    """`Secrecy`: fixed with the definition; only a draft can change it, so no open vote ever
    turns into a secret one or back while choices are made."""
    previous_round_id: Mapped[int | None] = mapped_column(Integer, default=None)
    """The election this one is the next round of (Stichwahl, weiterer Wahlgang), or None.
    No foreign key (SQLite cannot add one without copying the table); set by `rounds`."""
    quota_json: Mapped[str | None] = mapped_column(Text, default=None)
    """Quota seats (Mindestquotierung) of an election, `voting.quota.QuotaSpec` as JSON, or
    None: the group, its share, its candidates, and one ballot or which of two elections."""
    lot_json: Mapped[str | None] = mapped_column(Text, default=None)
    """A tie broken by lot: the seed's inputs and what was drawn (`rules.lots`), or None."""


class RollEntry(Base):
    """A delegate allowed to vote in this vote: the snapshot taken when it opened."""

    __tablename__ = "vote_roll"
    __table_args__ = ({"sqlite_with_rowid": False},)

    vote_id: Mapped[int] = mapped_column(
        ForeignKey("votes.id", ondelete="CASCADE"), primary_key=True
    )
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True
    )
    challenges: Mapped[int] = mapped_column(Integer, default=0)
    """Ballots this delegate has challenged (spoiled) in this vote: capped, since each costs a
    full proof check and a guardian decryption.  A count, never which ballots."""


class Participation(Base):
    """"This delegate has cast a ballot in this vote" — and nothing about which ballot.

    The primary key is the one-ballot rule.  `retry_tag` = HMAC(vote's retry key, participant
    id, tracking code) recognises a retry of the same ballot; it is NULL after close.
    """

    __tablename__ = "vote_participation"
    __table_args__ = ({"sqlite_with_rowid": False},)

    vote_id: Mapped[int] = mapped_column(
        ForeignKey("votes.id", ondelete="CASCADE"), primary_key=True
    )
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True
    )
    retry_tag: Mapped[bytes | None] = mapped_column(LargeBinary(32), default=None)


class StoredBallot(Base):
    """An encrypted ballot as published; its key is its tracking code, which is random-looking
    and says nothing about when it came."""

    __tablename__ = "ballots"
    __table_args__ = (
        CheckConstraint("state IN ('cast', 'spoiled')", name="state_known"),
        UniqueConstraint("vote_id", "ballot_id"),
        # an index, not a constraint: added to a WITHOUT ROWID table without rebuilding it
        Index("uq_ballots_vote_id_credential_key", "vote_id", "credential_key", unique=True),
        {"sqlite_with_rowid": False},
    )

    vote_id: Mapped[int] = mapped_column(
        ForeignKey("votes.id", ondelete="CASCADE"), primary_key=True
    )
    tracking_code: Mapped[str] = mapped_column(String(80), primary_key=True)
    ballot_id: Mapped[str] = mapped_column(String(128))
    """The ballot's object_id (chosen at random by the client): unique per vote, or two ballots
    would collide in the tally and in the record's file names."""
    state: Mapped[str] = mapped_column(String(8))
    ballot_json: Mapped[str] = mapped_column(Text)
    credential_key: Mapped[str | None] = mapped_column(String(64), default=None)
    """The committee-issued key that signed this cast ballot (None for a challenge, or when
    the event has no committee).  Unique per vote: one ballot per credential.  It names no
    participant: the server never learns whose key it is."""
    credential_signature: Mapped[str | None] = mapped_column(String(128), default=None)


class CiphertextFingerprint(Base):
    """One selection ciphertext of a ballot in this vote: SHA-256 over (α, β), cast or spoiled.

    The primary key is the weeding rule: no ciphertext twice in one vote, so a cast ballot
    re-wrapped under a new id can be neither cast again nor challenged (which would have the
    guardians decrypt it).  The rows are written in the ballot's transaction, so the database
    refuses the second of two concurrent copies.  A fingerprint names no delegate and is
    computable from the published ballot anyway; what could link it to a delegate is the
    transaction id and the physical order it shares with the participation row while the vote
    is open.  So: no autoincrement id, no timestamp, WITHOUT ROWID on SQLite, and the close
    deletes every row of the vote (nothing can be added after it, so nothing needs them).
    """

    __tablename__ = "ciphertext_fingerprints"
    __table_args__ = ({"sqlite_with_rowid": False},)

    vote_id: Mapped[int] = mapped_column(
        ForeignKey("votes.id", ondelete="CASCADE"), primary_key=True
    )
    fingerprint: Mapped[bytes] = mapped_column(LargeBinary(32), primary_key=True)


class OpenChoice(Base):
    """One delegate's plaintext choice in an open or roll-call vote, never in a secret one.

    An open vote is public by its nature (a show of hands), so here the server knows who chose
    what; `evote.voting.open_votes` refuses to store a row for a secret vote under the vote's
    row lock, and a secret vote's choice never reaches the server in plaintext at all."""

    __tablename__ = "open_choices"
    __table_args__ = (CheckConstraint("choice IN ('yes', 'no', 'abstain')", name="choice_known"),)

    vote_id: Mapped[int] = mapped_column(
        ForeignKey("votes.id", ondelete="CASCADE"), primary_key=True
    )
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True
    )
    choice: Mapped[str] = mapped_column(String(16))
