"""In-process broker: events go straight to this process's hub (one worker, SQLite, tests)."""

from __future__ import annotations

from collections.abc import Callable

from evote.live.bus import LiveEvent, decode, encode


class MemoryBroker:
    def __init__(self) -> None:
        self._deliver: Callable[[LiveEvent], None] | None = None

    def publish(self, event: LiveEvent) -> None:
        # Round-trip through JSON so an event that would not survive Redis or NOTIFY fails here too.
        decoded = decode(encode(event))
        if self._deliver is not None and decoded is not None:
            self._deliver(decoded)

    def start(self, deliver: Callable[[LiveEvent], None]) -> None:
        self._deliver = deliver

    def stop(self) -> None:
        self._deliver = None
