"""``evote serve``: gunicorn with the shipped config serves the app, end to end from the CLI.

The second test is the organiser's whole day-before, then a delegate's first minute, with real
processes: ``evote db upgrade``, ``event create``, ``participants import``, ``credentials
issue`` (password read back from the PDF letter), then a client written from docs/api.md alone
logs in and checks in against two gunicorn workers.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from evote.cli.server import GUNICORN_CONF, gunicorn_argv

EVOTE = str(Path(sys.executable).with_name("evote"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_argv_uses_the_config_file() -> None:
    argv = gunicorn_argv("0.0.0.0:9000", 3, GUNICORN_CONF)
    assert argv[1:3] == ["-m", "gunicorn"]
    assert argv[argv.index("--config") + 1] == str(GUNICORN_CONF)
    assert argv[argv.index("--bind") + 1] == "0.0.0.0:9000"
    assert argv[argv.index("--workers") + 1] == "3"
    assert argv[-1] == "evote.webapp.app:create_app()"


@pytest.fixture
def server_env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    for name in list(env):
        if name.startswith("EVOTE_"):
            del env[name]
    env.update(
        EVOTE_DATABASE_URL=f"sqlite:///{tmp_path / 'serve.sqlite'}",
        EVOTE_SECRET_KEY=secrets.token_hex(32),
        EVOTE_WORKERS="2",
        EVOTE_THREADS="2",
        # plain http on 127.0.0.1: Python's cookie jar (unlike browsers on localhost) returns
        # Secure cookies over https only
        EVOTE_COOKIE_SECURE="0",
    )
    return env


def _run(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([EVOTE, *args], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.fixture
def server(server_env: dict[str, str]) -> Iterator[str]:
    _run(server_env, "db", "upgrade")
    port = _free_port()
    argv = gunicorn_argv(f"127.0.0.1:{port}", None, GUNICORN_CONF)
    proc = subprocess.Popen(argv, env=server_env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{base}/api/health", timeout=2):
                    break
            except OSError:
                assert proc.poll() is None, proc.stderr and proc.stderr.read()
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)


class Client:
    """What a third party writes from docs/api.md: a cookie jar and the X-CSRF-Token header."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        self.csrf = ""

    def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method)
        req.add_header("Accept", "application/json")
        if data is not None:
            req.add_header("Content-Type", "application/json")
        if self.csrf:
            req.add_header("X-CSRF-Token", self.csrf)
        try:
            with self.opener.open(req, timeout=10) as resp:
                return resp.status, json.loads(resp.read())
        except urllib.error.HTTPError as err:
            return err.code, json.loads(err.read())


@pytest.mark.slow
def test_from_csv_to_checked_in_over_real_http(
    server: str, server_env: dict[str, str], tmp_path: Path
) -> None:
    csv = tmp_path / "people.csv"
    csv.write_text(
        "name,email,roles,voting_right\nLea Maier,lea@example.org,delegate,yes\n", encoding="utf-8"
    )
    _run(server_env, "event", "create", "lpt", "--name", "LPT", "--url", server)
    _run(server_env, "event", "open", "lpt")
    _run(server_env, "participants", "import", "lpt", str(csv))
    letters = tmp_path / "letters.pdf"
    _run(server_env, "credentials", "issue", "lpt", "--letters", str(letters))
    page = PdfReader(letters).pages[0].extract_text()
    login = re.search(r"Login\s*([a-z2-9]{8})", page)
    password = re.search(r"Password\s*([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})", page)
    assert login and password, page

    client = Client(server)
    assert client.call("GET", "/api/health") == (200, {"status": "ok"})
    status, body = client.call("GET", "/api/csrf")
    assert status == 200
    client.csrf = body["csrf_token"]
    status, body = client.call(
        "POST", "/api/auth/login", {"login": login.group(1), "password": password.group(1)}
    )
    assert status == 200, body
    client.csrf = body["csrf_token"]
    # several requests, so that both workers see the session
    for _ in range(4):
        status, me = client.call("GET", "/api/me")
        assert status == 200 and me["name"] == "Lea Maier" and me["can_vote"] is False
    status, body = client.call("POST", "/api/checkin")
    assert status == 200 and body["can_vote"] is True
    status, me = client.call("GET", "/api/me")
    assert me["checked_in"] is True
