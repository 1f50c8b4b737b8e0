"""Redis pub/sub broker: one subscriber connection and thread per process."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import redis

from evote.live.bus import CHANNEL, RESYNC, LiveEvent, decode, encode


class RedisBroker:
    def __init__(self, url: str, channel: str = CHANNEL) -> None:
        # Short timeouts: a publish happens inside a request that already stored a ballot, and a
        # broker outage must cost that request a moment, not its answer.
        self._client: Any = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
        self._channel = channel
        self._pubsub: Any = None
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self.ready = threading.Event()
        """Set once the subscription is active (tests wait on it rather than sleeping)."""

    def publish(self, event: LiveEvent) -> None:
        self._client.publish(self._channel, encode(event))

    def start(self, deliver: Callable[[LiveEvent], None]) -> None:
        self._stop.clear()
        self._pubsub = self._client.pubsub(ignore_subscribe_messages=True)
        self._pubsub.subscribe(self._channel)
        self.ready.set()

        def run() -> None:
            lost = False
            while not self._stop.is_set():
                try:
                    message = self._pubsub.get_message(timeout=0.5)
                except (redis.ConnectionError, ValueError):
                    if self._stop.is_set():
                        return
                    lost = True
                    self._stop.wait(1.0)  # Redis restarting: retry, the pubsub reconnects
                    continue
                if lost:  # subscribed again: what was published meanwhile did not come
                    lost = False
                    deliver(dict(RESYNC))
                if message and message.get("type") == "message":
                    event = decode(message["data"])
                    if event is not None:
                        deliver(event)

        self._thread = threading.Thread(target=run, name="evote-live-redis", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        if self._pubsub is not None:
            self._pubsub.close()
        self.ready.clear()
