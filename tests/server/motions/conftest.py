"""Set-up for the motions tests: a manual clock (deadlines), kinds S/P/A, people by role.

Builds on tests/server/conftest.py; the vote helpers (guardians played in-process) are put on
the path for the tests that open votes from motions.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "votes"))
sys.path.insert(0, str(Path(__file__).parent))
from motion_helpers import Cast, Hall
from server_helpers import Api
from vote_helpers import Guardians

from evote.rules.roles import Role
from evote.store.clock import ManualClock


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def app_config(app_config: dict[str, Any], clock: ManualClock, tmp_path: Path) -> dict[str, Any]:
    return {**app_config, "CLOCK": clock, "LIVE_TURNOUT_INTERVAL": 0, "VOTE_SWEEPER": False,
            "RECORD_FOLDER": str(tmp_path / "records")}


@pytest.fixture
def cast(logged_in: Callable[..., Api]) -> Cast:
    committee = logged_in(Role.MOTIONS_COMMITTEE)
    resp = committee.post("/api/motion-kinds", {"defaults": True})
    assert resp.status_code == 201, resp.get_json()
    kinds = {k["code"]: k for k in resp.get_json()["kinds"]}
    delegates = [logged_in(Role.DELEGATE) for _ in range(4)]
    return Cast(committee, delegates, logged_in(Role.PRESIDIUM), kinds)


@pytest.fixture(scope="module")
def guardians() -> Guardians:
    return Guardians(3, 2)


@pytest.fixture
def hall(logged_in: Callable[..., Api], guardians: Guardians, clock: ManualClock) -> Hall:
    return Hall(logged_in, guardians, clock)
