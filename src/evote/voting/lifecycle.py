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
from typing import Any

from flask import Flask, current_app
from sqlalchemy import delete, func, insert, literal, select, text, update
from sqlalchemy.orm import Session

from evote import audit
from evote.eligibility import committee
from evote.people.attendance import can_vote_clause, voting_member_clause
from evote.rules.majority import MajorityBase, MajorityRule, check_rule
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
    Secrecy,
    StoredBallot,
    Vote,
    VoteState,
)
from evote.voting import ballot_crypto, events, receipts
from evote.voting import electorate as electorates
from evote.voting.electorate import EVERYONE, Electorate
from evote.voting.manifest import VoteKind, VoteSpec, build_manifest, overall_of, subtitle_of
from evote.voting.outcomes import Closed

MIN_DURATION, MAX_DURATION = 10, 24 * 3600


class VoteError(Exception):
    """A lifecycle step that is not possible now; `code` is the API's error code."""

    def __init__(self, code: str, message: str, status: int = 409) -> None:
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


def spec_of(vote: Vote) -> VoteSpec:
    """The spec back from the row; what only the manifest holds (a motion's subtitle, an
    election's overall options) is read from it, so the two cannot disagree."""
    manifest = json.loads(vote.manifest_json) if vote.manifest_json else {}
    overall_no, overall_abstain = overall_of(manifest)
    return VoteSpec(
        VoteKind(vote.kind),
        vote.title,
        tuple(json.loads(vote.candidates_json)),
        vote.seats,
        vote.with_abstain,
        subtitle_of(manifest),
        overall_no,
        overall_abstain,
    )


def create_vote(
    db: Session,
    event: Event,
    spec: VoteSpec,
    *,
    rule: MajorityRule,
    base: MajorityBase,
    duration_seconds: int,
    now: datetime,
    electorate: Electorate = EVERYONE,
    secrecy: Secrecy = Secrecy.SECRET,
    quota_json: str | None = None,
) -> Vote:
    """A draft vote with its manifest fixed now, so delegates can read what they will vote on.
    `quota_json`: the election's quota seats (`voting.quota.QuotaSpec`), if any."""
    if not MIN_DURATION <= duration_seconds <= MAX_DURATION:
        raise VoteError(
            "bad_duration", f"The countdown must be {MIN_DURATION} s to {MAX_DURATION} s.", 400
        )
    rule_problem(rule, base)
    electorate_problem(db, event.id, electorate)
    secrecy_problem(spec, secrecy)
    vote = Vote(
        event_id=event.id,
        title=spec.title,
        kind=spec.kind.value,
        candidates_json=json.dumps(list(spec.candidates), ensure_ascii=False),
        seats=spec.seats,
        with_abstain=spec.with_abstain,
        majority_rule=rule.value,
        majority_base=base.value,
        abstentions_counted=base is MajorityBase.CAST,
        duration_seconds=duration_seconds,
        state=VoteState.DRAFT.value,
        manifest_json="{}",
        secrecy=secrecy.value,
        quota_json=quota_json,
    )
    electorate.apply(vote)
    db.add(vote)
    db.flush()  # the id names the manifest's scope
    manifest = build_manifest(spec, scope_id=scope_id(vote), day=now.date().isoformat())
    vote.manifest_json = json.dumps(manifest, ensure_ascii=False)
    audit.append(db, event.id, "vote.create", "vote", scope_id(vote),
                 {"title": vote.title, "kind": vote.kind}, now=now)
    return vote


def rule_problem(rule: MajorityRule, base: MajorityBase) -> None:
    """422 bad_majority_base for a pair the statutes do not know (`check_rule`)."""
    try:
        check_rule(rule, base)
    except ValueError as exc:
        raise VoteError("bad_majority_base", str(exc), 422) from None


def secrecy_problem(spec: VoteSpec, secrecy: Secrecy) -> None:
    """422 open_vote_kind: an open or roll-call vote is a question (yes/no(/abstain)); persons
    are elected by secret ballot here."""
    if secrecy is not Secrecy.SECRET and spec.kind is not VoteKind.MOTION:
        raise VoteError(
            "open_vote_kind",
            "Open and roll-call votes are yes/no(/abstain) questions; elections are secret.", 422,
        )


def electorate_problem(db: Session, event_id: int, electorate: Electorate) -> None:
    """422 unknown_group / unknown_delegation for a limit that names nobody of the event."""
    try:
        electorates.check_known(db, event_id, electorate)
    except electorates.ElectorateError as exc:
        raise VoteError(exc.code, str(exc), 422) from None


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
    secret = vote.secrecy == Secrecy.SECRET.value
    key = db.get(ElectionKey, vote.event_id)
    if key is None and secret:
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
    vote.opens_at, vote.closes_at = opens_at, closes_at
    vote.duration_seconds = duration
    if secret:
        assert key is not None
        _arm_encryption(db, vote, key, random_bytes)
    _snapshot_roll(db, vote)
    vote.state = VoteState.OPEN.value
    # the record carries this entry's hash: the log's head at the opening (docs/audit.md)
    audit.append(db, vote.event_id, "vote.open", "vote", scope_id(vote),
                 {"closes_at": closes_at, "roll": vote.roll_size}, now=now)
    return vote


def _arm_encryption(
    db: Session, vote: Vote, key: ElectionKey, random_bytes: Callable[[int], bytes]
) -> None:
    """What only a secret vote needs: its credential slot, encryption device, ballot
    timestamp, retry key, receipt key and context.  An open vote has none of them."""
    slot = credential_slot(db, vote)
    if slot is not None:
        vote.credential_slot, vote.credential_batch = slot
    assert vote.opens_at is not None
    opens_at = vote.opens_at
    device = ballot_crypto.make_device(vote, random_bytes)
    vote.device_json = json.dumps(device)
    # the opening, not the close: the presidium may close early or extend, and the record's
    # rule "no ballot stamped after the close" (V21) must still hold
    vote.ballot_timestamp = int(opens_at.timestamp())
    vote.retry_key = random_bytes(32)
    # the receipt key's public half travels in the context, which every client fetches
    # before casting; its secret half is stored sealed and erased at the close
    receipt_key, vote.receipt_key_box = receipts.make_key(scope_id(vote), random_bytes)
    vote.context_json = json.dumps(
        ballot_crypto.make_context(
            vote.manifest_json, key, receipts.context_extension(receipt_key)
        )
    )


def _snapshot_roll(db: Session, vote: Vote) -> None:
    """The roll (checked-in voting delegates inside the electorate) and the head counts, taken
    at the opening of every vote, secret or open."""
    electorate = Electorate.of(vote)
    inside = electorates.clause(electorate)
    members = voting_member_clause(vote.event_id)
    count = select(func.count()).select_from(Participant)
    vote.voting_members = db.scalar(count.where(members & inside))
    on_roll = can_vote_clause(vote.event_id) & inside
    if electorate.limited:  # the quorum is the assembly's: its heads, taken now too
        vote.assembly_members = db.scalar(count.where(members))
        vote.assembly_present = db.scalar(count.where(can_vote_clause(vote.event_id)))
    db.execute(
        insert(RollEntry).from_select(
            ["vote_id", "participant_id", "challenges"],
            select(literal(vote.id), Participant.id, literal(0)).where(on_roll),
        )
    )
    vote.roll_size = db.scalar(
        select(func.count()).select_from(RollEntry).where(RollEntry.vote_id == vote.id)
    )


def credential_slot(db: Session, vote: Vote) -> tuple[int, int] | None:
    """(slot, newest batch) for a vote of an event with a credentials committee, else None.

    The n-th vote opened in the event takes the committee's slot n, so no two votes share a
    delegate's key; the roll is frozen at the batches uploaded by now."""
    event = db.get(Event, vote.event_id)
    assert event is not None
    if event.committee_key is None:
        return None
    batches = committee.batch_count(db, event.id)
    first = committee.first_batch(db, event.id)
    if not batches or first is None:
        raise VoteError(
            "no_credentials",
            "This event has a credentials committee, but its credentials are not uploaded yet "
            "(evote committee upload): no ballot could count.",
        )
    slot = committee.next_slot(db, event.id)
    if slot > max(first.slots):
        raise VoteError(
            "no_credential_slot",
            f"The credentials committee issued keys for {max(first.slots)} votes, and all are "
            "used: a further vote needs new letters from the committee.",
        )
    return slot, batches - 1


def close_if_due(db: Session, vote_id: int, now: datetime) -> Closed | None:
    """Close the vote if its countdown is over and nobody closed it yet; commits if it did.

    The close itself is one small transaction: the state, the retry key and tags erased
    (nothing links a delegate to a ballot any more), the ciphertext fingerprints deleted (they
    only guard an open vote, and each shares its transaction id with the participation row
    written beside it).  `vote_closed` goes out as soon as it commits.  Then `seal` rewrites
    the ballot rows in tracking-code order and forms the encrypted tally in a second
    transaction, so neither the rows' physical order nor their transaction ids tell when each
    ballot came; if that fails, the sweeper seals the vote on its next tick.  On SQLite the
    write-ahead log, which still holds the erased rows, is then folded into the database file
    and truncated (`store.db.forget_old_pages`).
    """
    return end_open(db, vote_id, VoteState.CLOSED, Vote.closes_at <= now, by=audit.SYSTEM)


def end_open(
    db: Session, vote_id: int, state: VoteState, *conditions: Any, early: bool = False,
    by: audit.Actor | None = None, **values: Any,
) -> Closed | None:
    """End an open vote in `state` (closed, or cancelled by the presidium) if `conditions`
    hold, as `close_if_due` describes; None if it was not open (or the conditions failed).

    `values` are further columns set by the same guarded UPDATE (the presidium's close sets
    `closes_at` to now); `early` marks the `vote_closed` event of a close before the countdown
    ended.  A cancelled vote is announced by its own event (`vote_cancelled`, by the caller)
    and sealed like a closed one: its record has the ballots and the tally, never a decryption.
    The audit entry of the end (`vote.close` or `vote.cancel`, by `by` or the request's actor)
    commits with it; its hash is the log's head at the close, which the record carries.
    """
    won = db.execute(
        update(Vote)
        .where(Vote.id == vote_id, Vote.state == VoteState.OPEN.value, *conditions)
        .values(state=state.value, retry_key=None, receipt_key_box=None, **values)
        .execution_options(synchronize_session=False)
    ).rowcount
    if won != 1:
        db.rollback()
        return None
    db.execute(
        update(Participation)
        .where(Participation.vote_id == vote_id)
        .values(retry_tag=None)
        .execution_options(synchronize_session=False)
    )
    db.execute(delete(CiphertextFingerprint).where(CiphertextFingerprint.vote_id == vote_id))
    vote = db.get(Vote, vote_id, populate_existing=True)
    assert vote is not None and vote.closes_at is not None
    closed = Closed(vote_id, vote.event_id, utc(vote.closes_at), vote.cast_count, vote.roll_size)
    ending = "vote.close" if state is VoteState.CLOSED else "vote.cancel"
    details = {"cast": vote.cast_count, "roll": vote.roll_size, "closes_at": utc(vote.closes_at)}
    details |= {"early": early} if state is VoteState.CLOSED else {"while": "open"}
    audit.append(db, vote.event_id, ending, "vote", scope_id(vote), details, actor=by)
    db.commit()
    if state is VoteState.CLOSED:
        events.vote_closed(closed, early=early)
    try:
        seal(db, vote_id)
    except Exception:  # the close stands; the sweeper seals on its next tick
        db.rollback()
        current_app.logger.exception("sealing vote %s failed; the sweeper retries", vote_id)
    forget_after_close()
    return closed


SEALED_STATES = (VoteState.CLOSED.value, VoteState.CANCELLED.value)
"""States whose ballots are sealed (rows in code order, tally formed) once they are ended."""


_SEALING = ""
"""What `seal` writes into `encrypted_tally_json` to claim the vote; never committed."""


def seal(db: Session, vote_id: int) -> bool:
    """Rewrite a closed vote's ballot rows in tracking-code order and form its encrypted tally
    (H1b's homomorphic accumulation), in one transaction; False if it was sealed already.

    Why both in one transaction: a closed vote has its tally exactly when its ballot rows have
    been rewritten, so a vote without a tally is one the sweeper still has to seal, even after
    a crash.  The first statement claims the vote (the tally column goes from NULL to a
    placeholder under the row lock), so of several workers sealing at once one does the work
    and the others wait for it and then find the tally there.  Ballot rows of a closed vote
    never change, so reading them here gives the tally of exactly the ballots the close let in.
    """
    claimed = db.execute(
        update(Vote)
        .where(
            Vote.id == vote_id,
            Vote.state.in_(SEALED_STATES),
            Vote.encrypted_tally_json.is_(None),
        )
        .values(encrypted_tally_json=_SEALING)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        db.rollback()
        return False
    vote = db.get(Vote, vote_id, populate_existing=True)
    assert vote is not None
    if vote.secrecy != Secrecy.SECRET.value:
        # no ballots, no tally: an open vote is counted from its choices (`open_votes.finish`)
        db.commit()
        return True
    _rewrite_in_code_order(db, vote_id)
    cast_json = db.scalars(
        select(StoredBallot.ballot_json).where(
            StoredBallot.vote_id == vote_id, StoredBallot.state == BallotState.CAST.value
        )
    )
    vote.encrypted_tally_json = json.dumps(
        ballot_crypto.encrypted_tally(vote.manifest_json, vote.context_json or "{}", cast_json)
    )
    db.commit()
    return True


_BALLOT_COLUMNS = (
    "vote_id, tracking_code, ballot_id, state, ballot_json, credential_key, credential_signature"
)
"""Every column of `ballots`: the rewrite must carry them all."""


def _rewrite_in_code_order(db: Session, vote_id: int) -> None:
    """Delete the vote's ballot rows and insert them again, in tracking-code order.

    PostgreSQL: one statement, so the JSON (about 35 kB a motion ballot) never leaves the
    database server; the re-inserted rows, and their TOAST chunks, carry this transaction's id
    and lie in code order.  Elsewhere (SQLite, whose rows have no transaction id) the rows
    make the same round trip through Python.
    """
    if db.get_bind().dialect.name == "postgresql":
        db.execute(
            text(
                "WITH moved AS (DELETE FROM ballots WHERE vote_id = :vote_id "
                f"RETURNING {_BALLOT_COLUMNS}) "
                f"INSERT INTO ballots ({_BALLOT_COLUMNS}) "
                f"SELECT {_BALLOT_COLUMNS} FROM moved ORDER BY tracking_code"
            ),
            {"vote_id": vote_id},
        )
        return
    rows = db.execute(
        select(
            StoredBallot.tracking_code, StoredBallot.ballot_id, StoredBallot.state,
            StoredBallot.ballot_json, StoredBallot.credential_key,
            StoredBallot.credential_signature,
        )
        .where(StoredBallot.vote_id == vote_id)
        .order_by(StoredBallot.tracking_code)
    ).all()
    db.execute(delete(StoredBallot).where(StoredBallot.vote_id == vote_id))
    if rows:
        db.execute(
            insert(StoredBallot),
            [
                {"vote_id": vote_id, "tracking_code": r.tracking_code, "ballot_id": r.ballot_id,
                 "state": r.state, "ballot_json": r.ballot_json,
                 "credential_key": r.credential_key,
                 "credential_signature": r.credential_signature}
                for r in rows
            ],
        )


def unsealed_votes(db: Session) -> list[int]:
    """Closed votes whose seal failed or was cut short (no tally yet)."""
    return list(
        db.scalars(
            select(Vote.id).where(
                Vote.state.in_(SEALED_STATES), Vote.encrypted_tally_json.is_(None)
            )
        )
    )


def due_votes(db: Session, now: datetime) -> list[int]:
    return list(
        db.scalars(
            select(Vote.id).where(Vote.state == VoteState.OPEN.value, Vote.closes_at <= now)
        )
    )


def next_close(db: Session) -> datetime | None:
    """The earliest `closes_at` of an open vote, so the sweeper can wake right then."""
    moment = db.scalar(select(func.min(Vote.closes_at)).where(Vote.state == VoteState.OPEN.value))
    return utc(moment) if moment is not None else None


def sweep_once(app: Flask) -> list[Closed]:
    """Close every vote whose countdown is over, and seal any closed vote whose seal failed;
    what the sweeper thread does each tick."""

    closed: list[Closed] = []
    with app.app_context():
        db = get_session()
        now = current_clock().now()
        for vote_id in due_votes(db, now):
            done = close_if_due(db, vote_id, now)
            if done is not None:
                closed.append(done)
        for vote_id in unsealed_votes(db):
            if seal(db, vote_id):
                forget_after_close()
        retry_forget(app)
        events.flush_turnout()
    return closed


class Sweeper:
    """One thread per process; duplicates across workers are harmless (the guarded UPDATE).

    It ticks every `interval` seconds, and sooner when a countdown ends before the next tick:
    it then sleeps until that `closes_at` exactly, so `vote_closed` does not wait for a tick.
    """

    EARLIEST = 0.005
    """Shortest sleep, so a clock that lags the database's idea of `closes_at` cannot spin."""

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
        wait = self.interval
        while not self._stop.wait(wait):
            try:
                sweep_once(self.app)
                wait = self._until_next_close()
            except Exception:  # keep sweeping; the next tick retries
                self.app.logger.exception("vote sweeper tick failed")
                wait = self.interval

    def _until_next_close(self) -> float:
        with self.app.app_context():
            moment = next_close(get_session())
            if moment is None:
                return self.interval
            left = (moment - current_clock().now()).total_seconds()
        return min(self.interval, max(left, self.EARLIEST))

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
