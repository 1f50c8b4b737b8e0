"""Election records for the benchmarks: ballots encrypted by evote, or by electionguard 1.4.0.

`evote_record` encrypts with evote's own `encrypt_ballot` (a 3-guardian, quorum-2 key made with
evote's ceremony code) and writes the package's JSON layout, so electionguard's
`is_valid_encryption` runs on the very same bytes: the benchmark doubles as a conformance
check.  `election_record` has Microsoft's `eg e2e` make the record instead.  Either way every
checker sees the same ballots.  Records are cached under bench/.cache (deterministic, from a
seed), since 100 ballots take tens of seconds to make.
"""

from __future__ import annotations

import json
import random
import subprocess
import zipfile
from pathlib import Path

from evote.crypto.ballot import BallotBoxState, PlaintextBallot
from evote.crypto.ceremony import GuardianSecret, combine_guardian_keys
from evote.crypto.context import make_context
from evote.crypto.encrypt import encrypt_ballot
from evote.crypto.group import ElementModQ
from evote.crypto.internal_manifest import InternalManifest
from evote.crypto.manifest import Manifest

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


def evote_record(ballot_count: int, *, seed: int = 1) -> Path:
    """The path of a cached record of `ballot_count` ballots encrypted by evote; made if missing.

    Deterministic given `seed` (a benchmark, not an election: the nonces come from
    `random.Random`).  Holds context.json, manifest.json and submitted_ballots/, in the
    package's layout.
    """
    CACHE.mkdir(parents=True, exist_ok=True)
    out = CACHE / f"evote-record-{ballot_count}-{seed}.zip"
    if out.exists():
        return out
    manifest_json = json.loads(SAMPLE_MANIFEST.read_text())
    internal = InternalManifest(Manifest.from_json(manifest_json))
    guardians = [GuardianSecret.generate(f"g{i}", i, 2, bytes([i, seed]) * 16) for i in (1, 2, 3)]
    joint = combine_guardian_keys([g.public_key() for g in guardians], 3, 2)
    context = make_context(
        3, 2, joint.joint_public_key, joint.commitment_hash, internal.manifest_hash
    )
    rng = random.Random(seed)
    tmp = out.with_suffix(".partial.zip")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("manifest.json", json.dumps(manifest_json))
        z.writestr("context.json", json.dumps(context.to_json()))
        for plain in plaintext_ballots(manifest_json, ballot_count, seed):
            ballot = encrypt_ballot(
                PlaintextBallot.from_json(plain),
                internal,
                context,
                ElementModQ.of(rng.getrandbits(256)),
                ElementModQ.of(rng.getrandbits(256) | 1),
                1_795_000_000,
            ).submit(BallotBoxState.CAST)
            z.writestr(
                f"submitted_ballots/submitted_ballot_{ballot.object_id}.json",
                json.dumps(ballot.to_json()),
            )
    tmp.rename(out)
    return out
