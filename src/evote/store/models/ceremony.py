"""The guardians' public keys for an event, and the decryption shares they send after a vote.

Only public material lives here: the guardians' secret polynomials stay on their own machines
(the guardian client seals them).  The server checks every proof before storing, so what is
stored can go into the published record as it is.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from evote.store.base import Base


class ElectionKey(Base):
    """The joint key of one event's key ceremony: every vote of the event is encrypted to it."""

    __tablename__ = "election_keys"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    number_of_guardians: Mapped[int] = mapped_column(Integer)
    quorum: Mapped[int] = mapped_column(Integer)
    joint_public_key: Mapped[str] = mapped_column(Text)
    """K in the spec, hex."""
    commitment_hash: Mapped[str] = mapped_column(String(80))
    guardians_json: Mapped[str] = mapped_column(Text)
    """The guardians' public records (guardians/guardian_<id>.json), in sequence order."""


class StoredDecryptionShare(Base):
    """One guardian's verified share of one vote's tally or of one of its spoiled ballots.

    `object_id` is the tally's id or the spoiled ballot's id.  `missing_guardian_id` is "" for
    the guardian's own (direct) share, else the id of the absent guardian this compensated share
    stands in for.
    """

    __tablename__ = "decryption_shares"

    vote_id: Mapped[int] = mapped_column(
        ForeignKey("votes.id", ondelete="CASCADE"), primary_key=True
    )
    object_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    guardian_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    missing_guardian_id: Mapped[str] = mapped_column(String(128), primary_key=True, default="")
    share_json: Mapped[str] = mapped_column(Text)
