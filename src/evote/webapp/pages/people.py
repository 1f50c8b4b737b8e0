"""The login page (the QR code's target) and the start page: check-in and the way to every page
the participant's roles open.

Why server-rendered and without a script: a delegate scanning the letter's QR code on an old
phone over a venue's congested network must be able to log in and check in without JavaScript.
The pages use the same services as the JSON API (``attempt_login``, ``check_in``) and the same
CSRF token, here as a hidden form field, and the look and language switch of the other pages.

A deep link (``/presidium`` while logged out) comes back after login: the permission layer sends
the browser to ``/login?next=/presidium``. ``next`` is taken only as a path on this server
(:func:`safe_next`), so a link cannot send someone from evote's login to another site.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import Blueprint, redirect, request, session, url_for
from flask.typing import ResponseReturnValue

from evote.people.attendance import CheckInRefused, can_vote, check_in
from evote.people.login import LoginRefused, LoginSettings, RateLimited, attempt_login
from evote.rules.roles import ATTENDING_ROLES, Role
from evote.store.db import get_session
from evote.store.models.people import Participant
from evote.webapp.api.auth import client_ip
from evote.webapp.auth import (
    current_participant,
    end_session,
    ended_reason,
    require_participant,
    start_session,
)
from evote.webapp.pages import i18n
from evote.webapp.pages.views import render_page
from evote.webapp.permissions import Action, decide, requires

bp = Blueprint("pages", __name__)

MAX_NEXT = 512


def safe_next(value: str | None) -> str | None:
    """`value` if it is a path on this server (``/presidium?x=1``), else ``None``.

    Refused: anything with a scheme or host (``https://evil``, ``//evil``), a backslash (browsers
    read ``/\\evil`` as ``//evil``), control characters or whitespace, and overlong values.
    """
    if not value or len(value) > MAX_NEXT or not value.startswith("/"):
        return None
    if value.startswith("//") or "\\" in value or any(ord(c) < 33 or ord(c) == 127 for c in value):
        return None
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return None
    return value


@dataclass(frozen=True)
class StartLink:
    path: str
    text: str
    """Key of the link's text in ``i18n``; ``<key>.hint`` says what the page is for."""
    action: Action | None = None
    """Shown when the matrix allows this action ..."""
    roles: frozenset[Role] = frozenset()
    """... or, for pages open to all (the projector, the delegate page), to these roles."""


START_LINKS = (
    StartLink("/vote", "start.vote", roles=frozenset({Role.DELEGATE, Role.GUEST_DELEGATE})),
    StartLink("/presidium", "start.presidium", Action.MANAGE_VOTES),
    StartLink("/presidium/presence", "start.presence", Action.VIEW_ATTENDANCE),
    StartLink("/presidium/ceremony", "start.ceremony", Action.VIEW_GUARDIANS),
    StartLink("/projector", "start.projector", roles=frozenset({Role.PRESIDIUM, Role.TECHNICIAN, Role.ADMIN})),
    StartLink("/speakers", "start.speakers", Action.MANAGE_SPEAKERS),
    StartLink("/technik", "start.technician", Action.TECH_CHECK),
    StartLink("/studio", "start.studio", Action.VIEW_STUDIO),
    StartLink("/support", "start.support", Action.SUPPORT_VIEW_PARTICIPANTS),
    StartLink("/admin", "start.admin", Action.ADMIN_MANAGE_PARTICIPANTS),
    StartLink("/motions", "start.motions", Action.VIEW_MOTIONS),
    StartLink("/audit", "start.audit", Action.VIEW_AUDIT_LOG),
)


def start_links(me: Participant) -> list[StartLink]:
    roles = me.role_set
    return [
        link for link in START_LINKS
        if (link.action is not None and decide(link.action, roles, True, True) is None)
        or roles & link.roles
    ]


def _login_page(
    login: str, error: str | None, status: int = 200, notice: str | None = None, done: str | None = None
) -> ResponseReturnValue:
    nxt = safe_next(request.values.get("next"))
    page = render_page(
        "login.html", None, login=login[:64], error=error, next=nxt or "", notice=notice, done=done
    )
    return page, status


@bp.get("/login")
@requires(Action.LOGIN)
def login_form() -> ResponseReturnValue:
    if current_participant() is not None:
        return redirect(safe_next(request.args.get("next")) or url_for("pages.home"), 303)
    # A session ended behind the browser's back (new password, logout elsewhere) is said once.
    reason = ended_reason()
    if reason is not None:
        session.clear()
    notice = i18n.texts(i18n.language())[f"login.ended_{reason}"] if reason else None
    done = None
    if session.pop("logged_out", False):  # right after "Abmelden": say it worked
        done = i18n.texts(i18n.language())["login.logged_out"]
    return _login_page(request.args.get("u", ""), None, notice=notice, done=done)


@bp.post("/login")
@requires(Action.LOGIN)
def login_submit() -> ResponseReturnValue:
    login_name = request.form.get("login", "")
    try:
        participant = attempt_login(
            get_session(),
            LoginSettings.from_app(),
            login_name,
            request.form.get("password", ""),
            client_ip(),
        )
    except LoginRefused as exc:
        status = 429 if isinstance(exc, RateLimited) else 401
        template = i18n.texts(i18n.language()).get(f"login.error.{exc.code}", str(exc))
        text = template.format(seconds=getattr(exc, "retry_after", 0))
        return _login_page(login_name, text, status)
    start_session(participant)
    return redirect(safe_next(request.form.get("next")) or url_for("pages.home"), 303)


def _home(me: Participant, error: str | None = None, status: int = 200) -> ResponseReturnValue:
    page = render_page(
        "home.html", None, can_vote=can_vote(me), error=error, links=start_links(me),
        attends=bool(me.role_set & ATTENDING_ROLES),
    )
    return page, status


@bp.get("/")
@requires(Action.VIEW_SELF)
def home() -> ResponseReturnValue:
    return _home(require_participant())


@bp.post("/checkin")
@requires(Action.CHECK_IN)
def checkin_submit() -> ResponseReturnValue:
    me = require_participant()
    try:
        check_in(me)
    except CheckInRefused:
        return _home(me, i18n.texts(i18n.language())["checkin.refused"], 409)
    get_session().commit()
    return redirect(url_for("pages.home"), 303)


@bp.post("/logout")
@requires(Action.LOGOUT)
def logout_submit() -> ResponseReturnValue:
    end_session()
    session["logged_out"] = True  # the login page confirms it, once
    response = redirect(url_for("pages.login_form"), 303)
    # A shared computer: the next person must not find this one's receipts or a kept ballot
    # in the browser's storage (the pages also clear them before the form is sent).
    response.headers["Clear-Site-Data"] = '"storage"'
    return response
