"""The presence list for the presidium: who is checked in and since when, by name, as JSON and CSV.

Counts (``/api/presidium/attendance``) say whether there is a quorum; the list says who is
there, for the minutes and for a challenge from the floor ("Ist Frau X wirklich anwesend?").
It lists everyone who takes part in the hall (delegates, guest delegates, presidium), present or
not, from the participant tables only: nothing about a vote.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from evote.people.spreadsheet import csv_text
from evote.rules.roles import Role
from evote.store.db import get_session
from evote.store.models.people import Participant, ParticipantRole
from evote.webapp.auth import require_participant
from evote.webapp.permissions import Action, requires

bp = Blueprint("presence", __name__)

IN_THE_HALL = (Role.DELEGATE, Role.GUEST_DELEGATE, Role.PRESIDIUM)


def presence_rows(db: Session, event_id: int) -> list[dict[str, Any]]:
    """Active participants of the hall, the checked-in first (by time), then the absent by name."""
    in_hall = select(ParticipantRole.participant_id).where(
        ParticipantRole.role.in_([r.value for r in IN_THE_HALL])
    )
    people = db.scalars(
        select(Participant)
        .where(Participant.event_id == event_id, Participant.active.is_(True), Participant.id.in_(in_hall))
        .options(selectinload(Participant.roles))
    ).all()
    rows = [
        {
            "id": p.id,
            "name": p.name,
            "delegation": p.delegation,
            "roles": sorted(r.value for r in p.role_set),
            "voting_right": p.voting_right and p.has_role(Role.DELEGATE),
            "checked_in": p.checked_in_at is not None,
            "checked_in_at": p.checked_in_at.isoformat() if p.checked_in_at else None,
        }
        for p in people
    ]
    rows.sort(key=lambda r: (not r["checked_in"], r["checked_in_at"] or "", r["name"].casefold()))
    return rows


@bp.get("/api/presidium/presence")
@requires(Action.VIEW_PRESENCE)
def presence() -> ResponseReturnValue:
    rows = presence_rows(get_session(), require_participant().event_id)
    return jsonify({"participants": rows, "checked_in": sum(r["checked_in"] for r in rows)})


@bp.get("/api/presidium/presence.csv")
@requires(Action.VIEW_PRESENCE)
def presence_csv() -> ResponseReturnValue:
    me = require_participant()
    header = ["name", "delegation", "roles", "voting_right", "checked_in", "checked_in_at"]
    body = [
        [
            r["name"], r["delegation"], " ".join(r["roles"]),
            "yes" if r["voting_right"] else "no", "yes" if r["checked_in"] else "no",
            r["checked_in_at"] or "",
        ]
        for r in presence_rows(get_session(), me.event_id)
    ]
    response = Response(csv_text([header, *body]), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="presence-{me.event.slug}.csv"'
    return response
