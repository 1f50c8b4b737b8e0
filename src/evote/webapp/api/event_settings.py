"""The event's settings for the console and the admin page: its name, the public address the
access letters name, and the quorum rule ("beschlussfähig, wenn mehr als die Hälfte der
stimmberechtigten Mitglieder anwesend ist").

The quorum rule is read when a vote's result is decided, so it is not changed while a vote is
open or counted but not yet decided: a vote is judged by the rule it was opened under. Every
field of a request is checked before any is changed; a refusal changes nothing.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue
from sqlalchemy import func, select

from evote import audit
from evote.store.db import get_session
from evote.store.models.event import Event
from evote.store.models.votes import Vote, VoteState
from evote.webapp.api.common import fail, json_body
from evote.webapp.auth import require_participant
from evote.webapp.permissions import Action, requires

bp = Blueprint("event_settings", __name__)

MAX_NAME, MAX_URL, MAX_DENOMINATOR = 200, 500, 1000
UNDECIDED = (VoteState.OPEN.value, VoteState.CLOSED.value)
"""States in which a vote's result is still to be decided against the quorum rule."""


def settings_json(event: Event) -> dict[str, Any]:
    return {
        "slug": event.slug,
        "name": event.name,
        "status": event.status,
        "public_url": event.public_url,
        "quorum": {
            "numerator": event.quorum_numerator,
            "denominator": event.quorum_denominator,
            "strict": event.quorum_strict,
        },
        "opened_at": event.opened_at.isoformat() if event.opened_at else None,
        "closed_at": event.closed_at.isoformat() if event.closed_at else None,
    }


def _name(value: Any) -> str:
    if not isinstance(value, str) or not value.strip() or len(value.strip()) > MAX_NAME:
        fail(400, "bad_event_name", f"The event's name must have 1 to {MAX_NAME} characters.")
    return " ".join(value.split())


def _public_url(value: Any) -> str:
    """Empty, or an absolute http(s) address without user, query or fragment (it is printed on
    every access letter, so nothing may hide in it)."""
    if not isinstance(value, str) or len(value) > MAX_URL:
        fail(400, "bad_public_url", f"The public address must be text of at most {MAX_URL} characters.")
    url = value.strip()
    if not url:
        return ""
    parts = urlsplit(url)
    if (parts.scheme not in ("https", "http") or not parts.hostname or parts.username
            or parts.password or parts.query or parts.fragment or any(c.isspace() for c in url)):
        fail(400, "bad_public_url",
             "The public address must look like https://vote.example.org (no user, query or #).")
    return url.rstrip("/")


def _quorum(value: Any) -> tuple[int, int, bool]:
    if not isinstance(value, dict):
        fail(400, "bad_quorum", "quorum is {numerator, denominator, strict}.")
    num, den, strict = value.get("numerator"), value.get("denominator"), value.get("strict", True)
    if (not all(isinstance(n, int) and not isinstance(n, bool) for n in (num, den))
            or not isinstance(strict, bool)):
        fail(400, "bad_quorum", "numerator and denominator are whole numbers, strict true or false.")
    assert isinstance(num, int) and isinstance(den, int)
    if not 1 <= den <= MAX_DENOMINATOR or not 0 <= num <= den:
        fail(400, "bad_quorum",
             f"The quorum is a fraction between 0/1 and 1/1 (denominator at most {MAX_DENOMINATOR}).")
    return num, den, strict


@bp.get("/api/event/settings")
@requires(Action.MANAGE_EVENT)
def show() -> ResponseReturnValue:
    return jsonify(settings_json(require_participant().event))


@bp.patch("/api/event/settings")
@requires(Action.MANAGE_EVENT)
def change() -> ResponseReturnValue:
    """Change any of name, public_url, quorum; absent fields stay as they are."""
    data = json_body()
    unknown = sorted(set(data) - {"name", "public_url", "quorum"})
    if unknown:
        fail(400, "bad_field", f"Unknown field(s): {', '.join(unknown)}.")
    event = require_participant().event
    db = get_session()
    name = _name(data["name"]) if "name" in data else event.name
    url = _public_url(data["public_url"]) if "public_url" in data else event.public_url
    quorum = (
        _quorum(data["quorum"]) if "quorum" in data
        else (event.quorum_numerator, event.quorum_denominator, event.quorum_strict)
    )
    old_quorum = (event.quorum_numerator, event.quorum_denominator, event.quorum_strict)
    if quorum != old_quorum:
        undecided = db.scalar(select(func.count()).select_from(Vote).where(
            Vote.event_id == event.id, Vote.state.in_(UNDECIDED)))
        if undecided:
            fail(409, "vote_undecided",
                 "A vote is open or not yet decided; change the quorum rule after its result.")
    changed = {
        key: new for key, new, old in (
            ("name", name, event.name), ("public_url", url, event.public_url),
            ("quorum", list(quorum), list(old_quorum)),
        ) if new != old
    }
    event.name, event.public_url = name, url
    event.quorum_numerator, event.quorum_denominator, event.quorum_strict = quorum
    if changed:
        audit.append(db, event.id, "event.settings", "event", event.id, changed)
    db.commit()
    return jsonify(settings_json(event))
