"""One simulated delegate: what a delegate's browser does on the delegate page, over HTTP.

The order and the requests follow `web/js/pages/delegate.js` and `common.js`:

- log in (`GET /api/csrf`, `POST /api/auth/login`; a 429 is waited out as its Retry-After
  says) and check in (`POST /api/checkin`);
- keep the live page open (`GET /api/live`, Server-Sent Events). A stream that ends is opened
  again after the `retry:` hint (3 s), naming the last event it got (`?last_event_id=`), so the
  server first replays what it missed; a stream refused with 503 makes the page read
  `GET /api/live/snapshot` once and try again after 5–15 s; `ended` with `replaced` turns the
  page into a poller of the snapshot, any other `ended` stops it (the session is over);
- when a vote opens (`vote_opened`, or a snapshot naming it): the vote the event carries, or
  `GET /api/votes/<id>` (a snapshot, a large vote), encrypt a
  real ballot against exactly that vote (`rehearsal.encryption`, in the process pool), and
  `POST /api/votes/<id>/ballots`. A transport error or a 5xx is retried with the same ballot
  (the ballot box answers a retry with the same receipt) until the countdown is over; a
  delegate chosen to resend sends the same ballot a second time, either while the first is
  still in flight (a second tab) or after its receipt (an answer that got lost);
- note when `vote_closed` and `result` reach the page.

Every moment is `time.time()`, so it can be compared with the server's `closes_at` once the
clock offset is known (`presidium.clock_offset`). A delegate never raises: what went wrong is
written into its `DelegateLog`, which the report counts.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import random
import time
import uuid
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Any

from evote.rehearsal import encryption
from evote.rehearsal.folder import Login
from evote.rehearsal.http import Browser, Response, Server, TransportError
from evote.rehearsal.sse import SseParser

RETRY_SECONDS = 3.0
"""Until a stream that ended is opened again, when the server sent no `retry:`."""
REFUSED_RETRY = (5.0, 15.0)
"""A page whose stream was refused tries again after this many seconds (web/js/pages/common.js)."""
CAST_RETRY_PAUSE = 1.0


@dataclass
class Attempt:
    """One POST of a ballot: when it was sent, how long until the answer, what came back."""

    sent_at: float
    seconds: float
    outcome: str
    """"201", "200" (a retry answered with the same receipt), "409 vote_closed", "transport"..."""


@dataclass
class DelegateLog:
    index: int
    choice: str
    resend: str = ""
    """"", "together" (second copy while the first is in flight) or "after" (after the receipt)."""
    login_seconds: float | None = None
    arrived_at: float | None = None
    """Logged in and checked in."""
    page_ready_at: float | None = None
    """The first snapshot of the live stream arrived."""
    refused: int = 0
    reconnects: int = 0
    opened_seen: dict[int, tuple[float, str]] = field(default_factory=dict)
    """vote id → (when the page learned the vote is open, "event" or "snapshot")."""
    closed_seen: dict[int, float] = field(default_factory=dict)
    result_seen: dict[int, float] = field(default_factory=dict)
    encrypted_at: float | None = None
    tracking_code: str | None = None
    """The code of the ballot this delegate encrypted (known before the server answers)."""
    receipt: str | None = None
    """The tracking code in the server's receipt."""
    attempts: list[Attempt] = field(default_factory=list)
    resend_receipt: str | None = None
    errors: list[str] = field(default_factory=list)


@dataclass
class Shared:
    """What all delegates share: the pool, the vote's deadline once known, a close signal."""

    executor: Executor
    vote_id: int | None = None
    closes_at: float | None = None
    """The countdown's end on this machine's clock."""
    first_closed: asyncio.Event = field(default_factory=asyncio.Event)
    timeout: float = 600.0


class Delegate:
    def __init__(self, index: int, login: Login, server: Server, shared: Shared, resend: str) -> None:
        self.login = login
        self.shared = shared
        self.browser = Browser(server, timeout=shared.timeout)
        self.log = DelegateLog(index, encryption.CHOICES[index % len(encryption.CHOICES)], resend)
        self.page_ready = asyncio.Event()
        self._voting: dict[int, asyncio.Task[None]] = {}
        self._last_id: int | None = None
        """The number of the last live event this page got (the stream resumes after it)."""
        self._ended: str | None = None
        """Why the server ended the live page for good (an `ended` event), if it did."""

    # ---- arriving ---------------------------------------------------------------------

    async def arrive(self) -> bool:
        """Log in and check in; True when this delegate can vote."""
        started = time.perf_counter()
        try:
            token = await self.browser.request("GET", "/api/csrf")
            self.browser.csrf = token.json()["csrf_token"]
            while True:
                resp = await self.browser.request(
                    "POST", "/api/auth/login",
                    {"login": self.login.login, "password": self.login.password},
                )
                if resp.status != 429:
                    break
                await asyncio.sleep(float(resp.headers.get("retry-after", "5")))
            if resp.status != 200:
                self.log.errors.append(f"login: {resp.error()}")
                return False
            self.browser.csrf = resp.json()["csrf_token"]
            self.log.login_seconds = time.perf_counter() - started
            checked = await self.browser.request("POST", "/api/checkin")
        except (TransportError, KeyError, TypeError) as exc:
            self.log.errors.append(f"arrival: {exc}")
            return False
        if checked.status != 200 or not (checked.json() or {}).get("can_vote"):
            self.log.errors.append(f"check-in: {checked.error()} {checked.json()}")
            return False
        self.log.arrived_at = time.time()
        return True

    # ---- the live page ------------------------------------------------------------------

    async def follow(self) -> None:
        """Keep the live page open until cancelled (the run's end) or the session ends."""
        retry = RETRY_SECONDS
        while self._ended is None:
            try:
                path = "/api/live" if self._last_id is None else (
                    f"/api/live?last_event_id={self._last_id}"
                )
                async with self.browser.stream(path) as (head, pieces):
                    if head.status == 503:
                        self.log.refused += 1
                        await self._poll_snapshot()
                        await asyncio.sleep(random.uniform(*REFUSED_RETRY))
                        continue
                    if head.status != 200:
                        self.log.errors.append(f"live stream: {head.error()}")
                        if head.status in (401, 403):
                            return
                        await asyncio.sleep(retry)
                        continue
                    parser = SseParser()
                    async for piece in pieces:
                        for message in parser.feed(piece):
                            self._on(message.type, message.data, "event")
                        if self._ended is not None:
                            break
                    retry = (parser.retry_ms or RETRY_SECONDS * 1000) / 1000
            except TransportError as exc:
                self.log.errors.append(f"live stream: {exc}")
            if self._ended is None:
                self.log.reconnects += 1
                await asyncio.sleep(retry)
        if self._ended == "replaced":  # another page of this account took the place: poll
            while True:
                await self._poll_snapshot()
                await asyncio.sleep(random.uniform(*REFUSED_RETRY))

    async def _poll_snapshot(self) -> None:
        with contextlib.suppress(TransportError):
            resp = await self.browser.request("GET", "/api/live/snapshot")
            if resp.status == 200 and isinstance(resp.json(), dict):
                self._on("snapshot", resp.json(), "snapshot")

    def _on(self, kind: str, data: Any, via: str) -> None:
        now = time.time()
        if not isinstance(data, dict):
            return
        if isinstance(data.get("id"), int) and (via == "event" or self._last_id is None):
            self._last_id = data["id"]  # a polled snapshot moves the mark only before any stream
        if kind == "snapshot":
            if via == "event" and self.log.page_ready_at is None:
                self.log.page_ready_at = now
                self.page_ready.set()
            current = data.get("open_vote")
            if isinstance(current, dict) and isinstance(current.get("id"), int):
                self._opened(current["id"], now, "snapshot")
        elif kind == "vote_opened" and isinstance(data.get("vote_id"), int):
            shipped = data.get("vote") if isinstance(data.get("vote"), dict) else None
            self._opened(data["vote_id"], now, "event", shipped)
        elif kind == "vote_closed" and isinstance(data.get("vote_id"), int):
            self.log.closed_seen.setdefault(data["vote_id"], now)
            if data["vote_id"] == self.shared.vote_id:
                self.shared.first_closed.set()
        elif kind == "result" and isinstance(data.get("vote_id"), int):
            self.log.result_seen.setdefault(data["vote_id"], now)
        elif kind == "ended":
            self._ended = str(data.get("reason"))
            if self._ended != "replaced":
                self.log.errors.append(f"live stream ended: {self._ended}")

    def _opened(
        self, vote_id: int, now: float, via: str, shipped: dict[str, Any] | None = None
    ) -> None:
        self.log.opened_seen.setdefault(vote_id, (now, via))
        if vote_id not in self._voting:
            self._voting[vote_id] = asyncio.get_running_loop().create_task(
                self.vote(vote_id, shipped)
            )

    # ---- voting -------------------------------------------------------------------------

    async def vote(self, vote_id: int, shipped: dict[str, Any] | None = None) -> None:
        """Fetch the vote (unless `vote_opened` carried it, as the page takes it), encrypt,
        cast (and perhaps resend). A vote this page cannot load or that is not open is left
        alone, as the page does."""
        if shipped is not None:
            vote: Any = shipped
            body = json.dumps(shipped).encode()
        else:
            try:
                fetched = await self.browser.request("GET", f"/api/votes/{vote_id}")
            except TransportError as exc:
                self.log.errors.append(f"loading vote {vote_id}: {exc}")
                return
            vote, body = fetched.json(), fetched.body
            if fetched.status != 200:
                return
        if not isinstance(vote, dict) or vote.get("state") != "open":
            return
        if vote.get("you_have_voted"):
            self.log.errors.append(f"vote {vote_id}: the server says this delegate voted already")
            return
        ballot_id = f"ballot-{uuid.uuid4()}"
        loop = asyncio.get_running_loop()
        body, code = await loop.run_in_executor(
            self.shared.executor, encryption.encrypt, body, ballot_id, self.log.choice
        )
        self.log.encrypted_at, self.log.tracking_code = time.time(), code
        path = f"/api/votes/{vote_id}/ballots"
        if self.log.resend == "together":
            second = Browser(  # a second tab of the same session
                self.browser.server, timeout=self.shared.timeout,
                cookies=dict(self.browser.cookies), csrf=self.browser.csrf,
            )
            try:
                first, again = await asyncio.gather(
                    self._cast(self.browser, path, body), self._cast(second, path, body)
                )
            finally:
                second.close()
            self.log.receipt, self.log.resend_receipt = first, again
        else:
            self.log.receipt = await self._cast(self.browser, path, body)
            if self.log.resend == "after" and self.log.receipt is not None:
                self.log.resend_receipt = await self._cast(self.browser, path, body)
        for got in (self.log.receipt, self.log.resend_receipt):
            if got is not None and got != code:
                self.log.errors.append(f"receipt {got} is not the code of the ballot sent ({code})")

    async def _cast(self, browser: Browser, path: str, body: bytes) -> str | None:
        """POST until a receipt, a refusal, or the end of the countdown; the receipt's code."""
        while True:
            sent, started = time.time(), time.perf_counter()
            try:
                resp: Response | None = await browser.request("POST", path, raw=body)
            except TransportError as exc:
                resp, outcome = None, f"transport: {exc}"
            else:
                outcome = resp.error() if resp.status >= 400 else str(resp.status)
            self.log.attempts.append(Attempt(sent, time.perf_counter() - started, outcome))
            if resp is not None and resp.status in (200, 201):
                receipt = resp.json()
                return str(receipt["tracking_code"]) if isinstance(receipt, dict) else None
            if resp is not None and resp.status < 500:
                self.log.errors.append(f"cast refused: {outcome}")
                return None
            if self.shared.closes_at is not None and time.time() > self.shared.closes_at:
                self.log.errors.append(f"cast failed before the close: {outcome}")
                return None
            await asyncio.sleep(CAST_RETRY_PAUSE)

    def close(self) -> None:
        self.browser.close()


def assign_resends(count: int, share: float) -> list[str]:
    """Which delegates resend their ballot: `share` of them rounded up (so a small rehearsal
    has one too), spread evenly, alternating between a copy in flight together with the first
    ("together") and one after the receipt ("after")."""
    marks = [""] * count
    resenders = math.ceil(share * count) if count else 0
    for n in range(min(resenders, count)):
        marks[(2 * n + 1) * count // (2 * resenders)] = "together" if n % 2 == 0 else "after"
    return marks
