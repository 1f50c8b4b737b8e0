"""The hub each process keeps, and the broker interface that links processes.

Why a hub and a broker: SSE streams live in one process, but the event that feeds them (a
ballot cast, a vote closed by the sweeper) may happen in another worker or on another server.
The broker carries each event once per process; the hub copies it to that process's streams.

The broker also carries two control messages between the hubs, never to a page:

* ``stream_opened`` (participant, stream id): every hub keeps the last `per_participant` stream
  ids each participant opened, in the order the broker delivered them — the same order in every
  process, since Redis and PostgreSQL deliver one channel's messages to all listeners alike —
  and ends its own streams of that participant that fell out of them. So one account holds at
  most `per_participant` streams across all workers and servers: the newest, which is the page
  a person just opened, while a script opening streams in a loop only replaces its own.
* ``end_streams`` (participant): every hub ends that participant's streams (logout,
  deactivation, new password), whichever worker serves them.
"""

from __future__ import annotations

import contextlib
import json
import queue
import re
import secrets
import threading
import weakref
from collections import deque
from collections.abc import Callable
from typing import Any, Protocol

LiveEvent = dict[str, Any]
"""{"type": ..., "event_id": int, ...}; JSON-serialisable, small (PostgreSQL caps NOTIFY at 8 kB)."""

CHANNEL = "evote_live"
"""Prefix of the channel; one channel per installation carries all its events (`channel`)."""

NAMESPACE_PATTERN = re.compile(r"[A-Za-z0-9_.-]{1,48}")
"""What a namespace may be: short enough that the channel stays within PostgreSQL's 63-byte
identifiers, and plain enough to read in `redis-cli PUBSUB CHANNELS`."""


def channel(namespace: str) -> str:
    """The channel of one installation (`EVOTE_LIVE_NAMESPACE`).

    Why namespaced: two installations sharing one Redis (or one PostgreSQL database) would
    otherwise hear each other's events, and their control messages name participants by
    number, so one convention's logout would end the streams of another's participant 7.
    """
    if not NAMESPACE_PATTERN.fullmatch(namespace):
        raise ValueError(
            f"bad live namespace {namespace!r}: 1-48 characters of A-Z a-z 0-9 _ . -"
        )
    return f"{CHANNEL}_{namespace}"

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


PER_PARTICIPANT = 3
"""Default streams per account: a laptop, a phone and a spare tab."""

BEHIND, SHUTDOWN = "behind", "shutdown"
"""Why a stream ended, when the page should simply reconnect."""
REPLACED, SESSION_ENDED = "replaced", "session_ended"
"""Why a stream ended, when the page must not reconnect: the account opened more streams
elsewhere (the page may poll instead), or its session is over (logout, deactivation, new
password)."""


RESYNC: LiveEvent = {"type": "resync", "control": True}
"""What a broker hands its hub when it listens again after losing its connection (Redis or
PostgreSQL restarted, a network blip): events published meanwhile never reached this process,
so its streams end (`behind`) and the pages reconnect naming the last event they got; the
journal (`live_events`) replays what they missed."""


class Dropped(Exception):
    """The stream was ended (`reason`: one of the constants above); end the response."""

    def __init__(self, reason: str = BEHIND) -> None:
        super().__init__(reason)
        self.reason = reason


class Subscription:
    """One SSE stream's queue of events for one convention."""

    def __init__(
        self, hub: Hub, event_id: int, limit: int = QUEUE_LIMIT,
        participant_id: int | None = None,
    ) -> None:
        self.event_id = event_id
        self.participant_id = participant_id
        self.stream_id = secrets.token_hex(8)
        """Names this stream in the `stream_opened` message of every hub."""
        self.announced = False
        """Its `stream_opened` came back through the broker: only from then on can newer
        streams of the account replace it (before, it is not yet in the order)."""
        self._queue: queue.Queue[LiveEvent | None] = queue.Queue(limit + 1)
        self._limit = limit
        self._hub = hub
        self.dropped = False
        """Set when the stream was ended; `get` then says so with `Dropped`."""
        self.reason = BEHIND

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

    def drop(self, reason: str = BEHIND) -> None:
        """End this stream: `get` raises `Dropped(reason)`, at once if it is waiting."""
        if not self.dropped:
            self.reason = reason
        self.dropped = True
        with contextlib.suppress(queue.Full):
            self._queue.put_nowait(None)

    def get(self, timeout: float) -> LiveEvent | None:
        """The next event, or None after `timeout` (time for a heartbeat); raises `Dropped`."""
        if self.dropped:
            raise Dropped(self.reason)
        try:
            event = self._queue.get(timeout=timeout)
        except queue.Empty:
            return None
        if event is None or self.dropped:
            raise Dropped(self.reason)
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
        self, broker: Broker, max_streams: int | None = None, queue_limit: int = QUEUE_LIMIT,
        per_participant: int | None = PER_PARTICIPANT,
    ) -> None:
        self.broker = broker
        self.queue_limit = queue_limit
        self.max_streams = max_streams
        """Cap on this process's streams; each holds a server thread, so the cap keeps threads
        free for the ballot box.  None: no cap."""
        self.per_participant = per_participant
        """Streams one account may hold across all processes (the newest win).  None: no cap."""
        self._subs: dict[int, set[Subscription]] = {}
        self._mine: dict[int, set[Subscription]] = {}
        """This process's streams by participant."""
        self._recent: dict[int, deque[str]] = {}
        """The last `per_participant` stream ids each participant opened, anywhere."""
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
        """Send to every process; this one receives it back through the broker like the rest.

        If the broker refuses, this process's streams end (`behind`): their pages reconnect and
        get the event from the journal instead of never hearing of it. (The other processes'
        listeners lost the broker too, and resync when it is back: `RESYNC`.)
        """
        self.start()
        try:
            self.broker.publish(event)
        except Exception:
            if not event.get("control"):
                self.end_streams(BEHIND)
            raise

    def subscribe(self, event_id: int, participant_id: int | None = None) -> Subscription:
        """Raises `StreamsFull` when this process already serves `max_streams` streams.

        With a participant, every hub hears that this stream opened, and the participant's
        oldest streams beyond `per_participant` end wherever they are served.
        """
        self.start()
        sub = Subscription(self, event_id, self.queue_limit, participant_id)
        with self._lock:
            if self.max_streams is not None and self._count >= self.max_streams:
                raise StreamsFull
            self._subs.setdefault(event_id, set()).add(sub)
            self._count += 1
            if participant_id is not None:
                self._mine.setdefault(participant_id, set()).add(sub)
        if participant_id is not None and self.per_participant is not None:
            self._send_control(
                {"type": "stream_opened", "event_id": event_id, "participant": participant_id,
                 "stream": sub.stream_id}
            )
        return sub

    def unsubscribe(self, sub: Subscription) -> None:
        with self._lock:
            subs = self._subs.get(sub.event_id)
            if subs is not None and sub in subs:
                subs.discard(sub)
                self._count -= 1
                if not subs:
                    del self._subs[sub.event_id]
            if sub.participant_id is not None:
                mine = self._mine.get(sub.participant_id)
                if mine is not None:
                    mine.discard(sub)
                    if not mine:
                        del self._mine[sub.participant_id]

    def deliver(self, event: LiveEvent) -> None:
        if event.get("control"):
            self._control(event)
            return
        with self._lock:
            targets = list(self._subs.get(event["event_id"], ()))
        for sub in targets:
            sub.offer(event)

    def end_participant(self, event_id: int, participant_id: int) -> bool:
        """End every stream of this participant, in every process (their session is over).

        False if the broker failed: then only this process's streams ended, and the others
        end at their next session check (`LIVE_SESSION_CHECK`).
        """
        return self._send_control(
            {"type": "end_streams", "event_id": event_id, "participant": participant_id}
        )

    def _send_control(self, message: LiveEvent) -> bool:
        """Through the broker to every hub; if the broker is down, at least to this one."""
        message = {**message, "control": True}
        try:
            self.publish(message)
        except Exception:
            self._control(message)
            return False
        return True

    def _control(self, message: LiveEvent) -> None:
        if message.get("type") == RESYNC["type"]:
            self.end_streams(BEHIND)
            return
        participant = message.get("participant")
        if not isinstance(participant, int):
            return
        with self._lock:
            mine = list(self._mine.get(participant, ()))
            if message.get("type") == "end_streams":
                self._recent.pop(participant, None)
                victims, reason = mine, SESSION_ENDED
            elif message.get("type") == "stream_opened" and self.per_participant is not None:
                recent = self._recent.setdefault(participant, deque(maxlen=self.per_participant))
                recent.append(str(message.get("stream")))
                for sub in mine:
                    if sub.stream_id == message.get("stream"):
                        sub.announced = True
                victims = [sub for sub in mine if sub.announced and sub.stream_id not in recent]
                reason = REPLACED
            else:
                return
        for sub in victims:
            self.unsubscribe(sub)
            sub.drop(reason)

    def end_streams(self, reason: str = SHUTDOWN) -> None:
        """End every stream of this hub (the worker is shutting down, or it missed events);
        the pages reconnect."""
        with self._lock:
            subs = [sub for group in self._subs.values() for sub in group]
            self._subs.clear()
            self._mine.clear()
            self._count = 0
        for sub in subs:
            sub.drop(reason)

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
