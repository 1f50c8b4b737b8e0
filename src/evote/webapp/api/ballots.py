"""Casting and challenging ballots, and the public bulletin board of tracking codes.

The body is the ballot itself, as JSON in the record's format (electionguard 1.4.0's
`SubmittedBallot` / `CiphertextBallot`, without nonces).  Its size is bounded per vote from the
manifest, so an oversize body is refused with 413 before it is read, and a body that is not
JSON with 400; nothing is stored for either.
"""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from werkzeug.exceptions import RequestEntityTooLarge

from evote.store.clock import current_clock
from evote.store.db import get_session
from evote.store.models.votes import StoredBallot, Vote
from evote.voting import ballot_box, ballot_crypto, events
from evote.webapp.api.common import fail
from evote.webapp.api.votes import load_closed_vote, load_vote, random_source
from evote.webapp.auth import require_participant
from evote.webapp.permissions import Action, requires

bp = Blueprint("ballots", __name__)

CREDENTIAL_KEY_HEADER = "Evote-Credential-Key"
CREDENTIAL_SIGNATURE_HEADER = "Evote-Credential-Signature"
"""Beside a cast ballot, when the event has a credentials committee: the public key of the
delegate's voting code for this vote's slot, and its signature over the ballot
(docs/credentials.md).  Headers, so the body stays the package's own ballot format."""


def _body(vote: Vote) -> bytes:
    limit = ballot_crypto.max_ballot_bytes(vote.manifest_json)
    too_large = (
        f"A ballot for this vote is at most {limit} bytes; this request is larger. "
        "Nothing was stored."
    )
    if request.content_length is not None and request.content_length > limit:
        fail(413, "ballot_too_large", too_large)
    request.max_content_length = limit
    try:
        return request.get_data(cache=False)
    except RequestEntityTooLarge:
        fail(413, "ballot_too_large", too_large)


def _submit(vote_id: int, spoil: bool) -> ResponseReturnValue:
    vote = load_vote(vote_id)
    participant = require_participant()
    raw = _body(vote)
    db = get_session()
    try:
        outcome = ballot_box.submit(
            db, vote, participant.id, raw, now=current_clock().now(), spoil=spoil,
            random_bytes=random_source(),
            credential=(request.headers.get(CREDENTIAL_KEY_HEADER),
                        request.headers.get(CREDENTIAL_SIGNATURE_HEADER)),
        )
    except ballot_box.Refused as exc:
        db.rollback()
        fail(exc.status, exc.code, exc.message)
    if outcome.new and not spoil:
        events.turnout(vote.event_id, vote.id, outcome.cast_count, vote.roll_size)
    return jsonify(outcome.receipt.to_json()), 201 if outcome.new else 200


@bp.post("/api/votes/<int:vote_id>/ballots")
@requires(Action.CAST_BALLOT)
def cast(vote_id: int) -> ResponseReturnValue:
    return _submit(vote_id, spoil=False)


@bp.post("/api/votes/<int:vote_id>/spoiled-ballots")
@requires(Action.CAST_BALLOT)
def spoil(vote_id: int) -> ResponseReturnValue:
    """Benaloh challenge: the ballot is kept as spoiled, decrypted later, and uses no vote."""
    return _submit(vote_id, spoil=True)


@bp.get("/api/votes/<int:vote_id>/bulletin-board")
@requires(Action.VIEW_BULLETIN_BOARD)
def bulletin_board(vote_id: int) -> ResponseReturnValue:
    """Every tracking code, sorted — published only after close, so that watching the board
    during the countdown cannot reveal which code arrived when."""
    db = get_session()
    vote = load_closed_vote(vote_id, "The bulletin board is published when the vote closes.")
    rows = db.execute(
        select(StoredBallot.tracking_code, StoredBallot.state)
        .where(StoredBallot.vote_id == vote_id)
        .order_by(StoredBallot.tracking_code)
    ).all()
    return jsonify(
        {
            "vote_id": vote_id,
            "title": vote.title,
            "cast": [r.tracking_code for r in rows if r.state == "cast"],
            "spoiled": [r.tracking_code for r in rows if r.state == "spoiled"],
        }
    )
