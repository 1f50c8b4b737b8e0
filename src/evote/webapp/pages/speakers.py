"""The speakers' pages: the presidium's list (/speakers), the technicians' check (/technik) and
the studio output the livestream captures (/studio). The delegate page's part and the
projector's are modules those pages import (web/js/pages/speak.js, speakers_projector.js).

Each is a frame with one module; the data comes from the speakers API and the live stream
(docs/speakers.md), so every rule is decided on the server.
"""

from __future__ import annotations

from flask import Blueprint, current_app, request
from flask.typing import ResponseReturnValue

from evote.speakers import studio as studio_link
from evote.store.db import get_session
from evote.store.models.people import Participant
from evote.webapp.auth import require_participant
from evote.webapp.pages import i18n, link_login
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


@bp.get("/studio/enter")
@requires(Action.LOGIN)
def studio_enter() -> ResponseReturnValue:
    """The studio link (``evote studio-link``): logs this browser in as the studio's technician
    account and opens /studio. A wrong or outdated link changes nothing."""
    who_id = request.args.get("p", "")
    given = request.args.get("token", "")
    who = get_session().get(Participant, int(who_id)) if who_id.isdigit() and len(who_id) < 12 else None
    secret = str(current_app.config["SECRET_KEY"]).encode()
    if (who is None or not studio_link.fits(who.role_set, who.active)
            or not studio_link.holds(secret, who.id, who.credential_version, given)):
        text = i18n.texts(i18n.language())["studio.bad_link"]
        return render_page(
            "login.html", None, login="", error=text, next="/studio", notice=None, done=None
        ), 403
    if link_login.logged_in_elsewhere(who):  # login CSRF: keep the browser's own session
        text = i18n.texts(i18n.language())[link_login.LOGGED_IN_TEXT]
        return render_page(
            "login.html", None, login="", error=text, next="/studio", notice=None, done=None
        ), 409
    return link_login.enter(who, scope=studio_link.SCOPE, via="studio_link", target="/studio")
