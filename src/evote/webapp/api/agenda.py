"""The day's agenda: the presidium lists its items and calls one onto the stage.

Calling an item sets the "now on stage" title that `evote.webapp.api.live` keeps and announces
(`agenda` live event), so delegates' pages, the projector and late joiners all show it.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue
from sqlalchemy import func, select

from evote import audit
from evote.store.db import get_session
from evote.store.models.live import CurrentAgendaItem
from evote.store.models.stage import AgendaItem
from evote.voting import events
from evote.webapp.api.common import fail, field, json_body
from evote.webapp.auth import require_participant
from evote.webapp.permissions import Action, requires

bp = Blueprint("agenda", __name__)


def _agenda(event_id: int) -> dict[str, Any]:
    db = get_session()
    items = db.scalars(
        select(AgendaItem).where(AgendaItem.event_id == event_id).order_by(AgendaItem.position)
    )
    current = db.get(CurrentAgendaItem, event_id)
    return {
        "items": [{"id": i.id, "position": i.position, "title": i.title} for i in items],
        "current": current.title if current else None,
    }


@bp.get("/api/agenda")
@requires(Action.FOLLOW_LIVE)
def show() -> ResponseReturnValue:
    return jsonify(_agenda(require_participant().event_id))


@bp.post("/api/agenda")
@requires(Action.MANAGE_EVENT)
def add() -> ResponseReturnValue:
    title = field(json_body(), "title", str).strip()
    if not title or len(title) > 300:
        fail(400, "bad_field", "An agenda item needs a title of 1 to 300 characters.")
    event_id = require_participant().event_id
    db = get_session()
    last = db.scalar(select(func.max(AgendaItem.position)).where(AgendaItem.event_id == event_id))
    item = AgendaItem(event_id=event_id, position=(last or 0) + 1, title=title)
    db.add(item)
    db.flush()
    audit.append(db, event_id, "agenda.add", "agenda_item", item.id, {"title": title})
    db.commit()
    return jsonify(_agenda(event_id)), 201


@bp.post("/api/agenda/<int:item_id>/call")
@requires(Action.MANAGE_EVENT)
def call(item_id: int) -> ResponseReturnValue:
    event_id = require_participant().event_id
    db = get_session()
    item = db.get(AgendaItem, item_id)
    if item is None or item.event_id != event_id:
        fail(404, "no_such_agenda_item", f"There is no agenda item {item_id}.")
    current = db.get(CurrentAgendaItem, event_id)
    if current is None:
        db.add(CurrentAgendaItem(event_id=event_id, title=item.title))
    else:
        current.title = item.title
    audit.append(db, event_id, "agenda.call", "agenda_item", item.id, {"title": item.title})
    db.commit()
    events.agenda(event_id, item.title)
    return jsonify(_agenda(event_id))
