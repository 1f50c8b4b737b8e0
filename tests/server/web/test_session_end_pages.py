"""A session that ends behind the delegate's back, and a shared computer (issue 12, items 3
and 5): the login page says why once; logging out clears the browser's storage."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from server_helpers import Api, Person

from evote.rules.roles import Role

HTML = {"Accept": "text/html,application/xhtml+xml"}
PASSWORD = "ein neues Passwort ausgegeben"
ELSEWHERE = "anderen Gerät oder vom Support"


def test_login_page_says_a_new_password_ended_the_session(
    person: Callable[..., Person], logged_in: Callable[..., Api]
) -> None:
    delegate = logged_in(Role.DELEGATE, checked_in=True)
    support = logged_in(Role.SUPPORT)
    assert delegate.person is not None
    resp = support.post(f"/api/support/participants/{delegate.person.id}/credentials")
    assert resp.status_code == 200, resp.get_json()
    # the API says so by code (the pages translate it), the page by a link to the login
    refused = delegate.get("/api/me")
    assert refused.status_code == 401 and refused.get_json()["error"] == "login_required"
    page = delegate.client.get("/vote", headers=HTML, follow_redirects=True).get_data(as_text=True)
    assert PASSWORD in page and 'id="login-notice"' in page
    again = delegate.client.get("/login", headers=HTML).get_data(as_text=True)
    assert "login-notice" not in again  # said once


def test_login_page_says_a_logout_elsewhere_ended_the_session(
    app: Flask, person: Callable[..., Person]
) -> None:
    someone = person(Role.DELEGATE)
    phone, laptop = Api(app.test_client()), Api(app.test_client())
    phone.login(someone)
    laptop.login(someone)
    assert phone.post("/api/auth/logout").status_code == 200
    page = laptop.client.get("/login", headers=HTML).get_data(as_text=True)
    assert ELSEWHERE in page and PASSWORD not in page


def test_logout_clears_the_browsers_storage(logged_in: Callable[..., Api]) -> None:
    page = logged_in(Role.DELEGATE)
    resp = page.post("/api/auth/logout")
    assert resp.status_code == 200 and resp.headers["Clear-Site-Data"] == '"storage"'
    form = logged_in(Role.DELEGATE)
    resp = form.client.post("/logout", data={"csrf_token": form.csrf})
    assert resp.status_code == 303 and resp.headers["Clear-Site-Data"] == '"storage"'
    # a plain logout is no reason for a notice
    assert "login-notice" not in form.client.get("/login", headers=HTML).get_data(as_text=True)
