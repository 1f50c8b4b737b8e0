"""The audit log for support and admin: filtered reading, and the whole log as a file.

Only staff read it (action `view_audit_log`): a delegate never sees what others did. The entries
hold no names, only participant ids (the same log is published with each vote's record); the
names are added here, for the staff who know them anyway.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from sqlalchemy.orm import Session

from evote import audit
from evote.record.audit import LOG_TYPE, LOG_VERSION
from evote.record.jsonio import canonical_json
from evote.store.db import get_session
from evote.store.models.people import Participant
from evote.webapp.api.common import fail
from evote.webapp.auth import require_participant
from evote.webapp.permissions import Action, requires

bp = Blueprint("audit", __name__)

MAX_LIMIT = 500


class BadFilter(ValueError):
    """A filter the log cannot apply; `field` names it (the page shows it in its language)."""

    def __init__(self, field: str) -> None:
        super().__init__(f"Filter {field!r} is not valid.")
        self.field = field


def _int(args: Any, name: str, low: int, high: int) -> int | None:
    text = (args.get(name) or "").strip()
    if not text:
        return None
    if not text.isdigit() or not low <= int(text) <= high:
        raise BadFilter(name)
    return int(text)


def read_filtered(db: Session, event_id: int, args: Any) -> dict[str, Any]:
    """Entries matching the query's filters, newest first, with the actors' names.

    Filters: `action` (exact, or a prefix ending in '.', e.g. `vote.`), `actor` (participant
    id, or `system`), `object_type`, `object_id`, `limit` (1-500, default 100).
    """
    action = (args.get("action") or "").strip()[:64]
    actor_text = (args.get("actor") or "").strip()
    actor = None if actor_text in ("", "system") else _int(args, "actor", 1, 2**62)
    limit = _int(args, "limit", 1, MAX_LIMIT) or 100
    object_type = (args.get("object_type") or "").strip()[:32] or None
    object_id = (args.get("object_id") or "").strip()[:100] or None
    found = audit.entries(
        db, event_id, actor_id=actor, object_type=object_type, object_id=object_id,
        newest_first=True,
    )
    if actor_text == "system":
        found = [e for e in found if e["actor"] == "system"]
    if action:
        found = [
            e for e in found
            if e["action"] == action or (action.endswith(".") and e["action"].startswith(action))
        ]
    found = found[:limit]
    ids = {int(e["actor"].split(":")[1]) for e in found if e["actor"] != "system"}
    rows = db.execute(select(Participant.id, Participant.name).where(Participant.id.in_(ids)))
    names = {row.id: row.name for row in rows} if ids else {}
    for entry in found:
        who = entry["actor"]
        entry["actor_name"] = "" if who == "system" else names.get(int(who.split(":")[1]), "")
    head = audit.head(db, event_id)
    return {"entries": found, "head": head.to_json()}


@bp.get("/api/audit")
@requires(Action.VIEW_AUDIT_LOG)
def list_entries() -> ResponseReturnValue:
    try:
        body = read_filtered(get_session(), require_participant().event_id, request.args)
    except BadFilter as exc:
        fail(400, "bad_filter", str(exc))
    return jsonify(body)


@bp.get("/api/audit/log.json")
@requires(Action.VIEW_AUDIT_LOG)
def export() -> ResponseReturnValue:
    """The whole log as `evote audit verify` reads it (type evote/audit-log)."""
    event = require_participant().event
    entries = audit.entries(get_session(), event.id)
    document = {"type": LOG_TYPE, "version": LOG_VERSION, "event": event.slug, "entries": entries}
    return Response(
        canonical_json(document), mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="audit-{event.slug}.json"'},
    )
