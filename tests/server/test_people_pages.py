"""The login page (the QR code's target) and the start page with check-in, without JavaScript."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import Flask
from server_helpers import Person

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
    assert "Attendance confirmed" in home and "You may vote" in home
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
    assert "Login name or password is wrong." in resp.get_data(as_text=True)


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
