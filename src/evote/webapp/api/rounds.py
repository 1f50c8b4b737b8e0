"""Next rounds and lots (Stichwahl, Losentscheid) of an announced election.

GET proposes what the statutes allow after the count (`voting.rounds.proposal`); POST opens
the next round with one click; POST .../lot breaks a tie from the public seed: the SHA-256 of
the vote's record (the published file) and the value the presidium announces.
"""

from __future__ import annotations

import dataclasses
import hashlib

from flask import Blueprint, jsonify, request
from flask.typing import ResponseReturnValue

from evote.rules.majority import MajorityRule
from evote.rules.runoff import RunoffPolicy
from evote.store.clock import current_clock
from evote.store.db import get_session
from evote.voting import events, rounds
from evote.voting.lifecycle import VoteError
from evote.webapp.api.common import fail, json_body
from evote.webapp.api.tally import record_file
from evote.webapp.api.votes import load_vote, vote_json
from evote.webapp.auth import require_participant
from evote.webapp.permissions import Action, requires

bp = Blueprint("rounds", __name__)


def _policy(value: object) -> RunoffPolicy:
    try:
        return RunoffPolicy(value or RunoffPolicy.TOP_TWO.value)
    except ValueError:
        fail(400, "bad_field", "policy is top_two or all_remaining.")


@bp.get("/api/votes/<int:vote_id>/next-round")
@requires(Action.MANAGE_VOTES)
def propose(vote_id: int) -> ResponseReturnValue:
    """`?policy=top_two|all_remaining`: who may stand in the next round, or null."""
    vote = load_vote(vote_id)
    try:
        found = rounds.proposal(vote, _policy(request.args.get("policy")))
    except VoteError as exc:
        fail(exc.status, exc.code, exc.message)
    return jsonify({"vote_id": vote.id, "proposal": dataclasses.asdict(found) if found else None})


@bp.post("/api/votes/<int:vote_id>/next-round")
@requires(Action.MANAGE_VOTES)
def open_next(vote_id: int) -> ResponseReturnValue:
    """Body `{"policy": "top_two", "majority_rule": "simple"}` (both optional): create the next
    round linked to this one and open it at once."""
    data = json_body()
    try:
        rule = MajorityRule(data["majority_rule"]) if data.get("majority_rule") else None
    except ValueError:
        fail(400, "bad_field", "majority_rule is simple, absolute or two_thirds.")
    vote = load_vote(vote_id)
    db = get_session()
    try:
        nxt = rounds.open_next_round(
            db, require_participant().event, vote, now=current_clock().now(),
            policy=_policy(data.get("policy")), rule=rule,
        )
    except VoteError as exc:
        db.rollback()
        fail(exc.status, exc.code, exc.message)
    db.commit()
    body = vote_json(nxt) | {"previous_round_id": vote.id}
    events.votes_changed(nxt.event_id, nxt.id, "created")
    events.vote_opened(nxt, body)
    return jsonify(body), 201


@bp.post("/api/votes/<int:vote_id>/lot")
@requires(Action.MANAGE_VOTES)
def lot(vote_id: int) -> ResponseReturnValue:
    """Body `{"announced_value": "..."}`: the value the presidium just announced to the hall.
    Draws the tied seats (rules/lots.py) and records the draw."""
    announced = json_body().get("announced_value")
    vote = load_vote(vote_id)
    db = get_session()
    try:
        rounds.proposal(vote)  # refuses before the record is built: no result, not announced
        digest = hashlib.sha256(record_file(vote).read_bytes()).digest()
        draw = rounds.draw_lot(
            db, vote, record_sha256=digest,
            announced=announced if isinstance(announced, str) else "",
            now=current_clock().now(),
        )
    except VoteError as exc:
        db.rollback()
        fail(exc.status, exc.code, exc.message)
    db.commit()
    events.publish(vote.event_id, "result", vote_id=vote.id)
    return jsonify(draw), 201
