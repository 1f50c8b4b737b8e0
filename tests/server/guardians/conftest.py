"""A live evote server for the guardian-client tests, and the client run as five laptops would.

The Flask app (tests/server/conftest.py: fresh per test, SQLite or this run's PostgreSQL
schema) is served by werkzeug on 127.0.0.1 and a free port in a thread; `evote-guardian`
commands run through Click's runner against it over real HTTP, each guardian with its own
state directory.  The clock is manual (votes close when the test says) and the server's log
records are captured, so a test can search them for secrets.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent.parent / "votes"))

from guardian_helpers import Laptop
from server_helpers import live_http

from evote.store.clock import ManualClock


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def app_config(app_config: dict[str, Any], clock: ManualClock) -> dict[str, Any]:
    return {
        **app_config,
        "CLOCK": clock,
        "LIVE_TURNOUT_INTERVAL": 0,
        "VOTE_SWEEPER": False,
        "SESSION_COOKIE_SECURE": False,  # plain http on 127.0.0.1 only
    }


class LogCapture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def server_log() -> Iterator[LogCapture]:
    """Every log record of the process (the server runs in it) at DEBUG and above."""
    handler = LogCapture()
    root = logging.getLogger()
    old = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield handler
    root.removeHandler(handler)
    root.setLevel(old)


@pytest.fixture
def live_server(app: Flask, server_log: LogCapture) -> Iterator[str]:
    with live_http(app) as server:
        yield server.url("127.0.0.1")


@pytest.fixture
def laptops(tmp_path: Path) -> Callable[[int], list[Laptop]]:
    def make(n: int) -> list[Laptop]:
        return [
            Laptop(f"laptop-{i}", tmp_path / f"laptop-{i}", f"passphrase of guardian {i}")
            for i in range(1, n + 1)
        ]

    return make
