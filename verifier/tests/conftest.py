"""Base records for the verifier tests, each made once per session and copied per test.

Records come from Microsoft's electionguard 1.4.0 (the oracle venv): `eg e2e` with every
guardian present, and tests/oracle/make_absent_record.py with one guardian absent. Tests that
need a record skip, with the reason, when the oracle venv is not installed.
"""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).parent / "data"
ORACLE = ROOT / ".oracle" / "bin"


def _unzip(zip_path: Path, into: Path) -> Path:
    with zipfile.ZipFile(zip_path) as z:
        z.extractall(into)
    return into


def _need_oracle() -> None:
    if not (ORACLE / "eg").exists():
        pytest.skip("electionguard 1.4.0 oracle venv (.oracle) not installed")


@pytest.fixture(scope="session")
def eg_record(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A record written by `eg e2e`: 3 guardians, quorum 2, all present; ballot-5 spoiled.

    The guardians' secret keys go to a folder beside it (``eg_keys``), never into the record.
    """
    _need_oracle()
    out = tmp_path_factory.mktemp("eg") / "record.zip"
    subprocess.run(
        [str(ORACLE / "eg"), "e2e", "--guardian-count", "3", "--quorum", "2",
         "--manifest", str(DATA / "manifest.json"), "--ballots", str(DATA / "ballots.json"),
         "--spoil-id", "ballot-5", "--output-record", str(out), "--output-keys", str(out.parent / "keys")],
        check=True, capture_output=True, cwd=out.parent,
    )
    return _unzip(out, out.parent / "rec")


@pytest.fixture(scope="session")
def eg_keys(eg_record: Path) -> Path:
    """The secret keys of eg_record's guardians (one JSON file each, as `eg e2e` exports them)."""
    keys = eg_record.parent / "keys"
    assert len(list(keys.glob("*.json"))) == 3
    return keys


@pytest.fixture(scope="session")
def absent_record(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A record with guardian 3 of 3 absent (quorum 2): compensated shares in tally and spoiled ballot."""
    _need_oracle()
    out = tmp_path_factory.mktemp("absent") / "record.zip"
    subprocess.run(
        [str(ORACLE / "python"), str(ROOT / "tests" / "oracle" / "make_absent_record.py"),
         "--guardians", "3", "--quorum", "2", "--missing", "1",
         "--manifest", str(DATA / "manifest.json"), "--ballots", str(DATA / "ballots.json"),
         "--spoil-id", "ballot-5", "--out", str(out)],
        check=True, capture_output=True, cwd=out.parent,
    )
    return _unzip(out, out.parent / "rec")


def _simulate_works() -> bool:
    evote = ROOT / ".venv" / "bin" / "evote"
    if not evote.exists():
        return False
    probe = subprocess.run([str(evote), "simulate", "--help"], capture_output=True, text=True)
    return probe.returncode == 0 and "--missing" in probe.stdout


SIMULATE_WORKS = _simulate_works()


@pytest.fixture(scope="session")
def sim_record(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A record written by `evote simulate`: 6 ballots, 1 spoiled, guardian absent, evote/vote.json."""
    if not SIMULATE_WORKS:
        pytest.skip("`evote simulate` does not work yet")
    out = tmp_path_factory.mktemp("sim") / "record.zip"
    subprocess.run(
        [str(ROOT / ".venv" / "bin" / "evote"), "simulate", "--ballots", "6", "--guardians", "3",
         "--quorum", "2", "--missing", "1", "--spoil", "1", "--seed", "verifier-tests", "--out", str(out)],
        check=True, capture_output=True,
    )
    return _unzip(out, out.parent / "rec")


@pytest.fixture
def copy_of(tmp_path: Path):
    """copy_of(record_dir) -> a fresh copy the test may change."""

    def make(src: Path) -> Path:
        dst = tmp_path / "copy"
        shutil.copytree(src, dst)
        return dst

    return make
