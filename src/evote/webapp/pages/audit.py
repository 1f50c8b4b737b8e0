"""The audit log page for support and admin: a filter form and a table, rendered on the server
(works without JavaScript, prints), from the same reader as ``GET /api/audit``."""

from __future__ import annotations

from flask import Blueprint, request
from flask.typing import ResponseReturnValue

from evote.store.db import get_session
from evote.webapp.api.audit import BadFilter, read_filtered
from evote.webapp.auth import require_participant
from evote.webapp.pages.views import render_page
from evote.webapp.permissions import Action, requires

bp = Blueprint("audit_page", __name__)


@bp.get("/audit")
@requires(Action.VIEW_AUDIT_LOG)
def audit_page() -> ResponseReturnValue:
    error = None
    try:
        body = read_filtered(get_session(), require_participant().event_id, request.args)
    except BadFilter as exc:
        error, body = exc.field, {"entries": [], "head": None}
    return render_page(
        "audit.html", "localtime.js", entries=body["entries"], head=body["head"], error=error,
        args=request.args,
    ), (400 if error else 200)
