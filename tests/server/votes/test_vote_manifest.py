"""Votes become manifests, and tallies come back as decisions under the same ids."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from evote.rules.majority import (
    ElectionOutcome,
    Headcount,
    MajorityBase,
    MajorityRule,
    MotionOutcome,
    PerCandidateOutcome,
)
from evote.voting.manifest import VoteKind, VoteSpec, build_manifest, decide

ORACLE = Path(__file__).resolve().parents[3] / ".oracle" / "bin" / "python"

SPECS = {
    "motion3": VoteSpec(VoteKind.MOTION, "Antrag A1"),
    "motion2": VoteSpec(VoteKind.MOTION, "Antrag A2", with_abstain=False),
    "election": VoteSpec(VoteKind.ELECTION, "Vorstand", ("Ada", "Bert", "Cem", "Dora"), seats=2),
    "single": VoteSpec(VoteKind.ELECTION, "Vorsitz", ("Ada", "Bert"), seats=1),
    "per": VoteSpec(VoteKind.PER_CANDIDATE, "Kasse", ("Ada", "Bert"), seats=1),
}


@pytest.mark.parametrize("name", SPECS)
def test_manifest_shape(name: str) -> None:
    spec = SPECS[name]
    m = build_manifest(spec, scope_id="vote-7", day="2026-11-28")
    assert [c["object_id"] for c in m["contests"]] == spec.contest_ids()
    candidate_ids = {c["object_id"] for c in m["candidates"]}
    for contest in m["contests"]:
        assert contest["votes_allowed"] == (spec.seats if spec.kind is VoteKind.ELECTION else 1)
        for sel in contest["ballot_selections"]:
            assert sel["candidate_id"] in candidate_ids
    all_selections = [s["object_id"] for c in m["contests"] for s in c["ballot_selections"]]
    assert len(all_selections) == len(set(all_selections))
    # the record alone names who stood
    names = json.dumps(m["candidates"], ensure_ascii=False)
    assert all(c in names for c in spec.candidates)


def test_motion_options() -> None:
    three = build_manifest(SPECS["motion3"], scope_id="v", day="2026-11-28")
    two = build_manifest(SPECS["motion2"], scope_id="v", day="2026-11-28")
    assert [s["object_id"] for s in three["contests"][0]["ballot_selections"]] == [
        "yes", "no", "abstain",
    ]
    assert [s["object_id"] for s in two["contests"][0]["ballot_selections"]] == ["yes", "no"]


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(kind=VoteKind.MOTION, title=" "),
        dict(kind=VoteKind.MOTION, title="x", candidates=("a",)),
        dict(kind=VoteKind.ELECTION, title="x"),
        dict(kind=VoteKind.ELECTION, title="x", candidates=("a", "a")),
        dict(kind=VoteKind.ELECTION, title="x", candidates=("a",), seats=2),
        dict(kind=VoteKind.PER_CANDIDATE, title="x", candidates=("a",), seats=0),
    ],
)
def test_invalid_specs_are_refused(kwargs: dict) -> None:
    with pytest.raises(ValueError):
        VoteSpec(**kwargs)


def test_decide_reads_the_same_ids() -> None:
    motion = decide(
        SPECS["motion3"], {"motion": {"yes": 5, "no": 2, "abstain": 4}},
        rule=MajorityRule.SIMPLE, base=MajorityBase.CAST, heads=Headcount(12, 12),
        ballots_cast=11,
    )
    assert isinstance(motion, MotionOutcome) and not motion.adopted  # 5 ≤ 2 + 4
    election = decide(
        SPECS["election"],
        {"election": {"candidate-1": 3, "candidate-2": 1, "candidate-3": 4, "candidate-4": 0}},
        rule=MajorityRule.SIMPLE, base=MajorityBase.VALID, heads=Headcount(5, 5), ballots_cast=4,
    )
    assert isinstance(election, ElectionOutcome) and election.elected == ("Cem", "Ada")
    per = decide(
        SPECS["per"],
        {
            "candidate-1": {"candidate-1-yes": 1, "candidate-1-no": 3, "candidate-1-abstain": 0},
            "candidate-2": {"candidate-2-yes": 3, "candidate-2-no": 1, "candidate-2-abstain": 0},
        },
        rule=MajorityRule.SIMPLE, base=MajorityBase.VALID, heads=Headcount(5, 5), ballots_cast=4,
    )
    assert isinstance(per, PerCandidateOutcome) and per.elected == ("Bert",)
    with pytest.raises(ValueError, match="no selection"):
        decide(
            SPECS["motion3"], {"motion": {"yes": 1}},
            rule=MajorityRule.SIMPLE, base=MajorityBase.CAST, heads=Headcount(3, 3),
            ballots_cast=1,
        )


LOAD_WITH_ELECTIONGUARD = """
import json, sys
from electionguard.manifest import Manifest, InternalManifest
from electionguard.serialize import from_raw
m = from_raw(Manifest, sys.stdin.read())
assert m.is_valid(), "manifest.is_valid() is False"
internal = InternalManifest(m)
print(json.dumps({c.object_id: c.votes_allowed for c in internal.contests}))
"""


@pytest.mark.oracle
@pytest.mark.skipif(not ORACLE.exists(), reason="no .oracle venv with electionguard 1.4.0")
@pytest.mark.parametrize("name", SPECS)
def test_microsoft_package_accepts_the_manifest(name: str) -> None:
    spec = SPECS[name]
    manifest = build_manifest(spec, scope_id="vote-7", day="2026-11-28")
    out = subprocess.run(
        [str(ORACLE), "-c", LOAD_WITH_ELECTIONGUARD],
        input=json.dumps(manifest), capture_output=True, text=True, timeout=120,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    limits = json.loads(out.stdout.strip().splitlines()[-1])
    assert list(limits) == spec.contest_ids()
