"""Login throttle: a growing delay per account and per address, never a lockout; shared by every
worker; counted atomically, so parallel guesses cannot slip past it.

The attacks it answers: five wrong passwords used to lock the real delegate out for 15 minutes
and fifty from one address a whole venue behind its NAT; twenty parallel wrong passwords were
all tried against a limit of five.
"""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from server_helpers import Api, Person, live_http

from evote.people import ratelimit
from evote.rules.roles import Role
from evote.store.clock import ManualClock
from evote.webapp.app import create_app


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def app_config(app_config: dict[str, Any], clock: ManualClock) -> dict[str, Any]:
    return {**app_config, "CLOCK": clock}


def _fail(api: Api, login: str, times: int, ip: str = "10.0.0.1") -> None:
    for _ in range(times):
        resp = api.post(
            "/api/auth/login",
            {"login": login, "password": "wrong"},
            environ_base={"REMOTE_ADDR": ip},
        )
        assert resp.status_code == 401, resp.get_json()


def _try(api: Api, person: Person, ip: str = "10.0.0.1") -> int | tuple[int, int]:
    """200, 401, or (429, Retry-After)."""
    resp = api.post(
        "/api/auth/login",
        {"login": person.login_name, "password": person.password},
        environ_base={"REMOTE_ADDR": ip},
    )
    if resp.status_code == 429:
        assert resp.get_json()["error"] == "rate_limited"
        return 429, int(resp.headers["Retry-After"])
    if resp.status_code == 200:
        api.csrf = resp.get_json()["csrf_token"]  # the login started a new session
    return resp.status_code


def test_wrong_passwords_delay_the_account_and_the_right_one_works_after_the_delay(
    app: Flask, api: Api, person: Callable[..., Person], clock: ManualClock
) -> None:
    victim, other = person(Role.DELEGATE), person(Role.DELEGATE)
    free = app.config["LOGIN_FREE_FAILURES_PER_ACCOUNT"]
    _fail(api, victim.login_name, free + 1)  # the free ones, and one more: 2 s to wait
    assert _try(api, victim) == (429, 2)
    assert _try(api, victim, ip="10.9.9.9") == (429, 2)  # per account: another address waits too
    assert _try(api, other) == 200  # other accounts from the same address still log in
    clock.advance(2)
    assert _try(api, victim) == 200  # no lockout: the delay has passed, the password works
    _fail(api, victim.login_name, free)  # and success forgot the failures
    assert _try(api, victim) == 200


def test_the_delay_doubles_up_to_a_minute(
    app: Flask, api: Api, person: Callable[..., Person], clock: ManualClock
) -> None:
    victim = person(Role.DELEGATE)
    _fail(api, victim.login_name, app.config["LOGIN_FREE_FAILURES_PER_ACCOUNT"])
    waits = []
    for _ in range(8):
        _fail(api, victim.login_name, 1)
        refused = _try(api, victim)
        assert isinstance(refused, tuple) and refused[0] == 429
        waits.append(refused[1])
        clock.advance(refused[1])
    assert waits == [2, 4, 8, 16, 32, 60, 60, 60]
    assert _try(api, victim) == 200


def test_a_venue_behind_one_address_is_not_locked_out(
    api: Api, person: Callable[..., Person]
) -> None:
    """A hundred delegates mistyping once from the hall's one NAT address (the old limit was
    fifty) do not keep the next one out."""
    someone = person(Role.DELEGATE)
    for i in range(100):
        _fail(api, f"typo{i}", 1, ip="192.0.2.7")
    assert _try(api, someone, ip="192.0.2.7") == 200


def test_an_address_spraying_many_accounts_is_delayed(
    app: Flask, api: Api, person: Callable[..., Person], clock: ManualClock
) -> None:
    app.config["LOGIN_FREE_FAILURES_PER_IP"] = 4
    someone = person(Role.DELEGATE)
    for i in range(5):
        _fail(api, f"guess{i}", 1, ip="192.0.2.7")
    assert _try(api, someone, ip="192.0.2.7") == (429, 2)
    assert _try(api, someone, ip="192.0.2.8") == 200
    clock.advance(2)
    assert _try(api, someone, ip="192.0.2.7") == 200


def test_throttle_is_shared_between_workers(
    app: Flask, app_config: dict[str, Any], api: Api, person: Callable[..., Person]
) -> None:
    """Two app instances on one database stand in for two gunicorn workers."""
    other_worker = Api(create_app(app_config).test_client())
    someone = person(Role.DELEGATE)
    _fail(api, someone.login_name, 3)
    _fail(other_worker, someone.login_name, 3)
    assert _try(api, someone) == (429, 2)
    assert _try(other_worker, someone) == (429, 2)


def test_failures_are_forgotten_after_the_window(
    app: Flask, api: Api, person: Callable[..., Person], clock: ManualClock
) -> None:
    victim = person(Role.DELEGATE)
    free = app.config["LOGIN_FREE_FAILURES_PER_ACCOUNT"]
    _fail(api, victim.login_name, free)
    clock.advance(app.config["LOGIN_RATE_WINDOW_SECONDS"] + 1)
    _fail(api, victim.login_name, free)  # counted from zero again: no delay yet
    assert _try(api, victim) == 200


def test_delay_formula() -> None:
    limits = ratelimit.Limits(window=timedelta(minutes=15), per_account=5, per_ip=2000)
    assert [limits.delay(f, 5) for f in (0, 5, 6, 7, 10, 11, 12, 1000)] == [
        0, 0, 2, 4, 32, 60, 60, 60
    ]


def test_parallel_wrong_passwords_are_counted_atomically(
    app: Flask, person: Callable[..., Person]
) -> None:
    """Twenty wrong passwords sent at once: only the free five and the one that starts the
    delay are checked, the rest wait. (Before, all twenty were checked against the limit.)"""
    app.config["PASSWORD_HASH_PROFILE"] = "rfc9106_low_memory"  # slow enough to overlap
    app.config["SESSION_COOKIE_SECURE"] = False  # plain http on the loopback
    victim = person(Role.DELEGATE)
    free = app.config["LOGIN_FREE_FAILURES_PER_ACCOUNT"]
    statuses: list[int] = []
    start = threading.Barrier(20)

    def guess(base: str, i: int) -> None:
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
        with opener.open(f"{base}/api/csrf") as resp:
            token = json.load(resp)["csrf_token"]
        body = json.dumps({"login": victim.login_name, "password": f"wrong-{i}"}).encode()
        req = urllib.request.Request(
            f"{base}/api/auth/login", body,
            {"Content-Type": "application/json", "X-CSRF-Token": token},
        )
        start.wait()
        try:
            with opener.open(req) as resp:
                statuses.append(resp.status)
        except urllib.error.HTTPError as err:
            statuses.append(err.code)

    with live_http(app) as server:
        base = server.url("127.0.0.1")
        threads = [threading.Thread(target=guess, args=(base, i)) for i in range(20)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    counted = Counter(statuses)
    assert counted[401] == free + 1 and counted[429] == 20 - free - 1, counted


def test_forwarded_for_counts_only_behind_a_configured_proxy(
    app_config: dict, person: Callable[..., Person]
) -> None:
    """Without EVOTE_PROXY_COUNT a client cannot dodge the address throttle with a forged
    header; with it, each real client behind the proxy has its own allowance."""
    someone = person(Role.DELEGATE)
    for proxies, expected in ((0, 429), (1, 200)):
        app = create_app({**app_config, "PROXY_COUNT": proxies, "LOGIN_FREE_FAILURES_PER_IP": 1})
        browser = Api(app.test_client())
        for i in range(2):
            resp = browser.post(
                "/api/auth/login",
                {"login": f"x{proxies}{i}", "password": "no"},
                headers={"X-Forwarded-For": f"198.51.100.{i}"},
                environ_base={"REMOTE_ADDR": f"10.1.1.{proxies}"},
            )
            assert resp.status_code == 401
        resp = browser.post(
            "/api/auth/login",
            {"login": someone.login_name, "password": someone.password},
            headers={"X-Forwarded-For": "198.51.100.99"},
            environ_base={"REMOTE_ADDR": f"10.1.1.{proxies}"},
        )
        assert resp.status_code == expected
