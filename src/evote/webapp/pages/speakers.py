"""The speakers' pages: the presidium's list (/speakers), the technicians' check (/technik) and
the studio output the livestream captures (/studio). The delegate page's part and the
projector's are modules those pages import (web/js/pages/speak.js, speakers_projector.js).

Each is a frame with one module; the data comes from the speakers API and the live stream
(docs/speakers.md), so every rule is decided on the server.
"""

from __future__ import annotations

from flask import Blueprint
from flask.typing import ResponseReturnValue

from evote.webapp.auth import require_participant
from evote.webapp.pages.views import render_page
from evote.webapp.permissions import Action, requires

bp = Blueprint("speaker_pages", __name__)


@bp.get("/speakers")
@requires(Action.MANAGE_SPEAKERS)
def speakers() -> ResponseReturnValue:
    return render_page("speakers.html", "speakers_admin.js")


@bp.get("/technik")
@requires(Action.TECH_CHECK)
def technician() -> ResponseReturnValue:
    return render_page("technician.html", "technician.js", page_data={"me": require_participant().id})


@bp.get("/studio")
@requires(Action.VIEW_STUDIO)
def studio() -> ResponseReturnValue:
    return render_page("studio.html", "studio.js")
