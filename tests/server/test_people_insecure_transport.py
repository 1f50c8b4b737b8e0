"""Secure cookies over plain http: the refusal names the cause instead of a bare csrf_failed.

A client that talks plain http to a server whose session cookie is Secure never sends the
cookie back (Python's cookie jar refuses even for localhost), so its CSRF token arrives without
a session.  The answer is `403 insecure_transport`, saying what to change; everything else
about the CSRF check stays as it was.
"""

from __future__ import annotations

import http.cookiejar
import json
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from server_helpers import Person, live_http

from evote.rules.roles import Role
from evote.webapp.app import create_app
from evote.webapp.csrf import HEADER


def _post_without_cookie(client: Any, headers: dict[str, str] | None = None, **kw: Any) -> Any:
    """Fetch a token, drop the session cookie as a client on http would, post the login."""
    token = client.get("/api/csrf", **kw).get_json()["csrf_token"]
    host = kw.get("base_url", "http://localhost").split("//")[1]
    assert client.get_cookie("evote_session", domain=host) is not None
    client.delete_cookie("evote_session", domain=host)
    return client.post(
        "/api/auth/login", json={"login": "x", "password": "y"},
        headers={HEADER: token, **(headers or {})}, **kw,
    )


def test_token_without_its_cookie_over_http_is_insecure_transport(app: Flask) -> None:
    assert app.config["SESSION_COOKIE_SECURE"]
    resp = _post_without_cookie(app.test_client())
    assert resp.status_code == 403
    body = resp.get_json()
    assert body["error"] == "insecure_transport"
    assert "EVOTE_COOKIE_SECURE" in body["message"] and "https" in body["message"]


def test_over_https_the_same_request_is_csrf_failed(app: Flask) -> None:
    resp = _post_without_cookie(app.test_client(), base_url="https://vote.example.org")
    assert resp.status_code == 403 and resp.get_json()["error"] == "csrf_failed"


def test_forwarded_proto_counts_only_behind_a_configured_proxy(app_config: dict[str, Any]) -> None:
    """X-Forwarded-Proto: https is believed only with EVOTE_PROXY_COUNT (ProxyFix); a client
    cannot talk its way out of the diagnosis, nor into it."""
    https = {"X-Forwarded-Proto": "https"}
    behind = create_app({**app_config, "PROXY_COUNT": 1})
    resp = _post_without_cookie(behind.test_client(), headers=https)
    assert resp.get_json()["error"] == "csrf_failed"
    direct = create_app(app_config)
    resp = _post_without_cookie(direct.test_client(), headers=https)
    assert resp.get_json()["error"] == "insecure_transport"


def test_plain_csrf_failures_keep_their_code(app: Flask, app_config: dict[str, Any]) -> None:
    client = app.test_client()
    client.get("/api/csrf")
    wrong = client.post("/api/auth/login", json={}, headers={HEADER: "forged"})
    assert wrong.get_json()["error"] == "csrf_failed"  # the cookie came back: a wrong token
    fresh = app.test_client()
    none = fresh.post("/api/auth/login", json={})
    assert none.get_json()["error"] == "csrf_failed"  # no token at all
    insecure_ok = create_app({**app_config, "SESSION_COOKIE_SECURE": False})
    resp = _post_without_cookie(insecure_ok.test_client())
    assert resp.get_json()["error"] == "csrf_failed"  # the cookie was not Secure


def _login_over_http(base: str, person: Person) -> tuple[int, dict[str, Any]]:
    """What a Python client does: urllib with a cookie jar, on http://127.0.0.1."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    with opener.open(f"{base}/api/csrf", timeout=10) as resp:
        token = json.load(resp)["csrf_token"]
    request = urllib.request.Request(
        f"{base}/api/auth/login",
        data=json.dumps({"login": person.login_name, "password": person.password}).encode(),
        headers={"Content-Type": "application/json", HEADER: token},
        method="POST",
    )
    try:
        with opener.open(request, timeout=10) as resp:
            return resp.status, json.load(resp)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


@pytest.mark.parametrize("secure", [True, False])
def test_a_python_client_on_localhost_http(
    app: Flask, person: Callable[..., Person], secure: bool
) -> None:
    """The real thing: with Secure cookies, even localhost over http fails, and says why."""
    app.config["SESSION_COOKIE_SECURE"] = secure
    someone = person(Role.DELEGATE)
    with live_http(app) as server:
        status, body = _login_over_http(server.url("127.0.0.1"), someone)
    if secure:
        assert (status, body["error"]) == (403, "insecure_transport")
    else:
        assert status == 200 and body["login_name"] == someone.login_name
