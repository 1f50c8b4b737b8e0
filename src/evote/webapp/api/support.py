"""The support console: find a participant, see their check-in state, reissue their access.

Support staff help delegates on the phone; they must be able to unblock someone without ever
learning how anyone voted. Everything they see comes from :func:`participant_json`, built from the
participant tables only. They may reset passwords of delegates and guests, but not of staff
accounts (presidium, guardian, technician, support, admin): otherwise a support agent could take
over a guardian's or an admin's account. Those go through an admin.
"""

from __future__ import annotations

import logging

from flask import Blueprint, current_app, jsonify, request
from flask.typing import ResponseReturnValue
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from evote.people.credentials import issue
from evote.rules.roles import Role
from evote.store.db import get_session
from evote.store.models.people import Participant
from evote.voting import events
from evote.webapp.api.common import fail
from evote.webapp.api.people_json import participant_json
from evote.webapp.auth import require_participant
from evote.webapp.permissions import Action, requires

bp = Blueprint("support", __name__)
log = logging.getLogger(__name__)

SUPPORT_RESETTABLE = frozenset({Role.DELEGATE, Role.GUEST_DELEGATE})
SEARCH_LIMIT = 50


def _participant_of_my_event(participant_id: int) -> Participant:
    me = require_participant()
    found = get_session().get(Participant, participant_id)
    if found is None or found.event_id != me.event_id:
        fail(404, "not_found", "No such participant at this event.")
    return found


@bp.get("/api/support/participants")
@requires(Action.SUPPORT_VIEW_PARTICIPANTS)
def search() -> ResponseReturnValue:
    """Search by name, e-mail, login name or delegation (``?q=``); at most 50 hits."""
    me = require_participant()
    stmt = (
        select(Participant)
        .where(Participant.event_id == me.event_id)
        .options(selectinload(Participant.groups))
    )
    q = request.args.get("q", "").strip()
    if q:
        pattern = f"%{q.lower()}%"
        stmt = stmt.where(
            or_(
                func.lower(Participant.name).like(pattern),
                func.lower(Participant.email).like(pattern),
                func.lower(Participant.login_name).like(pattern),
                func.lower(Participant.delegation).like(pattern),
            )
        )
    rows = get_session().scalars(stmt.order_by(Participant.name).limit(SEARCH_LIMIT)).all()
    return jsonify({"participants": [participant_json(p) for p in rows]})


@bp.get("/api/support/participants/<int:participant_id>")
@requires(Action.SUPPORT_VIEW_PARTICIPANTS)
def show(participant_id: int) -> ResponseReturnValue:
    return jsonify(participant_json(_participant_of_my_event(participant_id)))


@bp.post("/api/support/participants/<int:participant_id>/credentials")
@requires(Action.SUPPORT_REISSUE_CREDENTIALS)
def reissue(participant_id: int) -> ResponseReturnValue:
    """A new password, shown once in this response; the old one and its sessions stop working."""
    me = require_participant()
    target = _participant_of_my_event(participant_id)
    if not me.has_role(Role.ADMIN) and not target.role_set <= SUPPORT_RESETTABLE:
        fail(403, "staff_account", "Passwords of staff accounts can only be reset by an admin.")
    if not target.active:
        fail(409, "inactive", "This participant is deactivated.")
    [credential] = issue(
        [target], current_app.config["PASSWORD_HASH_PROFILE"], current_app.config["PUBLIC_URL"]
    )
    get_session().commit()
    events.end_streams(target.event_id, target.id)  # the old password's pages stop following
    # Who reset whose access, for the organisers' follow-up; never the password itself.
    log.info("participant %d reissued credentials of participant %d", me.id, target.id)
    return jsonify(
        {
            "participant_id": target.id,
            "login_name": credential.login_name,
            "password": credential.password,
            "login_url": credential.login_url,
        }
    )
