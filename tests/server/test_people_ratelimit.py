"""Login rate limit: per account, per address, shared by every worker, with a time window."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from flask import Flask
from server_helpers import Api, Person

from evote.people import ratelimit
from evote.rules.roles import Role
from evote.store.db import get_session
from evote.webapp.app import create_app


def _fail(api: Api, login: str, times: int, ip: str = "10.0.0.1") -> None:
    for _ in range(times):
        resp = api.post(
            "/api/auth/login",
            {"login": login, "password": "wrong"},
            environ_base={"REMOTE_ADDR": ip},
        )
        assert resp.status_code == 401, resp.get_json()


def _try(api: Api, person: Person, ip: str = "10.0.0.1") -> int:
    resp = api.post(
        "/api/auth/login",
        {"login": person.login_name, "password": person.password},
        environ_base={"REMOTE_ADDR": ip},
    )
    if resp.status_code == 429:
        assert int(resp.headers["Retry-After"]) > 0
        assert resp.get_json()["error"] == "rate_limited"
    if resp.status_code == 200:
        api.csrf = resp.get_json()["csrf_token"]  # the login started a new session
    return resp.status_code


def test_account_is_blocked_after_five_failures_even_with_the_right_password(
    app: Flask, api: Api, person: Callable[..., Person]
) -> None:
    victim, other = person(Role.DELEGATE), person(Role.DELEGATE)
    _fail(api, victim.login_name, app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"])
    assert _try(api, victim) == 429
    assert _try(api, victim, ip="10.9.9.9") == 429  # per account: another address does not help
    assert _try(api, other) == 200  # other accounts from the same address still log in


def test_success_clears_the_account_count(app: Flask, api: Api, person: Callable[..., Person]) -> None:
    someone = person(Role.DELEGATE)
    limit = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    _fail(api, someone.login_name, limit - 1)
    assert _try(api, someone) == 200
    _fail(api, someone.login_name, limit - 1)
    assert _try(api, someone) == 200


def test_address_is_blocked_across_accounts(app: Flask, api: Api, person: Callable[..., Person]) -> None:
    app.config["LOGIN_MAX_FAILURES_PER_IP"] = 4
    someone = person(Role.DELEGATE)
    for i in range(4):
        _fail(api, f"guess{i}", 1, ip="192.0.2.7")
    assert _try(api, someone, ip="192.0.2.7") == 429
    assert _try(api, someone, ip="192.0.2.8") == 200


def test_limit_is_shared_between_workers(
    app: Flask, app_config: dict, api: Api, person: Callable[..., Person], tmp_path: Path
) -> None:
    """Two app instances on one database stand in for two gunicorn workers."""
    other_worker = Api(create_app(app_config).test_client())
    someone = person(Role.DELEGATE)
    _fail(api, someone.login_name, 3)
    _fail(other_worker, someone.login_name, 2)
    assert _try(api, someone) == 429
    assert _try(other_worker, someone) == 429


def test_failures_expire_after_the_window(app: Flask, person: Callable[..., Person]) -> None:
    limits = ratelimit.Limits(window=timedelta(minutes=15), per_account=2, per_ip=100)
    start = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
    with app.app_context():
        db = get_session()
        ratelimit.record_failure(db, limits, "acct", "ip", start)
        ratelimit.record_failure(db, limits, "acct", "ip", start + timedelta(minutes=1))
        db.commit()
        wait = ratelimit.retry_after(db, limits, "acct", "ip", start + timedelta(minutes=2))
        assert wait is not None and 0 < wait <= 13 * 60 + 1
        assert ratelimit.retry_after(db, limits, "acct", "ip", start + timedelta(minutes=15, seconds=30)) is None
        assert ratelimit.retry_after(db, limits, "other", "ip2", start + timedelta(minutes=2)) is None


def test_forwarded_for_counts_only_behind_a_configured_proxy(
    app_config: dict, person: Callable[..., Person]
) -> None:
    """Without EVOTE_PROXY_COUNT a client cannot dodge the address limit with a forged header;
    with it, each real client behind the proxy has its own allowance."""
    someone = person(Role.DELEGATE)
    for proxies, expected in ((0, 429), (1, 200)):
        app = create_app({**app_config, "PROXY_COUNT": proxies, "LOGIN_MAX_FAILURES_PER_IP": 2})
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
