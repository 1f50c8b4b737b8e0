"""Election records for the benchmarks, made by electionguard 1.4.0's own `eg e2e`.

Until evote encrypts its own ballots, the benchmark ballots come from Microsoft's code, which
also makes the comparison fair: every checker sees byte-for-byte the same ballots.  Records
are cached under bench/.cache, since 60 ballots take about half a minute to make.
"""

from __future__ import annotations

import json
import random
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ORACLE_PYTHON = ROOT / ".oracle" / "bin" / "python"
ORACLE_EG = ROOT / ".oracle" / "bin" / "eg"
SAMPLE_MANIFEST = ROOT / "bench" / "manifest.json"
CACHE = ROOT / "bench" / ".cache"


def plaintext_ballots(manifest: dict, count: int, seed: int) -> list[dict]:
    """`count` random plaintext ballots in the shape `eg e2e --ballots` reads.

    Each contest gets between 0 and votes_allowed marks (under-votes included), so the
    placeholder selections that pad a contest to its limit carry both 0s and 1s.
    """
    rng = random.Random(seed)
    style = manifest["ballot_styles"][0]["object_id"]
    ballots = []
    for i in range(count):
        contests = []
        for contest in manifest["contests"]:
            options = contest["ballot_selections"]
            marks = rng.randint(0, min(contest["votes_allowed"], len(options)))
            chosen = rng.sample(options, marks)
            contests.append(
                {
                    "object_id": contest["object_id"],
                    "sequence_order": contest["sequence_order"],
                    "ballot_selections": [
                        {
                            "object_id": s["object_id"],
                            "sequence_order": s["sequence_order"],
                            "vote": 1,
                        }
                        for s in chosen
                    ],
                }
            )
        ballots.append({"object_id": f"ballot-{i}", "style_id": style, "contests": contests})
    return ballots


def election_record(
    ballot_count: int, *, guardians: int = 3, quorum: int = 2, seed: int = 1
) -> Path:
    """The path of a cached `eg e2e` record with `ballot_count` cast ballots; made if missing."""
    CACHE.mkdir(parents=True, exist_ok=True)
    out = CACHE / f"record-{ballot_count}-{guardians}of{quorum}-{seed}.zip"
    if out.exists():
        return out
    if not ORACLE_EG.exists():
        raise RuntimeError("the electionguard 1.4.0 venv (.oracle) is missing: run ./dev bench")
    manifest = json.loads(SAMPLE_MANIFEST.read_text())
    ballots_file = CACHE / f"ballots-{ballot_count}-{seed}.json"
    ballots_file.write_text(json.dumps(plaintext_ballots(manifest, ballot_count, seed)))
    tmp = out.with_suffix(".partial.zip")
    subprocess.run(
        [
            str(ORACLE_EG),
            "e2e",
            "--guardian-count",
            str(guardians),
            "--quorum",
            str(quorum),
            "--manifest",
            str(SAMPLE_MANIFEST),
            "--ballots",
            str(ballots_file),
            "--output-record",
            str(tmp),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    tmp.rename(out)
    return out
