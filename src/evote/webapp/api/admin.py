"""Participant management for admins: list, create, edit, deactivate, import a CSV.

First passwords and their letters come from ``api/letters.py`` (or ``evote credentials issue``
to a file); a reissue uses the support endpoint, which admins may use for any account.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, request
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from evote import audit
from evote.people.accounts import (
    InvalidParticipant,
    add_participant,
    check_sizes,
    parse_roles,
    validate,
)
from evote.people.csv_import import CsvImportError, import_participants
from evote.rules.roles import Role
from evote.store.db import get_session
from evote.store.models.people import Participant, ParticipantGroup, ParticipantRole
from evote.voting import events
from evote.webapp.api.common import fail, field, json_body
from evote.webapp.api.people_json import participant_json
from evote.webapp.auth import require_participant
from evote.webapp.permissions import Action, requires

bp = Blueprint("admin", __name__)


def _string_list(data: dict[str, Any], name: str) -> list[str] | None:
    value = field(data, name, list, required=False)
    if value is not None and not all(isinstance(v, str) for v in value):
        fail(400, "bad_field", f"Field {name!r} must be a list of strings.")
    return value


@bp.get("/api/admin/participants")
@requires(Action.ADMIN_MANAGE_PARTICIPANTS)
def list_participants() -> ResponseReturnValue:
    me = require_participant()
    rows = get_session().scalars(
        select(Participant)
        .where(Participant.event_id == me.event_id)
        .options(selectinload(Participant.groups))  # one query for all groups, not one each
        .order_by(Participant.id)
    )
    return jsonify({"participants": [participant_json(p) for p in rows]})


@bp.post("/api/admin/participants")
@requires(Action.ADMIN_MANAGE_PARTICIPANTS)
def create_participant() -> ResponseReturnValue:
    data = json_body()
    db = get_session()
    try:
        participant = add_participant(
            db,
            require_participant().event,
            name=field(data, "name", str),
            email=field(data, "email", str),
            delegation=field(data, "delegation", str, required=False) or "",
            roles=parse_roles(_string_list(data, "roles") or []),
            groups=_string_list(data, "groups") or [],
            voting_right=field(data, "voting_right", bool),
        )
    except InvalidParticipant as exc:
        db.rollback()
        fail(400, "invalid_participant", str(exc))
    audit.append(db, participant.event_id, "participant.create", "participant", participant.id,
                 {"roles": sorted(participant.role_set)})
    db.commit()
    return jsonify(participant_json(participant)), 201


@bp.patch("/api/admin/participants/<int:participant_id>")
@requires(Action.ADMIN_MANAGE_PARTICIPANTS)
def update_participant(participant_id: int) -> ResponseReturnValue:
    """Change any of name, email, delegation, roles, groups, voting_right, active."""
    me = require_participant()
    db = get_session()
    target = db.get(Participant, participant_id)
    if target is None or target.event_id != me.event_id:
        fail(404, "not_found", "No such participant at this event.")
    data = json_body()
    known = {"name", "email", "delegation", "roles", "groups", "voting_right", "active"}
    if unknown := sorted(set(data) - known):
        fail(400, "unknown_field", f"Unknown field(s): {', '.join(unknown)}.")
    name = field(data, "name", str, required=False)
    email = field(data, "email", str, required=False)
    delegation = field(data, "delegation", str, required=False)
    role_names = _string_list(data, "roles")
    groups = _string_list(data, "groups")
    voting_right = field(data, "voting_right", bool, required=False)
    active = field(data, "active", bool, required=False)
    try:
        check_sizes(name=name, email=email, delegation=delegation, groups=groups or ())
        roles = parse_roles(role_names) if role_names is not None else target.role_set
        new_email = email.strip().lower() if email is not None else target.email
        new_voting = voting_right if voting_right is not None else target.voting_right
        validate(name if name is not None else target.name, new_email, roles, new_voting)
    except InvalidParticipant as exc:
        fail(400, "invalid_participant", str(exc))
    if target.id == me.id and (Role.ADMIN not in roles or active is False):
        fail(409, "self_lockout", "You cannot remove your own admin role or deactivate yourself.")
    if target.id == me.id and roles != target.role_set:
        # An admin who could give themselves presidium, guardian or a delegate's vote would hold
        # two powers the convention keeps apart; a second admin decides that.
        fail(403, "own_roles", "You cannot change your own roles; ask another admin.")
    if new_email != target.email:
        clash = db.scalars(
            select(Participant.id).where(
                Participant.event_id == me.event_id, Participant.email == new_email
            )
        ).first()
        if clash is not None:
            fail(409, "duplicate_email", f"e-mail {new_email} is already registered.")
    if name is not None:
        target.name = name.strip()
    target.email = new_email
    if delegation is not None:
        target.delegation = delegation.strip()
    if role_names is not None:
        target.roles = [ParticipantRole(role=r.value) for r in sorted(roles)]
    if groups is not None:
        target.groups = [ParticipantGroup(name=g) for g in sorted({g.strip() for g in groups if g.strip()})]
    target.voting_right = new_voting
    if active is not None:
        target.active = active
    audit.append(db, target.event_id, "participant.update", "participant", target.id, {
        "fields": sorted(data), "roles": sorted(roles) if role_names is not None else None,
        "active": active,
    })
    db.commit()
    if active is False:
        events.end_streams(target.event_id, target.id)  # their pages stop following at once
    return jsonify(participant_json(target))


@bp.post("/api/admin/participants/import")
@requires(Action.ADMIN_MANAGE_PARTICIPANTS)
def import_csv() -> ResponseReturnValue:
    """Body: the CSV file itself (``Content-Type: text/csv``). All rows are added or none."""
    if request.mimetype != "text/csv":
        fail(415, "csv_required", "Send the file as the body with Content-Type: text/csv.")
    try:
        text = request.get_data().decode("utf-8")
    except UnicodeDecodeError:
        fail(400, "bad_encoding", "The file is not UTF-8.")
    db = get_session()
    try:
        added = import_participants(db, require_participant().event, text)
    except CsvImportError as exc:
        db.rollback()
        body = {
            "error": "invalid_csv",
            "message": "Nothing was imported; fix these lines and import the file again.",
            "errors": [{"line": e.line, "message": e.message} for e in exc.errors],
        }
        return jsonify(body), 400
    audit.append(db, require_participant().event_id, "participant.import", "event",
                 require_participant().event_id, {"count": len(added)})
    db.commit()
    return jsonify({"imported": len(added)}), 201
