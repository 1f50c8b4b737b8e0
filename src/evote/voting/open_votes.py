"""Open votes (offene Abstimmung) and roll-call votes (namentliche Abstimmung).

Procedural questions (a point of order, adopting the agenda) are decided openly, and some
statutes let a quarter of the delegates demand a roll call. Neither is secret by its nature,
so neither is encrypted: the delegate's page sends the choice itself, the server counts it,
and the result is there the moment the countdown ends, without guardians.

What stays the same as a secret vote: the definition fixed as a draft, the roll snapshotted at
the opening (with its electorate), the countdown on the server's clock, one choice per
delegate on the roll, the confirmation on the page, the embargo until the presidium announces.

What keeps a secret vote secret: this module stores a plaintext choice only after reading the
vote's secrecy under the vote's row lock, and secrecy can change only while the vote is a
draft (`steering.edit_draft`), when nobody can choose. `ballot_box.submit` refuses the other
way round. So no code path stores a plaintext choice for a secret vote; the secret vote's
choice never even reaches the server (docs/threat-model.md).

Published once announced: the totals and the decision for both; who was eligible (the roll,
by name) for both; each delegate's choice by name for a roll call only.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from evote.store.clock import utc
from evote.store.models.event import Event
from evote.store.models.people import Participant
from evote.store.models.votes import (
    OpenChoice,
    Participation,
    RollEntry,
    Secrecy,
    Vote,
    VoteState,
)
from evote.voting.lifecycle import VoteError, close_if_due
from evote.voting.results import decision

ANSWERS = ("yes", "no", "abstain")


def is_open(vote: Vote) -> bool:
    return vote.secrecy != Secrecy.SECRET.value


def cast(db: Session, vote_id: int, participant_id: int, choice: object, now: datetime) -> int:
    """Count one delegate's plaintext choice in an open or roll-call vote; the new count of
    choices. Refuses (VoteError, nothing stored) a secret vote, a closed one, a delegate not
    on the roll, a second choice, an answer the vote does not offer."""
    locked = db.get(Vote, vote_id, with_for_update=True, populate_existing=True)
    if locked is None:
        raise VoteError("no_such_vote", f"There is no vote {vote_id}.", 404)
    if not is_open(locked):
        raise VoteError(
            "secret_vote",
            "This vote is secret: its choice is encrypted on your device and never sent in "
            "plaintext. Nothing was stored.",
        )
    if locked.state == VoteState.DRAFT.value:
        raise VoteError("vote_not_open", "This vote has not been opened yet.")
    if locked.state != VoteState.OPEN.value or locked.closes_at is None or now >= utc(
        locked.closes_at
    ):
        db.rollback()
        close_if_due(db, vote_id, now)
        raise VoteError("vote_closed", "This vote is closed; the choice was not counted.")
    answers = ANSWERS if locked.with_abstain else ANSWERS[:2]
    if choice not in answers:
        raise VoteError("bad_choice", f"The choice is one of {', '.join(answers)}.", 422)
    if db.get(RollEntry, (vote_id, participant_id)) is None:
        raise VoteError(
            "not_on_roll",
            "You were not on this vote's roll: only delegates checked in with a voting right "
            "when the vote opened can vote in it.", 403,
        )
    try:
        db.add(Participation(vote_id=vote_id, participant_id=participant_id))
        db.add(OpenChoice(vote_id=vote_id, participant_id=participant_id, choice=str(choice)))
        db.flush()
    except IntegrityError:
        db.rollback()
        raise VoteError("already_voted", "You have already voted in this vote.") from None
    bumped = db.execute(
        update(Vote)
        .where(Vote.id == vote_id, Vote.state == VoteState.OPEN.value, Vote.closes_at > now)
        .values(cast_count=Vote.cast_count + 1)
        .returning(Vote.cast_count)
        .execution_options(synchronize_session=False)
    ).scalar_one_or_none()
    if bumped is None:
        db.rollback()
        raise VoteError("vote_closed", "This vote closed meanwhile; the choice was not counted.")
    db.commit()
    return int(bumped)


def totals(db: Session, vote: Vote) -> dict[str, dict[str, int]]:
    """The count in the shape the decrypted tally of a motion has."""
    answers = ANSWERS if vote.with_abstain else ANSWERS[:2]
    counted = {a: 0 for a in answers}
    for choice in db.scalars(select(OpenChoice.choice).where(OpenChoice.vote_id == vote.id)):
        counted[choice] += 1
    return {"motion": counted}


def _people(db: Session, vote: Vote) -> list[dict[str, Any]]:
    """The roll by name (who was eligible), each with their choice, sorted by name."""
    rows = db.execute(
        select(Participant.name, Participant.delegation, OpenChoice.choice)
        .join(RollEntry, RollEntry.participant_id == Participant.id)
        .outerjoin(
            OpenChoice,
            (OpenChoice.vote_id == RollEntry.vote_id)
            & (OpenChoice.participant_id == RollEntry.participant_id),
        )
        .where(RollEntry.vote_id == vote.id)
        .order_by(Participant.name, Participant.id)
    ).all()
    return [{"name": n, "delegation": d, "choice": c} for n, d, c in rows]


def finish(db: Session, vote: Vote) -> bool:
    """Count a closed open or roll-call vote: the result at once, no guardians. False if there
    is nothing to do (a secret vote, not closed, counted already)."""
    if not is_open(vote) or vote.state != VoteState.CLOSED.value or vote.result_json:
        return False
    event = db.get(Event, vote.event_id)
    assert event is not None
    people = _people(db, vote)
    result = decision(vote, event, totals(db, vote)) | {
        "secrecy": vote.secrecy,
        # who was eligible (the roll at the opening), and whether each took part
        "eligible": [
            {"name": p["name"], "delegation": p["delegation"], "voted": p["choice"] is not None}
            for p in people
        ],
    }
    if vote.secrecy == Secrecy.ROLL_CALL.value:
        result["roll_call"] = [
            {"name": p["name"], "delegation": p["delegation"], "choice": p["choice"]}
            for p in people
        ]
    won = db.execute(
        update(Vote)
        .where(Vote.id == vote.id, Vote.state == VoteState.CLOSED.value,
               Vote.result_json.is_(None))
        .values(state=VoteState.DECRYPTED.value, result_json=json.dumps(result))
        .execution_options(synchronize_session=False)
    ).rowcount
    db.commit()
    db.refresh(vote)
    return won == 1
