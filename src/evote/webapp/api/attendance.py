"""Check-in, the presidium's attendance and quorum view, opening and closing the event."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue

from evote import audit
from evote.people.attendance import CheckInRefused, attendance, can_vote, check_in
from evote.store.db import get_session
from evote.store.models.event import EventStatus
from evote.webapp.api.common import fail
from evote.webapp.auth import require_participant
from evote.webapp.permissions import Action, requires

bp = Blueprint("attendance", __name__)


@bp.post("/api/checkin")
@requires(Action.CHECK_IN)
def checkin() -> ResponseReturnValue:
    participant = require_participant()
    try:
        at = check_in(participant)
    except CheckInRefused as exc:
        fail(409, "checkin_refused", str(exc))
    get_session().commit()
    return jsonify(
        {"checked_in": True, "checked_in_at": at.isoformat(), "can_vote": can_vote(participant)}
    )


@bp.get("/api/presidium/attendance")
@requires(Action.VIEW_ATTENDANCE)
def presidium_attendance() -> ResponseReturnValue:
    event = require_participant().event
    body = attendance(get_session(), event).as_json()
    body["quorum_rule"] = {
        "numerator": event.quorum_numerator,
        "denominator": event.quorum_denominator,
        "strict": event.quorum_strict,
    }
    body["event_status"] = event.status
    return jsonify(body)


def _set_status(target: EventStatus) -> ResponseReturnValue:
    event = require_participant().event
    allowed = {EventStatus.OPEN: EventStatus.DRAFT, EventStatus.CLOSED: EventStatus.OPEN}
    if event.status != allowed[target].value:
        fail(409, "bad_event_state", f"The event is {event.status}; it cannot become {target.value}.")
    now = datetime.now(UTC)
    event.status = target.value
    if target is EventStatus.OPEN:
        event.opened_at = now
    else:
        event.closed_at = now
    audit.append(get_session(), event.id, f"event.{target.value}", "event", event.id)
    get_session().commit()
    return jsonify({"status": event.status})


@bp.post("/api/event/open")
@requires(Action.MANAGE_EVENT)
def open_event() -> ResponseReturnValue:
    """Opens check-in. Draft → open only; a closed event stays closed."""
    return _set_status(EventStatus.OPEN)


@bp.post("/api/event/close")
@requires(Action.MANAGE_EVENT)
def close_event() -> ResponseReturnValue:
    return _set_status(EventStatus.CLOSED)
