"""CSRF protection for every state-changing request, API and forms alike.

Mechanism (synchronizer token): a random token lives in the signed session cookie; every
request whose method is not GET/HEAD/OPTIONS must echo it, either in the ``X-CSRF-Token`` header
(JSON clients, ``fetch``) or in a ``csrf_token`` form field (HTML forms). A cross-site page can
make the browser send our cookie but cannot read the token, so it cannot forge the echo. The
check runs in ``before_request`` for the whole app, so an endpoint is protected by existing; the
only thing a client must do is fetch the token (``GET /api/csrf``, or from the login and ``/api/me``
responses) and send it back. SameSite=Lax cookies are a second, independent layer.
"""

from __future__ import annotations

import hmac
import secrets

from flask import Flask, current_app, jsonify, make_response, request, session
from flask.typing import ResponseReturnValue

HEADER = "X-CSRF-Token"
FORM_FIELD = "csrf_token"
SESSION_KEY = "csrf"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def csrf_token() -> str:
    """The current session's token, created on first use (templates and JSON responses call it)."""
    token = session.get(SESSION_KEY)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        session[SESSION_KEY] = token
    return token


def _presented_token() -> str | None:
    token = request.headers.get(HEADER)
    if token:
        return token
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return request.form.get(FORM_FIELD)
    return None


def _check() -> ResponseReturnValue | None:
    if request.method in SAFE_METHODS:
        return None
    expected = session.get(SESSION_KEY)
    presented = _presented_token()
    if (
        isinstance(expected, str)
        and presented
        and hmac.compare_digest(expected.encode(), presented.encode())
    ):
        return None
    if _secure_cookie_lost():
        body = {
            "error": "insecure_transport",
            "message": "This request reached evote over plain http, but the session cookie is "
            "Secure (EVOTE_COOKIE_SECURE=1), so clients send it back only over https: the CSRF "
            "token came without its session. Use https. Behind a TLS proxy, set "
            "EVOTE_PROXY_COUNT (and EVOTE_PROXY_IPS) so evote sees X-Forwarded-Proto; for a "
            "plain-http test server set EVOTE_COOKIE_SECURE=0.",
        }
        return make_response(jsonify(body), 403)
    body = {
        "error": "csrf_failed",
        "message": f"Missing or wrong CSRF token: send the {HEADER} header "
        f"(value from GET /api/csrf) or a {FORM_FIELD} form field.",
    }
    return make_response(jsonify(body), 403)


def _secure_cookie_lost() -> bool:
    """Did the check fail because the client dropped a Secure cookie on plain http?

    Evidence, all required: cookies are Secure; the request is not https as evote sees it
    (``request.is_secure``: the socket, or ``X-Forwarded-Proto`` once ProxyFix or gunicorn's
    ``forwarded_allow_ips`` trusts the proxy); the client echoes a token, so it did fetch one;
    and it sends no session cookie at all.  Python's cookie jar (``requests``, ``urllib``) never
    returns a Secure cookie over http, not even to localhost, while browsers do for localhost:
    so the host is no evidence, the missing cookie is.  A request with a cookie and a wrong
    token stays ``csrf_failed``.
    """
    return bool(
        current_app.config.get("SESSION_COOKIE_SECURE")
        and not request.is_secure
        and _presented_token()
        and current_app.config["SESSION_COOKIE_NAME"] not in request.cookies
    )


def init_app(app: Flask) -> None:
    """Install the check for every request of the app."""
    app.before_request(_check)
