"""A server dies mid-vote: nothing is lost, nothing doubled, every page keeps up.

Real `evote serve` processes (gunicorn, the shipped config) on this test's PostgreSQL schema,
real encrypted ballots, delegates' pages that reconnect as EventSource does:

- kill -9 of each gunicorn worker in turn during the casting storm: every receipt sent is a
  stored ballot, every cast cut off is resent and answered with its receipt, one ballot per
  delegate, and every page reconnects and gets every event (Last-Event-ID);
- the whole `evote serve` killed and started again during a countdown: the vote closes at its
  time; killed again until after its end: the vote closes as soon as the server is back;
- two `evote serve` on one database behind HAProxy (Debian's package, started here), Redis
  between them: casts through both, one killed mid-vote, every page gets every event, a
  delegate who sends two ballots to the two servers at once has one.

PostgreSQL only (deselected in the SQLite pass): a SQLite file is one server's database, and
the servers' live events meet in PostgreSQL's LISTEN/NOTIFY or Redis. Timing is not asserted
beyond generous bounds on the close (the point is that it happens without anyone asking).
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from processes import Serve, haproxy, redis_url, serving, wait_until
from redundancy_helpers import (
    Browser,
    Cast,
    LivePage,
    assert_every_page_got_every_event,
    ballot_rows,
    cast,
)
from server_helpers import Api, Person
from vote_helpers import REDIS_URL, Guardians, encrypt_for_vote

from evote.rules.roles import Role

pytestmark = pytest.mark.postgres_only

DELEGATES = 6
CHOICES = ("yes", "no", "abstain")


class Convention:
    """People and the election key in the test's schema; browsers against a server."""

    def __init__(self, app: Flask, person: Callable[..., Person], logged_in: Callable[..., Api],
                 guardians: Guardians, tmp_path: Path) -> None:
        self.app = app
        chair = logged_in(Role.PRESIDIUM)
        assert chair.put("/api/election-key", guardians.ceremony_json()).status_code == 200
        assert chair.person is not None
        self.chair = chair.person
        self.event_id = chair.person.event_id
        self.delegates = [person(Role.DELEGATE, checked_in=True) for _ in range(DELEGATES)]
        self.env = {
            "EVOTE_DATABASE_URL": app.config["DATABASE_URL"],
            "EVOTE_DATABASE_SCHEMA": app.config["DATABASE_SCHEMA"],
            "EVOTE_SECRET_KEY": app.config["SECRET_KEY"],
            "EVOTE_INSTANCE_PATH": str(tmp_path / "instance"),
            "EVOTE_LIVE_STREAMS": "20", "EVOTE_API_THREADS": "8",
        }
        self.pages: list[LivePage] = []

    def browsers(self, base: str) -> tuple[Browser, list[Browser]]:
        return Browser(base).login(self.chair), [Browser(base).login(d) for d in self.delegates]

    def hold_pages(self, delegates: list[Browser]) -> list[LivePage]:
        self.pages = [LivePage(d) for d in delegates]
        for page in self.pages:
            page.start()
        wait_until(lambda: all(p.first_snapshot is not None for p in self.pages), 30,
                   "every page has its snapshot")
        return self.pages

    def open_vote(self, chair: Browser, seconds: int) -> dict[str, Any]:
        made = chair.post("/api/votes", {"kind": "motion", "title": "Antrag R1",
                                         "duration_seconds": seconds})
        assert made.status_code == 201, made.text
        opened = chair.post(f"/api/votes/{made.json()['id']}/open")
        assert opened.status_code == 200, opened.text
        vote: dict[str, Any] = opened.json()
        wait_until(lambda: all(p.seen("vote_opened", vote["id"]) for p in self.pages), 30,
                   "every page has the opening")
        return vote

    def stop_pages(self) -> None:
        for page in self.pages:
            page.stop()


def ballots_for(vote: dict[str, Any], label: str, count: int = DELEGATES
                ) -> list[dict[str, Any]]:
    return [encrypt_for_vote(vote, {"motion": [CHOICES[i % 3]]}, f"{label}-{vote['id']}-{i}")
            for i in range(count)]


def storm(delegates: list[Browser], vote_id: int, ballots: list[dict[str, Any]]
          ) -> tuple[list[Cast], list[threading.Thread]]:
    """Every delegate casts at once, each in its own thread (retrying as the page does)."""
    casts = [Cast() for _ in delegates]
    threads = [threading.Thread(target=cast, args=(d, vote_id, b, c), daemon=True)
               for d, b, c in zip(delegates, ballots, casts, strict=True)]
    for thread in threads:
        thread.start()
    return casts, threads


def assert_one_receipt_each(app: Flask, vote_id: int, casts: list[Cast],
                            ballots: list[dict[str, Any]]) -> None:
    """Each delegate's last answer is the receipt of its own ballot (201, or 200 for a resend
    whose first answer was lost), every receipt ever sent names a stored ballot, one each."""
    codes, voted = ballot_rows(app, vote_id)
    assert voted == len(codes) == len(casts), (voted, codes)
    for record, ballot in zip(casts, ballots, strict=True):
        assert record.final.status_code in (200, 201), record.final.text
        assert record.final.json()["tracking_code"] == ballot["code"]
        for answer in record.answers:
            if answer.status_code in (200, 201):
                assert answer.json()["tracking_code"] in codes
    assert sorted(codes) == sorted(b["code"] for b in ballots)


def close_now(chair: Browser, vote_id: int) -> None:
    resp = chair.post(f"/api/votes/{vote_id}/close")
    assert resp.status_code == 200, resp.text


@pytest.fixture
def convention(app: Flask, person: Callable[..., Person], logged_in: Callable[..., Api],
               guardians: Guardians, tmp_path: Path) -> Any:
    held = Convention(app, person, logged_in, guardians, tmp_path)
    yield held
    held.stop_pages()


def test_a_worker_killed_in_the_casting_storm_loses_nothing(convention: Convention) -> None:
    app = convention.app
    with serving(convention.env, workers=2) as server:
        base = f"http://127.0.0.1:{server.port}"
        chair, delegates = convention.browsers(base)
        pages = convention.hold_pages(delegates)
        vote = convention.open_vote(chair, 600)
        ballots = ballots_for(vote, "storm")
        first, second = server.workers()
        casts, threads = storm(delegates, vote["id"], ballots)
        # the first worker dies as the first receipt comes back: the casts it held are cut (how
        # many depends on timing, often some) and resent by their pages, landing on the other
        wait_until(lambda: any(c.answers for c in casts), 60, "a first receipt")
        os.kill(first, signal.SIGKILL)
        for thread in threads:
            thread.join(120)
        assert_one_receipt_each(app, vote["id"], casts, ballots)
        # the second original worker dies too: every page has lost its stream once
        os.kill(second, signal.SIGKILL)
        wait_until(lambda: len(server.workers()) == 2 and first not in server.workers()
                   and second not in server.workers(), 60, "the master started new workers")
        wait_until(lambda: all(p.connects >= 2 for p in pages), 60, "every page reconnected")
        # a resend after the deaths is answered with the same receipt, a second ballot refused
        again = cast(delegates[0], vote["id"], ballots[0], Cast())
        assert again.final.status_code == 200
        assert again.final.json()["tracking_code"] == ballots[0]["code"]
        other = encrypt_for_vote(vote, {"motion": ["no"]}, "storm-second")
        assert cast(delegates[0], vote["id"], other, Cast()).final.status_code == 409
        close_now(chair, vote["id"])
        wait_until(lambda: all(p.seen("vote_closed", vote["id"]) for p in pages), 60,
                   "every page has the close")
        assert_one_receipt_each(app, vote["id"], casts, ballots)
        assert_every_page_got_every_event(app, convention.event_id, pages)
        board = chair.get(f"/api/votes/{vote['id']}/bulletin-board").json()
        assert sorted(board["cast"]) == sorted(b["code"] for b in ballots)


def _closed_event(page: LivePage, vote_id: int) -> dict[str, Any]:
    return next(e for e in page.events if e["type"] == "vote_closed" and e["vote_id"] == vote_id)


def _at(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp)


def test_the_whole_server_restarted_during_a_vote_still_closes_it(
    convention: Convention,
) -> None:
    app = convention.app
    server = Serve(convention.env, workers=2)
    try:
        server.start()
        base = f"http://127.0.0.1:{server.port}"
        chair, delegates = convention.browsers(base)
        pages = convention.hold_pages(delegates)
        half = DELEGATES // 2

        # killed during the countdown and back before its end: the close comes on time (40 s
        # leaves a loaded CI machine time for the restart and the late casts before the end)
        vote = convention.open_vote(chair, 40)
        ballots = ballots_for(vote, "restart")
        early = [cast(d, vote["id"], b, Cast()) for d, b in
                 zip(delegates[:half], ballots[:half], strict=True)]
        server.kill()
        server.start()
        late = [cast(d, vote["id"], b, Cast()) for d, b in
                zip(delegates[half:], ballots[half:], strict=True)]
        wait_until(lambda: all(p.seen("vote_closed", vote["id"]) for p in pages), 60,
                   "every page has the close")
        closed = _closed_event(pages[0], vote["id"])
        # published by the sweeper at the countdown's end, not by a reader much later
        lag = _at(closed["server_time"]) - _at(vote["closes_at"])
        assert timedelta(0) <= lag < timedelta(seconds=10), lag
        assert_one_receipt_each(app, vote["id"], early + late, ballots)

        # killed, and still down when the countdown ends: closed as soon as it is back
        vote = convention.open_vote(chair, 10)
        ballots = ballots_for(vote, "restart-2", half + 1)
        early = [cast(d, vote["id"], b, Cast()) for d, b in
                 zip(delegates[:half], ballots[:half], strict=True)]
        server.kill()
        wait_until(lambda: datetime.now(UTC) > _at(vote["closes_at"]) + timedelta(seconds=1),
                   30, "the countdown ended")
        server.start()
        wait_until(lambda: all(p.seen("vote_closed", vote["id"]) for p in pages), 60,
                   "every page has the close")
        assert_one_receipt_each(app, vote["id"], early, ballots[:half])
        late_try = cast(delegates[half], vote["id"], ballots[half], Cast())
        assert late_try.final.status_code == 409  # closed: refused, nothing stored
        assert ballot_rows(app, vote["id"])[1] == half
        assert all(p.connects >= 3 for p in pages)
        assert_every_page_got_every_event(app, convention.event_id, pages)
    finally:
        server.close()


@pytest.fixture
def redis() -> Any:
    with redis_url(REDIS_URL) as url:
        yield url


def test_two_servers_behind_haproxy_one_dies_mid_vote(convention: Convention, redis: str) -> None:
    app = convention.app
    env = {**convention.env, "EVOTE_REDIS_URL": redis, "EVOTE_LIVE_BROKER": "redis"}
    with serving(env, workers=1) as one, serving(env, workers=1) as two, \
            haproxy([one.address, two.address]) as proxy:
        base = f"http://{proxy[0]}:{proxy[1]}"
        chair, delegates = convention.browsers(base)
        pages = convention.hold_pages(delegates)  # round robin: on both servers
        vote = convention.open_vote(chair, 600)
        ballots = ballots_for(vote, "proxy")
        half = DELEGATES // 2

        # one delegate sends two ballots at once, one to each server: one is kept
        twice = encrypt_for_vote(vote, {"motion": ["no"]}, "proxy-twice")
        to_one = delegates[0].via(f"http://127.0.0.1:{one.port}")
        to_two = delegates[0].via(f"http://127.0.0.1:{two.port}")
        both = [Cast(), Cast()]
        racers = [threading.Thread(target=cast, args=(b, vote["id"], x, c))
                  for b, x, c in ((to_one, ballots[0], both[0]), (to_two, twice, both[1]))]
        for racer in racers:
            racer.start()
        for racer in racers:
            racer.join(60)
        assert sorted(c.final.status_code for c in both) == [201, 409]
        winner = both[0] if both[0].final.status_code == 201 else both[1]
        ballots[0] = ballots[0] if winner is both[0] else twice

        casts, threads = storm(delegates[1:half], vote["id"], ballots[1:half])
        for thread in threads:
            thread.join(120)
        one.kill()  # the first server dies mid-vote; the proxy sends everyone to the other
        rest, threads = storm(delegates[half:], vote["id"], ballots[half:])
        for thread in threads:
            thread.join(120)
        close_now(chair, vote["id"])
        wait_until(lambda: all(p.seen("vote_closed", vote["id"]) for p in pages), 60,
                   "every page has the close")
        assert_one_receipt_each(app, vote["id"], [winner, *casts, *rest], ballots)
        assert_every_page_got_every_event(app, convention.event_id, pages)
        assert any(p.connects >= 2 for p in pages), "no page was on the server that died"
