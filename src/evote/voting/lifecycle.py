"""A vote's life: created (manifest fixed), opened (roll snapshot, countdown), closed (tally).

Closing happens on the server's clock, never because a browser says so.  Two paths lead to it
and both end in `close_if_due`: any request that touches the vote after `closes_at` (lazy), and
the sweeper thread each process runs (so a vote nobody looks at still closes).  The close is a
guarded UPDATE (`state = 'open' AND closes_at <= now`), so of several workers racing only one
closes, and, because a cast increments the vote row under the same guard, every ballot that
committed before the close is in the tally and none after it.
"""

from __future__ import annotations

import json
import secrets
import threading
from collections.abc import Callable
from datetime import datetime, timedelta

from flask import Flask
from sqlalchemy import delete, func, insert, literal, select, update
from sqlalchemy.orm import Session

from evote.people.attendance import can_vote_clause, voting_member_clause
from evote.rules.majority import MajorityRule
from evote.store.clock import current_clock, utc
from evote.store.db import forget_after_close, get_session, retry_forget
from evote.store.models.ceremony import ElectionKey
from evote.store.models.event import Event
from evote.store.models.people import Participant
from evote.store.models.votes import (
    BallotState,
    CiphertextFingerprint,
    Participation,
    RollEntry,
    StoredBallot,
    Vote,
    VoteState,
)
from evote.voting import ballot_crypto, events, receipts
from evote.voting.manifest import VoteKind, VoteSpec, build_manifest
from evote.voting.outcomes import Closed

MIN_DURATION, MAX_DURATION = 10, 24 * 3600


class VoteError(Exception):
    """A lifecycle step that is not possible now; `code` is the API's error code."""

    def __init__(self, code: str, message: str, status: int = 409) -> None:
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


def spec_of(vote: Vote) -> VoteSpec:
    return VoteSpec(
        VoteKind(vote.kind),
        vote.title,
        tuple(json.loads(vote.candidates_json)),
        vote.seats,
        vote.with_abstain,
    )


def create_vote(
    db: Session,
    event: Event,
    spec: VoteSpec,
    *,
    rule: MajorityRule,
    abstentions_counted: bool,
    duration_seconds: int,
    now: datetime,
) -> Vote:
    """A draft vote with its manifest fixed now, so delegates can read what they will vote on."""
    if not MIN_DURATION <= duration_seconds <= MAX_DURATION:
        raise VoteError(
            "bad_duration", f"The countdown must be {MIN_DURATION} s to {MAX_DURATION} s.", 400
        )
    vote = Vote(
        event_id=event.id,
        title=spec.title,
        kind=spec.kind.value,
        candidates_json=json.dumps(list(spec.candidates), ensure_ascii=False),
        seats=spec.seats,
        with_abstain=spec.with_abstain,
        majority_rule=rule.value,
        abstentions_counted=abstentions_counted,
        duration_seconds=duration_seconds,
        state=VoteState.DRAFT.value,
        manifest_json="{}",
    )
    db.add(vote)
    db.flush()  # the id names the manifest's scope
    manifest = build_manifest(spec, scope_id=scope_id(vote), day=now.date().isoformat())
    vote.manifest_json = json.dumps(manifest, ensure_ascii=False)
    return vote


def scope_id(vote: Vote) -> str:
    return f"evote-{vote.event_id}-vote-{vote.id}"


def open_vote(
    db: Session,
    vote: Vote,
    *,
    now: datetime,
    duration_seconds: int | None = None,
    random_bytes: Callable[[int], bytes] = secrets.token_bytes,
) -> Vote:
    """Start the countdown and snapshot the roll; one open vote per event at a time."""
    if vote.state != VoteState.DRAFT.value:
        raise VoteError("vote_not_draft", "Only a vote that has not been opened can be opened.")
    key = db.get(ElectionKey, vote.event_id)
    if key is None:
        raise VoteError(
            "no_election_key", "The guardians' key ceremony has not been recorded for this event."
        )
    already = db.scalar(
        select(Vote.id).where(Vote.event_id == vote.event_id, Vote.state == VoteState.OPEN.value)
    )
    if already is not None:
        raise VoteError("another_vote_open", f"Vote {already} is still open.")
    duration = duration_seconds or vote.duration_seconds
    if not MIN_DURATION <= duration <= MAX_DURATION:
        raise VoteError(
            "bad_duration", f"The countdown must be {MIN_DURATION} s to {MAX_DURATION} s.", 400
        )
    opens_at = now.replace(microsecond=0)
    closes_at = opens_at + timedelta(seconds=duration)
    device = ballot_crypto.make_device(vote, random_bytes)
    vote.device_json = json.dumps(device)
    vote.ballot_timestamp = int(closes_at.timestamp())
    vote.opens_at, vote.closes_at = opens_at, closes_at
    vote.duration_seconds = duration
    vote.retry_key = random_bytes(32)
    # the receipt key's public half travels in the context, which every client fetches
    # before casting; its secret half is stored sealed and erased at the close
    receipt_key, vote.receipt_key_box = receipts.make_key(scope_id(vote), random_bytes)
    vote.context_json = json.dumps(
        ballot_crypto.make_context(
            vote.manifest_json, key, receipts.context_extension(receipt_key)
        )
    )
    members = voting_member_clause(vote.event_id)
    vote.voting_members = db.scalar(select(func.count()).select_from(Participant).where(members))
    on_roll = can_vote_clause(vote.event_id)
    db.execute(
        insert(RollEntry).from_select(
            ["vote_id", "participant_id", "challenges"],
            select(literal(vote.id), Participant.id, literal(0)).where(on_roll),
        )
    )
    vote.roll_size = db.scalar(
        select(func.count()).select_from(RollEntry).where(RollEntry.vote_id == vote.id)
    )
    vote.state = VoteState.OPEN.value
    return vote


def close_if_due(db: Session, vote_id: int, now: datetime) -> Closed | None:
    """Close the vote if its countdown is over and nobody closed it yet; commits if it did.

    Forms the encrypted tally, erases the retry key and tags (nothing links a delegate to a
    ballot any more), deletes the ciphertext fingerprints (they only guard an open vote, and
    each shares its transaction id with the participation row written beside it), and
    rewrites the ballot rows in tracking-code order in this one transaction, so neither their
    physical order nor their transaction ids tell when each came.
    On SQLite the write-ahead log, which still holds the erased rows, is then folded into the
    database file and truncated (`store.db.forget_old_pages`).
    """
    won = db.execute(
        update(Vote)
        .where(Vote.id == vote_id, Vote.state == VoteState.OPEN.value, Vote.closes_at <= now)
        .values(state=VoteState.CLOSED.value, retry_key=None, receipt_key_box=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    if won != 1:
        db.rollback()
        return None
    vote = db.get(Vote, vote_id, populate_existing=True)
    assert vote is not None
    db.execute(
        update(Participation)
        .where(Participation.vote_id == vote_id)
        .values(retry_tag=None)
        .execution_options(synchronize_session=False)
    )
    db.execute(delete(CiphertextFingerprint).where(CiphertextFingerprint.vote_id == vote_id))
    rows = db.execute(
        select(
            StoredBallot.tracking_code, StoredBallot.ballot_id, StoredBallot.state,
            StoredBallot.ballot_json,
        )
        .where(StoredBallot.vote_id == vote_id)
        .order_by(StoredBallot.tracking_code)
    ).all()
    cast_json = [r.ballot_json for r in rows if r.state == BallotState.CAST.value]
    vote.encrypted_tally_json = json.dumps(
        ballot_crypto.encrypted_tally(vote.manifest_json, vote.context_json or "{}", cast_json)
    )
    db.execute(delete(StoredBallot).where(StoredBallot.vote_id == vote_id))
    if rows:
        db.execute(
            insert(StoredBallot),
            [
                {"vote_id": vote_id, "tracking_code": r.tracking_code, "ballot_id": r.ballot_id,
                 "state": r.state, "ballot_json": r.ballot_json}
                for r in rows
            ],
        )
    db.commit()
    forget_after_close()
    assert vote.closes_at is not None
    return Closed(vote_id, vote.event_id, utc(vote.closes_at), vote.cast_count, vote.roll_size)


def due_votes(db: Session, now: datetime) -> list[int]:
    return list(
        db.scalars(
            select(Vote.id).where(Vote.state == VoteState.OPEN.value, Vote.closes_at <= now)
        )
    )


def sweep_once(app: Flask) -> list[Closed]:
    """Close every vote whose countdown is over; what the sweeper thread does each tick."""

    closed: list[Closed] = []
    with app.app_context():
        db = get_session()
        now = current_clock().now()
        for vote_id in due_votes(db, now):
            done = close_if_due(db, vote_id, now)
            if done is not None:
                closed.append(done)
                events.vote_closed(done)
        retry_forget(app)
        events.flush_turnout()
    return closed


class Sweeper:
    """One thread per process; duplicates across workers are harmless (the guarded UPDATE)."""

    def __init__(self, app: Flask, interval: float = 0.5) -> None:
        self.app = app
        self.interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name="evote-sweeper", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                sweep_once(self.app)
            except Exception:  # keep sweeping; the next tick retries
                self.app.logger.exception("vote sweeper tick failed")

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
