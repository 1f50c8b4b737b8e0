"""The pages: server-rendered HTML, each with one small ES module and one stylesheet.

Each page names its stylesheet, its module and the module's static imports with their
Subresource Integrity values (``evote.webapp.pages.integrity``), so the browser runs nothing else.

Every page gets its texts in the request's language (``evote.webapp.pages.i18n``) and, as JSON in the
page, what its script needs to start without a round trip: the strings, the CSRF token and the
participant's check-in state. Live state (agenda, open vote, countdown, turnout) comes from the
SSE stream ``/api/live`` after load, never rendered in, so a cached page cannot show a stale vote.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from flask import (
    Blueprint,
    Response,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
)
from flask.typing import ResponseReturnValue
from markupsafe import Markup

from evote.eligibility.committee import page_prompt
from evote.people import projector_link
from evote.people.attendance import can_vote
from evote.rules.roles import ATTENDING_ROLES, Role
from evote.store.db import get_session
from evote.store.models.people import Participant
from evote.webapp.api.stage import stage_of
from evote.webapp.auth import current_participant, require_participant
from evote.webapp.csrf import csrf_token
from evote.webapp.pages import i18n, link_login, timezone
from evote.webapp.pages.integrity import integrity, page_assets
from evote.webapp.pages.stream import csp_origins, embed
from evote.webapp.permissions import Action, requires
from evote.webapp.security_headers import policy

bp = Blueprint("web_pages", __name__)

STYLESHEET = "/css/evote.css"


def _page_data(lang: str, **extra: Any) -> Markup:
    """JSON for the page's script, safe inside <script type="application/json">."""
    data = {"lang": lang, "t": i18n.texts(lang), "csrf": csrf_token(), "timeZone": timezone.zone_name(), **extra}
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def _lang_url(lang: str) -> str:
    """This page in the other language: its query kept (a login's ``u`` and ``next``)."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    return "?" + urlencode([*args, ("lang", i18n.texts(lang)["lang.other"])])


def _reissue_notice(me: Participant | None, lang: str) -> str | None:
    """Once, on the next page after a password reissue during an open vote: someone else could
    have held this access then (``api/support.py``, two-person rule)."""
    if me is None or me.reissue_notice_at is None:
        return None
    at = timezone.day_and_time(me.reissue_notice_at)
    me.reissue_notice_at = None
    get_session().commit()
    return i18n.texts(lang)["staff.reissue_notice"].format(time=at)


def render_page(template: str, script: str | None, **context: Any) -> Response:
    """A page in the request's language; `script` is its module, ``None`` for a page that works
    without JavaScript (login, start page)."""
    lang = i18n.language()
    extra = context.pop("page_data", {})
    if script is None:
        assets = {"stylesheet": (STYLESHEET, integrity(STYLESHEET)), "module": None, "preloads": []}
    else:
        assets = page_assets(STYLESHEET, f"/js/pages/{script}")
    me = current_participant()
    html = render_template(
        f"web/{template}", lang=lang, t=i18n.texts(lang), script=script, assets=assets,
        page_data=_page_data(lang, **extra), me=me, lang_url=_lang_url(lang),
        reissue_notice=_reissue_notice(me, lang), **context,
    )
    response = make_response(html)
    if request.args.get("lang") in i18n.LANGUAGES:
        response.set_cookie(
            i18n.COOKIE, lang, max_age=365 * 86400, samesite="Lax", httponly=True,
            secure=bool(current_app.config.get("SESSION_COOKIE_SECURE", True)),
        )
    return response


@bp.get("/vote")
@requires(Action.VIEW_SELF)
def delegate() -> ResponseReturnValue:
    me = require_participant()
    stage = stage_of(me.event_id)
    stream = embed(stage.livestream_url if stage else "")
    # Staff who never vote (presidium, support, admin ...) read a text for their role, not
    # "Du hast kein Stimmrecht"; support and admin, who are not in the hall, get no check-in.
    staff = not me.role_set & {Role.DELEGATE, Role.GUEST_DELEGATE}
    response = render_page(
        "delegate.html", "delegate.js",
        stream=stream,
        checked_in=me.checked_in_at is not None, can_vote=can_vote(me), staff=staff,
        attends=bool(me.role_set & ATTENDING_ROLES),
        page_data={
            "checkedIn": me.checked_in_at is not None, "canVote": can_vote(me), "staff": staff,
            "participantId": me.id,  # keys the signed receipts kept on a shared device
            # the credentials committee's derivation: the page asks a voter for the code
            "credentials": {
                **page_prompt(get_session(), me.event),
                "voter": bool(me.active and me.voting_right and me.has_role(Role.DELEGATE)),
            },
        },
    )
    # the livestream's host, as a frame or as media, on this page only
    frames, media = csp_origins(stream)
    response.headers["Content-Security-Policy"] = policy(frames, media)
    return response


@bp.get("/delegate")
@requires(Action.VIEW_PUBLIC)
def delegate_letter() -> ResponseReturnValue:
    """The address in the QR code of the committee's letters (``/delegate#credential=…``):
    the delegate page.  Browsers keep the fragment, which holds the code, across a redirect
    and never send it, so the code reaches no server and no log."""
    return redirect("/vote", 302)


@bp.get("/presidium")
@requires(Action.MANAGE_VOTES)
def presidium() -> ResponseReturnValue:
    me = require_participant()
    stage = stage_of(me.event_id)
    return render_page(
        "presidium.html", "presidium.js",
        livestream_url=stage.livestream_url if stage else "",
    )


@bp.get("/projector")
@requires(Action.VIEW_RESULTS)
def projector() -> ResponseReturnValue:
    me = require_participant()
    stage = stage_of(me.event_id)
    shown = request.args.get("vote", type=int) or (stage.projected_vote_id if stage else None)
    return render_page("projector.html", "projector.js", page_data={"voteId": shown})


@bp.get("/projector/enter")
@requires(Action.LOGIN)
def projector_enter() -> ResponseReturnValue:
    """The projector link (``evote projector-link``): logs this browser in as the wall's account,
    scoped to the projector, and opens /projector. A wrong or outdated link changes nothing."""
    who_id = request.args.get("p", "")
    given = request.args.get("token", "")
    who = get_session().get(Participant, int(who_id)) if who_id.isdigit() and len(who_id) < 12 else None
    secret = str(current_app.config["SECRET_KEY"]).encode()
    if (who is None or not projector_link.fits(who.role_set, who.active)
            or not projector_link.holds(secret, who.id, who.credential_version, given)):
        text = i18n.texts(i18n.language())["projector.bad_link"]
        page = render_page("login.html", None, login="", error=text, next="/projector", notice=None, done=None)
        return page, 403
    if link_login.logged_in_elsewhere(who):  # login CSRF: keep the browser's own session
        text = i18n.texts(i18n.language())[link_login.LOGGED_IN_TEXT]
        page = render_page("login.html", None, login="", error=text, next="/projector", notice=None, done=None)
        return page, 409
    return link_login.enter(who, scope=projector_link.SCOPE, via="projector_link",
                            target="/projector")


@bp.get("/verify")
@requires(Action.VIEW_PUBLIC)
def verify() -> ResponseReturnValue:
    """The second device's page: everything it checks comes from the URL's fragment and
    public data, so it works without logging in and the nonce never reaches the server."""
    return render_page("verify.html", "verify.js")


@bp.get("/votes/<int:vote_id>/board")
@requires(Action.VIEW_BULLETIN_BOARD)
def board(vote_id: int) -> ResponseReturnValue:
    return render_page("board.html", "board.js", vote_id=vote_id, page_data={"voteId": vote_id})
