"""Conformance with Microsoft's electionguard 1.4.0, run in its own Python 3.10 venv (.oracle).

The package does not import on Python 3.11+, so it runs in a subprocess: tests/oracle/*.py are
small scripts for that interpreter.  Records are made once per session: one by `evote
simulate` (through the CLI) and two by the package itself (`eg e2e`, every guardian present;
tests/oracle/make_absent_record.py, one guardian absent).  Without .oracle (`./dev test` makes
it) the tests that need it are skipped, saying why; the reading tests also run on the `eg e2e`
record shipped in tests/data/eg_sample, which needs nothing.
"""

from __future__ import annotations

import json
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from evote.cli import main

ROOT = Path(__file__).resolve().parents[2]
ORACLE = ROOT / ".oracle" / "bin"
ORACLE_SCRIPTS = ROOT / "tests" / "oracle"
ORACLE_DATA = ORACLE_SCRIPTS / "data"
EG_SAMPLE = ROOT / "tests" / "data" / "eg_sample" / "record.zip"  # `eg e2e`, shipped (its README)

needs_oracle = pytest.mark.skipif(
    not (ORACLE / "python").exists() or not (ORACLE / "eg").exists(),
    reason=f"no electionguard 1.4.0 venv at {ROOT / '.oracle'} (./dev test creates it)",
)

SIMULATION = ["--ballots", "5", "--guardians", "3", "--quorum", "2", "--missing", "1",
              "--spoil", "2", "--seed", "conformance", "--workers", "1"]  # fmt: skip


@dataclass(frozen=True)
class OracleRun:
    returncode: int
    summary: dict[str, Any]
    stderr: str


def run_oracle(script: str, *args: str | Path, timeout: int = 300) -> OracleRun:
    done = subprocess.run(
        [str(ORACLE / "python"), str(ORACLE_SCRIPTS / script), *map(str, args)],
        capture_output=True, text=True, timeout=timeout, check=False,
    )  # fmt: skip
    text = done.stdout.strip()
    summary = json.loads(text) if done.returncode == 0 and text.startswith("{") else {}
    return OracleRun(done.returncode, summary, done.stderr)


def unzip(archive: Path, into: Path) -> Path:
    with zipfile.ZipFile(archive) as z:
        z.extractall(into)
    return into


@pytest.fixture(scope="session")
def evote_record(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`evote simulate` through the CLI: 5 ballots, 2 spoiled, guardian absent. A zip."""
    out = tmp_path_factory.mktemp("evote") / "record.zip"
    result = CliRunner().invoke(main, ["simulate", *SIMULATION, "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="session")
def eg_records(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Records written by the package: `eg e2e` and one with guardian 3 absent."""
    if not (ORACLE / "eg").exists():
        pytest.skip("no electionguard 1.4.0 venv")
    tmp = tmp_path_factory.mktemp("eg")
    data = ORACLE_DATA
    commands = {
        "e2e": [str(ORACLE / "eg"), "e2e", "--guardian-count", "3", "--quorum", "2",
                "--manifest", str(data / "manifest.json"), "--ballots", str(data / "ballots.json"),
                "--spoil-id", "b-4", "--output-record", str(tmp / "e2e.zip")],
        "absent": [str(ORACLE / "python"), str(ORACLE_SCRIPTS / "make_absent_record.py"),
                   "--guardians", "3", "--quorum", "2", "--missing", "1",
                   "--manifest", str(data / "manifest.json"), "--ballots", str(data / "ballots.json"),
                   "--spoil-id", "b-2", "--out", str(tmp / "absent.zip")],
    }  # fmt: skip
    # the two runs are independent: side by side they take the time of the longer one
    running = {
        name: subprocess.Popen(
            cmd, cwd=tmp, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
        for name, cmd in commands.items()
    }
    for name, process in running.items():
        _, stderr = process.communicate(timeout=300)
        assert process.returncode == 0, f"{name}: {stderr[-2000:]}"
    return {"eg-e2e": tmp / "e2e.zip", "eg-absent-guardian": tmp / "absent.zip"}
