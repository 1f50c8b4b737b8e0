"""The day's agenda: the presidium lists its items, edits, reorders and deletes them, and calls
one onto the stage; votes are linked to the item they belong to.

Calling an item sets the "now on stage" title that `evote.webapp.api.live` keeps and announces
(`agenda` live event), so delegates' pages, the projector and late joiners all show it. Every
change is announced too, so two consoles stay in step.

An item is not deleted once something happened under it (a vote past its draft, a speakers'
list, a motion): the minutes need it. A draft's link is dropped with the item.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify
from flask.typing import ResponseReturnValue
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from evote import audit
from evote.store.db import get_session
from evote.store.models.live import CurrentAgendaItem
from evote.store.models.motions import Motion
from evote.store.models.speakers import SpeakerList
from evote.store.models.stage import AgendaItem
from evote.store.models.votes import Vote, VoteState
from evote.voting import events
from evote.webapp.api.common import fail, field, json_body
from evote.webapp.auth import require_participant
from evote.webapp.permissions import Action, requires

bp = Blueprint("agenda", __name__)

TITLE_LIMIT = 300


def _agenda(event_id: int) -> dict[str, Any]:
    db = get_session()
    items = db.scalars(
        select(AgendaItem).where(AgendaItem.event_id == event_id).order_by(AgendaItem.position)
    ).all()
    current = db.get(CurrentAgendaItem, event_id)
    votes: dict[int, list[int]] = {}
    for vote_id, item_id in db.execute(
        select(Vote.id, Vote.agenda_item_id)
        .where(Vote.event_id == event_id, Vote.agenda_item_id.is_not(None))
        .order_by(Vote.id)
    ):
        votes.setdefault(item_id, []).append(vote_id)
    current_id = current.item_id if current else None
    return {
        "items": [
            {"id": i.id, "position": i.position, "title": i.title,
             "current": i.id == current_id, "votes": votes.get(i.id, [])}
            for i in items
        ],
        "current": current.title if current else None,
        "current_id": current_id,
    }


def _title() -> str:
    title = " ".join(field(json_body(), "title", str).split())
    if not title or len(title) > TITLE_LIMIT:
        fail(400, "bad_agenda_title", "An agenda item needs a title of 1 to 300 characters.")
    return title


def load_item(db: Session, event_id: int, item_id: int) -> AgendaItem:
    """The event's agenda item, or 404 (another event's item is as unknown as a made-up id)."""
    item = db.get(AgendaItem, item_id)
    if item is None or item.event_id != event_id:
        fail(404, "no_such_agenda_item", f"There is no agenda item {item_id}.")
    return item


def _changed(event_id: int) -> Response:
    """Commit, tell every page (the `agenda` event with the title on stage now: the consoles
    reload the list, the other pages show the title), answer with the agenda as it is now."""
    get_session().commit()
    current = get_session().get(CurrentAgendaItem, event_id)
    events.agenda(event_id, current.title if current else "")
    return jsonify(_agenda(event_id))


@bp.get("/api/agenda")
@requires(Action.FOLLOW_LIVE)
def show() -> ResponseReturnValue:
    return jsonify(_agenda(require_participant().event_id))


@bp.post("/api/agenda")
@requires(Action.MANAGE_EVENT)
def add() -> ResponseReturnValue:
    title = _title()
    event_id = require_participant().event_id
    db = get_session()
    last = db.scalar(select(func.max(AgendaItem.position)).where(AgendaItem.event_id == event_id))
    item = AgendaItem(event_id=event_id, position=(last or 0) + 1, title=title)
    db.add(item)
    db.flush()
    audit.append(db, event_id, "agenda.add", "agenda_item", item.id, {"title": title})
    return _changed(event_id), 201


@bp.patch("/api/agenda/<int:item_id>")
@requires(Action.MANAGE_EVENT)
def edit(item_id: int) -> ResponseReturnValue:
    """A new title; if the item is on stage, the stage shows the new title at once."""
    event_id = require_participant().event_id
    db = get_session()
    item = load_item(db, event_id, item_id)
    before, item.title = item.title, _title()
    audit.append(db, event_id, "agenda.edit", "agenda_item", item.id,
                 {"title": item.title, "was": before})
    current = db.get(CurrentAgendaItem, event_id)
    if current is not None and current.item_id == item.id:
        current.title = item.title
    return _changed(event_id)


@bp.put("/api/agenda/order")
@requires(Action.MANAGE_EVENT)
def reorder() -> ResponseReturnValue:
    """The whole order at once (``{"ids": [3, 1, 2]}``): exactly the event's items, each once.
    A list made before someone else added or deleted an item is refused (409), not guessed."""
    ids = json_body().get("ids")
    if not isinstance(ids, list) or not all(
        isinstance(i, int) and not isinstance(i, bool) for i in ids
    ) or len(set(ids)) != len(ids):
        fail(400, "bad_agenda_order", "Field 'ids' must list agenda item ids, each once.")
    event_id = require_participant().event_id
    db = get_session()
    items = {
        i.id: i for i in db.scalars(select(AgendaItem).where(AgendaItem.event_id == event_id))
    }
    if set(ids) != set(items):
        fail(409, "agenda_changed",
             "The agenda changed meanwhile (an item was added or deleted); reload and try again.")
    for position, item_id in enumerate(ids, start=1):
        items[item_id].position = position
    audit.append(db, event_id, "agenda.reorder", "agenda", event_id, {"order": ids})
    return _changed(event_id)


@bp.delete("/api/agenda/<int:item_id>")
@requires(Action.MANAGE_EVENT)
def delete(item_id: int) -> ResponseReturnValue:
    event_id = require_participant().event_id
    db = get_session()
    item = load_item(db, event_id, item_id)
    used = [
        what for what, count in (
            ("votes", db.scalar(select(func.count()).select_from(Vote).where(
                Vote.agenda_item_id == item.id, Vote.state != VoteState.DRAFT.value))),
            ("speakers", db.scalar(select(func.count()).select_from(SpeakerList).where(
                SpeakerList.agenda_item_id == item.id))),
            ("motions", db.scalar(select(func.count()).select_from(Motion).where(
                Motion.agenda_item_id == item.id))),
        ) if count
    ]
    if used:
        fail(409, "agenda_item_in_use",
             f"Agenda item {item_id} has {', '.join(used)}; the minutes need it, so it stays.")
    audit.append(db, event_id, "agenda.delete", "agenda_item", item.id, {"title": item.title})
    db.execute(update(Vote).where(Vote.agenda_item_id == item.id).values(agenda_item_id=None))
    current = db.get(CurrentAgendaItem, event_id)
    if current is not None and current.item_id == item.id:
        db.delete(current)
    db.delete(item)
    db.flush()
    remaining = db.scalars(
        select(AgendaItem).where(AgendaItem.event_id == event_id).order_by(AgendaItem.position)
    ).all()
    for position, rest in enumerate(remaining, start=1):
        rest.position = position
    return _changed(event_id)


@bp.post("/api/agenda/<int:item_id>/call")
@requires(Action.MANAGE_EVENT)
def call(item_id: int) -> ResponseReturnValue:
    event_id = require_participant().event_id
    db = get_session()
    item = load_item(db, event_id, item_id)
    current = db.get(CurrentAgendaItem, event_id)
    if current is None:
        db.add(CurrentAgendaItem(event_id=event_id, title=item.title, item_id=item.id))
    else:
        current.title = item.title
        current.item_id = item.id
    audit.append(db, event_id, "agenda.call", "agenda_item", item.id, {"title": item.title})
    db.commit()
    events.agenda(event_id, item.title)
    return jsonify(_agenda(event_id))


def agenda_link(data: dict[str, Any], event_id: int) -> int | None:
    """A vote's ``agenda_item_id`` from a request body: absent or null is no link; an id must
    be one of the event's items (404 otherwise)."""
    value = data.get("agenda_item_id")
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        fail(400, "bad_field", "Field 'agenda_item_id' must be an agenda item's id or null.")
    return load_item(get_session(), event_id, value).id
