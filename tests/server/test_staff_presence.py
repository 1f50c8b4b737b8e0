"""The presidium's presence list: names and check-in times, as a page, JSON and CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from flask import Flask
from server_helpers import Api, Person

from evote.rules.roles import Role


def test_presence_lists_names_and_times(
    app: Flask, person: Callable[..., Person], logged_in: Callable[..., Api]
) -> None:
    person(Role.DELEGATE, name="Anna Hier", checked_in=True)
    person(Role.DELEGATE, name="=HYPERLINK(1)")  # absent, and a formula in the name
    person(Role.SUPPORT, name="Sam Support", checked_in=True)  # not in the hall
    chair = logged_in(Role.PRESIDIUM)
    body = chair.get("/api/presidium/presence").get_json()
    names = [r["name"] for r in body["participants"]]
    assert names[0] == "Anna Hier" and "Sam Support" not in names and "=HYPERLINK(1)" in names
    assert body["participants"][0]["checked_in_at"] is not None
    assert body["checked_in"] == 1
    resp = chair.get("/api/presidium/presence.csv")
    assert resp.mimetype == "text/csv" and "attachment" in resp.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(resp.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:2] == ["name", "delegation"]
    assert [rows[1][0], rows[1][4]] == ["Anna Hier", "yes"]
    assert any(r[0] == "'=HYPERLINK(1)" for r in rows[1:])
    page = chair.get("/presidium/presence").get_data(as_text=True)
    assert "Anna Hier" in page and "1 von 3 sind eingecheckt." in page


def test_presence_is_for_presidium_and_admin_only(logged_in: Callable[..., Api]) -> None:
    for role in (Role.DELEGATE, Role.SUPPORT, Role.GUARDIAN):
        assert logged_in(role).get("/api/presidium/presence").status_code == 403
    assert logged_in(Role.ADMIN).get("/api/presidium/presence.csv").status_code == 200
