"""A published count is the t with g^t = value and 0 <= t < q: g has order q, so g^(t+q) = g^t,
and a count inflated by q would otherwise pass the power check (V18)."""

from __future__ import annotations

import json
from pathlib import Path

from evote_verify.group import STANDARD
from evote_verify.verify import verify


def test_a_count_inflated_by_q_fails_v18(eg_record: Path, copy_of) -> None:
    rec = copy_of(eg_record)
    tally = json.loads((rec / "tally.json").read_text())
    contest = next(iter(tally["contests"].values()))
    selection = next(iter(contest["selections"].values()))
    selection["tally"] += int(STANDARD.q)
    (rec / "tally.json").write_text(json.dumps(tally))
    report = verify(rec, workers=1)
    assert not report.passed
    assert any(f.check == "V18" and "does not match value" in f.what for f in report.failures)
