"""Valid records are accepted: from `eg e2e` (shipped and made now), with an absent guardian, as
directory or zip, in one process or several; unreadable and incomplete records get the documented
exit codes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from evote_verify.cli import main
from evote_verify.verify import verify

from .conftest import DATA, EG_SAMPLE, ORACLE, ROOT, _need_oracle, evote_command


def test_eg_record_verifies(eg_record: Path) -> None:
    report = verify(eg_record, workers=1)
    assert report.passed, report.failures
    assert report.checks["V10"].checked == 4 * 9  # 4 ballots x 9 selections (placeholders included)
    assert report.checks["V16"].checked == 6 * 3  # 6 tally selections x 3 guardians
    assert report.checks["V19"].checked > 0  # the spoiled ballot b-4


def test_shipped_zip_verifies_as_it_is() -> None:
    result = CliRunner().invoke(main, [str(EG_SAMPLE), "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert "RECORD VERIFIED" in result.output


@pytest.mark.oracle
def test_fresh_eg_record_verifies(tmp_path: Path) -> None:
    """`eg e2e` run now, new keys and nonces: 3 guardians, quorum 2, all present; ballot-5 spoiled."""
    _need_oracle()
    out = tmp_path / "record.zip"
    subprocess.run(
        [str(ORACLE / "eg"), "e2e", "--guardian-count", "3", "--quorum", "2",
         "--manifest", str(DATA / "manifest.json"), "--ballots", str(DATA / "ballots.json"),
         "--spoil-id", "ballot-5", "--output-record", str(out)],
        check=True, capture_output=True, cwd=tmp_path,
    )
    report = verify(out, workers=1)
    assert report.passed, report.failures
    assert report.checks["V10"].checked == 60  # 6 ballots x 10 selections (placeholders included)
    assert report.checks["V16"].checked == 7 * 3  # 7 tally selections x 3 guardians


def test_absent_guardian_record_verifies(absent_record: Path) -> None:
    report = verify(absent_record, workers=1)
    assert report.passed, report.failures
    assert report.checks["V17"].checked > 0


def test_two_of_five_guardians_absent(tmp_path: Path) -> None:
    """Quorum 3 of 5 with guardians 4 and 5 absent: Lagrange coefficients over {1, 2, 3}."""
    _need_oracle()
    out = tmp_path / "r.zip"
    subprocess.run(
        [str(ORACLE / "python"), str(ROOT / "tests" / "oracle" / "make_absent_record.py"),
         "--guardians", "5", "--quorum", "3", "--missing", "2",
         "--manifest", str(DATA / "manifest.json"), "--ballots", str(DATA / "ballots.json"),
         "--spoil-id", "ballot-5", "--out", str(out)],
        check=True, capture_output=True, cwd=tmp_path,
    )
    report = verify(out, workers=1)
    assert report.passed, report.failures
    assert report.checks["V17"].checked == 2 * 7 + 1  # each absent share of 7 selections, plus coefficients.json


def test_zip_and_two_workers(absent_record: Path, tmp_path: Path) -> None:
    zipped = Path(shutil.make_archive(str(tmp_path / "rec"), "zip", absent_record))
    result = CliRunner().invoke(main, [str(zipped), "--workers", "2"])
    assert result.exit_code == 0, result.output
    assert "RECORD VERIFIED" in result.output
    assert "✔ V10" in result.output


def test_json_report_lists_every_check(eg_record: Path) -> None:
    result = CliRunner().invoke(main, [str(eg_record), "--json", "--workers", "1"])
    report = json.loads(result.output)
    assert result.exit_code == 0
    assert report["passed"] is True
    assert [c["id"] for c in report["checks"]] == [f"V{i}" for i in range(1, 29)]
    # An eg record has no evote ceremony: V24 is skipped, but the fingerprint is still shown.
    statuses = {c["id"]: c["status"] for c in report["checks"]}
    assert statuses["V24"] == "skipped" and len(report["ceremony_fingerprint"]) == 29
    assert statuses["V26"] == "skipped"  # no evote/receipt_key.json: no signed receipts
    assert statuses["V27"] == "skipped"  # not cancelled


def test_unreadable_record_exits_2(tmp_path: Path) -> None:
    assert CliRunner().invoke(main, [str(tmp_path / "nope.zip")]).exit_code == 2
    (tmp_path / "junk.zip").write_bytes(b"not a zip")
    assert CliRunner().invoke(main, [str(tmp_path / "junk.zip")]).exit_code == 2
    (tmp_path / "empty").mkdir()
    assert CliRunner().invoke(main, [str(tmp_path / "empty")]).exit_code == 2


@pytest.mark.parametrize("part", ["tally.json", "encrypted_tally.json", "context.json", "guardians", "constants.json"])
def test_missing_part_is_incomplete_not_a_crash(part: str, eg_record: Path, copy_of) -> None:
    rec = copy_of(eg_record)
    target = rec / part
    shutil.rmtree(target) if target.is_dir() else target.unlink()
    result = CliRunner().invoke(main, [str(rec), "--json", "--workers", "1"])
    assert result.exit_code == 1, result.output
    report = json.loads(result.output)
    assert any(c["status"] == "incomplete" for c in report["checks"])


def test_garbage_ballot_is_reported_not_a_crash(eg_record: Path, copy_of) -> None:
    rec = copy_of(eg_record)
    (rec / "submitted_ballots" / "submitted_ballot_junk.json").write_text('{"object_id": 5}')
    (rec / "submitted_ballots" / "submitted_ballot_junk2.json").write_text("[1, 2")
    report = verify(rec, workers=1)
    assert not report.passed
    assert report.checks["V8"].failed == 2


@pytest.mark.parametrize("missing", [0, 1])
def test_evote_simulate_record_verifies(missing: int, tmp_path: Path) -> None:
    out = tmp_path / "sim.zip"
    subprocess.run(
        evote_command("simulate", "--ballots", "5", "--guardians", "3", "--quorum", "2", "--missing", str(missing),
                      "--spoil", "1", "--seed", "7", "--workers", "1", "--out", str(out)),
        check=True, capture_output=True,
    )
    result = subprocess.run(
        [sys.executable, "-m", "evote_verify", str(out), "--json", "--workers", "1"], capture_output=True, text=True
    )
    report = json.loads(result.stdout)
    assert result.returncode == 0, [f for f in report["failures"]]
    statuses = {c["id"]: c["status"] for c in report["checks"]}
    assert statuses["V21"] == "ok" and statuses["V22"] == "ok" and statuses["V24"] == "ok"


def test_evote_simulate_record_fixture_verifies(sim_record: Path) -> None:
    report = verify(sim_record, workers=2)
    assert report.passed, report.failures
    assert report.checks["V17"].checked > 0 and report.checks["V19"].checked > 0
