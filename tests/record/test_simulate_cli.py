"""`evote simulate` through the command line, ending with the verifier (`evote demo`, which
now starts a demo convention, is tested in tests/server/test_demo.py)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from evote.cli import main
from evote.record import read_record

SMALL = ["--ballots", "5", "--guardians", "3", "--quorum", "2", "--missing", "1",
         "--spoil", "1", "--seed", "cli"]  # fmt: skip


def _verifier() -> str | None:
    beside = Path(sys.executable).with_name("evote-verify")
    return str(beside) if beside.exists() else shutil.which("evote-verify")


def test_simulate_writes_a_record_that_reads_back_and_verifies(tmp_path: Path) -> None:
    out = tmp_path / "record.zip"
    result = CliRunner().invoke(main, ["simulate", *SMALL, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"election record: {out}" in result.output
    assert "simulating" not in result.output  # no progress bar without a terminal

    record = read_record(out)
    assert len(record.cast_ballots()) == 4 and len(record.spoiled_submitted()) == 1
    assert len(record.spoiled_ballots) == 1 and len(record.guardians) == 3
    assert record.lagrange_coefficients is not None
    assert len(record.lagrange_coefficients.coefficients) == 2  # one guardian was absent
    assert record.tally is not None
    totals = record.tally.totals()
    assert sum(totals["motion"].values()) == 4  # every cast ballot chose one motion answer
    for contest, selections in totals.items():
        for selection, count in selections.items():
            assert f"{selection}: {count}" in result.output, (contest, selection)

    verifier = _verifier()
    if verifier is None:
        pytest.skip("evote-verify is not installed")
    done = subprocess.run(
        [verifier, "--workers", "1", str(out)], capture_output=True, text=True, timeout=300,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "RECORD VERIFIED" in done.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--guardians", "2", "--quorum", "3"], "A quorum of 3 is impossible with 2 guardians"),
        (["--guardians", "3", "--quorum", "1"], "The quorum must be at least 2, not 1"),
        (["--guardians", "1", "--quorum", "1"], "at least 2 guardians, not 1"),
        (["--guardians", "3", "--quorum", "2", "--missing", "2"], "cannot reach the quorum"),
        (["--ballots", "2", "--spoil", "3"], "cannot spoil more"),
        (["--ballots", "-1"], "-1 is not in the range"),
    ],
)
def test_impossible_settings_are_refused(tmp_path: Path, args: list[str], message: str) -> None:
    out = tmp_path / "r.zip"
    result = CliRunner().invoke(main, ["simulate", *args, "--out", str(out)])
    assert result.exit_code == 2
    assert message in result.output
    assert not out.exists()


def test_an_existing_record_is_never_overwritten(tmp_path: Path) -> None:
    out = tmp_path / "r.zip"
    out.write_bytes(b"earlier record")
    result = CliRunner().invoke(main, ["simulate", "--ballots", "1", "--out", str(out)])
    assert result.exit_code == 2 and "already exists" in result.output
    assert out.read_bytes() == b"earlier record"


def test_help_lists_the_commands() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    assert "simulate" in result.output and "demo" in result.output
