"""Shared fixtures of the crypto tests: election records made by Microsoft's electionguard 1.4.0.

Two records, when this machine has them: the `eg e2e` sample (every guardian present, one
spoiled ballot) and one made on the spot by tests/oracle/make_absent_record.py with the
oracle's Python 3.10, in which a guardian is absent and its shares are recovered by the
others.  Tests that use `sample_record` run on both and skip cleanly without them.
"""

from __future__ import annotations

import json
import os
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = Path(os.environ.get("EVOTE_EG_SAMPLE", "/work/oracle/samples/rec"))
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


def _absent_record(tmp: Path) -> Path:
    """3 guardians, quorum 2, guardian 3 absent, ballot b-4 spoiled: shares carry recovered parts."""
    if not (ORACLE_PYTHON.exists() and ABSENT_SCRIPT.exists() and ORACLE_DATA.is_dir()):
        pytest.skip("no electionguard 1.4.0 oracle venv to make a record with an absent guardian")
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
    with zipfile.ZipFile(out) as z:
        z.extractall(tmp / "absent")
    return tmp / "absent"


@pytest.fixture(scope="session", params=["eg-e2e", "absent-guardian"])
def sample_record(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> SampleRecord:
    if request.param == "absent-guardian":
        return SampleRecord(_absent_record(tmp_path_factory.mktemp("eg")))
    if not (SAMPLE / "context.json").is_file():
        pytest.skip(f"no electionguard sample record at {SAMPLE} (set EVOTE_EG_SAMPLE)")
    return SampleRecord(SAMPLE)
