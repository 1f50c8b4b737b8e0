"""The stage around a vote, for the web pages: livestream URL, the announced result on the
projector, and the public copy of a challenged ballot for the second device's check.

A challenged (spoiled) ballot is public by nature: it is never counted and its choice is
published in the record. The verifier page behind the QR code fetches it here by tracking code,
together with the vote's context and manifest, so a phone that is not logged in can re-encrypt
it. Cast ballots are never served here; they are published with the record after the close.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, jsonify
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from evote import audit
from evote.motions import voting as motion_voting
from evote.store.clock import current_clock
from evote.store.db import get_session
from evote.store.models.stage import EventStage
from evote.store.models.votes import BallotState, StoredBallot, Vote, VoteState
from evote.voting import events
from evote.voting.lifecycle import scope_id
from evote.webapp.api.common import fail, field, json_body
from evote.webapp.api.votes import load_vote
from evote.webapp.auth import require_participant
from evote.webapp.pages.stream import BadStreamUrl, check_url
from evote.webapp.permissions import Action, requires

bp = Blueprint("stage", __name__)


def stage_of(event_id: int, *, create: bool = False) -> EventStage | None:
    db = get_session()
    stage = db.get(EventStage, event_id)
    if stage is None and create:
        stage = EventStage(event_id=event_id, livestream_url="", projected_vote_id=None)
        db.add(stage)
    return stage


def _stage_json(stage: EventStage | None) -> dict[str, Any]:
    return {
        "livestream_url": stage.livestream_url if stage else "",
        "projected_vote_id": stage.projected_vote_id if stage else None,
    }


@bp.get("/api/event/stage")
@requires(Action.FOLLOW_LIVE)
def show_stage() -> ResponseReturnValue:
    return jsonify(_stage_json(stage_of(require_participant().event_id)))


@bp.put("/api/event/stage")
@requires(Action.MANAGE_EVENT)
def set_stage() -> ResponseReturnValue:
    try:
        url = check_url(field(json_body(), "livestream_url", str))
    except BadStreamUrl as exc:
        fail(400, "bad_livestream_url", str(exc))
    event_id = require_participant().event_id
    stage = stage_of(event_id, create=True)
    assert stage is not None
    stage.livestream_url = url
    get_session().commit()
    events.publish(event_id, "stage", livestream_url=url)
    return jsonify(_stage_json(stage))


@bp.post("/api/votes/<int:vote_id>/announce")
@requires(Action.MANAGE_VOTES)
def announce(vote_id: int) -> ResponseReturnValue:
    """Put a counted vote's result on the projector and on every delegate's page."""
    vote = load_vote(vote_id)
    if vote.state != VoteState.DECRYPTED.value:
        fail(409, "no_result_yet", f"Vote {vote_id} is {vote.state}; there is no result to announce.")
    stage = stage_of(vote.event_id, create=True)
    assert stage is not None
    stage.projected_vote_id = vote.id
    if vote.announced_at is None:  # the embargo ends at the first announcement
        vote.announced_at = current_clock().now()
    # a vote on a motion or amendment: the result goes into the motion (docs/motions.md)
    motion_voting.settle_vote(get_session(), vote.id, current_clock().now())
    audit.append(get_session(), vote.event_id, "vote.announce", "vote", scope_id(vote))
    get_session().commit()
    events.publish(vote.event_id, "announced", vote_id=vote.id)
    return jsonify(_stage_json(stage))


@bp.get("/api/votes/<int:vote_id>/challenged-ballots/<tracking_code>")
@requires(Action.VIEW_BULLETIN_BOARD)
def challenged_ballot(vote_id: int, tracking_code: str) -> ResponseReturnValue:
    db = get_session()
    vote = db.get(Vote, vote_id)
    if vote is None:
        fail(404, "no_such_vote", f"There is no vote {vote_id}.")
    ballot_json = db.scalar(
        select(StoredBallot.ballot_json).where(
            StoredBallot.vote_id == vote_id,
            StoredBallot.tracking_code == tracking_code[:200],
            StoredBallot.state == BallotState.SPOILED.value,
        )
    )
    if ballot_json is None:
        fail(404, "no_such_challenged_ballot",
             "No challenged ballot of this vote has that tracking code.")
    # The stored texts go out verbatim: the check compares the ballot byte for byte with its
    # re-encryption, in the package's field order, which jsonify's key sorting would destroy.
    head = json.dumps({"vote_id": vote_id, "title": vote.title})[:-1]
    body = (
        f'{head}, "ballot": {ballot_json}, "context": {vote.context_json or "null"}, '
        f'"manifest": {vote.manifest_json}}}'
    )
    return Response(body, mimetype="application/json")
