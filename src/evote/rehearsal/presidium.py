"""The presidium's part of a rehearsal, through the same API its page uses.

It checks that the event is ready (the key ceremony done, no vote open), measures the offset
between this machine's clock and the server's (the countdown ends at the server's `closes_at`),
creates and opens the motion, watches for the result, and afterwards fetches the result and
the election record.
"""

from __future__ import annotations

import asyncio
import time
from datetime import datetime
from typing import Any

from evote.rehearsal.folder import Login
from evote.rehearsal.http import Browser, Response, Server


class RehearsalError(Exception):
    """The server is not ready for a rehearsal, or refused a presidium step."""


def server_seconds(iso: str) -> float:
    """A server timestamp (ISO 8601 with offset) as seconds since the epoch."""
    return datetime.fromisoformat(iso).timestamp()


def _ok(resp: Response, what: str, *statuses: int) -> Any:
    if resp.status not in (statuses or (200,)):
        raise RehearsalError(f"{what}: the server answered {resp.error()}: {resp.json()}")
    return resp.json()


class Presidium:
    def __init__(self, server: Server, login: Login, timeout: float) -> None:
        self.browser = Browser(server, timeout=timeout)
        self.login_data = login

    async def login(self) -> None:
        token = _ok(await self.browser.request("GET", "/api/csrf"), "GET /api/csrf")
        self.browser.csrf = token["csrf_token"]
        me = _ok(
            await self.browser.request(
                "POST", "/api/auth/login",
                {"login": self.login_data.login, "password": self.login_data.password},
            ),
            "presidium login",
        )
        self.browser.csrf = me["csrf_token"]

    async def check_ready(self) -> None:
        key = await self.browser.request("GET", "/api/election-key")
        if key.status != 200:
            raise RehearsalError(
                f"the event has no election key ({key.error()}): the key ceremony of "
                "`evote rehearse prepare` did not finish"
            )
        votes = _ok(await self.browser.request("GET", "/api/votes"), "GET /api/votes")
        open_now = [v["id"] for v in votes.get("votes", []) if v.get("state") == "open"]
        if open_now:
            raise RehearsalError(
                f"vote {open_now[0]} is still open on this event; wait for its countdown"
            )

    async def clock_offset(self, samples: int = 7) -> tuple[float, float]:
        """(server clock − this clock, round trip) from the fastest of a few snapshot reads:
        the server's time is taken as the midpoint of the request."""
        best: tuple[float, float] | None = None
        for _ in range(samples):
            sent = time.time()
            resp = await self.browser.request("GET", "/api/live/snapshot")
            back = time.time()
            data = _ok(resp, "GET /api/live/snapshot")
            offset = server_seconds(data["server_time"]) - (sent + back) / 2
            if best is None or back - sent < best[1]:
                best = (offset, back - sent)
        assert best is not None
        return best

    async def open_motion(self, title: str, countdown: int) -> tuple[dict[str, Any], float]:
        """Create the yes/no/abstain motion and open it; the opened vote and when the opening
        request was sent (the moment the presidium clicks)."""
        draft = _ok(
            await self.browser.request(
                "POST", "/api/votes",
                {"kind": "motion", "title": title, "with_abstain": True,
                 "majority_rule": "simple", "duration_seconds": countdown},
            ),
            "creating the motion", 201,
        )  # fmt: skip
        sent = time.time()
        opened = _ok(
            await self.browser.request("POST", f"/api/votes/{draft['id']}/open"), "opening the vote"
        )
        return opened, sent

    async def vote(self, vote_id: int) -> dict[str, Any]:
        found: dict[str, Any] = _ok(
            await self.browser.request("GET", f"/api/votes/{vote_id}"), f"GET vote {vote_id}"
        )
        return found

    async def wait_closed(self, vote_id: int, every: float = 0.25) -> float:
        """When this reader first saw the vote closed (reading the vote closes a due one)."""
        while (await self.vote(vote_id)).get("state") == "open":
            await asyncio.sleep(every)
        return time.time()

    async def wait_result(self, vote_id: int, every: float = 0.25) -> float:
        """When the decrypted result could first be read."""
        while True:
            resp = await self.browser.request("GET", f"/api/votes/{vote_id}/result")
            if resp.status == 200:
                return time.time()
            if resp.status != 409:
                raise RehearsalError(f"reading the result: {resp.error()}")
            await asyncio.sleep(every)

    async def result(self, vote_id: int) -> dict[str, Any]:
        found: dict[str, Any] = _ok(
            await self.browser.request("GET", f"/api/votes/{vote_id}/result"), "the result"
        )
        return found

    async def record(self, vote_id: int) -> bytes:
        resp = await self.browser.request("GET", f"/api/votes/{vote_id}/record.zip")
        _ok(resp, "downloading the record")
        return resp.body

    def close(self) -> None:
        self.browser.close()
