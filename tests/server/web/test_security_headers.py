"""Headers and start-up refusals that close the web side: a full Content-Security-Policy with
the livestream only as frame or media, HSTS over https, a Secure language cookie, no pages
with inline script or style (which the policy would block), and no start with a weak secret
key. (That EVOTE_GUARDIAN_KDF=min is ignored outside tests: guardians/tests/test_kdf_limits.py;
that the pages work under the policy in a real browser: test_browser_vote.py.)
"""

from __future__ import annotations

import base64
import secrets
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from server_helpers import Api

from evote.rules.roles import Role
from evote.webapp import secret_key
from evote.webapp.app import create_app

REQUIRED = ("default-src 'self'", "script-src 'self'", "object-src 'none'", "base-uri 'none'",
            "frame-ancestors 'none'")


def directives(header: str) -> dict[str, list[str]]:
    found = {}
    for part in header.split(";"):
        name, *values = part.split()
        found[name] = values
    return found


def _pages(logged_in: Callable[..., Api]) -> list[tuple[Api, str]]:
    presidium = logged_in(Role.PRESIDIUM, Role.DELEGATE, checked_in=True)
    anonymous = Api(presidium.client.application.test_client())
    return [
        (anonymous, "/login"), (anonymous, "/verify"), (presidium, "/"), (presidium, "/vote"),
        (presidium, "/presidium"), (presidium, "/projector"), (presidium, "/votes/1/board"),
        (presidium, "/api/me"),
    ]


def test_every_response_carries_the_full_policy(logged_in: Callable[..., Api]) -> None:
    for browser, path in _pages(logged_in):
        resp = browser.get(path)
        assert resp.status_code == 200, path
        policy = resp.headers["Content-Security-Policy"]
        for directive in REQUIRED:
            assert directive in policy, (path, directive)
        assert "unsafe" not in policy, path
        assert directives(policy)["frame-src"] == ["'none'"], path  # no stream set up


class _Inline(HTMLParser):
    """Everything in a page that `script-src 'self'` / `style-src 'self'` would block."""

    def __init__(self) -> None:
        super().__init__()
        self.blocked: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if tag == "script" and "src" not in named and named.get("type") != "application/json":
            self.blocked.append("inline <script>")
        if tag == "style":
            self.blocked.append("inline <style>")
        for name, _ in attrs:
            if name == "style" or name.startswith("on"):
                self.blocked.append(f"<{tag} {name}=...>")


def test_no_page_needs_inline_script_or_style(logged_in: Callable[..., Api]) -> None:
    for browser, path in _pages(logged_in):
        resp = browser.get(path)
        if resp.mimetype != "text/html":
            continue
        parser = _Inline()
        parser.feed(resp.get_data(as_text=True))
        assert parser.blocked == [], (path, parser.blocked)


@pytest.mark.parametrize(
    ("url", "frames", "media"),
    [
        ("https://youtu.be/dQw4w9WgXcQ", ["https://www.youtube-nocookie.com"], ["'self'"]),
        ("https://cdn.example.org/hall/index.m3u8", ["'none'"],
         ["'self'", "https://cdn.example.org"]),
        ("https://meet.example.org/room", ["'none'"], ["'self'"]),  # a link: nothing framed
    ],
)
def test_the_livestream_host_is_allowed_as_frame_or_media_on_the_delegate_page_only(
    logged_in: Callable[..., Api], url: str, frames: list[str], media: list[str]
) -> None:
    presidium = logged_in(Role.PRESIDIUM, Role.DELEGATE, checked_in=True)
    assert presidium.put("/api/event/stage", {"livestream_url": url}).status_code == 200
    page = directives(presidium.get("/vote").headers["Content-Security-Policy"])
    assert page["frame-src"] == frames and page["media-src"] == media
    assert page["script-src"] == ["'self'"] and page["default-src"] == ["'self'"]
    assert page["connect-src"] == ["'self'"]
    other = directives(presidium.get("/presidium").headers["Content-Security-Policy"])
    assert other["frame-src"] == ["'none'"] and other["media-src"] == ["'self'"]


def test_hsts_over_https_only(app_config: dict[str, Any], api: Api) -> None:
    assert "Strict-Transport-Security" not in api.get("/api/health").headers
    secure = api.get("/api/health", base_url="https://vote.example.org")
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000"
    proxied = create_app({**app_config, "PROXY_COUNT": 1}).test_client()
    behind = proxied.get("/api/health", headers={"X-Forwarded-Proto": "https"})
    assert behind.headers["Strict-Transport-Security"] == "max-age=31536000"
    # without EVOTE_PROXY_COUNT a client's own header is not believed
    assert "Strict-Transport-Security" not in api.get(
        "/api/health", headers={"X-Forwarded-Proto": "https"}
    ).headers


def test_the_language_cookie_is_secure(api: Api) -> None:
    cookie = api.get("/verify?lang=en").headers["Set-Cookie"]
    assert "evote_lang=en" in cookie and "Secure" in cookie and "HttpOnly" in cookie


@pytest.mark.parametrize(
    "key",
    [
        "change-me",
        "test-secret-key",
        secrets.token_hex(31),  # 62 hex characters: 248 bits
        base64.b64encode(secrets.token_bytes(31)).decode(),  # 44 base64 characters, 31 bytes
        "a" * 200,  # long, but one character
        "0123456789" * 3,  # 30 characters
    ],
)
def test_a_weak_secret_key_in_the_environment_is_refused(
    key: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EVOTE_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("EVOTE_DATABASE_URL", f"sqlite:///{tmp_path / 'x.sqlite'}")
    monkeypatch.setenv("EVOTE_SECRET_KEY", key)
    with pytest.raises(secret_key.WeakSecretKey) as refused:
        create_app()
    message = str(refused.value)
    assert "EVOTE_SECRET_KEY" in message and "64 hex characters" in message
    assert key not in message or len(key) < 4  # never echoes the key itself


@pytest.mark.parametrize(
    "key",
    [
        secrets.token_hex(32),
        secrets.token_hex(32).upper(),
        base64.b64encode(secrets.token_bytes(32)).decode(),
        secrets.token_urlsafe(32),
    ],
)
def test_a_32_byte_random_key_starts(
    key: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EVOTE_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("EVOTE_DATABASE_URL", f"sqlite:///{tmp_path / 'x.sqlite'}")
    monkeypatch.setenv("EVOTE_SECRET_KEY", key)
    assert create_app().config["SECRET_KEY"] == key


def test_without_a_key_the_generated_one_passes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EVOTE_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("EVOTE_DATABASE_URL", f"sqlite:///{tmp_path / 'x.sqlite'}")
    monkeypatch.delenv("EVOTE_SECRET_KEY", raising=False)
    key = create_app().config["SECRET_KEY"]
    assert len(key) == 64 and (tmp_path / "secret_key").read_text() == key
    (tmp_path / "secret_key").write_text("short")  # edited by hand: refused too
    with pytest.raises(secret_key.WeakSecretKey, match="secret_key"):
        create_app()


def test_a_weak_configured_key_is_refused_outside_tests(app_config: dict[str, Any]) -> None:
    with pytest.raises(secret_key.WeakSecretKey):
        create_app({**app_config, "TESTING": False, "SECRET_KEY": "x"})


def test_evote_serve_refuses_a_weak_key_before_starting_gunicorn(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from evote.cli import main

    monkeypatch.setenv("EVOTE_SECRET_KEY", "change-me")
    result = CliRunner().invoke(main, ["serve"])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert "EVOTE_SECRET_KEY is too weak" in result.output


def test_bits_estimate() -> None:
    assert secret_key.estimated_bits("ab" * 32) == 256  # hex
    assert secret_key.estimated_bits("G" * 43) == 258  # base64
    assert secret_key.estimated_bits("G" * 42 + "==") == 252  # padding does not count
    assert secret_key.estimated_bits("!" * 39) == 256  # printable ASCII


def test_test_apps_may_carry_a_weak_key(app_config: dict[str, Any]) -> None:
    """A key a test hands in (TESTING) is the test's business."""
    assert create_app({**app_config, "SECRET_KEY": "x"}).config["SECRET_KEY"] == "x"
