"""Who may vote in one vote: everyone with a voting right, or only a group or a delegation.

A Frauenvotum is voted on by the women delegates only; a delegation may decide its own
question. The limit is part of the vote's definition (fixed while it is a draft) and is applied
once, when the vote opens: the roll snapshot takes only the checked-in voting delegates inside
the electorate, exactly like the roll of a vote of everyone, so joining a group later changes
nothing. The majority's heads (present, members) are then the electorate's; the quorum stays
the assembly's, so its counts are snapshotted beside (`Vote.assembly_present`/`_members`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, exists, select, true
from sqlalchemy.orm import Session

from evote.store.models.people import Participant, ParticipantGroup
from evote.store.models.votes import Vote


class ElectorateError(ValueError):
    """A limit that names nobody of the event; `code` is the API's error code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True, slots=True)
class Electorate:
    group: str | None = None
    """Only participants in this group (`ParticipantGroup.name`)."""
    delegation: str | None = None
    """Only participants of this delegation (`Participant.delegation`)."""

    @property
    def limited(self) -> bool:
        return self.group is not None or self.delegation is not None

    def to_json(self) -> dict[str, Any] | None:
        if not self.limited:
            return None
        return {"group": self.group, "delegation": self.delegation}

    @classmethod
    def of(cls, vote: Vote) -> Electorate:
        return cls(vote.electorate_group, vote.electorate_delegation)

    def apply(self, vote: Vote) -> None:
        vote.electorate_group, vote.electorate_delegation = self.group, self.delegation


EVERYONE = Electorate()
"""Every delegate with a voting right: the default."""


def parse(value: object) -> Electorate:
    """From the API's `electorate` field: null, or {"group": str|null, "delegation": str|null}.
    ValueError with a message for anything else."""
    if value is None:
        return Electorate()
    if not isinstance(value, dict) or set(value) - {"group", "delegation"}:
        raise ValueError("electorate is null or an object with 'group' and/or 'delegation'")
    found: dict[str, str | None] = {}
    for key in ("group", "delegation"):
        item = value.get(key)
        if item is not None and (not isinstance(item, str) or not item.strip()):
            raise ValueError(f"electorate.{key} is a non-empty name or null")
        found[key] = item.strip() if isinstance(item, str) else None
    return Electorate(found["group"], found["delegation"])


def clause(electorate: Electorate) -> ColumnElement[bool]:
    """SQL: the participant is inside the electorate (always true for a vote of everyone)."""
    condition: ColumnElement[bool] = true()
    if electorate.group is not None:
        condition = condition & exists(
            select(ParticipantGroup.participant_id).where(
                ParticipantGroup.participant_id == Participant.id,
                ParticipantGroup.name == electorate.group,
            )
        )
    if electorate.delegation is not None:
        condition = condition & (Participant.delegation == electorate.delegation)
    return condition


def check_known(db: Session, event_id: int, electorate: Electorate) -> None:
    """Refuse a group or delegation nobody of the event has: a typo would make a vote that
    nobody can cast (the roll would be empty)."""
    if electorate.group is not None and db.scalar(
        select(ParticipantGroup.participant_id)
        .join(Participant, Participant.id == ParticipantGroup.participant_id)
        .where(Participant.event_id == event_id, ParticipantGroup.name == electorate.group)
        .limit(1)
    ) is None:
        raise ElectorateError("unknown_group", f"Nobody of this event is in group {electorate.group!r}.")
    if electorate.delegation is not None and db.scalar(
        select(Participant.id)
        .where(Participant.event_id == event_id, Participant.delegation == electorate.delegation)
        .limit(1)
    ) is None:
        raise ElectorateError(
            "unknown_delegation", f"Nobody of this event is of delegation {electorate.delegation!r}."
        )
