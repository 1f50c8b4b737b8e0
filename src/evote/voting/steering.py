"""The presidium's hand on a vote: close now, extend, cancel; edit or delete a draft.

Every step is decided here, on the server, under the same guards as the countdown's own close:
an UPDATE that only matches a vote still in the state the step needs, so two presidium
members clicking at once, or a click racing the sweeper, end in one outcome and a clear 409
for the other.  The pages learn the outcome from live events (`evote.voting.events`).

Close now ends the countdown at once, like the countdown reaching zero (`lifecycle.end_open`:
the close commits and is announced, then the ballots are sealed): the ballots already
committed are in the tally, later ones are refused.  Every ballot carries the vote's one
`timestamp`, its opening time (`ballot_timestamp`), which stays before any close; the record's
`closed_at` says when the vote closed.  Extending moves `closes_at` later and nothing else.

Cancel ends a vote for good without a result: an open vote is ended like a close (retry tags
erased, then ballots sealed and the tally made, for its record), a closed one waiting for the guardians loses the decryption shares that
came in, and no share is taken afterwards (`results.submit_share` wants a closed vote).  Its
record says it was cancelled (`evote/cancelled.json`); the guardians' client refuses it.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from evote import audit
from evote.rules.majority import MajorityBase, MajorityRule
from evote.store.clock import utc
from evote.store.models.ceremony import StoredDecryptionShare
from evote.store.models.votes import Secrecy, Vote, VoteState
from evote.voting.electorate import EVERYONE, Electorate
from evote.voting.lifecycle import (
    MAX_DURATION,
    MIN_DURATION,
    VoteError,
    electorate_problem,
    end_open,
    rule_problem,
    scope_id,
    secrecy_problem,
)
from evote.voting.manifest import VoteSpec, build_manifest
from evote.voting.outcomes import Closed

MAX_EXTENSION = 3600
"""Seconds one extension may add; the whole countdown stays within `MAX_DURATION`."""


def _not_open(vote: Vote) -> VoteError:
    return VoteError("vote_not_open", f"Vote {vote.id} is {vote.state}, not open.")


def close_now(db: Session, vote: Vote, now: datetime) -> Closed:
    """End the countdown now; the encrypted tally is formed as at a normal close."""
    if vote.state != VoteState.OPEN.value:
        raise _not_open(vote)
    closed = end_open(db, vote.id, VoteState.CLOSED, early=True, closes_at=now)
    if closed is None:  # the countdown or another presidium member was first
        db.refresh(vote)
        raise _not_open(vote)
    return closed


def extend(db: Session, vote: Vote, seconds: int, now: datetime) -> datetime:
    """Move the close `seconds` later; only while the countdown still runs. Returns the new end.

    Does not commit, so the caller's audit entry commits with it.
    """
    if not 1 <= seconds <= MAX_EXTENSION:
        raise VoteError("bad_extension", f"Extend by 1 to {MAX_EXTENSION} seconds.", 400)
    locked = db.get(Vote, vote.id, with_for_update=True, populate_existing=True)
    if (
        locked is None or locked.state != VoteState.OPEN.value or locked.closes_at is None
        or utc(locked.closes_at) <= now
    ):
        raise _not_open(vote)
    assert locked.opens_at is not None
    new_end = utc(locked.closes_at) + timedelta(seconds=seconds)
    total = int((new_end - utc(locked.opens_at)).total_seconds())
    if total > MAX_DURATION:
        raise VoteError(
            "bad_extension", f"A countdown lasts at most {MAX_DURATION} s in all.", 400
        )
    won = db.execute(
        update(Vote)
        .where(Vote.id == vote.id, Vote.state == VoteState.OPEN.value, Vote.closes_at > now)
        .values(closes_at=new_end, duration_seconds=total)
        .execution_options(synchronize_session=False)
    ).rowcount
    if won != 1:
        raise _not_open(vote)
    db.refresh(vote)
    audit.append(db, vote.event_id, "vote.extend", "vote", scope_id(vote),
                 {"seconds": seconds, "closes_at": new_end}, now=now)
    return new_end


def cancel(db: Session, vote: Vote, now: datetime) -> Closed | None:
    """Call the vote off: nobody will decrypt it. Returns the seal when it was still open.

    An open vote is sealed and committed as at a close; a closed one is changed without a
    commit (the caller commits).
    """
    if vote.state == VoteState.OPEN.value:
        sealed = end_open(db, vote.id, VoteState.CANCELLED, closes_at=now, cancelled_at=now)
        if sealed is not None:
            db.refresh(vote)
            return sealed
        db.refresh(vote)
    if vote.state == VoteState.CLOSED.value:
        won = db.execute(
            update(Vote)
            .where(Vote.id == vote.id, Vote.state == VoteState.CLOSED.value)
            .values(state=VoteState.CANCELLED.value, cancelled_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount
        if won == 1:
            # shares that came in are no use to anyone now, and must not be combined later
            db.execute(
                delete(StoredDecryptionShare).where(StoredDecryptionShare.vote_id == vote.id)
            )
            db.flush()
            db.refresh(vote)
            audit.append(db, vote.event_id, "vote.cancel", "vote", scope_id(vote),
                         {"while": "closed"}, now=now)
            return None
        db.refresh(vote)
    if vote.state == VoteState.DRAFT.value:
        raise VoteError(
            "vote_not_started", "A draft is not cancelled but deleted (DELETE /api/votes/ID)."
        )
    raise VoteError(
        "cannot_cancel", f"Vote {vote.id} is {vote.state}; only an open or closed, not yet "
        "decrypted vote can be cancelled."
    )


def edit_draft(
    db: Session,
    vote: Vote,
    spec: VoteSpec,
    *,
    rule: MajorityRule,
    base: MajorityBase,
    duration_seconds: int,
    electorate: Electorate = EVERYONE,
    secrecy: Secrecy = Secrecy.SECRET,
    quota_json: str | None = None,
) -> Vote:
    """Replace a draft's definition (and so its manifest); refused once it has been opened.
    Secrecy too changes only here, while nobody can choose (`open_votes`)."""
    if not MIN_DURATION <= duration_seconds <= MAX_DURATION:
        raise VoteError(
            "bad_duration", f"The countdown must be {MIN_DURATION} s to {MAX_DURATION} s.", 400
        )
    rule_problem(rule, base)
    electorate_problem(db, vote.event_id, electorate)
    secrecy_problem(spec, secrecy)
    locked = db.get(Vote, vote.id, with_for_update=True, populate_existing=True)
    if locked is None or locked.state != VoteState.DRAFT.value:
        raise VoteError("vote_not_draft", "Only a vote that has not been opened can be edited.")
    day = str(json.loads(locked.manifest_json)["start_date"])[:10]  # the day it was created
    locked.title = spec.title
    locked.kind = spec.kind.value
    locked.candidates_json = json.dumps(list(spec.candidates), ensure_ascii=False)
    locked.seats = spec.seats
    locked.with_abstain = spec.with_abstain
    locked.majority_rule = rule.value
    locked.majority_base = base.value
    locked.abstentions_counted = base is MajorityBase.CAST
    locked.duration_seconds = duration_seconds
    electorate.apply(locked)
    locked.secrecy = secrecy.value
    locked.quota_json = quota_json
    locked.manifest_json = json.dumps(
        build_manifest(spec, scope_id=scope_id(locked), day=day), ensure_ascii=False
    )
    audit.append(db, locked.event_id, "vote.edit", "vote", scope_id(locked),
                 {"title": locked.title, "kind": locked.kind})
    return locked


def delete_draft(db: Session, vote: Vote) -> None:
    """Delete a vote that was never opened: it has no ballots, no roll, no record."""
    gone = db.execute(
        delete(Vote).where(Vote.id == vote.id, Vote.state == VoteState.DRAFT.value)
        .execution_options(synchronize_session=False)
    ).rowcount
    if gone != 1:
        raise VoteError("vote_not_draft", "Only a vote that has not been opened can be deleted.")
    audit.append(db, vote.event_id, "vote.delete", "vote", scope_id(vote), {"title": vote.title})
