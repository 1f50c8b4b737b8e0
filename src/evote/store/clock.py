"""The server's clock, as an object the app holds, so tests move time instead of sleeping.

A vote closes when the server's clock passes `closes_at`, whatever the browsers show; every
code path that asks "is it still open?" reads the time from `current_clock()`, never from
`datetime.now()` directly.  Tests put a `ManualClock` into `app.config["CLOCK"]` and advance
it past the deadline; production uses `SystemClock`.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Protocol

from flask import current_app, has_app_context


class Clock(Protocol):
    def now(self) -> datetime:
        """Timezone-aware UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class ManualClock:
    """A clock that only moves when told to; safe to share between a test and server threads."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime(2026, 11, 28, 10, 0, 0, tzinfo=UTC)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> datetime:
        with self._lock:
            self._now += timedelta(seconds=seconds)
            return self._now


SYSTEM_CLOCK = SystemClock()


def current_clock() -> Clock:
    """The app's clock (config key CLOCK), or the system clock outside an app."""
    if has_app_context():
        clock: Clock | None = current_app.config.get("CLOCK")
        if clock is not None:
            return clock
    return SYSTEM_CLOCK


def utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes for timezone-aware columns; they were stored as UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
