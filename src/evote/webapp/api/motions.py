"""Motions and amendments over HTTP (docs/motions.md): kinds, submission, support, screening,
numbering, recommendations, amendments, the agenda, and the public listing.

Every refusal is ``{"error": code, "message": …}`` with the domain's code (a stale amendment
adds ``line``); a motion the reader may not see is a 404, as if it did not exist.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, NoReturn

from flask import Blueprint, abort, jsonify, make_response, request
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from evote.motions import diff, merging, service, voting
from evote.motions.service import MotionError
from evote.motions.states import Recommendation, SubmitterKind
from evote.motions.text import MAX_CHARS
from evote.rules.majority import MajorityBase, MajorityRule, default_base
from evote.store.clock import current_clock
from evote.store.db import get_session
from evote.store.models.event import Event
from evote.store.models.motions import Motion, MotionKind
from evote.voting import events
from evote.voting.lifecycle import VoteError, open_vote
from evote.webapp.api.common import fail, field, json_body
from evote.webapp.api.motions_json import kind_json, motion_json
from evote.webapp.api.votes import random_source, vote_json
from evote.webapp.auth import require_participant
from evote.webapp.permissions import Action, requires

bp = Blueprint("motions", __name__)


def refuse(exc: MotionError) -> NoReturn:
    get_session().rollback()
    body = {"error": exc.code, "message": exc.message, **exc.details}
    abort(make_response(jsonify(body), exc.status))


def _commit() -> None:
    """Commit; two committee members numbering at once collide on (series, number)."""
    db = get_session()
    try:
        db.commit()
    except IntegrityError:
        db.rollback()
        fail(409, "conflict", "Someone else changed this at the same moment; please try again.")


def _time_field(data: dict[str, Any], name: str) -> datetime | None:
    value = data.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        fail(400, "bad_field", f"Field {name!r} must be an ISO 8601 time with its offset.")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        fail(400, "bad_field", f"Field {name!r} must be an ISO 8601 time with its offset.")
    if moment.tzinfo is None:
        fail(400, "bad_field", f"Field {name!r} needs its UTC offset (…+01:00 or …Z).")
    return moment


def _int_field(data: dict[str, Any], name: str, default: int | None = None) -> int:
    if name not in data and default is not None:
        return default
    value = field(data, name, int)
    return int(value)


def load_motion(motion_id: int) -> Motion:
    me = require_participant()
    db = get_session()
    motion = db.get(Motion, motion_id)
    if motion is None or motion.event_id != me.event_id or not service.may_read(db, me, motion):
        fail(404, "no_such_motion", f"There is no motion {motion_id}.")
    settle(motion)
    return motion


def settle(motion: Motion) -> None:
    """Carry announced results of its votes back before anyone reads or changes it."""
    if voting.settle(get_session(), motion, current_clock().now()):
        _commit()


def _answer(motion: Motion, status: int = 200) -> ResponseReturnValue:
    return jsonify(motion_json(get_session(), motion, require_participant())), status


# -- kinds and settings -------------------------------------------------------------------------


@bp.get("/api/motion-kinds")
@requires(Action.VIEW_MOTIONS)
def list_kinds() -> ResponseReturnValue:
    db = get_session()
    event_id = require_participant().event_id
    return jsonify({"kinds": [kind_json(k) for k in service.kinds(db, event_id)],
                    "public_listing": service.listing_is_public(db, event_id)})


def _rule(data: dict[str, Any], default: MajorityRule) -> MajorityRule:
    try:
        return MajorityRule(data.get("majority_rule", default.value))
    except ValueError:
        fail(400, "bad_field", "majority_rule is simple, absolute or two_thirds.")


@bp.post("/api/motion-kinds")
@requires(Action.SCREEN_MOTIONS)
def add_kind() -> ResponseReturnValue:
    """One kind, or ``{"defaults": true}`` for S, P and A."""
    data = json_body()
    db = get_session()
    event_id = require_participant().event_id
    try:
        if data.get("defaults") is True:
            service.add_default_kinds(db, event_id)
        else:
            service.add_kind(
                db, event_id, code=field(data, "code", str), name=field(data, "name", str),
                deadline=_time_field(data, "deadline"),
                amendment_deadline=_time_field(data, "amendment_deadline"),
                supporters_required=_int_field(data, "supporters_required", 0),
                majority_rule=_rule(data, MajorityRule.SIMPLE),
            )
    except MotionError as exc:
        refuse(exc)
    _commit()
    return jsonify({"kinds": [kind_json(k) for k in service.kinds(db, event_id)]}), 201


@bp.patch("/api/motion-kinds/<int:kind_id>")
@requires(Action.SCREEN_MOTIONS)
def edit_kind(kind_id: int) -> ResponseReturnValue:
    data = json_body()
    db = get_session()
    kind = db.get(MotionKind, kind_id)
    if kind is None or kind.event_id != require_participant().event_id:
        fail(404, "no_such_kind", f"There is no motion kind {kind_id}.")
    if "name" in data:
        name = field(data, "name", str).strip()
        if not (1 <= len(name) <= 100):
            fail(400, "bad_kind", "A kind's name is 1 to 100 characters.")
        kind.name = name
    if "deadline" in data:
        kind.deadline = _time_field(data, "deadline")
    if "amendment_deadline" in data:
        kind.amendment_deadline = _time_field(data, "amendment_deadline")
    if "supporters_required" in data:
        required = _int_field(data, "supporters_required")
        if not 0 <= required <= 10_000:
            fail(400, "bad_kind", "Supporters required must be 0 to 10,000.")
        kind.supporters_required = required
    if "majority_rule" in data:
        kind.majority_rule = _rule(data, MajorityRule.SIMPLE).value
    _commit()
    return jsonify(kind_json(kind))


@bp.put("/api/motion-settings")
@requires(Action.SCREEN_MOTIONS)
def put_settings() -> ResponseReturnValue:
    value = field(json_body(), "public_listing", bool)
    db = get_session()
    service.settings(db, require_participant().event_id).public_listing = value
    _commit()
    return jsonify({"public_listing": value})


# -- motions ------------------------------------------------------------------------------------


@bp.get("/api/motions")
@requires(Action.VIEW_MOTIONS)
def list_motions() -> ResponseReturnValue:
    db = get_session()
    me = require_participant()
    found = service.visible_motions(db, me, me.event_id)
    for motion in found:
        settle(motion)
    return jsonify({"motions": [motion_json(db, m, me, full=False) for m in found]})


def _submitter(data: dict[str, Any]) -> tuple[SubmitterKind, str]:
    try:
        kind = SubmitterKind(data.get("submitter", SubmitterKind.DELEGATE.value))
    except ValueError:
        fail(400, "bad_field", "submitter is delegate, group or body.")
    body = data.get("body_name", "")
    if not isinstance(body, str):
        fail(400, "bad_field", "Field 'body_name' must be of type str.")
    return kind, body


@bp.post("/api/motions")
@requires(Action.SUBMIT_MOTIONS)
def create() -> ResponseReturnValue:
    data = json_body()
    me = require_participant()
    db = get_session()
    kind = db.get(MotionKind, field(data, "kind_id", int))
    if kind is None or kind.event_id != me.event_id:
        fail(404, "no_such_kind", "There is no such motion kind.")
    submitter, body_name = _submitter(data)
    try:
        motion = service.create_motion(
            db, me, kind, title=field(data, "title", str), text=field(data, "text", str),
            reason=field(data, "reason", str, required=False) or "", submitter=submitter,
            body_name=body_name, now=current_clock().now(),
        )
    except MotionError as exc:
        refuse(exc)
    _commit()
    return _answer(motion, 201)


@bp.get("/api/motions/<int:motion_id>")
@requires(Action.VIEW_MOTIONS)
def show(motion_id: int) -> ResponseReturnValue:
    return _answer(load_motion(motion_id))


@bp.get("/api/motions/<int:motion_id>/versions/<int:version>")
@requires(Action.VIEW_MOTIONS)
def version(motion_id: int, version: int) -> ResponseReturnValue:
    motion = load_motion(motion_id)
    found = service.text_version(get_session(), motion, version)
    if found is None:
        fail(404, "no_such_version", f"The motion has no text version {version}.")
    return jsonify({"version": found.version, "text": found.text, "sha256": found.sha256,
                    "note": found.note, "created_at": found.created_at.isoformat()})


@bp.patch("/api/motions/<int:motion_id>")
@requires(Action.SUBMIT_MOTIONS)
def edit(motion_id: int) -> ResponseReturnValue:
    data = json_body()
    motion = load_motion(motion_id)
    try:
        service.edit_draft(
            get_session(), require_participant(), motion,
            title=field(data, "title", str, required=False),
            text=field(data, "text", str, required=False),
            reason=field(data, "reason", str, required=False),
        )
    except MotionError as exc:
        refuse(exc)
    _commit()
    return _answer(motion)


def _optional_body() -> dict[str, Any]:
    return json_body() if request.content_length else {}


@bp.post("/api/motions/<int:motion_id>/submit")
@requires(Action.SUBMIT_MOTIONS)
def submit(motion_id: int) -> ResponseReturnValue:
    data = _optional_body()
    urgent = data.get("urgent", False)
    if not isinstance(urgent, bool):
        fail(400, "bad_field", "Field 'urgent' must be of type bool.")
    motion = load_motion(motion_id)
    try:
        service.submit(get_session(), require_participant(), motion, urgent=urgent,
                       now=current_clock().now())
    except MotionError as exc:
        refuse(exc)
    _commit()
    return _answer(motion)


@bp.post("/api/motions/<int:motion_id>/support")
@requires(Action.SUBMIT_MOTIONS)
def support(motion_id: int) -> ResponseReturnValue:
    motion = load_motion(motion_id)
    try:
        service.support(get_session(), require_participant(), motion, now=current_clock().now())
    except MotionError as exc:
        refuse(exc)
    _commit()
    return _answer(motion)


@bp.delete("/api/motions/<int:motion_id>/support")
@requires(Action.SUBMIT_MOTIONS)
def unsupport(motion_id: int) -> ResponseReturnValue:
    motion = load_motion(motion_id)
    try:
        service.withdraw_support(get_session(), require_participant(), motion)
    except MotionError as exc:
        refuse(exc)
    _commit()
    return _answer(motion)


@bp.post("/api/motions/<int:motion_id>/withdraw")
@requires(Action.SUBMIT_MOTIONS)
def withdraw(motion_id: int) -> ResponseReturnValue:
    data = _optional_body()
    motion = load_motion(motion_id)
    try:
        service.withdraw(get_session(), require_participant(), motion,
                         reason=str(data.get("reason", "")), now=current_clock().now())
    except MotionError as exc:
        refuse(exc)
    _commit()
    return _answer(motion)


@bp.post("/api/motions/<int:motion_id>/amendments")
@requires(Action.SUBMIT_MOTIONS)
def amend(motion_id: int) -> ResponseReturnValue:
    data = json_body()
    motion = load_motion(motion_id)
    submitter, body_name = _submitter(data)
    base_version = _int_field(data, "base_version", motion.text_version)
    if "edited_text" in data:
        line_from, line_to, text = _edited_lines(motion, base_version, field(data, "edited_text", str))
    else:
        line_from, line_to = _int_field(data, "line_from"), _int_field(data, "line_to")
        text = field(data, "text", str)
    try:
        amendment = service.create_amendment(
            get_session(), require_participant(), motion,
            line_from=line_from, line_to=line_to, base_version=base_version, text=text,
            reason=field(data, "reason", str, required=False) or "",
            title=field(data, "title", str, required=False) or "",
            submitter=submitter, body_name=body_name, now=current_clock().now(),
        )
    except MotionError as exc:
        refuse(exc)
    _commit()
    return _answer(amendment, 201)


def _edited_lines(motion: Motion, base_version: int, edited: str) -> tuple[int, int, str]:
    """An amendment written as the whole text edited: the lines it changes, and their new text."""
    base = service.text_version(get_session(), motion, base_version)
    if base is None:
        fail(404, "no_such_version", f"The motion has no text version {base_version}.")
    if len(edited) > MAX_CHARS:
        fail(400, "bad_text", f"The text is longer than {MAX_CHARS} characters.")
    try:
        found = diff.edit_range(base.text, edited)
    except diff.NoChange:
        fail(400, "no_change", "The amendment leaves the text as it is.")
    return found.line_from, found.line_to, found.text


# -- the committee and the presidium -------------------------------------------------------------


@bp.post("/api/motions/<int:motion_id>/screen")
@requires(Action.SCREEN_MOTIONS)
def screen(motion_id: int) -> ResponseReturnValue:
    data = json_body()
    decision = field(data, "decision", str)
    if decision not in ("admit", "refuse"):
        fail(400, "bad_field", "decision is admit or refuse.")
    motion = load_motion(motion_id)
    try:
        service.screen(get_session(), require_participant(), motion, admit=decision == "admit",
                       reason=field(data, "reason", str, required=False) or "",
                       now=current_clock().now())
        if decision == "admit" and data.get("number") is True:
            service.assign_number(get_session(), require_participant(), motion,
                                  now=current_clock().now())
    except MotionError as exc:
        refuse(exc)
    _commit()
    return _answer(motion)


@bp.post("/api/motions/<int:motion_id>/number")
@requires(Action.SCREEN_MOTIONS)
def number(motion_id: int) -> ResponseReturnValue:
    motion = load_motion(motion_id)
    try:
        service.assign_number(get_session(), require_participant(), motion,
                              now=current_clock().now())
    except MotionError as exc:
        refuse(exc)
    _commit()
    return _answer(motion)


@bp.post("/api/motions/<int:motion_id>/recommendation")
@requires(Action.SCREEN_MOTIONS)
def recommendation(motion_id: int) -> ResponseReturnValue:
    data = json_body()
    try:
        value = Recommendation(field(data, "recommendation", str))
    except ValueError:
        fail(400, "bad_field", "recommendation is adopt, reject, adopt_modified or refer.")
    motion = load_motion(motion_id)
    try:
        service.recommend(
            get_session(), require_participant(), motion, recommendation=value,
            reason=field(data, "reason", str, required=False) or "",
            text=field(data, "text", str, required=False), now=current_clock().now(),
        )
    except MotionError as exc:
        refuse(exc)
    _commit()
    return _answer(motion)


@bp.post("/api/motions/<int:motion_id>/take-over")
@requires(Action.SCREEN_MOTIONS)
def take_over(motion_id: int) -> ResponseReturnValue:
    data = _optional_body()
    motion = load_motion(motion_id)
    try:
        service.take_over(get_session(), require_participant(), motion,
                          text=field(data, "text", str, required=False),
                          now=current_clock().now())
    except MotionError as exc:
        refuse(exc)
    _commit()
    return _answer(motion)


@bp.post("/api/motions/<int:motion_id>/merge")
@requires(Action.SCREEN_MOTIONS)
def merge(motion_id: int) -> ResponseReturnValue:
    """Several amendments into one: ``{"amendments": [ids], "edited_text": …}`` (the motion's
    whole text as the committee edited it), optional ``title``, ``reason``, ``body_name``."""
    data = json_body()
    ids = data.get("amendments")
    if not isinstance(ids, list) or not all(isinstance(i, int) and not isinstance(i, bool) for i in ids):
        fail(400, "bad_field", "Field 'amendments' must be a list of amendment ids.")
    if len(ids) > 100:
        fail(400, "bad_field", "At most 100 amendments are merged at once.")
    edited = field(data, "edited_text", str)
    if len(edited) > MAX_CHARS:
        fail(400, "bad_text", f"The text is longer than {MAX_CHARS} characters.")
    motion = load_motion(motion_id)
    db = get_session()
    originals = [db.get(Motion, i) for i in dict.fromkeys(ids)]
    if any(a is None or a.event_id != motion.event_id for a in originals):
        fail(404, "no_such_motion", "There is no such amendment.")
    try:
        merged = merging.merge(
            db, require_participant(), motion, [a for a in originals if a is not None],
            edited_text=edited, title=field(data, "title", str, required=False) or "",
            reason=field(data, "reason", str, required=False) or "",
            body_name=field(data, "body_name", str, required=False) or "Antragskommission",
            now=current_clock().now(),
        )
    except MotionError as exc:
        refuse(exc)
    _commit()
    return _answer(merged, 201)


@bp.post("/api/motions/<int:motion_id>/agenda")
@requires(Action.SCHEDULE_MOTIONS)
def agenda(motion_id: int) -> ResponseReturnValue:
    data = _optional_body()
    item = data.get("agenda_item_id")
    if item is not None and (not isinstance(item, int) or isinstance(item, bool)):
        fail(400, "bad_field", "Field 'agenda_item_id' must be of type int.")
    motion = load_motion(motion_id)
    try:
        service.put_on_agenda(get_session(), require_participant(), motion,
                              agenda_item_id=item, now=current_clock().now())
    except MotionError as exc:
        refuse(exc)
    _commit()
    return _answer(motion)


@bp.post("/api/motions/<int:motion_id>/refer")
@requires(Action.SCHEDULE_MOTIONS)
def refer(motion_id: int) -> ResponseReturnValue:
    data = json_body()
    motion = load_motion(motion_id)
    try:
        service.refer(get_session(), require_participant(), motion,
                      reason=field(data, "reason", str, required=False) or "",
                      now=current_clock().now())
    except MotionError as exc:
        refuse(exc)
    _commit()
    return _answer(motion)


@bp.post("/api/motions/<int:motion_id>/vote")
@requires(Action.MANAGE_VOTES)
def vote(motion_id: int) -> ResponseReturnValue:
    """One click: a vote on the motion (final vote) or amendment, opened at once unless
    ``{"open": false}``. Optional ``duration_seconds`` (60), ``majority_rule`` (the kind's),
    ``majority_base`` (or ``abstentions_counted``), ``with_abstain``."""
    data = _optional_body()
    flags = {}
    for name, default in (("open", True), ("abstentions_counted", False),
                          ("with_abstain", True)):
        value = data.get(name, default)
        if not isinstance(value, bool):
            fail(400, "bad_field", f"Field {name!r} must be of type bool.")
        flags[name] = value
    duration = _int_field(data, "duration_seconds", 60)
    rule = _rule(data, MajorityRule.SIMPLE) if "majority_rule" in data else None
    base = default_base(rule or MajorityRule.SIMPLE, flags["abstentions_counted"])
    if "majority_base" in data:
        try:
            base = MajorityBase(data["majority_base"])
        except ValueError:
            fail(400, "bad_field", "majority_base is valid, cast, present or members.")
    motion = load_motion(motion_id)
    me = require_participant()
    db = get_session()
    now = current_clock().now()
    try:
        created = voting.open_vote_from(
            db, me, motion, me.event, duration_seconds=duration, now=now, rule=rule, base=base,
            with_abstain=flags["with_abstain"],
        )
        if flags["open"]:
            open_vote(db, created, now=now, random_bytes=random_source())
    except MotionError as exc:
        refuse(exc)
    except VoteError as exc:
        db.rollback()
        fail(exc.status, exc.code, exc.message)
    _commit()
    body = vote_json(created)
    events.votes_changed(created.event_id, created.id, "created")
    if flags["open"]:
        events.vote_opened(created, body)
    return jsonify({"vote": body, "motion": motion_json(db, motion, me)}), 201


# -- public listing -------------------------------------------------------------------------------


def public_event(slug: str) -> Event:
    """The event by slug if its motions are public; 404 otherwise (no hint whether it exists)."""
    db = get_session()
    event = db.scalars(select(Event).where(Event.slug == slug)).first()
    if event is None or not service.listing_is_public(db, event.id):
        fail(404, "no_public_motions", "This event publishes no motions.")
    return event


@bp.get("/api/public/<slug>/motions")
@requires(Action.VIEW_PUBLIC_MOTIONS)
def public_list(slug: str) -> ResponseReturnValue:
    event = public_event(slug)
    db = get_session()
    return jsonify({"event": event.name, "motions": [
        motion_json(db, m, None, public=True) for m in service.visible_motions(db, None, event.id)
    ]})
