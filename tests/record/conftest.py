"""A small simulated record shared by the record tests (one ceremony, a few ballots)."""

from __future__ import annotations

from pathlib import Path

import pytest

from evote.simulation.election import SimulationResult, SimulationSettings, run_simulation

SMALL = SimulationSettings(
    ballots=4, guardians=3, quorum=2, missing=1, spoil=1, seed="record-tests"
)


@pytest.fixture(scope="session")
def simulated(tmp_path_factory: pytest.TempPathFactory) -> SimulationResult:
    return run_simulation(SMALL, tmp_path_factory.mktemp("sim") / "record.zip")


@pytest.fixture
def out(tmp_path: Path) -> Path:
    return tmp_path / "out.zip"
