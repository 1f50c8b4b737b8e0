"""Log in, log out, who am I."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import Blueprint, current_app, jsonify, make_response, request
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from evote.api.common import field, json_body
from evote.api.people_json import self_json
from evote.auth import end_session, require_participant, start_session
from evote.csrf import csrf_token
from evote.db import get_session
from evote.models.people import Participant
from evote.people import ratelimit
from evote.people.passwords import verify_password
from evote.permissions import Action, requires

bp = Blueprint("auth", __name__)


def _limits() -> ratelimit.Limits:
    cfg = current_app.config
    return ratelimit.Limits(
        window=timedelta(seconds=cfg["LOGIN_RATE_WINDOW_SECONDS"]),
        per_account=cfg["LOGIN_MAX_FAILURES_PER_ACCOUNT"],
        per_ip=cfg["LOGIN_MAX_FAILURES_PER_IP"],
    )


def _client_ip() -> str:
    """The client's address: the peer, or behind ``EVOTE_PROXY_COUNT`` proxies the address they
    forwarded (ProxyFix in the app factory); a header sent by the client itself is never used."""
    return request.remote_addr or "unknown"


@bp.post("/api/auth/login")
@requires(Action.LOGIN)
def login() -> ResponseReturnValue:
    data = json_body()
    login_name = field(data, "login", str).strip().lower()[:64]
    password = field(data, "password", str)[:200]
    db = get_session()
    now = datetime.now(UTC)
    limits = _limits()
    ip = _client_ip()
    wait = ratelimit.retry_after(db, limits, login_name, ip, now)
    if wait is not None:
        resp = make_response(
            jsonify(
                {
                    "error": "rate_limited",
                    "message": f"Too many failed logins. Try again in {wait} seconds.",
                }
            ),
            429,
        )
        resp.headers["Retry-After"] = str(wait)
        return resp
    participant = db.scalars(
        select(Participant).where(Participant.login_name == login_name)
    ).first()
    profile = current_app.config["PASSWORD_HASH_PROFILE"]
    stored = participant.password_hash if participant and participant.active else None
    if not verify_password(stored, password, profile) or participant is None:
        ratelimit.record_failure(db, limits, login_name, ip, now)
        db.commit()
        return jsonify({"error": "bad_credentials", "message": "Login name or password is wrong."}), 401
    ratelimit.clear_account(db, login_name)
    db.commit()
    start_session(participant)
    body = self_json(participant)
    body["csrf_token"] = csrf_token()
    return jsonify(body)


@bp.post("/api/auth/logout")
@requires(Action.LOGOUT)
def logout() -> ResponseReturnValue:
    end_session()
    return jsonify({"status": "logged_out"})


@bp.get("/api/me")
@requires(Action.VIEW_SELF)
def me() -> ResponseReturnValue:
    body = self_json(require_participant())
    body["csrf_token"] = csrf_token()
    return jsonify(body)
