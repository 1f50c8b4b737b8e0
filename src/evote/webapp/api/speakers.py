"""Speakers' lists over HTTP (docs/speakers.md): asking to speak, withdrawing, the presidium's
steering, the quota self-declaration.

Every refusal is ``{"error": code, "message": …}`` in the page's language (``message_de`` and
``message_en`` carry both); nothing is changed by a refused request. Every change is announced
live as a ``speakers`` event carrying the list's public state (names, places, the current
speaker and when their time is up on the server clock), so pages need not ask again.
"""

from __future__ import annotations

from typing import Any, NoReturn

from flask import Blueprint, abort, jsonify, make_response
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from evote.rules.roles import Role
from evote.speakers import service
from evote.speakers.service import ListOptions, SpeakerError
from evote.store.clock import current_clock
from evote.store.db import get_session
from evote.store.models.people import Participant
from evote.store.models.speakers import SpeakerEntry, SpeakerList
from evote.store.models.stage import AgendaItem
from evote.voting import events
from evote.webapp.api.call_config import call_config, room_of
from evote.webapp.api.common import field, json_body
from evote.webapp.auth import require_participant
from evote.webapp.pages import i18n
from evote.webapp.permissions import Action, requires

bp = Blueprint("speakers", __name__)

SHOWN = 20
"""Waiting entries named in a live event (the PostgreSQL broker caps an event at 8 kB); the
total is always given, and a delegate further down asks for their place."""


def refuse(exc: SpeakerError) -> NoReturn:
    get_session().rollback()
    body = {"error": exc.code, "message": exc.message(i18n.language()),
            "message_de": exc.de, "message_en": exc.en}
    abort(make_response(jsonify(body), exc.status))


def _entry_json(entry: SpeakerEntry, person: Participant | None, place: int | None,
                *, full: bool, beyond: bool = False) -> dict[str, Any]:
    body: dict[str, Any] = {
        "entry_id": entry.id,
        "participant_id": entry.participant_id,
        "name": (person.name if person else "")[:60],
        "delegation": (person.delegation if person else "")[:40],
        "kind": entry.kind,
        "place": place,
        "beyond": beyond,
        "prepared": entry.prepared,
        "tech": entry.tech,
    }
    if full:
        body |= {"side": entry.side, "tech_note": entry.tech_note,
                 "technician_id": entry.technician_id}
    return body


def state(lst: SpeakerList, *, full: bool = False, limit: int | None = SHOWN) -> dict[str, Any]:
    """The list as every page shows it; ``full`` adds quota sides and technician notes (the
    presidium's console), and every waiting entry instead of the first ``limit``."""
    db = get_session()
    called, beyond = service.order(db, lst)
    waiting = [(e, i + 1, False) for i, e in enumerate(called)] + [(e, None, True) for e in beyond]
    shown = waiting if full or limit is None else waiting[:limit]
    ids = {e.participant_id for e, _, _ in shown}
    current = db.get(SpeakerEntry, lst.current_entry_id) if lst.current_entry_id else None
    if current is not None:
        ids.add(current.participant_id)
    people = (
        {p.id: p for p in db.scalars(select(Participant).where(Participant.id.in_(ids)))}
        if ids else {}
    )
    item = db.get(AgendaItem, lst.agenda_item_id)
    body = {
        "list_id": lst.id,
        "agenda_item_id": lst.agenda_item_id,
        "title": item.title if item else "",
        "closed": lst.closed,
        "quota": lst.quota,
        "when_side_empty": lst.when_side_empty,
        "guests": lst.guests,
        "speaking_seconds": lst.speaking_seconds,
        "current": None if current is None else {
            **_entry_json(current, people.get(current.participant_id), None, full=full),
            "started_at": events.iso(lst.speech_started_at),
            "ends_at": events.iso(lst.speech_ends_at),
        },
        "waiting": [_entry_json(e, people.get(e.participant_id), place, full=full, beyond=b)
                    for e, place, b in shown],
        "total": len(waiting),
    }
    if full:  # technicians' external rooms (docs/speakers.md); none without a room template
        for entry in [body["current"], *body["waiting"]]:
            if entry is not None:
                entry["room_url"] = room_of(entry["entry_id"], lst.event_id)
    return body


def _mine(lst: SpeakerList, me: Participant) -> list[dict[str, Any]]:
    """The viewer's own requests on the list with their place, and the technician's note."""
    db = get_session()
    called, beyond = service.order(db, lst)
    found = []
    for entry in service.entries(db, lst):
        if entry.participant_id != me.id:
            continue
        place = next((i + 1 for i, e in enumerate(called) if e.id == entry.id), None)
        found.append({
            "entry_id": entry.id, "kind": entry.kind, "state": entry.state, "place": place,
            "beyond": any(e.id == entry.id for e in beyond), "prepared": entry.prepared,
            "tech": entry.tech, "tech_note": entry.tech_note,
            "technician_id": entry.technician_id, "room_url": room_of(entry.id, lst.event_id),
        })
    return found


def _announce(lst: SpeakerList) -> None:
    events.publish(lst.event_id, "speakers", **state(lst))


def _commit_and_announce(lst: SpeakerList) -> None:
    get_session().commit()
    _announce(lst)


def _sees_everything(me: Participant) -> bool:
    return me.has_role(Role.PRESIDIUM) or me.has_role(Role.TECHNICIAN)


def _view(lst: SpeakerList | None, me: Participant) -> dict[str, Any]:
    db = get_session()
    conf = service.settings(db, me.event_id)
    body: dict[str, Any] = {
        "quota_group": conf.quota_group,
        "speaking_seconds": conf.speaking_seconds,
        "server_time": events.server_time(),
        "list": None,
        "mine": [],
        "call": call_config(),
    }
    if lst is not None:
        full = _sees_everything(me)
        body["list"] = state(lst, full=full)
        body["mine"] = _mine(lst, me)
        if me.has_role(Role.PRESIDIUM):
            body["minutes"] = [
                {**row, "started_at": events.iso(row["started_at"]),
                 "ended_at": events.iso(row["ended_at"])}
                for row in service.minutes(db, lst)
            ]
    return body


def _list(list_id: int, *, lock: bool = False) -> SpeakerList:
    try:
        return service.get_list(get_session(), require_participant().event_id, list_id, lock=lock)
    except SpeakerError as exc:
        refuse(exc)


def _options(data: dict[str, Any]) -> ListOptions:
    return ListOptions(
        closed=field(data, "closed", bool, required=False),
        quota=field(data, "quota", bool, required=False),
        when_side_empty=field(data, "when_side_empty", str, required=False),
        guests=field(data, "guests", bool, required=False),
        speaking_seconds=field(data, "speaking_seconds", int, required=False),
    )


@bp.get("/api/speakers")
@requires(Action.FOLLOW_LIVE)
def show_active() -> ResponseReturnValue:
    """The active list (the one the presidium opened last), with the viewer's own requests."""
    me = require_participant()
    view = _view(service.active_list(get_session(), me.event_id), me)
    get_session().commit()  # settings made on first use
    return jsonify(view)


@bp.get("/api/speakers/lists/<int:list_id>")
@requires(Action.FOLLOW_LIVE)
def show(list_id: int) -> ResponseReturnValue:
    view = _view(_list(list_id), require_participant())
    get_session().commit()
    return jsonify(view)


@bp.post("/api/speakers/lists")
@requires(Action.MANAGE_SPEAKERS)
def open_list() -> ResponseReturnValue:
    """Open (or reopen) the list of an agenda item and make it the one pages show."""
    data = json_body()
    item_id = field(data, "agenda_item_id", int)
    me = require_participant()
    try:
        lst = service.open_list(get_session(), me.event_id, item_id, _options(data))
    except SpeakerError as exc:
        refuse(exc)
    _commit_and_announce(lst)
    return jsonify(_view(lst, me)), 201


@bp.patch("/api/speakers/lists/<int:list_id>")
@requires(Action.MANAGE_SPEAKERS)
def update(list_id: int) -> ResponseReturnValue:
    """Close or reopen the list, quota on/off, the rule for an empty side, guests, speaking
    time (a running speech gets the new time too)."""
    data = json_body()
    lst = _list(list_id, lock=True)
    try:
        service.update_list(get_session(), lst, _options(data))
    except SpeakerError as exc:
        refuse(exc)
    _commit_and_announce(lst)
    return jsonify(_view(lst, require_participant()))


@bp.post("/api/speakers/lists/<int:list_id>/entries")
@requires(Action.ASK_TO_SPEAK)
def ask(list_id: int) -> ResponseReturnValue:
    """Ask to speak (``kind``: speech, point_of_order)."""
    kind = field(json_body(), "kind", str, required=False) or "speech"
    me = require_participant()
    lst = _list(list_id, lock=True)
    try:
        service.ask(get_session(), lst, me, kind, current_clock().now())
    except SpeakerError as exc:
        refuse(exc)
    _commit_and_announce(lst)
    return jsonify(_view(lst, me)), 201


@bp.delete("/api/speakers/lists/<int:list_id>/entries/<int:entry_id>")
@requires(Action.ASK_TO_SPEAK)
def withdraw(list_id: int, entry_id: int) -> ResponseReturnValue:
    """Withdraw one's own request while it is waiting."""
    me = require_participant()
    lst = _list(list_id, lock=True)
    db = get_session()
    try:
        service.withdraw(db, service.get_entry(db, lst, entry_id), me, current_clock().now())
    except SpeakerError as exc:
        refuse(exc)
    _commit_and_announce(lst)
    return jsonify(_view(lst, me))


def _steer(list_id: int, entry_id: int, step: str, data: dict[str, Any]) -> ResponseReturnValue:
    lst = _list(list_id, lock=True)
    db = get_session()
    try:
        entry = service.get_entry(db, lst, entry_id)
        if step == "remove":
            service.remove(db, entry, current_clock().now())
        elif step == "move":
            service.move(db, lst, entry, field(data, "before", int, required=False))
        else:
            service.prepare(db, entry)
    except SpeakerError as exc:
        refuse(exc)
    _commit_and_announce(lst)
    return jsonify(_view(lst, require_participant()))


@bp.post("/api/speakers/lists/<int:list_id>/entries/<int:entry_id>/remove")
@requires(Action.MANAGE_SPEAKERS)
def remove(list_id: int, entry_id: int) -> ResponseReturnValue:
    return _steer(list_id, entry_id, "remove", {})


@bp.post("/api/speakers/lists/<int:list_id>/entries/<int:entry_id>/move")
@requires(Action.MANAGE_SPEAKERS)
def move(list_id: int, entry_id: int) -> ResponseReturnValue:
    """Move before the entry ``before`` (absent or null: to the end); with the quota on, within
    the entry's side."""
    return _steer(list_id, entry_id, "move", json_body())


@bp.post("/api/speakers/lists/<int:list_id>/entries/<int:entry_id>/prepare")
@requires(Action.MANAGE_SPEAKERS)
def prepare(list_id: int, entry_id: int) -> ResponseReturnValue:
    """Mark as "next": the speaker's page offers the technician check."""
    return _steer(list_id, entry_id, "prepare", {})


@bp.post("/api/speakers/lists/<int:list_id>/next")
@requires(Action.MANAGE_SPEAKERS)
def call_next(list_id: int) -> ResponseReturnValue:
    """End the current speech, give the floor to the head of the list (or ``entry_id``); the
    speaking time runs on the server clock from now."""
    data = json_body()
    chosen = field(data, "entry_id", int, required=False)
    lst = _list(list_id, lock=True)
    try:
        service.call_next(get_session(), lst, current_clock().now(), chosen)
    except SpeakerError as exc:
        refuse(exc)
    _commit_and_announce(lst)
    return jsonify(_view(lst, require_participant()))


@bp.post("/api/speakers/lists/<int:list_id>/stop")
@requires(Action.MANAGE_SPEAKERS)
def stop(list_id: int) -> ResponseReturnValue:
    lst = _list(list_id, lock=True)
    service.stop(get_session(), lst, current_clock().now())
    _commit_and_announce(lst)
    return jsonify(_view(lst, require_participant()))


@bp.put("/api/speakers/settings")
@requires(Action.MANAGE_SPEAKERS)
def put_settings() -> ResponseReturnValue:
    """Who counts for the quota (``women`` or ``flinta``) and the default speaking time."""
    data = json_body()
    me = require_participant()
    db = get_session()
    group = field(data, "quota_group", str, required=False)
    seconds = field(data, "speaking_seconds", int, required=False)
    try:
        if group is not None:
            service.set_quota_group(db, me.event_id, group)
        if seconds is not None:
            service.set_speaking_seconds(db, me.event_id, seconds)
    except SpeakerError as exc:
        refuse(exc)
    db.commit()
    conf = service.settings(db, me.event_id)
    return jsonify({"quota_group": conf.quota_group, "speaking_seconds": conf.speaking_seconds})


@bp.get("/api/speakers/profile")
@requires(Action.ASK_TO_SPEAK)
def get_profile() -> ResponseReturnValue:
    return jsonify({"quota": service.declaration(get_session(), require_participant().id)})


@bp.put("/api/speakers/profile")
@requires(Action.ASK_TO_SPEAK)
def put_profile() -> ResponseReturnValue:
    """One's own self-declaration for the quota: '' (none), 'woman', 'flinta'; it applies to
    requests made from now on."""
    quota = field(json_body(), "quota", str)
    me = require_participant()
    db = get_session()
    try:
        service.declare(db, me.id, quota)
    except SpeakerError as exc:
        refuse(exc)
    db.commit()
    return jsonify({"quota": quota})
