"""The SSE stream a delegate page follows: snapshot, agenda, vote opened/closed, turnout.

The stream is read from the app itself (Flask's streamed response), with the in-process broker
that SQLite deployments use; the broker transports are tested in test_live_bus.py.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from flask import Flask
from vote_helpers import Stage, encrypt_for_vote

from evote.store.clock import ManualClock
from evote.voting.lifecycle import sweep_once


class Stream:
    """Parses `event:`/`data:` blocks from a streamed test response."""

    def __init__(self, response: Any) -> None:
        self.response = response
        self.chunks: Iterator[bytes] = iter(response.response)
        self.buffer = ""

    def next_event(self, max_heartbeats: int = 25) -> dict[str, Any]:
        """The next data event; fails after `max_heartbeats` idle beats instead of hanging."""
        beats = 0
        while True:
            while "\n\n" not in self.buffer:
                chunk = next(self.chunks)
                self.buffer += chunk.decode() if isinstance(chunk, bytes) else chunk
            block, self.buffer = self.buffer.split("\n\n", 1)
            data = [line[6:] for line in block.splitlines() if line.startswith("data: ")]
            if data:
                event: dict[str, Any] = json.loads(data[0])
                return event
            if block.startswith(": heartbeat"):
                beats += 1
                assert beats <= max_heartbeats, "no event arrived"

    def close(self) -> None:
        self.response.close()


def test_stream_tells_everything_but_the_result(
    stage: Stage, clock: ManualClock, app: Flask
) -> None:
    assert stage.presidium.put("/api/agenda/current", {"title": "TOP 3: Satzung"}).status_code == 200
    resp = stage.delegates[0].get("/api/live", buffered=False)
    assert resp.status_code == 200 and resp.mimetype == "text/event-stream"
    stream = Stream(resp)
    snapshot = stream.next_event()
    assert snapshot["type"] == "snapshot" and snapshot["agenda"] == "TOP 3: Satzung"
    assert snapshot["open_vote"] is None
    assert snapshot["server_time"] == "2026-11-28T10:00:00+00:00"

    stage.presidium.put("/api/agenda/current", {"title": "TOP 4: Wahlen"})
    assert stream.next_event() == {
        "type": "agenda", "event_id": snapshot["event_id"], "title": "TOP 4: Wahlen",
        "server_time": "2026-11-28T10:00:00+00:00",
    }
    vote = stage.open(stage.create()["id"])
    opened = stream.next_event()
    assert opened["type"] == "vote_opened" and opened["vote_id"] == vote["id"]
    assert opened["closes_at"] == "2026-11-28T10:01:00+00:00" and opened["roll"] == 3

    view = stage.vote_for(stage.delegates[1], vote["id"])
    ballot = encrypt_for_vote(view, {"motion": ["no"]}, "live-1")
    assert stage.delegates[1].post(f"/api/votes/{vote['id']}/ballots", ballot).status_code == 201
    turnout = stream.next_event()
    assert turnout["type"] == "turnout"
    assert (turnout["cast"], turnout["roll"]) == (1, 3)
    assert set(turnout) == {"type", "event_id", "server_time", "vote_id", "cast", "roll"}

    clock.advance(60)
    sweep_once(app)
    closed = stream.next_event()
    assert closed["type"] == "vote_closed" and closed["cast"] == 1
    assert closed["closed_at"] == "2026-11-28T10:01:00+00:00"
    stream.close()


def test_late_joiner_gets_the_open_vote_in_the_snapshot(stage: Stage, clock: ManualClock) -> None:
    vote = stage.open(stage.create()["id"])
    clock.advance(20)
    stream = Stream(stage.delegates[2].get("/api/live", buffered=False))
    snapshot = stream.next_event()
    assert snapshot["open_vote"]["id"] == vote["id"]
    assert snapshot["open_vote"]["closes_at"] == "2026-11-28T10:01:00+00:00"
    assert snapshot["server_time"] == "2026-11-28T10:00:20+00:00"
    stream.close()


def test_stream_needs_a_login(new_api: Any) -> None:
    assert new_api().get("/api/live").status_code == 401
