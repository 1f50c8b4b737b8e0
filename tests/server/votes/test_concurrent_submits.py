"""Fifty simultaneous submits by one delegate against a live server: exactly one ballot counts.

A real threaded HTTP server in front of the real database (PostgreSQL in CI's second pass), and
fifty client threads released together by a barrier.  The one-ballot rule is the database's
primary key, so whatever the interleaving exactly one distinct ballot is accepted and every
other is refused as already voted; resending the accepted ballot gets its receipt back.
Likewise the weeding rule (no ciphertext twice in a vote) is a primary key: of one ballot and
its copies, sent at once by different delegates, exactly one gets in.
"""

from __future__ import annotations

import http.client
import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from server_helpers import Person, live_http
from vote_helpers import Stage, counts, encrypt_for_vote, rewrap

from evote.rules.roles import Role

THREADS = 50


@pytest.fixture
def live_server(app: Flask) -> Iterator[tuple[str, int]]:
    with live_http(app) as server:
        yield "127.0.0.1", server.port


class Browser:
    """Just enough HTTP client: a session cookie and the CSRF header, one connection per call."""

    def __init__(self, address: tuple[str, int]) -> None:
        self.address = address
        self.cookie = ""
        self.csrf = ""

    def request(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        conn = http.client.HTTPConnection(*self.address, timeout=120)
        headers = {"Content-Type": "application/json"}
        if self.cookie:
            headers["Cookie"] = self.cookie
        if self.csrf:
            headers["X-CSRF-Token"] = self.csrf
        data = None if body is None else json.dumps(body).encode()
        conn.request(method, path, body=data, headers=headers)
        resp = conn.getresponse()
        payload = resp.read()
        set_cookie = resp.getheader("Set-Cookie")
        if set_cookie:
            self.cookie = set_cookie.split(";", 1)[0]
        conn.close()
        return resp.status, json.loads(payload) if payload else None

    def login(self, person: Person) -> None:
        status, body = self.request("GET", "/api/csrf")
        self.csrf = body["csrf_token"]
        status, body = self.request(
            "POST", "/api/auth/login", {"login": person.login_name, "password": person.password}
        )
        assert status == 200, body
        self.csrf = body["csrf_token"]


def hammer(browser: Browser, path: str, bodies: list[Any]) -> list[tuple[int, Any]]:
    barrier = threading.Barrier(len(bodies))
    results: list[tuple[int, Any]] = [(0, None)] * len(bodies)

    def one(i: int) -> None:
        barrier.wait()
        results[i] = browser.request("POST", path, bodies[i])

    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(bodies))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    return results


def test_fifty_concurrent_submits_by_one_delegate_exactly_one_accepted(
    stage: Stage, person: Any, live_server: tuple[str, int], app: Flask
) -> None:
    voter = person(Role.DELEGATE, checked_in=True)
    vote = stage.open(stage.create()["id"])
    view = stage.vote_for(stage.delegates[0], vote["id"])
    ballots = [
        encrypt_for_vote(view, {"motion": [("yes", "no", "abstain")[i % 3]]}, f"race-{i}")
        for i in range(THREADS)
    ]
    browser = Browser(live_server)
    browser.login(voter)
    path = f"/api/votes/{vote['id']}/ballots"
    results = hammer(browser, path, ballots)
    accepted = [(i, body) for i, (status, body) in enumerate(results) if status == 201]
    refused = [body for status, body in results if status != 201]
    assert len(accepted) == 1, results
    assert all(body["error"] == "already_voted" for body in refused), refused
    assert counts(app, vote["id"]) == (1, 1, 1)
    # the accepted ballot, resent by fifty impatient threads, gets back the same receipt
    winner_index, receipt = accepted[0]
    again = hammer(browser, path, [ballots[winner_index]] * THREADS)
    assert {status for status, _ in again} == {200}
    assert all(body == receipt for _, body in again)
    assert counts(app, vote["id"]) == (1, 1, 1)


def test_many_delegates_at_once_nothing_lost_or_doubled(
    stage: Stage, person: Any, live_server: tuple[str, int], app: Flask, clock: Any
) -> None:
    """Thirty delegates cast at the same moment, each also resending once: every ballot counts
    exactly once, and the decrypted totals are exactly what was cast."""
    voters = [person(Role.DELEGATE, checked_in=True) for _ in range(30)]
    vote = stage.open(stage.create()["id"])
    view = stage.vote_for(stage.delegates[0], vote["id"])
    choices = [("yes", "no", "abstain")[i % 3] for i in range(len(voters))]
    ballots = [
        encrypt_for_vote(view, {"motion": [c]}, f"crowd-{i}") for i, c in enumerate(choices)
    ]
    browsers = []
    for voter in voters:
        b = Browser(live_server)
        b.login(voter)
        browsers.append(b)
    path = f"/api/votes/{vote['id']}/ballots"
    barrier = threading.Barrier(2 * len(voters))
    results: dict[tuple[int, int], tuple[int, Any]] = {}

    def cast(i: int, attempt: int) -> None:
        barrier.wait()
        results[(i, attempt)] = browsers[i].request("POST", path, ballots[i])

    threads = [
        threading.Thread(target=cast, args=(i, a)) for i in range(len(voters)) for a in (0, 1)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    for i in range(len(voters)):
        statuses = sorted(results[(i, a)][0] for a in (0, 1))
        assert statuses == [200, 201], (i, results[(i, 0)], results[(i, 1)])
        assert results[(i, 0)][1] == results[(i, 1)][1]
    assert counts(app, vote["id"]) == (30, 30, 30)

    clock.advance(60)
    tally = stage.guardian.get(f"/api/votes/{vote['id']}/encrypted-tally").get_json()
    for g in range(3):
        for share in stage.guardians.shares(g, tally):
            stage.guardian.post(f"/api/votes/{vote['id']}/decryption-shares", share)
    result = stage.presidium.get(f"/api/votes/{vote['id']}/result").get_json()
    assert result["totals"]["motion"] == {"yes": 10, "no": 10, "abstain": 10}
    assert result["ballots_cast"] == 30


def test_a_ballot_and_its_copies_sent_at_once_exactly_one_accepted(
    stage: Stage, person: Any, live_server: tuple[str, int], app: Flask
) -> None:
    """Ten delegates post one ballot and nine re-wraps of it (new ids and codes, the same
    ciphertexts) at the same moment: only the weeding table's key can stop the copies."""
    voters = [person(Role.DELEGATE, checked_in=True) for _ in range(10)]
    vote = stage.open(stage.create()["id"])
    view = stage.vote_for(stage.delegates[0], vote["id"])
    original = encrypt_for_vote(view, {"motion": ["no"]}, "race-original")
    ballots = [original] + [rewrap(original, f"b-race-copy-{i}") for i in range(1, len(voters))]
    assert len({b["code"] for b in ballots}) == len(ballots)
    browsers = []
    for voter in voters:
        b = Browser(live_server)
        b.login(voter)
        browsers.append(b)
    path = f"/api/votes/{vote['id']}/ballots"
    barrier = threading.Barrier(len(voters))
    results: list[tuple[int, Any]] = [(0, None)] * len(voters)

    def cast(i: int) -> None:
        barrier.wait()
        results[i] = browsers[i].request("POST", path, ballots[i])

    threads = [threading.Thread(target=cast, args=(i,)) for i in range(len(voters))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    statuses = [status for status, _ in results]
    assert statuses.count(201) == 1, results
    refused = [body for status, body in results if status != 201]
    assert all(body["error"] == "duplicate_ciphertext" for body in refused), refused
    assert counts(app, vote["id"]) == (1, 1, 1)


def test_the_last_shares_sent_at_once_still_decrypt_the_vote(
    stage: Stage, person: Any, live_server: tuple[str, int], clock: Any
) -> None:
    """Two present guardians send their last shares (the compensated ones for the absent third)
    at the same moment. Each request combines the shares if all are in; the one that commits
    last must see both. Without the vote row's lock taken first, each transaction saw only its
    own new share, neither combined, and the vote stayed closed for good (PostgreSQL; `evote
    rehearse` found it with guardians running `decrypt --wait` side by side)."""
    vote = stage.open(stage.create()["id"])
    view = stage.vote_for(stage.delegates[0], vote["id"])
    for i, delegate in enumerate(stage.delegates):
        ballot = encrypt_for_vote(view, {"motion": [("yes", "no", "abstain")[i]]}, f"last-{i}")
        assert delegate.post(f"/api/votes/{vote['id']}/ballots", ballot).status_code == 201
    clock.advance(60)
    path = f"/api/votes/{vote['id']}/decryption-shares"
    tally = stage.guardian.get(f"/api/votes/{vote['id']}/encrypted-tally").get_json()
    for g in range(2):
        for share in stage.guardians.shares(g, tally):
            assert stage.guardian.post(path, share).status_code == 200
    [first] = stage.guardians.compensated(0, 2, tally)
    [second] = stage.guardians.compensated(1, 2, tally)
    browsers = []
    for _ in range(2):
        b = Browser(live_server)
        b.login(person(Role.GUARDIAN))
        browsers.append(b)
    barrier = threading.Barrier(2)
    results: list[tuple[int, Any]] = [(0, None), (0, None)]

    def send(i: int, share: dict[str, Any]) -> None:
        barrier.wait()
        results[i] = browsers[i].request("POST", path, share)

    threads = [threading.Thread(target=send, args=(i, s)) for i, s in enumerate((first, second))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert [status for status, _ in results] == [200, 200], results
    assert "decrypted" in {body["state"] for _, body in results}, results
    result = stage.presidium.get(f"/api/votes/{vote['id']}/result")
    assert result.status_code == 200, result.get_json()
    assert result.get_json()["totals"]["motion"] == {"yes": 1, "no": 1, "abstain": 1}
