"""Conformance: Microsoft's electionguard 1.4.0 accepts evote's guardian-side outputs.

evote makes a 2-of-4 ceremony, backups, a tally decrypted with two guardians absent, and
writes them in the package's layouts; tests/crypto/oracle_guardian_check.py then loads each
file into the package's types and checks it with the package's own code.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from evote.crypto.backup import make_backup, open_backup
from evote.crypto.ceremony import GuardianSecret, combine_guardian_keys
from evote.crypto.compensation import (
    LagrangeCoefficients,
    compute_compensated_share,
    reconstruct_share,
)
from evote.crypto.decrypt import decrypt_with_shares
from evote.crypto.decryption_share import compute_decryption_share
from evote.crypto.group import ElementModQ
from evote.crypto.hash import hash_elems
from evote.crypto.tally import CiphertextTally, TallyContest, TallySelection

from .tally_ballots import encrypt_votes

ROOT = Path(__file__).resolve().parents[2]
ORACLE_PYTHON = ROOT / ".oracle" / "bin" / "python"
SCRIPT = Path(__file__).with_name("oracle_guardian_check.py")

pytestmark = pytest.mark.oracle


def write(path: Path, doc: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc))


def test_package_accepts_evote_ceremony_backups_and_compensated_tally(tmp_path: Path) -> None:
    if not ORACLE_PYTHON.exists():
        pytest.skip("no electionguard 1.4.0 oracle venv (.oracle)")
    secrets = [GuardianSecret.generate(str(i), i, 2, bytes([i, 42]) * 16) for i in range(1, 5)]
    records = {s.guardian_id: s.public_key() for s in secrets}
    joint = combine_guardian_keys(list(records.values()), 4, 2)
    q_bar = hash_elems("oracle", "extended base hash")
    present, absent = ["1", "3"], ["2", "4"]

    contests = {"motion": ["yes", "no"], "board": ["alice", "bob"]}
    votes = [
        {"yes": 1, "no": 0, "alice": 1, "bob": 0},
        {"yes": 1, "no": 0, "alice": 1, "bob": 1},
        {"yes": 0, "no": 1, "alice": 0, "bob": 1},
    ]
    shape = [
        TallyContest(
            c,
            i,
            hash_elems(c),
            {s: TallySelection(s, j, hash_elems(c, s)) for j, s in enumerate(sels)},
        )
        for i, (c, sels) in enumerate(contests.items())
    ]
    ballots = encrypt_votes(contests, votes, joint.joint_public_key, stride=100)
    tally = CiphertextTally.empty(shape).add_cast_ballots(ballots)
    ciphertexts = tally.ciphertexts()

    backups = []
    coordinates = {}
    for sender in secrets:
        for receiver in secrets:
            if sender is receiver:
                continue
            backup = make_backup(
                sender, records[receiver.guardian_id], ElementModQ.of(7 + len(backups))
            )
            coordinates[sender.guardian_id, receiver.guardian_id] = open_backup(
                backup, receiver, records[sender.guardian_id]
            )
            backups.append(
                {
                    "backup": backup.to_json(),
                    "receiver_secret_key": receiver.polynomial.secret_key.to_hex(),
                }
            )

    by_id = {s.guardian_id: s for s in secrets}
    shares = {
        g: compute_decryption_share(
            by_id[g], tally.object_id, ciphertexts, q_bar, ElementModQ.of(11)
        )
        for g in present
    }
    lagrange = LagrangeCoefficients.for_guardians([records[g] for g in present])
    for m in absent:
        parts = {
            g: compute_compensated_share(
                by_id[g],
                records[g],
                records[m],
                coordinates[m, g],
                tally.object_id,
                ciphertexts,
                q_bar,
                ElementModQ.of(13),
            )
            for g in present
        }
        shares[m] = reconstruct_share(records[m], parts, lagrange)
    plain = decrypt_with_shares(
        tally.object_id, ciphertexts, shares, list(records.values()), q_bar, bound=len(votes)
    )
    totals = {c: {s: sum(v[s] for v in votes) for s in sels} for c, sels in contests.items()}
    assert plain.totals() == totals

    for g, r in records.items():
        write(tmp_path / "guardians" / f"guardian_{g}.json", r.to_json())
    write(tmp_path / "backups.json", backups)
    write(tmp_path / "coefficients.json", lagrange.to_json())
    write(tmp_path / "encrypted_tally.json", tally.to_json())
    write(tmp_path / "tally.json", plain.to_json())
    write(
        tmp_path / "expected.json",
        {
            "extended_base_hash": q_bar.to_hex(),
            "joint_public_key": joint.joint_public_key.to_hex(),
            "commitment_hash": joint.commitment_hash.to_hex(),
            "totals": totals,
        },
    )
    done = subprocess.run(
        [str(ORACLE_PYTHON), str(SCRIPT), str(tmp_path)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith(("OK", "FAIL"))]
    assert done.returncode == 0 and lines and lines[-1].startswith("OK"), (
        done.stdout[-3000:] + done.stderr[-3000:]
    )
    assert lines[-1] == "OK guardians=4 backups=12 shares=16"
