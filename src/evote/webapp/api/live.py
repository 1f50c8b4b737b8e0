"""Server-Sent Events for the delegate page, and the presidium's "now on stage" agenda item.

A stream starts with a snapshot (agenda item, the open vote with its countdown end, turnout,
server time), then relays live events. Events are numbered (SSE `id:`, from the journal every
server shares, `evote.live.journal`): a page whose stream broke — its worker killed, its server
stopped — reconnects to any live server with `Last-Event-ID` and first gets, in order, the
events it missed, then the snapshot.  A comment line every `LIVE_HEARTBEAT` seconds keeps
proxies from closing an idle stream.  The stream holds no database session while it waits:
only the snapshot reads the database, so a thousand open pages do not hold a thousand
connections.  Under gunicorn, streams need a threaded or async worker class (docs/api.md).

Each stream holds one server thread, so a process serves at most `LIVE_MAX_STREAMS` of them
and answers the next with 503 and `Retry-After`: the threads above the cap stay free for
logins and ballots (docs/deployment.md, "Live stream").  A stream that falls behind is ended
(`Dropped`) and a socket that takes no data for `LIVE_SEND_TIMEOUT` seconds is closed, so a dead
or stalled page gives its thread back.

One account holds at most `LIVE_STREAMS_PER_PARTICIPANT` streams across all workers (the newest;
`evote.live.bus`), so one guest cannot take every place. A stream ends with an `ended` event when
it was replaced by the account's newer ones or its session ended (logout, deactivation, new
password — broadcast to every worker, and re-checked every `LIVE_SESSION_CHECK` seconds in case
a broadcast was lost). A page that is refused or replaced learns the current vote from
`GET /api/live/snapshot`, a cheap read it polls, so a vote reaches every delegate even when
every stream place is taken.
"""

from __future__ import annotations

import contextlib
import json
import random
import time
from collections.abc import Iterator
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request, stream_with_context
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from evote.live import journal
from evote.live.bus import REPLACED, SESSION_ENDED, Dropped, StreamsFull
from evote.store.db import get_session
from evote.store.models.live import CurrentAgendaItem
from evote.store.models.votes import Vote, VoteState
from evote.voting import events
from evote.webapp.api.common import fail, field, json_body
from evote.webapp.api.votes import refresh_if_due, vote_json
from evote.webapp.auth import recheck_participant, require_participant
from evote.webapp.permissions import Action, requires

bp = Blueprint("live", __name__)

RETRY_MS = 3000
"""The `retry:` hint: how long a browser waits before reconnecting a stream that ended."""

FULL_RETRY_AFTER = (5, 15)
"""Seconds (random in this range) a refused client waits, so a thousand refused pages do not
come back in the same second."""


def snapshot(event_id: int) -> dict[str, Any]:
    """The state a page needs now; its `id` is the number of the newest event it reflects, so
    a page that reconnects after it is sent only what came later."""
    db = get_session()
    as_of = journal.latest(db, event_id)
    agenda = db.get(CurrentAgendaItem, event_id)
    open_votes = list(
        db.scalars(
            select(Vote).where(Vote.event_id == event_id, Vote.state == VoteState.OPEN.value)
        )
    )
    for vote in open_votes:
        refresh_if_due(vote)
    current = [vote_json(v, full=False) for v in open_votes if v.state == VoteState.OPEN.value]
    return {
        "type": "snapshot",
        "id": as_of,
        "event_id": event_id,
        "server_time": events.server_time(),
        "agenda": agenda.title if agenda else None,
        "open_vote": current[0] if current else None,
    }


def _sse(event: dict[str, Any]) -> str:
    """One SSE message; a numbered event (and the snapshot) also sets the browser's last event
    id, which it sends back as `Last-Event-ID` when it reconnects."""
    number = f"id: {event['id']}\n" if isinstance(event.get("id"), int) else ""
    return f"{number}event: {event['type']}\ndata: {json.dumps(event, separators=(',', ':'))}\n\n"


def _last_event_id() -> int | None:
    """What the page got last: the `Last-Event-ID` header (EventSource's own reconnect) or the
    `last_event_id` query parameter (a page that opens a new EventSource after a refusal); None
    for a page that starts afresh. Anything but a number is refused (400)."""
    text = request.headers.get("Last-Event-ID") or request.args.get("last_event_id")
    if text is None or text.strip() == "":
        return None
    text = text.strip()
    if not text.isdigit() or len(text) > 18:
        fail(400, "bad_last_event_id", "Last-Event-ID must be the number of a live event.")
    return int(text)


@bp.get("/api/live/snapshot")
@requires(Action.FOLLOW_LIVE)
def poll() -> ResponseReturnValue:
    """The stream's first event as plain JSON: what a page refused a stream (503) or replaced
    by the account's newer pages polls, so it still learns that a vote opened."""
    return jsonify(snapshot(require_participant().event_id))


def _session_still_valid(participant_id: int) -> bool:
    try:
        who = recheck_participant()
        return who is not None and who.id == participant_id
    finally:
        get_session().close()


@bp.get("/api/live")
@requires(Action.FOLLOW_LIVE)
def stream() -> ResponseReturnValue:
    me = require_participant()
    event_id, participant_id = me.event_id, me.id
    resume_after = _last_event_id()
    try:
        subscription = events.hub().subscribe(event_id, participant_id)
    except StreamsFull:
        get_session().close()
        wait = random.randint(*FULL_RETRY_AFTER)
        resp = jsonify(
            {"error": "live_streams_full", "message": "Too many live pages on this server; "
             f"retry in {wait} s.", "retry_after": wait}
        )
        resp.status_code = 503
        resp.headers["Retry-After"] = str(wait)
        return resp
    try:
        # read after subscribing: what is published from now on is queued, what came before
        # is in the journal or the snapshot
        missed = [] if resume_after is None else journal.since(get_session(), event_id, resume_after)
        first = snapshot(event_id)
    except BaseException:
        subscription.close()
        raise
    finally:
        get_session().close()
    heartbeat = float(current_app.config.get("LIVE_HEARTBEAT", 15.0))
    check_every = float(current_app.config.get("LIVE_SESSION_CHECK", 60.0))
    _limit_send_time(float(current_app.config.get("LIVE_SEND_TIMEOUT", 60.0)))

    def generate() -> Iterator[str]:
        checked = time.monotonic()
        try:
            yield f"retry: {RETRY_MS}\n\n"
            for event in missed:  # what the page missed while away, in order
                yield _sse(event)
            yield _sse(first)
            replayed = {event["id"] for event in missed}
            while True:
                event = subscription.get(timeout=heartbeat)
                if event is not None and event.get("id") in replayed:
                    continue  # published while the replay was read: sent once only
                if time.monotonic() - checked >= check_every:
                    checked = time.monotonic()
                    if not _session_still_valid(participant_id):
                        subscription.drop(SESSION_ENDED)
                        continue
                if event is not None and event.get("to") not in (None, participant_id):
                    continue  # addressed to one participant (a call's signal): not this one
                if event is None:
                    yield f": heartbeat {events.server_time()}\n\n"
                else:
                    yield _sse(event)
        except Dropped as ended:
            if ended.reason in (REPLACED, SESSION_ENDED):
                # the page must not reconnect: EventSource would, after `retry`
                yield _sse({"type": "ended", "reason": ended.reason})
            return
        finally:
            subscription.close()

    response = Response(
        stream_with_context(generate()),
        mimetype="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
    # also when the server closes the response before it started the body (client gone),
    # where the generator's `finally` never runs: the place must not stay taken
    response.call_on_close(subscription.close)
    return response


def _limit_send_time(seconds: float) -> None:
    """A write to a page that stopped reading (laptop lid closed, network gone) fails after
    `seconds` instead of holding its thread until TCP gives up, minutes later.  Only under
    gunicorn, which hands the socket to the app; gunicorn resets the timeout when it reuses
    the connection."""
    sock = request.environ.get("gunicorn.socket")
    if sock is not None and seconds > 0:
        with contextlib.suppress(OSError):
            sock.settimeout(seconds)


@bp.put("/api/agenda/current")
@requires(Action.MANAGE_EVENT)
def set_agenda() -> ResponseReturnValue:
    title = field(json_body(), "title", str).strip()
    event_id = require_participant().event_id
    db = get_session()
    item = db.get(CurrentAgendaItem, event_id)
    if item is None:
        db.add(CurrentAgendaItem(event_id=event_id, title=title))
    else:
        item.title = title
        item.item_id = None  # a title by hand is none of the listed items
    db.commit()
    events.agenda(event_id, title)
    return jsonify({"title": title})
