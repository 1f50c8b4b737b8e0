"""Warnings: a record that verifies but proves less than it seems. The one warning today is a
quorum of 1 (V3): then every backup a guardian sends is its own secret key."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from evote_verify.cli import main
from evote_verify.report import Report

from .conftest import DATA, ORACLE, _need_oracle, _unzip


@pytest.fixture(scope="module")
def quorum_one_record(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`eg e2e` with 2 guardians and quorum 1 (evote refuses to make such a key; eg does not)."""
    _need_oracle()
    out = tmp_path_factory.mktemp("k1") / "record.zip"
    subprocess.run(
        [str(ORACLE / "eg"), "e2e", "--guardian-count", "2", "--quorum", "1",
         "--manifest", str(DATA / "manifest.json"), "--ballots", str(DATA / "ballots.json"),
         "--output-record", str(out)],
        check=True, capture_output=True, cwd=out.parent,
    )
    return _unzip(out, out.parent / "rec")


def test_quorum_one_verifies_with_a_warning(quorum_one_record: Path) -> None:
    result = CliRunner().invoke(main, [str(quorum_one_record), "--json", "--workers", "1"])
    report = json.loads(result.output)
    assert result.exit_code == 0 and report["passed"] is True and report["warned"] is True
    v3 = next(c for c in report["checks"] if c["id"] == "V3")
    assert v3["status"] == "warning" and v3["failed"] == 0 and v3["warned"] == 1
    (w,) = report["warnings"]
    assert w["check"] == "V3" and "quorum k = 1" in w["what"] and "decrypt every ballot alone" in w["what"]
    assert report["failures"] == []
    others = {c["status"] for c in report["checks"] if c["id"] != "V3"}
    assert "warning" not in others and "failed" not in others


def test_quorum_one_checklist_marks_the_warning(quorum_one_record: Path) -> None:
    result = CliRunner().invoke(main, [str(quorum_one_record), "--workers", "1"])
    assert result.exit_code == 0
    assert "⚠ V3 " in result.output and "✔ V25" in result.output
    assert "Warnings (the record is sound, but read these):\n  [V3] context.json quorum: quorum k = 1" in result.output
    assert result.output.rstrip().endswith("RECORD VERIFIED, WITH 1 WARNING (see above)")


def test_quorum_two_has_no_warning(eg_record: Path) -> None:
    result = CliRunner().invoke(main, [str(eg_record), "--json", "--workers", "1"])
    report = json.loads(result.output)
    assert result.exit_code == 0 and report["warned"] is False and report["warnings"] == []
    assert all(c["status"] != "warning" for c in report["checks"])


def test_failure_outranks_warning_and_merge_keeps_warnings() -> None:
    worker = Report()
    worker.warn("V3", "context.json quorum", "quorum k = 1")
    rep = Report()
    rep.merge(worker)
    rep.ok("V3")
    rep.ok("V4")
    rep.fail("V4", "x", "wrong")
    rep.warn("V4", "y", "also odd")
    rep.finish()
    assert rep.checks["V3"].status == "warning" and rep.passed is False  # V4 failed
    assert rep.checks["V4"].status == "failed"
    assert [w.check for w in rep.warnings] == ["V3", "V4"]
    assert rep.failed_ids() == {"V4"}
