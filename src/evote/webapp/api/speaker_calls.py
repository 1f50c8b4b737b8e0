"""The technician check over HTTP (docs/speakers.md, "Technician check"): the speaker's
"bereit", the technicians' shared queue, their verdicts, and the WebRTC signalling mailbox.

Signalling is stored (``speaker_signals``) and only a small ``signal`` live event (who, which
entry, the message number: never the message) goes through the live stream, and only to the
recipient's streams (``to``). So an SDP offer never meets PostgreSQL's 8 kB NOTIFY cap, and a
page that missed the event finds the message in its mailbox (``GET /api/speakers/signals``).

The configuration (STUN/TURN servers, external rooms) is ``call_config``'s.

A technician's steps (take, release, each state of the check) go into the audit log like every
staff step (``speaker.take``, ``speaker.release``, ``speaker.check``): the entry, its list,
the speaker's participant id and the state, and only *whether* a note was written, never the
note (what a technician tells one speaker about their room or camera is not the hall's
business) and nothing of the call (no signalling, no media ever passes evote).
"""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from flask.typing import ResponseReturnValue

from evote import audit
from evote.speakers import calls
from evote.speakers.service import SpeakerError
from evote.store.clock import current_clock
from evote.store.db import get_session
from evote.store.models.speakers import SpeakerEntry, SpeakerList
from evote.voting import events
from evote.webapp.api.call_config import room_of
from evote.webapp.api.common import field, json_body
from evote.webapp.api.speakers import _announce, refuse
from evote.webapp.auth import require_participant
from evote.webapp.permissions import Action, requires

bp = Blueprint("speaker_calls", __name__)


def _entry(entry_id: int) -> tuple[SpeakerEntry, SpeakerList]:
    try:
        return calls.get_entry(get_session(), require_participant().event_id, entry_id)
    except SpeakerError as exc:
        refuse(exc)


def _log(lst: SpeakerList, entry: SpeakerEntry, action: str, **details: object) -> None:
    """One audit entry for a technician's step, the last statement before `_done` commits."""
    audit.append(get_session(), lst.event_id, action, "speaker_entry", entry.id,
                 {"list": lst.id, "speaker": entry.participant_id, **details})


def _done(lst: SpeakerList, entry: SpeakerEntry) -> ResponseReturnValue:
    get_session().commit()
    _announce(lst)
    return jsonify({"entry_id": entry.id, "tech": entry.tech, "tech_note": entry.tech_note,
                    "technician_id": entry.technician_id,
                    "room_url": room_of(entry.id, lst.event_id)})


@bp.post("/api/speakers/entries/<int:entry_id>/ready")
@requires(Action.ASK_TO_SPEAK)
def ready(entry_id: int) -> ResponseReturnValue:
    """The speaker passed the self-test and waits for a technician ("bereit")."""
    entry, lst = _entry(entry_id)
    try:
        calls.ready(entry, require_participant())
    except SpeakerError as exc:
        refuse(exc)
    return _done(lst, entry)


@bp.post("/api/speakers/entries/<int:entry_id>/take")
@requires(Action.TECH_CHECK)
def take(entry_id: int) -> ResponseReturnValue:
    """Take a ready speaker from the shared queue (409 already_taken for the second one)."""
    entry, lst = _entry(entry_id)
    me = require_participant()
    again = entry.technician_id == me.id  # taking one's own speaker again changes nothing
    try:
        calls.take(get_session(), entry, me)
    except SpeakerError as exc:
        refuse(exc)
    if not again:
        _log(lst, entry, "speaker.take")
    return _done(lst, entry)


@bp.post("/api/speakers/entries/<int:entry_id>/release")
@requires(Action.TECH_CHECK)
def release(entry_id: int) -> ResponseReturnValue:
    entry, lst = _entry(entry_id)
    try:
        calls.release(entry, require_participant())
    except SpeakerError as exc:
        refuse(exc)
    _log(lst, entry, "speaker.release")
    return _done(lst, entry)


@bp.post("/api/speakers/entries/<int:entry_id>/check")
@requires(Action.TECH_CHECK)
def check(entry_id: int) -> ResponseReturnValue:
    """``state``: connected, ok, problem, live, lost; ``note``: what the speaker reads."""
    data = json_body()
    state = field(data, "state", str)
    note = field(data, "note", str, required=False) or ""
    entry, lst = _entry(entry_id)
    try:
        calls.check(entry, require_participant(), state, note)
    except SpeakerError as exc:
        refuse(exc)
    _log(lst, entry, "speaker.check", state=state, note=bool(note.strip()))
    return _done(lst, entry)


@bp.post("/api/speakers/signals")
@requires(Action.SIGNAL_CALL)
def send_signal() -> ResponseReturnValue:
    """One signalling message (``entry_id``, ``to``, ``kind``, ``payload``) of one's own call."""
    data = json_body()
    entry_id = field(data, "entry_id", int)
    to = field(data, "to", int)
    kind = field(data, "kind", str)
    payload = field(data, "payload", str, required=False) or ""
    me = require_participant()
    entry, _lst = _entry(entry_id)
    try:
        message = calls.send(get_session(), entry, me, to, kind, payload, current_clock().now())
    except SpeakerError as exc:
        refuse(exc)
    get_session().commit()
    events.publish(me.event_id, "signal", to=to, sender=me.id, entry_id=entry.id,
                   signal_id=message.id)
    return jsonify({"signal_id": message.id}), 201


@bp.get("/api/speakers/signals")
@requires(Action.SIGNAL_CALL)
def inbox() -> ResponseReturnValue:
    """Messages for me numbered above ``after``."""
    text = request.args.get("after", "0")
    if not text.isdigit() or len(text) > 18:
        refuse(SpeakerError("bad_after", "after is a message number.",
                            "after ist eine Nachrichtennummer.", 400))
    found = calls.inbox(get_session(), require_participant(), int(text))
    body = [{"signal_id": m.id, "entry_id": m.entry_id, "sender": m.sender_id, "kind": m.kind,
             "payload": m.payload} for m in found]
    get_session().commit()
    return jsonify({"signals": body, "server_time": events.server_time()})
