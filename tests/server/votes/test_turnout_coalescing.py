"""Turnout events are coalesced per vote: a burst of casts becomes one event now and the latest
count at the next flush, never one event per ballot to every page."""

from __future__ import annotations

from typing import Any

from flask import Flask

from evote.voting import events


def test_burst_of_casts_gives_two_events(app: Flask) -> None:
    app.config["LIVE_TURNOUT_INTERVAL"] = 3600.0
    with app.app_context():
        sub = events.hub().subscribe(1)
        for cast in range(1, 11):
            events.turnout(1, 5, cast, 10)
        first = sub.get(timeout=1)
        assert first is not None and first["cast"] == 1
        assert sub.get(timeout=0.05) is None  # the other nine wait
        app.config["LIVE_TURNOUT_INTERVAL"] = 0.0
        events.flush_turnout()
        latest: Any = sub.get(timeout=1)
        assert latest["cast"] == 10 and latest["roll"] == 10
        events.flush_turnout()
        assert sub.get(timeout=0.05) is None  # nothing pending twice
        sub.close()
