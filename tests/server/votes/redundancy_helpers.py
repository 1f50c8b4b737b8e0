"""What the redundancy tests play against real `evote serve` processes: browsers over HTTP
(httpx, which evote-guardian brings), live pages that reconnect the way EventSource does, and
casts resent on a dropped connection the way the delegate page does.

A live page keeps every event it got; after a dropped stream it reconnects naming the last
numbered event (`Last-Event-ID`), so the server replays what it missed before the snapshot.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import httpx
from flask import Flask
from server_helpers import Person
from sqlalchemy import select

from evote.store.db import get_session
from evote.store.models.live import LiveEventRecord
from evote.store.models.votes import Participation, StoredBallot
from evote.webapp.csrf import HEADER


class Browser:
    """One person's browser: cookies, CSRF token, connections to one base URL."""

    def __init__(self, base: str, cookies: httpx.Cookies | None = None, csrf: str = "") -> None:
        self.base = base
        self.http = httpx.Client(base_url=base, timeout=30, cookies=cookies)
        self.csrf = csrf

    def login(self, person: Person) -> Browser:
        self.csrf = self.http.get("/api/csrf").json()["csrf_token"]
        resp = self.post("/api/auth/login",
                         {"login": person.login_name, "password": person.password})
        assert resp.status_code == 200, resp.text
        self.csrf = resp.json()["csrf_token"]
        return self

    def via(self, base: str) -> Browser:
        """The same session talking to another server (or the proxy)."""
        return Browser(base, httpx.Cookies(self.http.cookies), self.csrf)

    def get(self, path: str) -> httpx.Response:
        return self.http.get(path)

    def post(self, path: str, body: Any = None) -> httpx.Response:
        return self.http.post(path, json=body, headers={HEADER: self.csrf})

    def close(self) -> None:
        self.http.close()


@dataclass
class Cast:
    """One delegate's cast: every answer it got, and how many sends failed in transport."""

    answers: list[httpx.Response] = field(default_factory=list)
    dropped: int = 0

    @property
    def final(self) -> httpx.Response:
        return self.answers[-1]


def cast(browser: Browser, vote_id: int, ballot: dict[str, Any], record: Cast,
         tries: int = 100) -> Cast:
    """POST the ballot until the server answers (not 5xx): a dropped connection or a proxy's
    502/503 is sent again with the same ballot, as the page does."""
    for _ in range(tries):
        try:
            resp = browser.post(f"/api/votes/{vote_id}/ballots", ballot)
        except httpx.TransportError:
            record.dropped += 1
            time.sleep(0.2)
            continue
        record.answers.append(resp)
        if resp.status_code < 500:
            return record
        time.sleep(0.2)
    raise AssertionError(f"no answer to the cast after {tries} tries")


class LivePage(threading.Thread):
    """A delegate's live page: reads `/api/live`, and after a dropped stream reconnects with
    `Last-Event-ID` (any server, any worker), as the browser's EventSource does."""

    def __init__(self, browser: Browser) -> None:
        super().__init__(daemon=True)
        self.browser = browser.via(browser.base)
        self.events: list[dict[str, Any]] = []
        self.connects = 0
        self.last_id: int | None = None
        self.first_snapshot: int | None = None
        self.stopping = threading.Event()
        self.lock = threading.Lock()

    def run(self) -> None:
        while not self.stopping.is_set():
            headers = {} if self.last_id is None else {"Last-Event-ID": str(self.last_id)}
            with contextlib.suppress(httpx.HTTPError):
                self._follow(headers)
            if not self.stopping.is_set():
                time.sleep(0.2)

    def _follow(self, headers: dict[str, str]) -> None:
        timeout = httpx.Timeout(5, read=60)
        with self.browser.http.stream("GET", "/api/live", headers=headers,
                                      timeout=timeout) as resp:
            if resp.status_code != 200:
                return
            self.connects += 1
            kind, data = "message", ""
            for line in resp.iter_lines():
                if self.stopping.is_set():
                    return
                if line.startswith("event:"):
                    kind = line[6:].strip()
                elif line.startswith("data:"):
                    data += line[5:].strip()
                elif not line and data:
                    self._got(kind, json.loads(data))
                    kind, data = "message", ""

    def _got(self, kind: str, data: dict[str, Any]) -> None:
        with self.lock:
            self.events.append({**data, "type": kind})
            if isinstance(data.get("id"), int):
                self.last_id = data["id"]
                if kind == "snapshot" and self.first_snapshot is None:
                    self.first_snapshot = data["id"]
            elif kind == "snapshot" and self.first_snapshot is None:
                self.first_snapshot = 0

    def seen(self, kind: str, vote_id: int | None = None) -> bool:
        with self.lock:
            return any(e["type"] == kind and (vote_id is None or e.get("vote_id") == vote_id)
                       for e in self.events)

    def numbered(self) -> list[int]:
        """Ids of the events it got (not snapshots), in arrival order."""
        with self.lock:
            return [e["id"] for e in self.events
                    if e["type"] != "snapshot" and isinstance(e.get("id"), int)]

    def stop(self) -> None:
        self.stopping.set()
        self.browser.close()


def journal_ids(app: Flask, event_id: int, after: int) -> list[int]:
    """Numbers of the events the servers published for the event after `after`."""
    with app.app_context():
        return list(get_session().scalars(
            select(LiveEventRecord.id).where(
                LiveEventRecord.event_id == event_id, LiveEventRecord.id > after
            ).order_by(LiveEventRecord.id)
        ))


def assert_every_page_got_every_event(app: Flask, event_id: int, pages: list[LivePage]) -> None:
    """Each page got each event published after it first connected, each once, in order."""
    for page in pages:
        assert page.first_snapshot is not None
        got = page.numbered()
        assert got == sorted(set(got)), f"page got an event twice or out of order: {got}"
        missing = set(journal_ids(app, event_id, page.first_snapshot)) - set(got)
        assert not missing, f"a page missed events {sorted(missing)} (got {got})"


def ballot_rows(app: Flask, vote_id: int) -> tuple[list[str], int]:
    """(tracking codes of the stored cast ballots, participation rows) of the vote."""
    with app.app_context():
        db = get_session()
        codes = list(db.scalars(select(StoredBallot.tracking_code).where(
            StoredBallot.vote_id == vote_id, StoredBallot.state == "cast")))
        voted = len(list(db.scalars(select(Participation.participant_id).where(
            Participation.vote_id == vote_id))))
        return codes, voted
