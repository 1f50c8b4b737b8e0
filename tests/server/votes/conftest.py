"""Set-up for vote tests: a manual clock in the app, a recorded key ceremony, people on stage.

Builds on tests/server/conftest.py (app, logged_in, ...); `app_config` is extended here so
every vote test runs with a `ManualClock` (time moves only when the test says) and without
the background sweeper (tests call `sweep_once` themselves).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from server_helpers import Api
from vote_helpers import Guardians, Stage

from evote.rules.roles import Role
from evote.store.clock import ManualClock


@pytest.fixture(scope="session")
def guardians() -> Guardians:
    """One 2-of-3 ceremony for the whole run: key generation is the slow part."""
    return Guardians(3, 2)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def app_config(
    app_config: dict[str, Any], clock: ManualClock, tmp_path: Path
) -> dict[str, Any]:
    return {**app_config, "CLOCK": clock, "LIVE_TURNOUT_INTERVAL": 0, "VOTE_SWEEPER": False,
            "LIVE_HEARTBEAT": 0.2, "RECORD_FOLDER": str(tmp_path / "records")}


@pytest.fixture
def stage(logged_in: Callable[..., Api], guardians: Guardians) -> Stage:
    """A presidium member (who recorded the ceremony), a guardian and three checked-in delegates."""
    presidium = logged_in(Role.PRESIDIUM)
    resp = presidium.put("/api/election-key", guardians.ceremony_json())
    assert resp.status_code == 200, resp.get_json()
    guardian = logged_in(Role.GUARDIAN)
    delegates = [logged_in(Role.DELEGATE, checked_in=True) for _ in range(3)]
    return Stage(presidium, guardian, delegates, guardians)
