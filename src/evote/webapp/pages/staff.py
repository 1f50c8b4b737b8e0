"""The organisers' pages: the presence list, support and admin.

Each is a server-rendered frame with one small module, like the delegate page and the console:
the data comes from the same JSON endpoints staff tools use (``api/support.py``, ``api/admin.py``,
``api/presence.py``), so a rule is decided once, on the server, whatever the client.
The presence list is rendered in full (a table that works without JavaScript and prints); its
script only shows the times in the browser's time zone.
"""

from __future__ import annotations

from flask import Blueprint
from flask.typing import ResponseReturnValue

from evote.store.db import get_session
from evote.webapp.api.presence import presence_rows
from evote.webapp.auth import require_participant
from evote.webapp.pages.views import render_page
from evote.webapp.permissions import Action, decide, requires

bp = Blueprint("staff_pages", __name__)


@bp.get("/presidium/presence")
@requires(Action.VIEW_PRESENCE)
def presence() -> ResponseReturnValue:
    rows = presence_rows(get_session(), require_participant().event_id)
    return render_page(
        "presence.html", "localtime.js", rows=rows, present=sum(r["checked_in"] for r in rows),
    )


@bp.get("/support")
@requires(Action.SUPPORT_VIEW_PARTICIPANTS)
def support() -> ResponseReturnValue:
    me = require_participant()
    return render_page("support.html", "support.js", page_data={"me": me.id})


@bp.get("/admin")
@requires(Action.ADMIN_MANAGE_PARTICIPANTS)
def admin() -> ResponseReturnValue:
    me = require_participant()
    return render_page("admin.html", "admin.js", page_data={"me": me.id})


@bp.get("/presidium/ceremony")
@requires(Action.VIEW_GUARDIANS)
def ceremony() -> ResponseReturnValue:
    """The key ceremony as the hall follows it: who joined, who it waits for, the fingerprint to
    read aloud, what comes next. Starting and aborting are offered to those who may
    (`manage_event`); the server decides either way."""
    me = require_participant()
    may_manage = decide(Action.MANAGE_EVENT, me.role_set, True, True) is None
    return render_page("ceremony.html", "ceremony.js", page_data={"canManage": may_manage})
