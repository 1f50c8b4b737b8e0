"""The ballot box: accepts an encrypted ballot only when it is valid, in time and the first.

The order of the checks is the order of their cost, and nothing is written until all pass:
1. the vote is open on the server's clock (closing it now if its countdown is over);
2. the delegate is on the roll snapshotted at opening;
3. the body is one JSON object of bounded size (the app's MAX_CONTENT_LENGTH refuses more);
4. a retry of the ballot this delegate already cast gets the same receipt without any
   crypto (the retry tag, below);
5. when the event has a credentials committee, a cast ballot's signature by a key of the
   vote's roll, unrevoked and not used yet (`eligibility.casting`);
6. every proof, every element's subgroup membership, this vote's manifest, context, device
   and timestamp (evote.crypto, through `voting.ballot_crypto`);
7. one transaction inserts the participation row (whose primary key IS the one-ballot rule),
   the ballot row, one fingerprint row per selection ciphertext (whose primary key IS the
   weeding rule: no ciphertext twice in a vote, so a copied ballot is neither counted twice
   nor decrypted as a challenge; the ballot row's key column, unique per vote, is the
   one-ballot-per-credential rule), and bumps the vote's counter under the "still open" guard;
   it commits before the receipt is sent.

Every receipt is signed with the vote's receipt key (`voting.receipts`), so a ballot dropped
later can be proven against the record; the key is opened before anything is stored.

Secrecy (docs/ballot-box.md): the participation row holds (vote, participant, retry tag) and
the ballot row (vote, tracking code, state, JSON); no column, key or sequence joins them.  The
retry tag is HMAC(vote's retry key, participant, tracking code): it recognises "the same ballot
again" but cannot be recomputed without the key, which is erased when the vote closes.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from evote.eligibility import casting
from evote.record.jsonio import nesting_depth
from evote.store.clock import utc
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
from evote.voting import ballot_crypto, proof_batcher
from evote.voting.lifecycle import close_if_due, scope_id
from evote.voting.outcomes import Closed, Refused
from evote.voting.receipts import Receipt, Signer

MAX_BALLOT_DEPTH = 32
"""Deepest nesting of arrays and objects in a ballot body (a real one has about eight)."""

MAX_CHALLENGES = 5
"""Challenges per delegate and vote: enough to convince oneself, too few to flood the box."""


@dataclass(frozen=True)
class Outcome:
    receipt: Receipt
    new: bool
    """False for a recognised retry (nothing was written)."""
    cast_count: int
    closed: Closed | None = None


def retry_tag(key: bytes, participant_id: int, tracking_code: str) -> bytes:
    message = b"evote/retry-tag/v1\x00" + str(participant_id).encode() + b"\x00" + (
        tracking_code.encode()
    )
    return hmac.new(key, message, hashlib.sha256).digest()


def parse_body(raw: bytes) -> dict[str, Any]:
    """One JSON object, strictly: duplicate keys and non-finite numbers are malformed too."""

    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        keys = [k for k, _ in pairs]
        if len(keys) != len(set(keys)):
            raise ValueError("duplicate key")
        return dict(pairs)

    def no_constant(name: str) -> Any:
        raise ValueError(f"{name} is not JSON")

    try:
        data = json.loads(
            raw.decode("utf-8"), object_pairs_hook=no_duplicates, parse_constant=no_constant
        )
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise Refused(400, "malformed_json", "The ballot is not well-formed JSON.") from None
    if not isinstance(data, dict):
        raise Refused(400, "malformed_json", "The ballot must be a JSON object.")
    if nesting_depth(data) > MAX_BALLOT_DEPTH:
        # later checks walk the ballot recursively; a legitimate one nests about eight levels
        raise Refused(
            400, "malformed_json",
            f"The ballot nests deeper than {MAX_BALLOT_DEPTH} levels; no ballot does.",
        )
    return data


_STATE_NUMBERS = {BallotState.CAST: 1, BallotState.SPOILED: 2}
"""electionguard 1.4.0's `BallotBoxState` values (999 is UNKNOWN)."""


def _require_state(body: dict[str, Any], state: BallotState) -> None:
    """A ballot may leave `state` out (the endpoint decides it) or name the endpoint's own.

    electionguard's `SubmittedBallot` carries a state; a client that posts a SPOILED one to
    the cast endpoint (or CAST to the challenge endpoint) means something else than the server
    would do, so it is refused rather than silently recorded the other way.
    """
    if "state" not in body or body["state"] is None:
        return
    claimed = body["state"]
    expected = _STATE_NUMBERS[state]
    if isinstance(claimed, int) and not isinstance(claimed, bool) and claimed == expected:
        return
    names = {1: "1 (CAST)", 2: "2 (SPOILED)", 999: "999 (UNKNOWN)"}
    if isinstance(claimed, bool) or not isinstance(claimed, int):
        said = f"{claimed!r:.40}"
    else:
        said = names.get(claimed, str(claimed)[:40])
    if state is BallotState.CAST:
        advice = (
            "This endpoint casts ballots: send state 1 (CAST) or leave `state` out. To challenge "
            "a ballot (Benaloh), post it to the vote's spoiled-ballots endpoint."
        )
    else:
        advice = (
            "This endpoint challenges (spoils) ballots: send state 2 (SPOILED) or leave `state` "
            "out. To cast a ballot, post it to the vote's ballots endpoint."
        )
    raise Refused(
        422, "wrong_ballot_state",
        f"The ballot's state is {said}. {advice} Nothing was stored.",
    )


def _require_open(db: Session, vote: Vote, now: datetime) -> None:
    """Refuse unless open; a vote found past its deadline is closed here (lazily)."""
    if vote.state == VoteState.DRAFT.value:
        raise Refused(409, "vote_not_open", "This vote has not been opened yet.")
    if vote.state == VoteState.OPEN.value and vote.closes_at and now < utc(vote.closes_at):
        return
    if vote.state == VoteState.OPEN.value:
        close_if_due(db, vote.id, now)  # announces the close if this request made it
    when = utc(vote.closes_at).strftime("%H:%M:%S UTC") if vote.closes_at else "?"
    raise Refused(409, "vote_closed", f"This vote closed at {when}; the ballot was not accepted.")


def submit(
    db: Session,
    vote: Vote,
    participant_id: int,
    raw: bytes,
    *,
    now: datetime,
    spoil: bool = False,
    random_bytes: Callable[[int], bytes] = secrets.token_bytes,
    max_challenges: int = MAX_CHALLENGES,
    credential: tuple[str | None, str | None] = (None, None),
) -> Outcome:
    """Cast (or, with `spoil`, challenge) one ballot; raises `Refused` with nothing stored.

    `credential` is (public key, signature) as the client sent them beside a cast ballot."""
    if vote.secrecy != Secrecy.SECRET.value:
        raise Refused(
            409, "not_secret",
            "This is an open vote: it has no encryption key, and the choice is sent as it is "
            "(POST /api/votes/<id>/choice).",
        )
    _require_open(db, vote, now)
    on_roll = db.get(RollEntry, (vote.id, participant_id))
    if on_roll is None:
        raise Refused(
            403, "not_on_roll",
            "You were not on this vote's roll: only delegates checked in with a voting right "
            "when the vote opened can vote in it.",
        )
    signer = Signer(vote, scope_id(vote))  # refuses now, before anything is stored
    body = parse_body(raw)
    state = BallotState.SPOILED if spoil else BallotState.CAST
    _require_state(body, state)
    ballot = ballot_crypto.parse(body)
    tracking_code, ballot_id, ballot_hash = ballot_crypto.identify(ballot)
    key = vote.retry_key
    assert key is not None, "an open vote always has its retry key"
    tag = retry_tag(key, participant_id, tracking_code)
    receipt = signer.receipt(tracking_code, ballot_hash, state.value)
    if _known(db, vote.id, participant_id, tracking_code, tag, state):
        return Outcome(receipt, False, vote.cast_count)
    if spoil and on_roll.challenges >= max_challenges:
        raise Refused(
            429, "too_many_challenges",
            f"You can challenge at most {max_challenges} ballots in one vote.",
        )
    signed = (
        None if spoil else casting.check(db, vote, scope_id(vote), ballot_hash, *credential)
    )
    checked = ballot_crypto.validate(ballot, vote, state, random_bytes, proof_batcher.batcher())
    if len(set(checked.fingerprints)) != len(checked.fingerprints):
        raise _copied_ciphertext()
    try:
        if not spoil:
            db.add(Participation(vote_id=vote.id, participant_id=participant_id, retry_tag=tag))
        db.add(
            StoredBallot(
                vote_id=vote.id, tracking_code=tracking_code, ballot_id=ballot_id,
                state=state.value, ballot_json=checked.ballot_json,
                credential_key=signed.public_key if signed else None,
                credential_signature=signed.signature if signed else None,
            )
        )
        db.execute(
            insert(CiphertextFingerprint),
            [{"vote_id": vote.id, "fingerprint": f} for f in checked.fingerprints],
        )
        if spoil:
            room = db.execute(
                update(RollEntry)
                .where(
                    RollEntry.vote_id == vote.id,
                    RollEntry.participant_id == participant_id,
                    RollEntry.challenges < max_challenges,
                )
                .values(challenges=RollEntry.challenges + 1)
                .execution_options(synchronize_session=False)
            ).rowcount
            if room != 1:
                db.rollback()
                raise Refused(
                    429, "too_many_challenges",
                    f"You can challenge at most {max_challenges} ballots in one vote.",
                )
        db.flush()
        counter = Vote.spoiled_count if spoil else Vote.cast_count
        bumped = db.execute(
            update(Vote)
            .where(Vote.id == vote.id, Vote.state == VoteState.OPEN.value, Vote.closes_at > now)
            .values({counter: counter + 1})
            .returning(Vote.cast_count)
            .execution_options(synchronize_session=False)
        ).scalar_one_or_none()
        if bumped is None:
            db.rollback()
            raise Refused(409, "vote_closed", "This vote closed while the ballot was checked.")
        db.commit()
    except IntegrityError:
        db.rollback()
        if _known(db, vote.id, participant_id, tracking_code, tag, state):
            return Outcome(receipt, False, vote.cast_count)
        raise _conflict(
            db, vote.id, participant_id, spoil, tracking_code, ballot_id, checked.fingerprints,
            signed.public_key if signed else None,
        ) from None
    return Outcome(receipt, True, bumped)


def _known(
    db: Session, vote_id: int, participant_id: int, code: str, tag: bytes, state: BallotState
) -> bool:
    """Whether this delegate already submitted this very ballot (then it gets the same
    receipt again: the signature is deterministic)."""
    if state is BallotState.CAST:
        stored = db.scalar(
            select(Participation.retry_tag).where(
                Participation.vote_id == vote_id, Participation.participant_id == participant_id
            )
        )
        if stored is not None and hmac.compare_digest(stored, tag):
            return True
        if stored is not None:
            raise Refused(409, "already_voted", "You have already cast a ballot in this vote.")
        return False
    # A challenged ballot is public and linked to nobody: resending it is harmless to confirm.
    existing = db.scalar(
        select(StoredBallot.state).where(
            StoredBallot.vote_id == vote_id, StoredBallot.tracking_code == code
        )
    )
    return existing == BallotState.SPOILED.value


def _copied_ciphertext() -> Refused:
    return Refused(
        409, "duplicate_ciphertext",
        "An encrypted selection of this ballot is already in the ballot box (in a cast or "
        "challenged ballot) or repeats within it: no encryption may be used twice in a vote. "
        "Encrypt your choice again.",
    )


def _conflict(
    db: Session, vote_id: int, participant_id: int, spoil: bool, code: str, ballot_id: str,
    fingerprints: tuple[bytes, ...], credential_key: str | None = None,
) -> Refused:
    """Which unique key refused the insert, in the order the delegate can best act on."""
    voted = db.get(Participation, (vote_id, participant_id)) is not None
    if voted and not spoil:
        return Refused(409, "already_voted", "You have already cast a ballot in this vote.")
    if credential_key is not None and casting.used(db, vote_id, credential_key):
        return casting.already_used()
    same_ballot = db.scalar(
        select(StoredBallot.tracking_code).where(
            StoredBallot.vote_id == vote_id,
            or_(StoredBallot.tracking_code == code, StoredBallot.ballot_id == ballot_id),
        )
    )
    copied = db.scalar(
        select(CiphertextFingerprint.fingerprint)
        .where(
            CiphertextFingerprint.vote_id == vote_id,
            CiphertextFingerprint.fingerprint.in_(fingerprints),
        )
        .limit(1)
    )
    if same_ballot is None and copied is not None:
        return _copied_ciphertext()
    return Refused(
        409, "duplicate_ballot",
        "This ballot, or one with the same ballot id, is already in the ballot box (challenged "
        "ballots cannot be cast); encrypt your choice again, under a new random ballot id.",
    )
