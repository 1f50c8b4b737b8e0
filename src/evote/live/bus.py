"""The hub each process keeps, and the broker interface that links processes.

Why a hub and a broker: SSE streams live in one process, but the event that feeds them (a
ballot cast, a vote closed by the sweeper) may happen in another worker or on another server.
The broker carries each event once per process; the hub copies it to that process's streams.
"""

from __future__ import annotations

import contextlib
import json
import queue
import threading
from collections.abc import Callable
from typing import Any, Protocol

LiveEvent = dict[str, Any]
"""{"type": ..., "event_id": int, ...}; JSON-serialisable, small (PostgreSQL caps NOTIFY at 8 kB)."""

CHANNEL = "evote_live"
"""One channel for all events: a valid PostgreSQL identifier and a plain Redis channel."""

QUEUE_LIMIT = 256
"""Per stream.  A page that stops reading loses old events, not the server's memory; it gets a
fresh snapshot when it reconnects."""


def encode(event: LiveEvent) -> str:
    text = json.dumps(event, separators=(",", ":"), sort_keys=True)
    if len(text.encode()) > 7900:
        raise ValueError("live events must stay small (PostgreSQL NOTIFY payload limit)")
    return text


def decode(text: str | bytes) -> LiveEvent | None:
    """None for anything that is not an event object, so one bad message cannot stop a listener."""
    try:
        event = json.loads(text)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(event, dict) or not isinstance(event.get("event_id"), int):
        return None
    return event


class Broker(Protocol):
    """Carries events between processes.  `start` runs `deliver` for every event published by
    any process (this one included) until `stop`."""

    def publish(self, event: LiveEvent) -> None: ...

    def start(self, deliver: Callable[[LiveEvent], None]) -> None: ...

    def stop(self) -> None: ...


class Subscription:
    """One SSE stream's queue of events for one convention."""

    def __init__(self, hub: Hub, event_id: int) -> None:
        self.event_id = event_id
        self._queue: queue.Queue[LiveEvent] = queue.Queue(QUEUE_LIMIT)
        self._hub = hub

    def offer(self, event: LiveEvent) -> None:
        while True:
            try:
                self._queue.put_nowait(event)
                return
            except queue.Full:
                with contextlib.suppress(queue.Empty):
                    self._queue.get_nowait()

    def get(self, timeout: float) -> LiveEvent | None:
        try:
            return self._queue.get(timeout=timeout)
        except queue.Empty:
            return None

    def close(self) -> None:
        self._hub.unsubscribe(self)

    def __enter__(self) -> Subscription:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


class Hub:
    """This process's streams, fed by one broker listener."""

    def __init__(self, broker: Broker) -> None:
        self.broker = broker
        self._subs: dict[int, set[Subscription]] = {}
        self._lock = threading.Lock()
        self._started = False

    def start(self) -> None:
        """Start listening; waits (briefly) until the broker listens, so the events published
        right after, by this process or another, are not lost."""
        with self._lock:
            if self._started:
                return
            self._started = True
        self.broker.start(self.deliver)
        ready = getattr(self.broker, "ready", None)
        if ready is not None:
            ready.wait(timeout=5)

    def stop(self) -> None:
        with self._lock:
            started, self._started = self._started, False
        if started:
            self.broker.stop()

    def publish(self, event: LiveEvent) -> None:
        """Send to every process; this one receives it back through the broker like the rest."""
        self.start()
        self.broker.publish(event)

    def subscribe(self, event_id: int) -> Subscription:
        self.start()
        sub = Subscription(self, event_id)
        with self._lock:
            self._subs.setdefault(event_id, set()).add(sub)
        return sub

    def unsubscribe(self, sub: Subscription) -> None:
        with self._lock:
            subs = self._subs.get(sub.event_id)
            if subs is not None:
                subs.discard(sub)
                if not subs:
                    del self._subs[sub.event_id]

    def deliver(self, event: LiveEvent) -> None:
        with self._lock:
            targets = list(self._subs.get(event["event_id"], ()))
        for sub in targets:
            sub.offer(event)

    def subscriber_count(self) -> int:
        with self._lock:
            return sum(len(s) for s in self._subs.values())
