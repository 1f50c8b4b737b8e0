"""Log in, log out, who am I."""

from __future__ import annotations

from flask import Blueprint, jsonify, make_response, request
from flask.typing import ResponseReturnValue

from evote.people.login import LoginRefused, LoginSettings, RateLimited, attempt_login
from evote.store.db import get_session
from evote.webapp.api.common import field, json_body
from evote.webapp.api.people_json import self_json
from evote.webapp.auth import end_session, require_participant, start_session
from evote.webapp.csrf import csrf_token
from evote.webapp.permissions import Action, requires

bp = Blueprint("auth", __name__)


def client_ip() -> str:
    """The client's address: the peer, or behind ``EVOTE_PROXY_COUNT`` proxies the address they
    forwarded (ProxyFix in the app factory); a header sent by the client itself is never used."""
    return request.remote_addr or "unknown"


@bp.post("/api/auth/login")
@requires(Action.LOGIN)
def login() -> ResponseReturnValue:
    data = json_body()
    login_name = field(data, "login", str)
    password = field(data, "password", str)
    try:
        participant = attempt_login(
            get_session(), LoginSettings.from_app(), login_name, password, client_ip()
        )
    except LoginRefused as exc:
        status = 429 if isinstance(exc, RateLimited) else 401
        resp = make_response(jsonify({"error": exc.code, "message": str(exc)}), status)
        if isinstance(exc, RateLimited):
            resp.headers["Retry-After"] = str(exc.retry_after)
        return resp
    start_session(participant)
    body = self_json(participant)
    body["csrf_token"] = csrf_token()
    return jsonify(body)


@bp.post("/api/auth/logout")
@requires(Action.LOGOUT)
def logout() -> ResponseReturnValue:
    end_session()
    response = jsonify({"status": "logged_out"})
    response.headers["Clear-Site-Data"] = '"storage"'  # receipts kept on a shared computer
    return response


@bp.get("/api/me")
@requires(Action.VIEW_SELF)
def me() -> ResponseReturnValue:
    body = self_json(require_participant())
    body["csrf_token"] = csrf_token()
    return jsonify(body)
