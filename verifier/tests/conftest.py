"""Base records for the verifier tests, each made once per session and copied per test.

Records come from Microsoft's electionguard 1.4.0. `eg_record` is the `eg e2e` record shipped in
tests/data/eg_sample (every guardian present; its README says how it was made), so the tests on
it need nothing at test time; so does `eg_keys`, its guardians' secret keys. `absent_record` (one guardian absent, by
tests/oracle/make_absent_record.py) and a fresh `eg e2e` run are made now with the oracle venv
(.oracle, which `./dev test` installs); those tests skip, with the reason, without it.
`sim_record` is written by `evote simulate`.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).parent / "data"
ORACLE = ROOT / ".oracle" / "bin"
EG_SAMPLE = ROOT / "tests" / "data" / "eg_sample" / "record.zip"


def _unzip(zip_path: Path, into: Path) -> Path:
    with zipfile.ZipFile(zip_path) as z:
        z.extractall(into)
    return into


def _need_oracle() -> None:
    if not (ORACLE / "eg").exists():
        pytest.skip(f"no electionguard 1.4.0 venv at {ORACLE.parent} (./dev test installs it)")


@pytest.fixture(scope="session")
def eg_record(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped `eg e2e` record: 3 guardians, quorum 2, all present; 4 ballots, b-4 spoiled."""
    return _unzip(EG_SAMPLE, tmp_path_factory.mktemp("eg") / "rec")


@pytest.fixture(scope="session")
def eg_keys() -> Path:
    """The secret keys of eg_record's guardians (one JSON file each, as `eg e2e` exported them,
    shipped beside the record; never part of it)."""
    keys = EG_SAMPLE.parent / "keys"
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


def evote_command(*args: str) -> list[str]:
    """Command line of `evote ARGS` in this interpreter (the `evote` package must be installed:
    the verifier never imports it, its tests only run it, to check what it writes)."""
    if importlib.util.find_spec("evote") is None:
        pytest.skip("evote is not installed in this Python (pip install -e .)")
    return [sys.executable, "-c", "from evote.cli import main; main()", *args]


@pytest.fixture(scope="session")
def sim_record(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A record written by `evote simulate`: 6 ballots, 1 spoiled, guardian absent, evote/vote.json."""
    out = tmp_path_factory.mktemp("sim") / "record.zip"
    subprocess.run(
        evote_command("simulate", "--ballots", "6", "--guardians", "3", "--quorum", "2", "--missing", "1",
                      "--spoil", "1", "--seed", "verifier-tests", "--workers", "1", "--out", str(out)),
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
