"""First passwords and their access letters from the admin page.

``evote credentials issue`` writes letters to a file on the server's machine; at a convention
the admins also need them from the browser, for latecomers and newly imported people. This
endpoint gives a password only to active participants who have none yet: replacing a password
is the support's way, with its two-person rule during a vote (``api/support.py``). The PDF is
made in memory, sent once in the answer (``Cache-Control: no-store``) and kept nowhere; the
passwords exist only in it. Each password costs an Argon2id hash (about 0.15 s), so one request
issues at most `BATCH` and says how many are left.
"""

from __future__ import annotations

import base64

from flask import Blueprint, current_app, jsonify
from flask.typing import ResponseReturnValue
from sqlalchemy import Select, func, select

from evote import audit
from evote.people.credentials import issue
from evote.people.letters import render_letters
from evote.store.db import get_session
from evote.store.models.people import Participant
from evote.webapp.api.common import fail
from evote.webapp.auth import require_participant
from evote.webapp.permissions import Action, requires

bp = Blueprint("letters", __name__)

BATCH = 100
"""Letters per request: 100 hashes take about 15 s on one core."""


def _without_password(event_id: int) -> Select[tuple[Participant]]:
    return select(Participant).where(
        Participant.event_id == event_id, Participant.active.is_(True),
        Participant.password_hash.is_(None),
    )


@bp.get("/api/admin/letters")
@requires(Action.ISSUE_LETTERS)
def pending() -> ResponseReturnValue:
    """How many active participants have no password yet."""
    event_id = require_participant().event_id
    count = get_session().scalar(
        select(func.count()).select_from(_without_password(event_id).subquery())
    )
    return jsonify({"without_password": count, "batch": BATCH})


@bp.post("/api/admin/letters")
@requires(Action.ISSUE_LETTERS)
def issue_letters() -> ResponseReturnValue:
    """Passwords for up to `BATCH` participants without one (by delegation, then name), and
    their letters as one PDF (base64) in this answer only."""
    me = require_participant()
    db = get_session()
    targets = list(db.scalars(
        _without_password(me.event_id)
        .order_by(Participant.delegation, Participant.name, Participant.id).limit(BATCH)
    ))
    if not targets:
        fail(409, "nobody_without_password",
             "Every active participant already has a password; the support replaces lost ones.")
    issued = issue(
        targets, current_app.config["PASSWORD_HASH_PROFILE"], current_app.config["PUBLIC_URL"],
    )
    pdf = render_letters(issued, title=f"{me.event.name}: access letters")
    audit.append(db, me.event_id, "credentials.issue", "event", me.event_id,
                 {"count": len(issued), "participants": [t.id for t in targets]})
    db.commit()  # after the PDF is made: no password is stored that no letter holds
    remaining = db.scalar(
        select(func.count()).select_from(_without_password(me.event_id).subquery())
    )
    response = jsonify({
        "issued": len(issued), "remaining": remaining,
        "letters_pdf": base64.b64encode(pdf).decode("ascii"),
    })
    response.headers["Cache-Control"] = "no-store"
    return response
