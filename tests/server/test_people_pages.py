"""The login page (the QR code's target) and the start page with check-in, without JavaScript."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlencode

import pytest
from flask import Flask
from flask.testing import FlaskClient
from server_helpers import Person
from werkzeug.test import TestResponse

from evote.rules.roles import Role

HTML = {"Accept": "text/html,application/xhtml+xml"}


def _token(page: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match, page
    return match.group(1)


def test_qr_link_login_and_check_in_by_forms(app: Flask, person: Callable[..., Person]) -> None:
    someone = person(Role.DELEGATE, name="Jana Klein")
    browser = app.test_client()
    # not logged in: a browser is sent to the login page, an API client gets 401
    assert browser.get("/", headers=HTML).status_code == 303
    assert browser.get("/").status_code == 401
    page = browser.get(f"/login?u={someone.login_name}").get_data(as_text=True)
    assert f'value="{someone.login_name}"' in page
    form = {"login": someone.login_name, "password": someone.password}
    # the form without its token is refused
    assert browser.post("/login", data=form).status_code == 403
    resp = browser.post("/login", data={**form, "csrf_token": _token(page)})
    assert resp.status_code == 303 and resp.headers["Location"].endswith("/")
    home = browser.get("/").get_data(as_text=True)
    assert "Jana Klein" in home and "Anwesenheit bestätigen" in home
    resp = browser.post("/checkin", data={"csrf_token": _token(home)})
    assert resp.status_code == 303
    home = browser.get("/").get_data(as_text=True)
    assert "Anwesenheit bestätigt." in home and "Du bist stimmberechtigt." in home
    assert "Check in" not in home
    assert browser.post("/logout", data={"csrf_token": _token(home)}).status_code == 303
    assert browser.get("/").status_code == 401


def test_wrong_password_on_the_form(app: Flask, person: Callable[..., Person]) -> None:
    someone = person(Role.DELEGATE)
    browser = app.test_client()
    token = _token(browser.get("/login").get_data(as_text=True))
    resp = browser.post(
        "/login", data={"login": someone.login_name, "password": "wrong", "csrf_token": token}
    )
    assert resp.status_code == 401
    assert "Login oder Passwort stimmt nicht." in resp.get_data(as_text=True)


def test_page_escapes_participant_data(app: Flask, person: Callable[..., Person]) -> None:
    someone = person(Role.DELEGATE, name="<script>alert(1)</script>")
    browser = app.test_client()
    token = _token(browser.get("/login").get_data(as_text=True))
    browser.post(
        "/login",
        data={"login": someone.login_name, "password": someone.password, "csrf_token": token},
    )
    home = browser.get("/").get_data(as_text=True)
    assert "<script>alert(1)" not in home and "&lt;script&gt;" in home


def test_security_headers_on_pages_and_api(app: Flask) -> None:
    browser = app.test_client()
    for path in ("/login", "/api/csrf", "/api/me"):
        headers = browser.get(path).headers
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert headers["Cache-Control"] == "no-store"


def _login(browser: FlaskClient, someone: Person, next_url: str | None = None) -> TestResponse:
    query = f"?{urlencode({'next': next_url})}" if next_url is not None else ""
    page = browser.get(f"/login{query}").get_data(as_text=True)
    form = {"login": someone.login_name, "password": someone.password, "csrf_token": _token(page)}
    if next_url is not None:
        form["next"] = next_url
    return browser.post("/login", data=form)


def test_deep_link_returns_to_the_page_after_login(app: Flask, person: Callable[..., Person]) -> None:
    chair = person(Role.PRESIDIUM)
    browser = app.test_client()
    resp = browser.get("/presidium?x=1", headers=HTML)
    assert resp.status_code == 303
    assert resp.headers["Location"] == "/login?" + urlencode({"next": "/presidium?x=1"})
    page = browser.get(resp.headers["Location"]).get_data(as_text=True)
    assert 'name="next" value="/presidium?x=1"' in page
    resp = _login(browser, chair, "/presidium?x=1")
    assert resp.status_code == 303 and resp.headers["Location"] == "/presidium?x=1"
    # already logged in: the login page passes straight on
    again = browser.get("/login?" + urlencode({"next": "/presidium"}))
    assert again.headers["Location"] == "/presidium"


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/x", "/\\evil.example", "\\\\evil", "javascript:alert(1)",
     "/ok\r\nSet-Cookie: x=1", "evil.example", "/%0a" + "x" * 600, " /presidium"],
)
def test_next_url_is_a_path_on_this_server_only(
    app: Flask, person: Callable[..., Person], target: str
) -> None:
    """An open redirect would let a phishing mail pass through evote's real login page."""
    someone = person(Role.DELEGATE)
    browser = app.test_client()
    resp = _login(browser, someone, target)
    assert resp.status_code == 303 and resp.headers["Location"] == "/"
    page = browser.get("/login?" + urlencode({"next": target}))
    assert page.headers["Location"] == "/"


@pytest.mark.parametrize(
    ("roles", "shown", "hidden", "checks_in"),
    [
        ((Role.DELEGATE,), ["/vote"], ["/presidium", "/support", "/admin"], True),
        ((Role.SUPPORT,), ["/support"], ["/vote", "/presidium", "/admin"], False),
        ((Role.ADMIN,), ["/admin", "/support", "/presidium/presence"], ["/vote", "/presidium\""], False),
        ((Role.PRESIDIUM, Role.DELEGATE), ["/presidium", "/projector", "/vote"], ["/support", "/admin"], True),
    ],
)
def test_start_page_shows_the_pages_of_the_roles(
    app: Flask, person: Callable[..., Person], roles: tuple[Role, ...], shown: list[str],
    hidden: list[str], checks_in: bool,
) -> None:
    someone = person(*roles)
    browser = app.test_client()
    _login(browser, someone)
    home = browser.get("/").get_data(as_text=True)
    for path in shown:
        assert f'href="{path}"' in home, path
    for path in hidden:
        assert f'href="{path}' not in home, path
    assert ('action="/checkin"' in home) is checks_in


def test_login_page_in_english_keeps_its_query(app: Flask) -> None:
    browser = app.test_client()
    page = browser.get("/login?u=abc&next=/support&lang=en").get_data(as_text=True)
    assert '<html lang="en">' in page and "Log in" in page and 'value="abc"' in page
    assert 'href="?u=abc&amp;next=%2Fsupport&amp;lang=de"' in page
    assert "<script" not in page  # works without JavaScript
