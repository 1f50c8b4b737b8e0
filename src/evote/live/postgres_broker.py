"""PostgreSQL LISTEN/NOTIFY broker, for deployments that run PostgreSQL but no Redis.

Uses its own autocommit psycopg connections (one to listen, one to notify), not the app's pool:
a LISTEN belongs to a session and a NOTIFY is sent only when its transaction commits.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import psycopg
from psycopg import sql

from evote.live.bus import CHANNEL, RESYNC, LiveEvent, decode, encode


def libpq_url(sqlalchemy_url: str) -> str:
    """postgresql+psycopg://… → postgresql://…, which psycopg itself understands."""
    scheme, sep, rest = sqlalchemy_url.partition("://")
    return f"{scheme.split('+')[0]}{sep}{rest}"


class PostgresBroker:
    def __init__(self, url: str, channel: str = CHANNEL) -> None:
        self._url = libpq_url(url)
        self._channel = channel
        self._send: Any = None
        self._send_lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self.ready = threading.Event()

    def publish(self, event: LiveEvent) -> None:
        payload = encode(event)
        with self._send_lock:
            if self._send is None or self._send.closed:
                self._send = psycopg.connect(self._url, autocommit=True, connect_timeout=2)
            try:
                self._send.execute("SELECT pg_notify(%s, %s)", (self._channel, payload))
            except psycopg.OperationalError:
                self._send.close()  # reconnect on the next publish
                raise

    def start(self, deliver: Callable[[LiveEvent], None]) -> None:
        self._stop.clear()

        def run() -> None:
            listened = False
            while not self._stop.is_set():
                try:
                    with psycopg.connect(self._url, autocommit=True, connect_timeout=5) as conn:
                        conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(self._channel)))
                        self.ready.set()
                        if listened:  # again, after a lost connection: resync the pages
                            deliver(dict(RESYNC))
                        listened = True
                        while not self._stop.is_set():
                            for note in conn.notifies(timeout=0.5):
                                event = decode(note.payload)
                                if event is not None:
                                    deliver(event)
                except psycopg.OperationalError:
                    self.ready.clear()
                    self._stop.wait(1.0)  # database restarting: listen again

        self._thread = threading.Thread(target=run, name="evote-live-pg", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        with self._send_lock:
            if self._send is not None:
                self._send.close()
                self._send = None
        self.ready.clear()
