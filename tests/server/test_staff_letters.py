"""First passwords and their access letters from the admin page (issue 13): only for active
participants without a password, at most a batch per request, the PDF in the answer only
(no-store), an audit entry; the support's reissue stays the way to replace a password."""

from __future__ import annotations

import base64
from collections.abc import Callable

import pytest
from flask import Flask
from server_helpers import Api

from evote.rules.roles import Role
from evote.store.db import get_session
from evote.store.models.people import Participant
from evote.webapp.api import letters


def _import(admin: Api, rows: str) -> None:
    csv = "name,email,delegation,roles,groups,voting_right\n" + rows
    resp = admin.post("/api/admin/participants/import", data=csv.encode(), content_type="text/csv")
    assert resp.status_code == 201, resp.get_json()


def test_letters_for_those_without_a_password(
    app: Flask, logged_in: Callable[..., Api], monkeypatch: pytest.MonkeyPatch,
) -> None:
    admin = logged_in(Role.ADMIN)
    _import(admin, "Anna,anna@example.org,KV Nord,delegate,,yes\n"
                   "Ben,ben@example.org,KV Süd,delegate,,yes\n"
                   "Cem,cem@example.org,KV Süd,guest_delegate,,no\n")
    people = {p["name"]: p for p in admin.get("/api/admin/participants").get_json()["participants"]}
    assert admin.patch(f"/api/admin/participants/{people['Cem']['id']}", {"active": False}).status_code == 200
    assert admin.get("/api/admin/letters").get_json()["without_password"] == 2

    monkeypatch.setattr(letters, "BATCH", 1)  # one per request: the rest is counted, not lost
    first = admin.post("/api/admin/letters")
    assert first.status_code == 200 and first.headers["Cache-Control"] == "no-store"
    body = first.get_json()
    assert (body["issued"], body["remaining"]) == (1, 1)
    assert base64.b64decode(body["letters_pdf"]).startswith(b"%PDF")
    second = admin.post("/api/admin/letters").get_json()
    assert (second["issued"], second["remaining"]) == (1, 0)
    with app.app_context():
        issued = {p.name: p.password_hash is not None for p in get_session().query(Participant)}
    assert issued["Anna"] and issued["Ben"] and not issued["Cem"]  # inactive: none
    refused = admin.post("/api/admin/letters")
    assert refused.status_code == 409 and refused.get_json()["error"] == "nobody_without_password"
    log = admin.get("/api/audit?action=credentials.issue").get_json()["entries"]
    assert [e["details"]["count"] for e in log] == [1, 1]


def test_only_admins_issue_letters(logged_in: Callable[..., Api]) -> None:
    for role in (Role.SUPPORT, Role.PRESIDIUM, Role.DELEGATE):
        api = logged_in(role)
        assert api.get("/api/admin/letters").status_code == 403
        assert api.post("/api/admin/letters").status_code == 403
