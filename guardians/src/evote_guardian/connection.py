"""The guardian's line to the server: HTTPS, a session cookie and its CSRF token, never the password.

`login` trades the password for a session once and forgets it; the cookie and token are kept in
`session.json` in the state directory (owner-only), so later commands need no password.  Plain
http is refused unless the caller asks for it explicitly *and* the host is this machine, which
is what tests and a laptop rehearsal need and nothing else does.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from evote_guardian.messages import Told

SESSION_FILE = "session.json"
CSRF_HEADER = "X-CSRF-Token"
COOKIE_NAME = "evote_session"
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


class ServerError(Exception):
    """The server refused a request; `code` is its stable error code, `message` its reason."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{message} ({status} {code})")
        self.status, self.code, self.message = status, code, message


class BadServerUrl(Told, ValueError):
    """The server's address is not safe https (or asked-for http on this machine)."""


def check_url(url: str, allow_http: bool) -> str:
    """The base URL without a trailing slash; raises ValueError for anything but safe https."""
    parts = urlsplit(url)
    if parts.scheme == "https":
        return url.rstrip("/")
    if parts.scheme == "http" and allow_http and parts.hostname in LOCAL_HOSTS:
        return url.rstrip("/")
    if parts.scheme == "http":
        raise BadServerUrl("url.plain_http")
    raise BadServerUrl("url.not_a_url", url=url)


class Connection:
    """A logged-in (or about to log in) client of one evote server."""

    def __init__(self, base_url: str, *, allow_http: bool = False, timeout: float = 120.0) -> None:
        self.base_url = check_url(base_url, allow_http)
        self.allow_http = allow_http
        self.csrf: str | None = None
        self.http = httpx.Client(base_url=self.base_url, timeout=timeout)

    def close(self) -> None:
        self.http.close()

    def _reply(self, resp: httpx.Response) -> Any:
        try:
            body = resp.json()
        except ValueError:
            body = None
        if resp.status_code >= 400:
            if isinstance(body, dict):
                raise ServerError(
                    resp.status_code, str(body.get("error")), str(body.get("message"))
                )
            raise ServerError(resp.status_code, "http_error", resp.text[:200])
        return body

    def get(self, path: str) -> Any:
        return self._reply(self.http.get(path))

    def post(self, path: str, body: Any) -> Any:
        headers = {CSRF_HEADER: self.csrf} if self.csrf else {}
        return self._reply(self.http.post(path, json=body, headers=headers))

    def login(self, login_name: str, password: str) -> dict[str, Any]:
        """The login itself needs the pre-login session's CSRF token; the reply carries a new one."""
        self.csrf = self.get("/api/csrf")["csrf_token"]
        me: dict[str, Any] = self.post("/api/auth/login", {"login": login_name, "password": password})
        self.csrf = me.get("csrf_token")
        return me

    def save(self, state_dir: Path) -> None:
        """Keep the session for later commands; the file is as sensitive as a logged-in browser."""
        cookie = self.http.cookies.get(COOKIE_NAME)
        data = {
            "server": self.base_url,
            "allow_http": self.allow_http,
            "cookie": cookie,
            "csrf": self.csrf,
        }
        state_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        path = state_dir / SESSION_FILE
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            json.dump(data, f)

    @classmethod
    def resume(cls, state_dir: Path) -> Connection:
        """The session `login` saved; raises FileNotFoundError if there is none."""
        data = json.loads((state_dir / SESSION_FILE).read_text())
        conn = cls(data["server"], allow_http=bool(data.get("allow_http")))
        if data.get("cookie"):
            host = urlsplit(conn.base_url).hostname or ""
            conn.http.cookies.set(COOKIE_NAME, data["cookie"], domain=host)
        conn.csrf = data.get("csrf")
        return conn
