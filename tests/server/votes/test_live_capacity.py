"""Many live pages at once against a real threaded HTTP server, on this run's database.

Fifty open streams all get the presidium's agenda event while the API keeps answering; the
stream past the process's cap is refused with 503 and Retry-After and gets in once a page
closes; a page that stops reading is dropped while a page that reads gets every event.  The
numbers for 1,000 pages under gunicorn are in bench/live_streams.py (docs/deployment.md).
"""

from __future__ import annotations

import json
import os
import runpy
import signal
import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from server_helpers import Person, live_http

from evote.cli.server import GUNICORN_CONF
from evote.live.bus import Hub
from evote.rules.roles import Role
from evote.voting import events

STREAMS = 50
PAGES_PER_DELEGATE = 2  # tabs: the same session may follow the stream several times (up to
# LIVE_STREAMS_PER_PARTICIPANT, 3 by default: test_live_fairness.py)


@pytest.fixture
def address(app: Flask) -> Iterator[tuple[str, int]]:
    with live_http(app) as server:
        yield "127.0.0.1", server.port


def request(
    address: tuple[str, int], method: str, path: str, cookie: str = "", csrf: str = "",
    body: Any = None,
) -> tuple[int, dict[str, str], Any]:
    """One HTTP/1.0 exchange (the server closes when done): status, headers, JSON body."""
    data = b"" if body is None else json.dumps(body).encode()
    head = [f"{method} {path} HTTP/1.0", f"Content-Length: {len(data)}",
            "Content-Type: application/json"]
    if cookie:
        head.append(f"Cookie: {cookie}")
    if csrf:
        head.append(f"X-CSRF-Token: {csrf}")
    with socket.create_connection(address, timeout=30) as sock:
        sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode() + data)
        raw = b""
        while chunk := sock.recv(65536):
            raw += chunk
    header, _, payload = raw.partition(b"\r\n\r\n")
    lines = header.decode().split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (ln.partition(":") for ln in lines[1:])}
    return int(lines[0].split()[1]), headers, json.loads(payload) if payload else None


def login(address: tuple[str, int], who: Person) -> tuple[str, str]:
    """Cookie and CSRF token of a fresh session, logged in over HTTP."""
    _, headers, body = request(address, "GET", "/api/csrf")
    cookie = headers["set-cookie"].split(";", 1)[0]
    status, headers, body = request(
        address, "POST", "/api/auth/login", cookie, body["csrf_token"],
        {"login": who.login_name, "password": who.password},
    )
    assert status == 200, body
    return headers["set-cookie"].split(";", 1)[0], body["csrf_token"]


class Page:
    """A live page: an open `GET /api/live` whose events are read when asked."""

    def __init__(self, address: tuple[str, int], cookie: str, rcvbuf: int | None = None) -> None:
        self.sock = socket.socket()
        if rcvbuf:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        self.sock.settimeout(20)
        self.sock.connect(address)
        self.sock.sendall(f"GET /api/live HTTP/1.0\r\nCookie: {cookie}\r\n\r\n".encode())
        self.raw = b""
        self.buffer = b""
        self.chunked = False
        self.ended = False

    def _fill(self) -> None:
        """Read from the socket; undo chunked transfer encoding (werkzeug uses it)."""
        chunk = self.sock.recv(65536)
        if not chunk:
            self.ended = True
        if not self.chunked:
            self.buffer += chunk
            return
        self.raw += chunk
        self._dechunk()

    def _dechunk(self) -> None:
        while b"\r\n" in self.raw:
            size_line, _, rest = self.raw.partition(b"\r\n")
            size = int(size_line, 16)
            if size == 0:
                self.ended = True
                return
            if len(rest) < size + 2:
                return
            self.buffer += rest[:size]
            self.raw = rest[size + 2:]

    def head(self) -> tuple[int, dict[str, str]]:
        while b"\r\n\r\n" not in self.buffer and not self.ended:
            self._fill()
        header, _, rest = self.buffer.partition(b"\r\n\r\n")
        lines = header.decode().split("\r\n")
        headers = {k.lower(): v.strip() for k, _, v in (ln.partition(":") for ln in lines[1:])}
        self.buffer = b""
        if headers.get("transfer-encoding") == "chunked":
            self.chunked, self.raw = True, rest
            self._dechunk()
        else:
            self.buffer = rest
        return int(lines[0].split()[1]), headers

    def block(self) -> bytes:
        """The next raw block up to the blank line."""
        while b"\n\n" not in self.buffer and not self.ended:
            self._fill()
        block, _, self.buffer = self.buffer.partition(b"\n\n")
        return block

    def next_event(self) -> dict[str, Any] | None:
        """The next `data:` event; None when the server ended the stream."""
        while True:
            while b"\n\n" not in self.buffer:
                if self.ended:
                    return None
                self._fill()
            block, _, self.buffer = self.buffer.partition(b"\n\n")
            for line in block.decode().splitlines():
                if line.startswith("data: "):
                    event: dict[str, Any] = json.loads(line[6:])
                    return event

    def close(self) -> None:
        self.sock.close()


def _wait_for(condition: Callable[[], bool], seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.05)


def test_fifty_pages_get_the_agenda_and_the_api_still_answers(
    app: Flask, address: tuple[str, int], person: Callable[..., Person]
) -> None:
    hub: Hub = events.hub(app)
    hub.max_streams = STREAMS
    cookies = [
        login(address, person(Role.DELEGATE, checked_in=True))[0]
        for _ in range(STREAMS // PAGES_PER_DELEGATE)
    ]
    presidium_cookie, presidium_csrf = login(address, person(Role.PRESIDIUM))
    pages = [Page(address, cookies[i % len(cookies)]) for i in range(STREAMS)]
    try:
        for page in pages:
            assert page.head()[0] == 200
            assert page.block() == b"retry: 3000"  # the browser's reconnect delay, first
            first = page.next_event()
            assert first is not None and first["type"] == "snapshot" and first["agenda"] is None
        assert hub.subscriber_count() == STREAMS

        # one more page is refused, with a hint when to come back, and nothing else suffers
        extra = Page(address, cookies[0])
        status, headers = extra.head()
        extra.close()
        assert status == 503 and 5 <= int(headers["retry-after"]) <= 15
        assert request(address, "GET", "/api/health")[0] == 200
        login(address, person(Role.DELEGATE, checked_in=True))

        status, _, _ = request(
            address, "PUT", "/api/agenda/current", presidium_cookie, presidium_csrf,
            {"title": "TOP 5: Satzung"},
        )
        assert status == 200
        for page in pages:
            event = page.next_event()
            assert event is not None and (event["type"], event["title"]) == ("agenda", "TOP 5: Satzung")

        # a closed page frees its place (noticed at the next heartbeat write)
        pages.pop().close()
        _wait_for(lambda: hub.subscriber_count() == STREAMS - 1)
        again = Page(address, cookies[0])
        pages.append(again)
        assert again.head()[0] == 200
        snapshot = again.next_event()
        assert snapshot is not None and snapshot["agenda"] == "TOP 5: Satzung"
    finally:
        for page in pages:
            page.close()
    _wait_for(lambda: hub.subscriber_count() == 0)


def test_a_page_that_stops_reading_is_dropped_and_the_others_get_everything(
    app: Flask, address: tuple[str, int], person: Callable[..., Person]
) -> None:
    hub: Hub = events.hub(app)
    hub.queue_limit = 8
    cookie = login(address, person(Role.DELEGATE, checked_in=True))[0]
    event_id = person(Role.DELEGATE).event_id
    stalled = Page(address, cookie, rcvbuf=4096)
    reading = Page(address, cookie)
    try:
        assert stalled.head()[0] == 200 and reading.head()[0] == 200
        assert reading.next_event() is not None  # snapshot
        _wait_for(lambda: hub.subscriber_count() == 2)
        padding = "x" * 4000
        sent = 0
        # publish until the stalled page's socket and queue are full; bounded (~40 MB)
        while hub.subscriber_count() == 2 and sent < 10_000:
            hub.publish({"type": "turnout", "event_id": event_id, "cast": sent, "pad": padding})
            got = reading.next_event()
            assert got is not None and got["cast"] == sent
            sent += 1
        assert hub.subscriber_count() == 1, "the stalled page was never dropped"
        # the reading page still gets what follows
        hub.publish({"type": "turnout", "event_id": event_id, "cast": sent, "pad": ""})
        got = reading.next_event()
        assert got is not None and got["cast"] == sent
        # the stalled page, once it reads again, finds its stream ended before the last events
        seen = []
        while (event := stalled.next_event()) is not None:
            seen.append(event.get("cast"))
        assert stalled.ended and seen[0] is None  # the snapshot
        assert sent not in seen and len(seen) < sent
    finally:
        stalled.close()
        reading.close()


def _own_live_streams_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    """The config writes EVOTE_LIVE_STREAMS itself; set it once through monkeypatch so that
    teardown removes that write too, or later apps in this process would allow one stream."""
    monkeypatch.setenv("EVOTE_LIVE_STREAMS", "0")


def test_gunicorn_config_keeps_threads_for_the_ballot_box(monkeypatch: pytest.MonkeyPatch) -> None:
    _own_live_streams_variable(monkeypatch)
    for name in ("EVOTE_THREADS", "EVOTE_LIVE_STREAMS", "EVOTE_API_THREADS"):
        monkeypatch.delenv(name, raising=False)
    conf = runpy.run_path(str(GUNICORN_CONF))
    assert conf["worker_class"] == "gthread"
    assert os.environ["EVOTE_LIVE_STREAMS"] == "400"  # what the workers' apps will read
    assert conf["threads"] == 400 + 32 and conf["worker_connections"] > conf["threads"]

    monkeypatch.setenv("EVOTE_THREADS", "2")  # a small explicit pool still keeps one free
    runpy.run_path(str(GUNICORN_CONF))
    assert os.environ["EVOTE_LIVE_STREAMS"] == "1"


def test_serve_live_streams_sizes_the_thread_pool(monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from evote.cli.server import serve_command

    ran: list[list[str]] = []
    monkeypatch.setattr(os, "execv", lambda _path, argv: ran.append(argv))
    monkeypatch.setenv("EVOTE_THREADS", "8")  # an old setting must not cap the new pool
    _own_live_streams_variable(monkeypatch)
    monkeypatch.delenv("EVOTE_LIVE_STREAMS")
    result = CliRunner().invoke(serve_command, ["--live-streams", "300"])
    assert result.exit_code == 0, result.output
    assert ran and ran[0][-1] == "evote.webapp.app:create_app()"
    conf = runpy.run_path(str(GUNICORN_CONF))
    assert os.environ["EVOTE_LIVE_STREAMS"] == "300" and conf["threads"] == 332
    assert CliRunner().invoke(serve_command, ["--live-streams", "0"]).exit_code != 0



def test_under_gunicorn_a_stream_socket_gives_up_on_a_page_that_stopped_reading(
    app: Flask, logged_in: Callable[..., Any]
) -> None:
    app.config["LIVE_SEND_TIMEOUT"] = 7.5
    delegate = logged_in(Role.DELEGATE, checked_in=True)
    with socket.socket() as sock:
        assert sock.gettimeout() is None  # as gunicorn's gthread worker hands it over
        resp = delegate.get(
            "/api/live", buffered=False, environ_base={"gunicorn.socket": sock}
        )
        assert resp.status_code == 200
        assert sock.gettimeout() == 7.5  # a stalled write now fails instead of hanging
        resp.close()


@pytest.fixture
def gunicorn(app: Flask) -> Iterator[tuple[tuple[str, int], Any]]:
    """`evote serve`'s gunicorn (one worker, 10 stream places + 4 API threads) on this test's
    database, sharing the test app's secret key so its session cookies are valid there."""
    import subprocess
    import urllib.request

    from evote.cli.server import gunicorn_argv

    env = {k: v for k, v in os.environ.items() if not k.startswith("EVOTE_")}
    env.update(
        EVOTE_DATABASE_URL=app.config["DATABASE_URL"],
        EVOTE_DATABASE_SCHEMA=app.config.get("DATABASE_SCHEMA") or "",
        EVOTE_SECRET_KEY=app.config["SECRET_KEY"],
        EVOTE_COOKIE_SECURE="0",
        EVOTE_LIVE_BROKER="memory",
        EVOTE_WORKERS="1",
        EVOTE_LIVE_STREAMS="10",
        EVOTE_API_THREADS="4",
        EVOTE_LOG_LEVEL="warning",
    )
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    argv = gunicorn_argv(f"127.0.0.1:{port}", None, GUNICORN_CONF)
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=2):
                    break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline, (
                    proc.stderr.read() if proc.stderr else "gunicorn did not start"
                )
                time.sleep(0.2)
        yield ("127.0.0.1", port), proc
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
        proc.wait(timeout=40)


def test_gunicorn_worker_holds_its_cap_of_streams_and_keeps_threads_for_the_api(
    gunicorn: tuple[tuple[str, int], Any], person: Callable[..., Person]
) -> None:
    address, proc = gunicorn
    # ten delegates: one account may hold only three streams (test_live_fairness.py)
    cookies = [login(address, person(Role.DELEGATE, checked_in=True))[0] for _ in range(10)]
    presidium_cookie, presidium_csrf = login(address, person(Role.PRESIDIUM))
    pages = [Page(address, cookie) for cookie in cookies]
    try:
        for page in pages:
            assert page.head()[0] == 200 and page.next_event() is not None  # snapshot
        refused = Page(address, cookies[0])
        status, headers = refused.head()
        refused.close()
        assert status == 503 and "retry-after" in headers
        # every stream thread is taken, yet logins and the presidium still get through
        for _ in range(3):
            assert request(address, "GET", "/api/health")[0] == 200
        login(address, person(Role.DELEGATE, checked_in=True))
        status, _, _ = request(
            address, "PUT", "/api/agenda/current", presidium_cookie, presidium_csrf,
            {"title": "TOP 7: Anträge"},
        )
        assert status == 200
        for page in pages:
            event = page.next_event()
            assert event is not None and event["title"] == "TOP 7: Anträge"

        # a quick stop (SIGINT) ends the streams at once: each page sees a clean end of stream
        # before its next heartbeat (15 s), not a worker killed after the graceful timeout
        proc.send_signal(signal.SIGINT)
        for page in pages:
            page.sock.settimeout(60)
            rest = []
            while not page.ended:
                rest.append(page.block())
            assert not any(block.startswith(b": heartbeat") for block in rest), rest
        assert proc.wait(timeout=40) == 0
    finally:
        for page in pages:
            page.close()


def test_a_stopping_worker_ends_every_waiting_stream() -> None:
    from evote.live.bus import Dropped, end_all_streams
    from evote.live.memory import MemoryBroker

    hubs = [Hub(MemoryBroker()), Hub(MemoryBroker())]
    subs = [hub.subscribe(1) for hub in hubs for _ in range(3)]
    outcomes: list[str] = []

    def wait(sub: Any) -> None:
        try:
            sub.get(timeout=30)  # a stream between heartbeats
            outcomes.append("event")
        except Dropped:
            outcomes.append("ended")

    threads = [threading.Thread(target=wait, args=(sub,)) for sub in subs]
    for thread in threads:
        thread.start()
    end_all_streams()  # what gunicorn.conf.py's SIGTERM/SIGINT hooks call
    for thread in threads:
        thread.join(timeout=10)
    assert outcomes == ["ended"] * len(subs)
    assert [hub.subscriber_count() for hub in hubs] == [0, 0]

