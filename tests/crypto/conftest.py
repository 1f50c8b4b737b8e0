"""Shared fixtures of the crypto tests: election records made by Microsoft's electionguard 1.4.0.

Two records.  The `eg e2e` sample (every guardian present, ballot b-4 spoiled) is shipped in the
repository, tests/data/eg_sample/record.zip (its README says how it was made), so the tests
that read it need nothing at test time.  The other is made once per session by
tests/oracle/make_absent_record.py with the oracle's Python 3.10 (`./dev test` installs
.oracle): guardian 3 is absent and its shares are recovered by the others.  Tests that use
`sample_record` run on both.
"""

from __future__ import annotations

import json
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_ZIP = ROOT / "tests" / "data" / "eg_sample" / "record.zip"
ORACLE_PYTHON = ROOT / ".oracle" / "bin" / "python"
ABSENT_SCRIPT = ROOT / "tests" / "oracle" / "make_absent_record.py"
ORACLE_DATA = ROOT / "tests" / "oracle" / "data"


class SampleRecord:
    """An election record unpacked from Microsoft's electionguard 1.4.0."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def load(self, relative: str) -> Any:
        return json.loads((self.root / relative).read_text())

    def glob(self, pattern: str) -> list[Any]:
        return [json.loads(p.read_text()) for p in sorted(self.root.glob(pattern))]


def oracle_json(script: str, payload: Any) -> Any:
    """Run tests/crypto/`script` with the oracle's Python, `payload` as JSON on its stdin; its
    JSON answer.  Fails the test, with the script's stderr, if the script itself fails."""
    done = subprocess.run(
        [str(ORACLE_PYTHON), str(Path(__file__).with_name(script))],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def _unzip(archive: Path, into: Path) -> Path:
    with zipfile.ZipFile(archive) as z:
        z.extractall(into)
    return into


def _absent_record(tmp: Path) -> Path:
    """3 guardians, quorum 2, guardian 3 absent, ballot b-4 spoiled: shares carry recovered parts."""
    if not ORACLE_PYTHON.exists():
        pytest.skip(
            f"no electionguard 1.4.0 venv at {ORACLE_PYTHON.parents[1]} (./dev test makes it)"
        )
    out = tmp / "absent.zip"
    done = subprocess.run(
        [str(ORACLE_PYTHON), str(ABSENT_SCRIPT), "--guardians", "3", "--quorum", "2",
         "--missing", "1", "--manifest", str(ORACLE_DATA / "manifest.json"),
         "--ballots", str(ORACLE_DATA / "ballots.json"), "--spoil-id", "b-4",
         "--out", str(out)],
        cwd=tmp, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        pytest.fail(f"make_absent_record.py failed:\n{done.stderr[-2000:]}")
    return _unzip(out, tmp / "absent")


@pytest.fixture(scope="session")
def eg_sample(tmp_path_factory: pytest.TempPathFactory) -> SampleRecord:
    """The shipped `eg e2e` record, unpacked: 3 guardians, quorum 2, all present, b-4 spoiled."""
    return SampleRecord(_unzip(SAMPLE_ZIP, tmp_path_factory.mktemp("eg-sample")))


@pytest.fixture(scope="session")
def absent_record(tmp_path_factory: pytest.TempPathFactory) -> SampleRecord:
    """A record made now by the package with guardian 3 of 3 absent (quorum 2)."""
    return SampleRecord(_absent_record(tmp_path_factory.mktemp("eg")))


@pytest.fixture(scope="session", params=["eg-e2e", "absent-guardian"])
def sample_record(request: pytest.FixtureRequest) -> SampleRecord:
    """Each record in turn: the shipped `eg e2e` sample, then the absent-guardian one."""
    name = "eg_sample" if request.param == "eg-e2e" else "absent_record"
    record: SampleRecord = request.getfixturevalue(name)
    return record
