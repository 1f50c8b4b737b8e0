"""Deeply nested JSON is a 400 on every endpoint that reads a JSON body, never a 500.

The parser raises `RecursionError` past about a thousand levels, which Flask's
``get_json(silent=True)`` does not catch; and a body that parses but nests hundreds of levels
would make any later recursive walk overflow.  `json_body()` refuses both (`400 malformed_json`,
limit `MAX_JSON_DEPTH`).  Test apps propagate exceptions, so a 500 here fails the test loudly.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask import Flask
from server_helpers import Api

from evote.rules.roles import Role
from evote.webapp.api.common import MAX_JSON_DEPTH

ALL_ROLES = [r for r in Role if r is not Role.GUEST_DELEGATE]
BODILESS_AND_DISRUPTIVE = {
    "/api/auth/logout", "/api/event/close", "/api/support/participants/1/credentials",
}
"""Read no body, and would end the session or the event the other calls need."""


def deep_object(depth: int) -> bytes:
    return b'{"a":' * depth + b"1" + b"}" * depth


def deep_array_in_object(depth: int) -> bytes:
    return b'{"login":' + b"[" * depth + b"]" * depth + b"}"


@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 500, 1_000, 5_000, 100_000])
@pytest.mark.parametrize("shape", [deep_object, deep_array_in_object])
def test_login_refuses_deep_json(
    api: Api, depth: int, shape: Callable[[int], bytes]
) -> None:
    resp = api.post("/api/auth/login", data=shape(depth), content_type="application/json")
    assert resp.status_code == 400, resp.data[:200]
    body = resp.get_json()
    assert body["error"] == "malformed_json"
    assert str(MAX_JSON_DEPTH) in body["message"]


def test_login_still_reads_a_shallow_body(api: Api) -> None:
    """The limit refuses only what nests too deeply: an ordinary login body gets its answer."""
    resp = api.post("/api/auth/login", {"login": "nobody", "password": "x", "extra": [[{"a": 1}]]})
    assert resp.status_code == 401 and resp.get_json()["error"] == "bad_credentials"


def test_top_level_array_and_bad_syntax_are_malformed(api: Api) -> None:
    for body, hint in ((b"[1]", "not a JSON object"), (b"{nope", "not valid")):
        resp = api.post("/api/auth/login", data=body, content_type="application/json")
        assert resp.status_code == 400 and resp.get_json()["error"] == "malformed_json"
        assert hint in resp.get_json()["message"]


def test_every_json_endpoint_refuses_deep_json(
    app: Flask, logged_in: Callable[..., Api]
) -> None:
    """Every state-changing /api route, called by someone holding every role: none answers 500,
    and those that get as far as reading the body answer 400 malformed_json."""
    user = logged_in(*ALL_ROLES, checked_in=True)
    assert user.post("/api/votes", {"kind": "motion", "title": "Antrag"}).status_code == 201
    # deletions last: DELETE /api/votes/1 removes the draft that POST /api/votes/1/open needs
    routes = sorted(
        ((re.sub(r"<(?:\w+:)?\w+>", "1", rule.rule), method)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/")
        for method in (rule.methods or set()) & {"POST", "PUT", "PATCH", "DELETE"}),
        key=lambda route: (route[1] == "DELETE", route),
    )
    reached = []
    for path, method in routes:
        if path in BODILESS_AND_DISRUPTIVE:
            continue
        resp = user._send(
            method, path, True, data=deep_object(2_000), content_type="application/json"
        )
        assert resp.status_code < 500, (method, path, resp.data[:200])
        if resp.status_code == 400 and resp.is_json:
            assert resp.get_json()["error"] == "malformed_json", (method, path, resp.get_json())
            reached.append(f"{method} {path}")
    # the endpoints that read a body before any other check, with a draft vote 1 present (the
    # ballot endpoints need an open vote: tests/server/votes/test_ballot_box.py)
    for must in (
        "POST /api/auth/login", "POST /api/votes", "POST /api/votes/1/open",
        "POST /api/admin/participants",
        "PATCH /api/admin/participants/1", "PUT /api/election-key", "POST /api/ceremony",
        "PUT /api/agenda/current",
    ):
        assert must in reached, (must, reached)
