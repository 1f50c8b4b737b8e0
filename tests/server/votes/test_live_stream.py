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
    assert snapshot["id"] == 1  # as of the first agenda event

    stage.presidium.put("/api/agenda/current", {"title": "TOP 4: Wahlen"})
    assert stream.next_event() == {
        "type": "agenda", "event_id": snapshot["event_id"], "title": "TOP 4: Wahlen",
        "server_time": "2026-11-28T10:00:00+00:00", "id": 2,
    }
    vote = stage.open(stage.create()["id"])
    created = stream.next_event()  # the draft appears in every console at once
    assert created["type"] == "votes_changed" and created["change"] == "created"
    opened = stream.next_event()
    assert opened["type"] == "vote_opened" and opened["vote_id"] == vote["id"]
    assert opened["closes_at"] == "2026-11-28T10:01:00+00:00" and opened["roll"] == 3

    # the opening ships what every page needs to encrypt (no request at the opening rush):
    # GET /api/votes/<id> less the per-request fields
    view = stage.vote_for(stage.delegates[1], vote["id"])
    assert opened["vote"] == {k: v for k, v in view.items()
                              if k not in ("server_time", "you_have_voted", "you_are_on_roll")}
    ballot = encrypt_for_vote({**opened["vote"]}, {"motion": ["no"]}, "live-1")
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


def test_a_vote_too_large_for_one_message_is_not_shipped_in_the_opening(stage: Stage) -> None:
    """PostgreSQL's NOTIFY carries 8,000 bytes: a long candidate list's manifest stays out of
    the event and the pages fetch it."""
    stream = Stream(stage.delegates[0].get("/api/live", buffered=False))
    assert stream.next_event()["type"] == "snapshot"
    names = [f"Kandidatin Nummer {i} mit einem langen Namen" for i in range(60)]
    vote = stage.open(stage.create(kind="election", title="Beisitz", candidates=names,
                                   seats=1)["id"])
    while (opened := stream.next_event())["type"] != "vote_opened":
        pass
    assert opened["vote_id"] == vote["id"] and "vote" not in opened
    stream.close()


def test_stream_needs_a_login(new_api: Any) -> None:
    assert new_api().get("/api/live").status_code == 401


def _ids_and_types(events: list[dict[str, Any]]) -> list[tuple[int | None, str]]:
    return [(e.get("id"), e["type"]) for e in events]


def test_a_page_that_reconnects_gets_what_it_missed_in_order_then_the_snapshot(
    stage: Stage, clock: ManualClock, app: Flask
) -> None:
    """Its stream broke (worker killed, server restarted); the browser reconnects, to any
    server, with `Last-Event-ID`: the events it missed come first, numbered and in order, then
    the snapshot, then live events as before. Turnout is not replayed (the snapshot has it)."""
    page = stage.delegates[0]
    stream = Stream(page.get("/api/live", buffered=False))
    first = stream.next_event()
    assert (first["type"], first["id"]) == ("snapshot", 0)
    stage.presidium.put("/api/agenda/current", {"title": "TOP 1"})
    seen = stream.next_event()
    assert (seen["type"], seen["title"]) == ("agenda", "TOP 1")
    stream.close()  # the stream breaks here

    stage.presidium.put("/api/agenda/current", {"title": "TOP 2: Wahlen"})
    vote = stage.open(stage.create()["id"])
    view = stage.vote_for(stage.delegates[1], vote["id"])
    ballot = encrypt_for_vote(view, {"motion": ["yes"]}, "resume-1")
    assert stage.delegates[1].post(f"/api/votes/{vote['id']}/ballots", ballot).status_code == 201
    clock.advance(60)
    sweep_once(app)

    again = Stream(page.get("/api/live", headers={"Last-Event-ID": str(seen["id"])}, buffered=False))
    missed = [again.next_event() for _ in range(4)]
    assert _ids_and_types(missed) == [
        (seen["id"] + 1, "agenda"), (seen["id"] + 2, "votes_changed"),
        (seen["id"] + 3, "vote_opened"), (seen["id"] + 4, "vote_closed"),
    ]
    assert missed[0]["title"] == "TOP 2: Wahlen" and missed[3]["cast"] == 1
    snapshot = again.next_event()
    assert snapshot["type"] == "snapshot" and snapshot["id"] == seen["id"] + 4
    assert snapshot["open_vote"] is None and snapshot["agenda"] == "TOP 2: Wahlen"
    stage.presidium.put("/api/agenda/current", {"title": "TOP 3"})
    live = again.next_event()
    assert (live["type"], live["id"], live["title"]) == ("agenda", seen["id"] + 5, "TOP 3")
    again.close()

    # a page that opens a new EventSource (after a 503) names it in the query instead
    fresh = Stream(page.get(f"/api/live?last_event_id={seen['id'] + 3}", buffered=False))
    assert _ids_and_types([fresh.next_event(), fresh.next_event()]) == [
        (seen["id"] + 4, "vote_closed"), (seen["id"] + 5, "agenda")
    ]
    assert fresh.next_event()["type"] == "snapshot"
    fresh.close()
    # and one that starts afresh gets the snapshot only
    plain = Stream(page.get("/api/live", buffered=False))
    assert _ids_and_types([plain.next_event()]) == [(seen["id"] + 5, "snapshot")]
    plain.close()


def test_the_sse_frames_carry_the_numbers(stage: Stage) -> None:
    """The browser's EventSource keeps the last `id:` line and sends it as Last-Event-ID."""
    resp = stage.delegates[0].get("/api/live", buffered=False)
    chunks = iter(resp.response)
    text = ""
    while "event: snapshot" not in text:
        chunk = next(chunks)
        text += chunk.decode() if isinstance(chunk, bytes) else chunk
    stage.presidium.put("/api/agenda/current", {"title": "TOP 9"})
    while "event: agenda" not in text:
        chunk = next(chunks)
        text += chunk.decode() if isinstance(chunk, bytes) else chunk
    resp.close()
    assert "id: 0\nevent: snapshot\n" in text and "id: 1\nevent: agenda\n" in text


def test_a_bad_last_event_id_is_refused_and_takes_no_place(stage: Stage, app: Flask) -> None:
    from evote.voting import events

    for bad in ("abc", "-1", "1.5", "9" * 19):
        resp = stage.delegates[0].get("/api/live", headers={"Last-Event-ID": bad})
        assert resp.status_code == 400 and resp.get_json()["error"] == "bad_last_event_id", bad
        resp = stage.delegates[0].get(f"/api/live?last_event_id={bad}")
        assert resp.status_code == 400 and resp.get_json()["error"] == "bad_last_event_id", bad
    assert events.hub(app).subscriber_count() == 0


def test_events_are_kept_for_the_replay_window_only(
    stage: Stage, clock: ManualClock, app: Flask, monkeypatch: Any
) -> None:
    from evote.voting import events

    app.config["LIVE_REPLAY_SECONDS"] = 60
    monkeypatch.setattr(events, "PRUNE_EVERY", 0)
    stage.presidium.put("/api/agenda/current", {"title": "old"})
    clock.advance(61)
    stage.presidium.put("/api/agenda/current", {"title": "new"})
    stream = Stream(stage.delegates[0].get("/api/live", headers={"Last-Event-ID": "0"}, buffered=False))
    replayed = stream.next_event()
    assert (replayed["id"], replayed["title"]) == (2, "new")  # "old" (1) is gone
    assert stream.next_event()["type"] == "snapshot"
    stream.close()


def test_the_polled_snapshot_is_numbered_too(stage: Stage) -> None:
    stage.presidium.put("/api/agenda/current", {"title": "TOP 1"})
    polled = stage.delegates[0].get("/api/live/snapshot").get_json()
    assert (polled["type"], polled["id"], polled["agenda"]) == ("snapshot", 1, "TOP 1")
