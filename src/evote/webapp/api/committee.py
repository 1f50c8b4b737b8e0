"""The credentials committee's side of the API: its key, the roll export, its signed uploads,
and the public rolls of keys.

Admins configure the committee's public key, export the roll of voting delegates for the
committee and upload the committee's signed file; they can neither sign nor read a code (the
committee keeps both its key and the codes on its own machine).  Anyone logged in may read the
status and each slot's roll: public keys without names, which the delegate page uses to check a
typed code before the first vote.
"""

from __future__ import annotations

import json

from flask import Blueprint, jsonify, request
from flask.typing import ResponseReturnValue
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import RequestEntityTooLarge

from evote import audit
from evote.eligibility import committee
from evote.record.credentials import MAX_SLOT
from evote.record.jsonio import nesting_depth
from evote.store.clock import current_clock
from evote.store.db import get_session
from evote.store.models.event import Event
from evote.voting.outcomes import Refused
from evote.webapp.api.common import MAX_JSON_DEPTH, fail, json_body
from evote.webapp.auth import require_participant
from evote.webapp.permissions import Action, requires

bp = Blueprint("committee", __name__)


def _event() -> Event:
    event = get_session().get(Event, require_participant().event_id)
    assert event is not None
    return event


@bp.get("/api/committee")
@requires(Action.VIEW_CREDENTIALS)
def status() -> ResponseReturnValue:
    return jsonify(committee.status(get_session(), _event()))


@bp.get("/api/committee/slots/<int:slot>")
@requires(Action.VIEW_CREDENTIALS)
def slot_roll(slot: int) -> ResponseReturnValue:
    """The slot's keys on the roll now and the revoked ones, sorted; no names."""
    if slot > MAX_SLOT:
        fail(404, "no_such_slot", f"There is no slot {slot}.")
    eligible, revoked = committee.slot_roll(get_session(), _event().id, slot)
    return jsonify({"slot": slot, "eligible": eligible, "revoked": revoked})


@bp.put("/api/committee/key")
@requires(Action.MANAGE_CREDENTIALS)
def set_key() -> ResponseReturnValue:
    data = json_body()
    key = data.get("public_key")
    if key is not None and not isinstance(key, str):
        fail(400, "bad_field", "Field 'public_key' must be a string or null.")
    db = get_session()
    event = _event()
    try:
        committee.set_committee_key(db, event, key)
    except Refused as exc:
        db.rollback()
        fail(exc.status, exc.code, exc.message)
    audit.append(db, event.id, "committee.set_key", "event", event.id, {"public_key": key})
    db.commit()
    return jsonify(committee.status(db, event))


@bp.get("/api/committee/roll")
@requires(Action.MANAGE_CREDENTIALS)
def export_roll() -> ResponseReturnValue:
    return jsonify(committee.export_roll(get_session(), _event()))


@bp.post("/api/committee/batches")
@requires(Action.MANAGE_CREDENTIALS)
def upload() -> ResponseReturnValue:
    """The committee's upload file as it wrote it (up to 64 MB: every slot's keys)."""
    request.max_content_length = committee.MAX_UPLOAD_BYTES
    if not request.is_json:
        fail(415, "json_required", "Send the committee's upload file as application/json.")
    try:
        document = json.loads(request.get_data(cache=False))
    except RequestEntityTooLarge:
        fail(413, "upload_too_large", "The upload is larger than 64 MB. Nothing was stored.")
    except (ValueError, RecursionError):
        fail(400, "malformed_json", "The body is not valid UTF-8 JSON.")
    if nesting_depth(document) > MAX_JSON_DEPTH:
        fail(400, "malformed_json", "The JSON nests too deeply.")
    db = get_session()
    event = _event()
    try:
        header = committee.accept_upload(db, event, document, current_clock().now())
        audit.append(db, event.id, "committee.upload", "event", event.id, {"batch": header.batch})
        db.commit()
    except Refused as exc:
        db.rollback()
        fail(exc.status, exc.code, exc.message)
    except IntegrityError:  # a concurrent upload of the same batch won
        db.rollback()
        fail(409, "wrong_batch", "Another upload of this batch was stored first. Nothing was "
             "stored.")
    body = committee.status(db, event)
    body["stored_batch"] = header.batch
    return jsonify(body), 201
