"""The support console: find a participant, see their check-in state, reissue their access.

Support staff help delegates on the phone; they must be able to unblock someone without ever
learning how anyone voted. Everything they see comes from :func:`participant_json`, built from the
participant tables only. They may reset passwords of delegates and guests, but not of staff
accounts (presidium, guardian, technician, support, admin): otherwise a support agent could take
over a guardian's or an admin's account. Those go through an admin.

Two-person rule: while a vote is open, a new password would let whoever holds it cast the
delegate's ballot. So during an open vote a reissue is only a request (202); a second staff
member (support or admin, not the one who asked) confirms it within 15 minutes, and only then is
the password issued. The delegate's next page says that their access was reissued during a vote
(``reissue_notice_at``, shown and cleared by the pages), so a ballot cast in their name does not
go unnoticed. Both steps are decided here, on the server, whatever the client.
"""

from __future__ import annotations

import base64
import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Blueprint, current_app, jsonify, request
from flask.typing import ResponseReturnValue
from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import selectinload

from evote import audit
from evote.people.credentials import issue
from evote.people.letters import render_letters
from evote.rules.roles import Role
from evote.store.db import get_session
from evote.store.models.people import Participant
from evote.store.models.votes import Vote, VoteState
from evote.voting import events
from evote.webapp.api.common import fail
from evote.webapp.api.people_json import participant_json
from evote.webapp.auth import require_participant
from evote.webapp.permissions import Action, requires

bp = Blueprint("support", __name__)
log = logging.getLogger(__name__)

SUPPORT_RESETTABLE = frozenset({Role.DELEGATE, Role.GUEST_DELEGATE})
SEARCH_LIMIT = 50
REQUEST_TTL = timedelta(minutes=15)
"""How long a reissue request waits for its second person; later it must be asked again."""


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


def _detail(target: Participant) -> dict[str, Any]:
    """The participant, and the pending reissue request with the name of who asked."""
    data = participant_json(target)
    pending = _pending(target)
    if pending is not None:
        asker = get_session().get(Participant, pending)
        data["reissue_request"] = {
            "requested_by": pending,
            "requested_by_name": asker.name if asker is not None else "",
            "requested_at": target.reissue_requested_at.isoformat() if target.reissue_requested_at else None,
        }
    return data


def _pending(target: Participant, now: datetime | None = None) -> int | None:
    """Who asked for a reissue of `target` that still waits for confirmation, or ``None``."""
    at = target.reissue_requested_at
    if target.reissue_requested_by is None or at is None:
        return None
    if at + REQUEST_TTL < (now or datetime.now(UTC)):
        return None
    return target.reissue_requested_by


def _vote_open(event_id: int) -> bool:
    """Any vote of the event open (also one past its end the sweeper has not closed yet)."""
    found = get_session().scalars(
        select(Vote.id).where(Vote.event_id == event_id, Vote.state == VoteState.OPEN.value).limit(1)
    ).first()
    return found is not None


def _check_target(me: Participant, target: Participant) -> None:
    if not me.has_role(Role.ADMIN) and not target.role_set <= SUPPORT_RESETTABLE:
        fail(403, "staff_account", "Passwords of staff accounts can only be reset by an admin.")
    if not target.active:
        fail(409, "inactive", "This participant is deactivated.")


@bp.get("/api/support/participants/<int:participant_id>")
@requires(Action.SUPPORT_VIEW_PARTICIPANTS)
def show(participant_id: int) -> ResponseReturnValue:
    return jsonify(_detail(_participant_of_my_event(participant_id)))


def _issue(me: Participant, target: Participant, *, during_vote: bool, confirmed_by: int | None = None) -> ResponseReturnValue | None:
    """Issue the new password; ``None`` (nothing issued) when a single person's reissue finds a
    vote opened meanwhile: the look before was not under any lock, and hashing takes a while.
    The second look comes after the audit append, which holds the event's audit-log lock that
    an opening also takes (its ``vote.open`` entry) until it commits: so an opening is either
    seen here, or comes after this reissue."""
    [credential] = issue(
        [target], current_app.config["PASSWORD_HASH_PROFILE"], current_app.config["PUBLIC_URL"]
    )
    if during_vote:  # the delegate's next page says so (pages/views.py)
        target.reissue_notice_at = target.credentials_issued_at
    audit.append(get_session(), target.event_id, "credentials.reissue", "participant", target.id,
                 {"during_vote": during_vote, "requested_by": confirmed_by})
    if not during_vote and _vote_open(target.event_id):
        get_session().rollback()
        return None
    get_session().commit()
    events.end_streams(target.event_id, target.id)  # the old password's pages stop following
    # Who reset whose access, for the organisers' follow-up; never the password itself.
    if confirmed_by is None:
        log.info("participant %d reissued credentials of participant %d", me.id, target.id)
    else:
        log.info(
            "participant %d confirmed participant %d's reissue of participant %d's credentials",
            me.id, confirmed_by, target.id,
        )
    letter = render_letters([credential], title=f"{credential.event_name}: {credential.name}")
    return jsonify(
        {
            "status": "issued",
            "participant_id": target.id,
            "login_name": credential.login_name,
            "password": credential.password,
            "login_url": credential.login_url,
            "letter_pdf": base64.b64encode(letter).decode("ascii"),
        }
    )


@bp.post("/api/support/participants/<int:participant_id>/credentials")
@requires(Action.SUPPORT_REISSUE_CREDENTIALS)
def reissue(participant_id: int) -> ResponseReturnValue:
    """A new password, shown once in this response (with its letter as a PDF); the old one and
    its sessions stop working. During an open vote: a request for a second person (202)."""
    me = require_participant()
    target = _participant_of_my_event(participant_id)
    _check_target(me, target)
    if not _vote_open(me.event_id):
        issued = _issue(me, target, during_vote=False)
        if issued is not None:
            return issued
        target = _participant_of_my_event(participant_id)  # a vote opened meanwhile: ask
    pending = _pending(target)
    if pending is not None and pending != me.id:
        fail(409, "reissue_pending", "Another staff member already asked for this; confirm it instead.")
    target.reissue_requested_by = me.id
    target.reissue_requested_at = datetime.now(UTC)
    audit.append(get_session(), target.event_id, "credentials.reissue_request", "participant",
                 target.id)
    get_session().commit()
    log.info("participant %d asked to reissue participant %d's credentials during a vote", me.id, target.id)
    body = _detail(target)
    body["status"] = "confirmation_needed"
    return jsonify(body), 202


@bp.post("/api/support/participants/<int:participant_id>/credentials/confirm")
@requires(Action.SUPPORT_REISSUE_CREDENTIALS)
def confirm_reissue(participant_id: int) -> ResponseReturnValue:
    """The second person's confirmation of a reissue asked for during an open vote."""
    me = require_participant()
    target = _participant_of_my_event(participant_id)
    pending = _pending(target)
    if pending is None:
        fail(409, "no_reissue_request", "No reissue of this participant waits for confirmation.")
    if pending == me.id:
        fail(409, "same_person", "A second staff member must confirm the reissue you asked for.")
    _check_target(me, target)
    # Taken once: of two confirmations sent at the same moment only one issues a password.
    taken = get_session().execute(
        update(Participant)
        .where(
            Participant.id == target.id,
            Participant.reissue_requested_by == pending,
            Participant.reissue_requested_at == target.reissue_requested_at,
        )
        .values(reissue_requested_by=None, reissue_requested_at=None)
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        get_session().rollback()
        fail(409, "no_reissue_request", "No reissue of this participant waits for confirmation.")
    get_session().refresh(target)
    issued = _issue(me, target, during_vote=True, confirmed_by=pending)
    assert issued is not None  # during a vote, nothing is looked at again
    return issued


@bp.delete("/api/support/participants/<int:participant_id>/credentials/request")
@requires(Action.SUPPORT_REISSUE_CREDENTIALS)
def withdraw_reissue(participant_id: int) -> ResponseReturnValue:
    """Drop a pending reissue request (asked by mistake, or the caller was not the delegate)."""
    target = _participant_of_my_event(participant_id)
    if _pending(target) is None:
        fail(409, "no_reissue_request", "No reissue of this participant waits for confirmation.")
    target.reissue_requested_by = None
    target.reissue_requested_at = None
    audit.append(get_session(), target.event_id, "credentials.reissue_withdraw", "participant",
                 target.id)
    get_session().commit()
    return jsonify(_detail(target))
