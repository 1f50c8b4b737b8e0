"""The key ceremony over HTTP, the presidium's overview of the guardians, and the published ballots.

The state machine lives in `evote.guardianship.ceremony_state`; this module only reads JSON,
calls it, commits or rolls back, and turns its refusals into 4xx replies.  Guardians post only
public material (records, sealed backups, verdicts, challenge answers).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from flask import Blueprint, current_app, jsonify, request
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from evote import audit
from evote.guardianship import ceremony_state as cs
from evote.guardianship import progress
from evote.store.clock import current_clock
from evote.store.db import get_session
from evote.store.models.event import Event
from evote.store.models.key_ceremony import CeremonyGuardian, KeyCeremony
from evote.store.models.votes import StoredBallot
from evote.webapp.api.common import fail, field, json_body
from evote.webapp.api.votes import load_closed_vote
from evote.webapp.auth import require_participant
from evote.webapp.permissions import Action, requires

bp = Blueprint("ceremony", __name__)


def _run(step: Callable[[], Any]) -> Any:
    """Run one state-machine step: commit if it passed, roll back and refuse if not."""
    db = get_session()
    try:
        outcome = step()
        db.flush()
        # each step of the ceremony, named by its endpoint (start, post_backups, ...)
        audit.append(db, require_participant().event_id,
                     f"ceremony.{(request.endpoint or '').rpartition('.')[2]}", "ceremony",
                     require_participant().event_id)
    except cs.CeremonyError as exc:
        db.rollback()
        current_app.logger.info("key ceremony: refused (%s): %s", exc.code, exc.message)
        fail(exc.status, exc.code, exc.message)
    db.commit()
    return outcome


def _ceremony() -> KeyCeremony:
    try:
        return cs.load(get_session(), require_participant().event_id)
    except cs.CeremonyError as exc:
        fail(exc.status, exc.code, exc.message)


def _seat(ceremony: KeyCeremony) -> CeremonyGuardian:
    try:
        return cs.seat_of(get_session(), ceremony.event_id, require_participant().id)
    except cs.CeremonyError as exc:
        fail(exc.status, exc.code, exc.message)


@bp.post("/api/ceremony")
@requires(Action.MANAGE_EVENT)
def start() -> ResponseReturnValue:
    """Seat the guardians with quorum k; `guardians` (participant ids) picks and orders them."""
    data = json_body()
    quorum = field(data, "quorum", int)
    chosen = field(data, "guardians", list, required=False)
    if chosen is not None and not all(isinstance(i, int) for i in chosen):
        fail(400, "bad_field", "Field 'guardians' must list participant ids.")
    event = require_participant().event
    db = get_session()
    ceremony = _run(lambda: cs.start(db, event, quorum, chosen, current_clock().now()))
    current_app.logger.info(
        "key ceremony started for event %s: %s guardians, quorum %s",
        event.id, ceremony.number_of_guardians, ceremony.quorum,
    )
    return jsonify(progress.ceremony_view(db, ceremony)), 201


@bp.delete("/api/ceremony")
@requires(Action.MANAGE_EVENT)
def abort() -> ResponseReturnValue:
    """Abort an unfinished ceremony, so it can start afresh (guardians then begin anew too)."""
    event_id = require_participant().event_id
    db = get_session()
    _run(lambda: cs.abort(db, event_id))
    current_app.logger.info("key ceremony of event %s aborted", event_id)
    return jsonify({"aborted": True})


@bp.get("/api/ceremony")
@requires(Action.VIEW_GUARDIANS)
def show() -> ResponseReturnValue:
    return jsonify(progress.ceremony_view(get_session(), _ceremony()))


@bp.get("/api/ceremony/me")
@requires(Action.GUARDIAN_CEREMONY)
def me() -> ResponseReturnValue:
    """A guardian's seat, every posted public record, and its own mailbox."""
    ceremony = _ceremony()
    seat = _seat(ceremony)
    db = get_session()
    return jsonify({
        "ceremony_id": ceremony.ceremony_id,
        "guardian_id": seat.guardian_id,
        "sequence_order": seat.sequence_order,
        "number_of_guardians": ceremony.number_of_guardians,
        "quorum": ceremony.quorum,
        "state": ceremony.state,
        "public_keys": [r.to_json() for r in cs.records(db, ceremony.event_id).values()],
        "fingerprint_confirmed_by": [c.guardian_id for c in cs.confirmations(db, ceremony.event_id)],
        **cs.inbox(db, ceremony, seat),
    })


@bp.post("/api/ceremony/public-key")
@requires(Action.GUARDIAN_CEREMONY)
def post_public_key() -> ResponseReturnValue:
    ceremony = _ceremony()
    seat = _seat(ceremony)
    body = json_body()
    db = get_session()
    _run(lambda: cs.post_public_key(db, ceremony, seat, body, current_clock().now()))
    current_app.logger.info("key ceremony: %s posted its public key", seat.guardian_id)
    return jsonify(progress.ceremony_view(db, ceremony))


@bp.post("/api/ceremony/fingerprint-confirmation")
@requires(Action.GUARDIAN_CEREMONY)
def post_fingerprint_confirmation() -> ResponseReturnValue:
    """The guardian's signature on the fingerprint its client computed, after the comparison."""
    ceremony = _ceremony()
    seat = _seat(ceremony)
    body = json_body()
    db = get_session()
    _run(lambda: cs.confirm_fingerprint(db, ceremony, seat, body, current_clock().now()))
    current_app.logger.info("key ceremony: %s confirmed the fingerprint", seat.guardian_id)
    return jsonify(progress.ceremony_view(db, ceremony))


@bp.post("/api/ceremony/backups")
@requires(Action.GUARDIAN_CEREMONY)
def post_backups() -> ResponseReturnValue:
    ceremony = _ceremony()
    seat = _seat(ceremony)
    items = field(json_body(), "backups", list)
    db = get_session()
    stored = _run(lambda: cs.post_backups(db, ceremony, seat, items))
    current_app.logger.info("key ceremony: %s sent %s backups", seat.guardian_id, stored)
    return jsonify({"stored": stored, **progress.ceremony_view(db, ceremony)})


def _verdicts_then_publish(step: Callable[[], None], ceremony: KeyCeremony) -> bool:
    db = get_session()
    event = db.get(Event, ceremony.event_id)
    assert event is not None

    def both() -> bool:
        step()
        db.flush()
        return cs.maybe_publish(db, ceremony, event, current_clock().now())

    published: bool = _run(both)
    if published:
        current_app.logger.info("key ceremony of event %s complete: joint key published", event.id)
    return published


@bp.post("/api/ceremony/verifications")
@requires(Action.GUARDIAN_CEREMONY)
def post_verifications() -> ResponseReturnValue:
    """The addressee's verdict on each backup it received; `verified: false` is a challenge."""
    ceremony = _ceremony()
    seat = _seat(ceremony)
    items = field(json_body(), "verifications", list)
    db = get_session()
    _verdicts_then_publish(lambda: cs.post_verifications(db, ceremony, seat, items), ceremony)
    challenged = [i.get("owner_id") for i in items if isinstance(i, dict) and not i.get("verified")]
    current_app.logger.info(
        "key ceremony: %s verified %s backups, challenged %s",
        seat.guardian_id, len(items) - len(challenged), challenged,
    )
    return jsonify(progress.ceremony_view(db, ceremony))


@bp.post("/api/ceremony/challenge-answers")
@requires(Action.GUARDIAN_CEREMONY)
def post_challenge_answer() -> ResponseReturnValue:
    """The sender's public answer to a challenge; refused naming the sender if it is wrong."""
    ceremony = _ceremony()
    seat = _seat(ceremony)
    body = json_body()
    db = get_session()
    _verdicts_then_publish(lambda: cs.answer_challenge(db, ceremony, seat, body), ceremony)
    current_app.logger.info("key ceremony: %s answered a challenge", seat.guardian_id)
    return jsonify(progress.ceremony_view(db, ceremony))


@bp.get("/api/presidium/guardians")
@requires(Action.VIEW_GUARDIANS)
def overview() -> ResponseReturnValue:
    """The presidium's view: ceremony progress per guardian, and decryption progress per vote."""
    db = get_session()
    event_id = require_participant().event_id
    ceremony = db.get(KeyCeremony, event_id)
    return jsonify({
        "ceremony": None if ceremony is None else progress.ceremony_view(db, ceremony),
        "decryptions": progress.decryption_view(db, event_id),
        # the ceremony page says how long a step has waited, on the server's clock
        "server_time": current_clock().now().isoformat(),
    })


@bp.get("/api/votes/<int:vote_id>/published-ballots")
@requires(Action.VIEW_BULLETIN_BOARD)
def published_ballots(vote_id: int) -> ResponseReturnValue:
    """Every encrypted ballot after close, so anyone (a guardian first) can re-add the tally."""
    db = get_session()
    load_closed_vote(vote_id, "The ballots are published when the vote closes.")
    rows = db.execute(
        select(StoredBallot.state, StoredBallot.ballot_json)
        .where(StoredBallot.vote_id == vote_id)
        .order_by(StoredBallot.tracking_code)
    ).all()
    ballots: list[dict[str, Any]] = []
    for row in rows:
        ballot = json.loads(row.ballot_json)
        ballots.append(ballot)
    return jsonify({"vote_id": vote_id, "ballots": ballots})
