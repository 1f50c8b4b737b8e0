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
import weakref
from collections.abc import Callable
from typing import Any, Protocol

LiveEvent = dict[str, Any]
"""{"type": ..., "event_id": int, ...}; JSON-serialisable, small (PostgreSQL caps NOTIFY at 8 kB)."""

CHANNEL = "evote_live"
"""One channel for all events: a valid PostgreSQL identifier and a plain Redis channel."""

QUEUE_LIMIT = 256
"""Per stream.  A page whose stream falls this far behind is dropped (its stream ends): it costs
the server neither memory nor work per event, and the browser reconnects for a fresh snapshot."""


class StreamsFull(Exception):
    """This process already serves its `max_streams`; the client should retry (503)."""


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


class Dropped(Exception):
    """The stream fell too far behind and was dropped; end it so the client reconnects."""


class Subscription:
    """One SSE stream's queue of events for one convention."""

    def __init__(self, hub: Hub, event_id: int, limit: int = QUEUE_LIMIT) -> None:
        self.event_id = event_id
        self._queue: queue.Queue[LiveEvent | None] = queue.Queue(limit + 1)
        self._limit = limit
        self._hub = hub
        self.dropped = False
        """Set when the stream fell `limit` events behind; `get` then says so with `Dropped`."""

    def offer(self, event: LiveEvent) -> None:
        """Never blocks the broker's listener: a full queue drops this stream, not the event
        for everyone else."""
        if self.dropped:
            return
        if self._queue.qsize() >= self._limit:
            self._hub.unsubscribe(self)
            self.drop()
            return
        with contextlib.suppress(queue.Full):
            self._queue.put_nowait(event)

    def drop(self) -> None:
        """End this stream: `get` raises `Dropped`, at once if it is waiting."""
        self.dropped = True
        with contextlib.suppress(queue.Full):
            self._queue.put_nowait(None)

    def get(self, timeout: float) -> LiveEvent | None:
        """The next event, or None after `timeout` (time for a heartbeat); raises `Dropped`."""
        if self.dropped:
            raise Dropped
        try:
            event = self._queue.get(timeout=timeout)
        except queue.Empty:
            return None
        if event is None or self.dropped:
            raise Dropped
        return event

    def close(self) -> None:
        self._hub.unsubscribe(self)

    def __enter__(self) -> Subscription:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


class Hub:
    """This process's streams, fed by one broker listener."""

    def __init__(
        self, broker: Broker, max_streams: int | None = None, queue_limit: int = QUEUE_LIMIT
    ) -> None:
        self.broker = broker
        self.queue_limit = queue_limit
        self.max_streams = max_streams
        """Cap on this process's streams; each holds a server thread, so the cap keeps threads
        free for the ballot box.  None: no cap."""
        self._subs: dict[int, set[Subscription]] = {}
        self._lock = threading.Lock()
        self._count = 0
        self._started = False
        _HUBS.add(self)

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
        """Raises `StreamsFull` when this process already serves `max_streams` streams."""
        self.start()
        sub = Subscription(self, event_id, self.queue_limit)
        with self._lock:
            if self.max_streams is not None and self._count >= self.max_streams:
                raise StreamsFull
            self._subs.setdefault(event_id, set()).add(sub)
            self._count += 1
        return sub

    def unsubscribe(self, sub: Subscription) -> None:
        with self._lock:
            subs = self._subs.get(sub.event_id)
            if subs is not None and sub in subs:
                subs.discard(sub)
                self._count -= 1
                if not subs:
                    del self._subs[sub.event_id]

    def deliver(self, event: LiveEvent) -> None:
        with self._lock:
            targets = list(self._subs.get(event["event_id"], ()))
        for sub in targets:
            sub.offer(event)

    def end_streams(self) -> None:
        """End every stream of this hub (the worker is shutting down; pages reconnect)."""
        with self._lock:
            subs = [sub for group in self._subs.values() for sub in group]
            self._subs.clear()
            self._count = 0
        for sub in subs:
            sub.drop()

    def subscriber_count(self) -> int:
        with self._lock:
            return self._count


_HUBS: weakref.WeakSet[Hub] = weakref.WeakSet()


def end_all_streams() -> None:
    """End the streams of every hub in this process.  gunicorn.conf.py calls this when a worker
    is told to stop: a stream never finishes by itself, so without it every restart would wait
    out the graceful timeout and then kill the worker."""
    for hub in list(_HUBS):
        hub.end_streams()
