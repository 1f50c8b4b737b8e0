"""The few server-rendered pages of the people side: login (the QR code's target) and a
delegate's start page with check-in.

Why server-rendered: a delegate scanning the letter's QR code on an old phone over a venue's
congested network must be able to log in and check in without JavaScript. The pages use the
same services as the JSON API (``attempt_login``, ``check_in``) and the same CSRF token, here as
a hidden form field. The richer delegate page (livestream, votes) is the browser client's job.
"""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue

from evote.people.attendance import CheckInRefused, can_vote, check_in
from evote.people.login import LoginRefused, LoginSettings, RateLimited, attempt_login
from evote.store.db import get_session
from evote.webapp.api.auth import client_ip
from evote.webapp.auth import (
    current_participant,
    end_session,
    ended_reason,
    require_participant,
    start_session,
)
from evote.webapp.pages import i18n
from evote.webapp.permissions import Action, requires

bp = Blueprint("pages", __name__)


@bp.get("/login")
@requires(Action.LOGIN)
def login_form() -> ResponseReturnValue:
    if current_participant() is not None:
        return redirect(url_for("pages.home"), 303)
    # A session ended behind the browser's back (new password, logout elsewhere) is said once.
    reason = ended_reason()
    if reason is not None:
        session.clear()
    notice = {lang: i18n.texts(lang)[f"login.ended_{reason}"] for lang in i18n.LANGUAGES} if reason else None
    return render_template(
        "people/login.html", login=request.args.get("u", "")[:64], error=None, notice=notice
    )


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
        page = render_template(
            "people/login.html", login=login_name[:64], error=str(exc), notice=None
        )
        return page, status
    start_session(participant)
    return redirect(url_for("pages.home"), 303)


@bp.get("/")
@requires(Action.VIEW_SELF)
def home() -> ResponseReturnValue:
    me = require_participant()
    return render_template("people/home.html", me=me, can_vote=can_vote(me), error=None)


@bp.post("/checkin")
@requires(Action.CHECK_IN)
def checkin_submit() -> ResponseReturnValue:
    me = require_participant()
    try:
        check_in(me)
    except CheckInRefused as exc:
        return render_template("people/home.html", me=me, can_vote=can_vote(me), error=str(exc)), 409
    get_session().commit()
    return redirect(url_for("pages.home"), 303)


@bp.post("/logout")
@requires(Action.LOGOUT)
def logout_submit() -> ResponseReturnValue:
    end_session()
    response = redirect(url_for("pages.login_form"), 303)
    # A shared computer: the next person must not find this one's receipts or a kept ballot
    # in the browser's storage (the pages also clear them before the form is sent).
    response.headers["Clear-Site-Data"] = '"storage"'
    return response
