"""Check-in, the voting right and the quorum.

``can_vote`` is the single answer to "may this participant cast a ballot right now"; the ballot
box, the roll snapshot taken when a vote opens and the permission layer all ask it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.orm import Session, object_session

from evote.rules.roles import Role
from evote.store.models.event import Event
from evote.store.models.people import Participant, ParticipantRole


class CheckInRefused(Exception):
    """Check-in is not possible now (the event is not open, or the account is inactive)."""


def can_vote(participant: Participant) -> bool:
    """Active, a delegate, holding a voting right, and checked in."""
    return (
        participant.active
        and participant.voting_right
        and participant.has_role(Role.DELEGATE)
        and participant.checked_in_at is not None
    )


def check_in(participant: Participant, now: datetime | None = None) -> datetime:
    """Confirm attendance. Idempotent: a second check-in keeps the first time.

    A guarded UPDATE (``WHERE checked_in_at IS NULL``) rather than read-then-write, so two
    requests racing on two workers (a double tap on a slow link) cannot both set the time.
    The caller commits.
    """
    if not participant.event.is_open:
        raise CheckInRefused("The event is not open for check-in.")
    if not participant.active:
        raise CheckInRefused("This account is deactivated.")
    if participant.checked_in_at is None:
        db = object_session(participant)
        if db is None:
            raise RuntimeError("check_in needs a participant loaded from a session")
        db.execute(
            update(Participant)
            .where(Participant.id == participant.id, Participant.checked_in_at.is_(None))
            .values(checked_in_at=now or datetime.now(UTC))
            .execution_options(synchronize_session=False)
        )
        db.refresh(participant, ["checked_in_at"])
    assert participant.checked_in_at is not None
    return participant.checked_in_at


@dataclass(frozen=True)
class Attendance:
    """What the presidium needs to know about who is here."""

    checked_in: int
    """All active participants checked in, whatever their role."""
    voting_members: int
    """Active delegates with a voting right: the base of the quorum."""
    voting_checked_in: int
    """Of those, how many are checked in: they can vote now."""
    quorum_needed: int
    """The smallest ``voting_checked_in`` that makes the event quorate."""
    quorate: bool

    def as_json(self) -> dict[str, int | bool]:
        return {
            "checked_in": self.checked_in,
            "voting_members": self.voting_members,
            "voting_checked_in": self.voting_checked_in,
            "quorum_needed": self.quorum_needed,
            "quorate": self.quorate,
        }


def quorum_needed(event: Event, voting_members: int) -> int:
    """Smallest number present that satisfies the event's rule, for display ("need 301").

    ``evote.rules.majority.Quorum.is_met`` stays the authority on whether the quorum is met; a test
    checks the two agree.
    """
    num, den = event.quorum_numerator, event.quorum_denominator
    if event.quorum_strict:  # present * den > num * members
        return (num * voting_members) // den + 1
    return -(-(num * voting_members) // den)  # ceil: present * den >= num * members


def voting_member_clause(event_id: int) -> ColumnElement[bool]:
    """SQL for "active delegate with a voting right at this event": the quorum's base."""
    delegates = select(ParticipantRole.participant_id).where(
        ParticipantRole.role == Role.DELEGATE.value
    )
    return (
        (Participant.event_id == event_id)
        & Participant.active.is_(True)
        & Participant.voting_right.is_(True)
        & Participant.id.in_(delegates)
    )


def can_vote_clause(event_id: int) -> ColumnElement[bool]:
    """:func:`can_vote` as SQL, for the roll snapshot and counts; a test keeps the two equal."""
    return voting_member_clause(event_id) & Participant.checked_in_at.is_not(None)


def attendance(db: Session, event: Event) -> Attendance:
    """Count with three aggregate queries; cost does not grow in Python with the delegates."""
    present = (
        (Participant.event_id == event.id)
        & Participant.active.is_(True)
        & Participant.checked_in_at.is_not(None)
    )
    count = select(func.count()).select_from(Participant)
    checked_in = db.scalar(count.where(present)) or 0
    members = db.scalar(count.where(voting_member_clause(event.id))) or 0
    voting_checked_in = db.scalar(count.where(can_vote_clause(event.id))) or 0
    needed = quorum_needed(event, members)
    quorate = event.quorum.is_met(voting_checked_in, members)
    return Attendance(checked_in, members, voting_checked_in, needed, quorate)
