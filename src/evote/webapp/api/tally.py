"""The key ceremony's public result, the guardians' decryption, the result and the record.

Guardians never send a secret here: the ceremony endpoint takes their public records (keys,
commitments, Schnorr proofs), and decryption takes shares with Chaum-Pedersen proofs.  Both
are verified before anything is stored; a wrong share is refused naming its guardian.
"""

from __future__ import annotations

import json
from pathlib import Path

from flask import Blueprint, current_app, jsonify, send_file
from flask.typing import ResponseReturnValue

from evote import audit
from evote.rules.wording import threshold_text
from evote.store.db import get_session
from evote.store.models.ceremony import ElectionKey
from evote.store.models.event import Event
from evote.store.models.key_ceremony import KeyCeremony
from evote.store.models.votes import Secrecy, Vote, VoteState
from evote.voting import events, results
from evote.voting.lifecycle import VoteError
from evote.voting.record_export import record_zip
from evote.webapp.api.common import fail, field, json_body
from evote.webapp.api.votes import load_vote
from evote.webapp.auth import require_participant
from evote.webapp.pages import i18n
from evote.webapp.pages.integrity import scripts_info
from evote.webapp.permissions import Action, allowed, requires

bp = Blueprint("tally", __name__)


def _key(event_id: int) -> ElectionKey:
    key = get_session().get(ElectionKey, event_id)
    if key is None:
        fail(409, "no_election_key", "The key ceremony has not been recorded for this event.")
    return key


@bp.put("/api/election-key")
@requires(Action.MANAGE_EVENT)
def put_key() -> ResponseReturnValue:
    data = json_body()
    n = field(data, "number_of_guardians", int)
    k = field(data, "quorum", int)
    records = field(data, "guardians", list)
    if not current_app.config.get("ALLOW_KEY_IMPORT"):
        fail(403, "key_import_disabled",
             "Guardian keys come from the key ceremony (evote-guardian); importing them is "
             "for rehearsals and tests only (EVOTE_ALLOW_KEY_IMPORT=1).")
    db = get_session()
    if db.get(KeyCeremony, require_participant().event_id) is not None:
        fail(409, "ceremony_in_progress",
             "This event runs a key ceremony; its key is published when every backup is verified.")
    try:
        key = results.import_election_key(db, require_participant().event, n, k, records)
    except VoteError as exc:
        db.rollback()
        fail(exc.status, exc.code, exc.message)
    audit.append(db, key.event_id, "election_key.import", "event", key.event_id,
                 {"guardians": n, "quorum": k})
    db.commit()
    return jsonify(_key_json(key))


def _key_json(key: ElectionKey) -> dict[str, object]:
    return {
        "number_of_guardians": key.number_of_guardians,
        "quorum": key.quorum,
        "joint_public_key": key.joint_public_key,
        "commitment_hash": key.commitment_hash,
        "guardians": json.loads(key.guardians_json),
    }


@bp.get("/api/election-key")
@requires(Action.VIEW_VOTE)
def get_key() -> ResponseReturnValue:
    return jsonify(_key_json(_key(require_participant().event_id)))


@bp.get("/api/votes/<int:vote_id>/encrypted-tally")
@requires(Action.VIEW_VOTE)
def encrypted_tally(vote_id: int) -> ResponseReturnValue:
    vote = load_vote(vote_id)
    if vote.secrecy != Secrecy.SECRET.value:
        fail(409, "not_secret", OPEN_NOTE.format(id=vote_id))
    if vote.encrypted_tally_json is None:
        fail(409, "vote_not_closed", "The encrypted tally exists once the vote has closed.")
    spoiled = results.spoiled_ballots(get_session(), vote.id)
    return jsonify(
        {
            "encrypted_tally": json.loads(vote.encrypted_tally_json),
            "context": json.loads(vote.context_json or "{}"),
            "spoiled_ballots": [b.to_json() for b in spoiled],
        }
    )


@bp.get("/api/votes/<int:vote_id>/decryption")
@requires(Action.GUARDIAN_DECRYPT)
def decryption_status(vote_id: int) -> ResponseReturnValue:
    vote = load_vote(vote_id)
    return jsonify(results.status(get_session(), vote, _key(vote.event_id)))


@bp.post("/api/votes/<int:vote_id>/decryption-shares")
@requires(Action.GUARDIAN_DECRYPT)
def submit_share(vote_id: int) -> ResponseReturnValue:
    """A direct or compensated share; the proofs, not the login, make it the guardian's."""
    vote = load_vote(vote_id)
    key = _key(vote.event_id)
    db = get_session()
    event = db.get(Event, vote.event_id)
    assert event is not None
    try:
        guardian = results.submit_share(db, vote, key, json_body())
        db.flush()
        combined = results.try_combine(db, vote, key, event)
    except VoteError as exc:
        db.rollback()
        fail(exc.status, exc.code, exc.message)
    db.commit()
    if combined:
        events.publish(vote.event_id, "result", vote_id=vote.id)
    return jsonify({"accepted": guardian, **results.status(db, vote, key)})


OPEN_NOTE = (
    "Vote {id} is an open (or roll-call) vote: nothing was encrypted, so it has no tally for "
    "guardians and no ElectionGuard record; its result lists the totals and who was eligible."
)

EMBARGO = (
    "The result of vote {id} is counted but not yet announced; it is published when the "
    "presidium announces it (then the live event 'announced' tells every page)."
)


def _embargoed(vote: Vote) -> bool:
    """Counted but not announced, and the caller is not one who may see it before (docs/presidium.md)."""
    return vote.announced_at is None and not allowed(Action.VIEW_UNANNOUNCED_RESULTS)


@bp.get("/api/votes/<int:vote_id>/result")
@requires(Action.VIEW_RESULTS)
def result(vote_id: int) -> ResponseReturnValue:
    vote = load_vote(vote_id)
    if vote.state == VoteState.CANCELLED.value:
        fail(409, "vote_cancelled", f"Vote {vote_id} was cancelled by the presidium; it has no result.")
    if vote.state != VoteState.DECRYPTED.value or vote.result_json is None:
        fail(409, "no_result_yet", f"Vote {vote_id} is {vote.state}; no result yet.")
    if _embargoed(vote):
        fail(409, "result_not_announced", EMBARGO.format(id=vote_id))
    body = json.loads(vote.result_json)
    body.pop("coefficients", None)
    if vote.lot_json:  # a tie broken by lot (voting/rounds.py), kept beside the result
        body["lot"] = json.loads(vote.lot_json)
    if vote.previous_round_id is not None:
        body["previous_round_id"] = vote.previous_round_id
    body["announced_at"] = events.iso(vote.announced_at)
    if "threshold" in body:
        body["threshold_text"] = threshold_text(body["threshold"], i18n.language())
    return jsonify(body)


def record_file(vote: Vote) -> Path:
    """The vote's record zip (built once, then the same file): served below, and hashed for
    the seed of a lot (`voting.rounds.draw_lot`)."""
    folder = current_app.config.get("RECORD_FOLDER") or Path(current_app.instance_path) / "records"
    return record_zip(get_session(), vote, _key(vote.event_id), Path(folder),
                      scripts=scripts_info())


@bp.get("/api/votes/<int:vote_id>/record.zip")
@requires(Action.DOWNLOAD_RECORD)
def record(vote_id: int) -> ResponseReturnValue:
    vote = load_vote(vote_id, same_event=False)
    if vote.secrecy != Secrecy.SECRET.value:
        fail(409, "not_secret", OPEN_NOTE.format(id=vote_id))
    if vote.state not in (VoteState.DECRYPTED.value, VoteState.CANCELLED.value):
        fail(409, "no_record_yet", "The record is published once the totals are decrypted.")
    if vote.state == VoteState.DECRYPTED.value and _embargoed(vote):
        fail(409, "result_not_announced", EMBARGO.format(id=vote_id))
    path = record_file(vote)
    return send_file(
        path, mimetype="application/zip", as_attachment=True,
        download_name=f"evote-vote-{vote_id}.zip",
    )
