"""Hostile shapes: fields of the wrong type anywhere end in a report with exit 1, never a crash."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evote_verify.verify import verify

CASES = [
    ("context.json", ["quorum"], "zz"),
    ("context.json", ["elgamal_public_key"], None),
    ("tally.json", ["contests"], [1]),
    ("encrypted_tally.json", ["contests"], "zz"),
    ("coefficients.json", ["coefficients"], None),
    ("manifest.json", ["contests"], 7),
    ("guardians/guardian_1.json", ["election_proofs"], None),
    ("spoiled_ballots/spoiled_ballot_b-4.json", ["object_id"], [1]),
    ("submitted_ballots/submitted_ballot_b-1.json", ["contests", 0, "ballot_selections", 0, "proof"], "zz"),
    ("submitted_ballots/submitted_ballot_b-2.json", ["contests", 1, "proof", "constant"], None),
]


@pytest.mark.parametrize(("name", "path", "bad"), CASES)
def test_wrong_type_is_a_finding(name: str, path: list, bad: object, eg_record: Path, copy_of) -> None:
    rec = copy_of(eg_record)
    data = json.loads((rec / name).read_text())
    target = data
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = bad
    (rec / name).write_text(json.dumps(data))
    report = verify(rec, workers=1)
    assert not report.passed
    assert report.failures, "a failure must name what was wrong"
