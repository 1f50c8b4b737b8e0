"""Corner cases of a convention vote, end to end, checked by evote and by electionguard 1.4.0.

The three kinds of vote evote publishes (`vote_manifest`: a yes/no/abstain motion, a k-of-n
election, yes/no/abstain per candidate), each with the ballots that are easy to get wrong: a
blank ballot, an under-vote, an over-vote, a ballot that leaves a contest out, a challenged
(spoiled) ballot.  Each is encrypted, validated, tallied and decrypted by a 2-of-3 presidium
with one guardian absent; the totals must be the plaintext counts, evote's own
`verify_plaintext_tally` must accept them, and the package's `check_record.py` must accept
every ballot, share and total of the record.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from evote.crypto.ballot import BallotBoxState, PlaintextBallot, SubmittedBallot
from evote.crypto.ceremony import combine_guardian_keys
from evote.crypto.compensation import LagrangeCoefficients
from evote.crypto.context import make_context
from evote.crypto.decrypt import verify_plaintext_tally
from evote.crypto.encrypt import encrypt_ballot
from evote.crypto.internal_manifest import InternalManifest
from evote.crypto.manifest import Manifest
from evote.crypto.tally import TALLY_ID, CiphertextTally
from evote.crypto.validate import validate_ballot
from evote.record import ElectionRecord, EncryptionDevice, VoteInfo, write_record
from evote.simulation.convention import CLOSED_AT
from evote.simulation.guardians import decrypt, decrypt_challenged, key_ceremony
from evote.simulation.seeded_random import SeededRandom
from evote.voting.manifest import VoteKind, VoteSpec, build_manifest

from .conftest import needs_oracle, run_oracle

pytestmark = [pytest.mark.oracle, needs_oracle]

Marks = dict[str, list[str]]
"""contest id → the selections marked; a contest left out of the dict is left off the ballot."""

CASES: dict[str, tuple[VoteSpec, list[Marks], Marks]] = {
    "motion": (
        VoteSpec(VoteKind.MOTION, "Antrag 7"),
        [{"motion": ["yes"]}, {"motion": ["abstain"]}, {"motion": []}, {}],
        {"motion": ["no"]},
    ),
    "election": (
        VoteSpec(VoteKind.ELECTION, "Vorstand", ("Ada", "Ben", "Cem", "Dana"), seats=2),
        [
            {"election": ["candidate-1", "candidate-3"]},  # full
            {"election": ["candidate-1"]},  # under-vote
            {"election": []},  # blank
            {"election": ["candidate-1", "candidate-2", "candidate-4"]},  # over-vote: all 0
        ],
        {"election": ["candidate-2"]},
    ),
    "per-candidate": (
        VoteSpec(VoteKind.PER_CANDIDATE, "Kasse", ("Ada", "Ben", "Cem")),
        [
            {
                "candidate-1": ["candidate-1-yes"],
                "candidate-2": ["candidate-2-no"],
                "candidate-3": ["candidate-3-abstain"],
            },
            {"candidate-2": ["candidate-2-yes"]},  # the other contests left off the ballot
            {},
        ],
        {"candidate-3": ["candidate-3-yes"]},
    ),
}


def _plaintext(ballot_id: str, marks: Marks) -> PlaintextBallot:
    return PlaintextBallot.from_json(
        {
            "object_id": ballot_id,
            "style_id": "delegate",
            "contests": [
                {"object_id": cid, "ballot_selections": [{"object_id": s, "vote": 1} for s in sids]}
                for cid, sids in marks.items()
            ],
        }
    )


def _expected(manifest: Manifest, ballots: list[Marks]) -> dict[str, dict[str, int]]:
    totals = {c.object_id: {s.object_id: 0 for s in c.ballot_selections} for c in manifest.contests}
    limits = {c.object_id: c.number_elected for c in manifest.contests}
    for marks in ballots:
        for cid, sids in marks.items():
            if len(sids) <= limits[cid]:  # an over-vote is encrypted as no vote at all
                for sid in sids:
                    totals[cid][sid] += 1
    return totals


def _run(name: str, out: Path) -> tuple[dict[str, dict[str, int]], ElectionRecord]:
    spec, cast_marks, spoiled_marks = CASES[name]
    manifest = Manifest.from_json(build_manifest(spec, scope_id=name, day="2026-11-28"))
    internal = InternalManifest(manifest)
    rng = SeededRandom(f"corner-{name}")
    ceremony = key_ceremony(rng, 3, 2)
    joint = combine_guardian_keys(ceremony.records, 3, 2)
    context = make_context(
        3, 2, joint.joint_public_key, joint.commitment_hash, manifest.crypto_hash()
    )
    device = EncryptionDevice(7, 1, 42, "evote/corner")
    timestamp = int(CLOSED_AT.timestamp())
    submitted: list[SubmittedBallot] = []
    for n, marks in enumerate([*cast_marks, spoiled_marks]):
        state = BallotBoxState.SPOILED if n == len(cast_marks) else BallotBoxState.CAST
        ballot = encrypt_ballot(
            _plaintext(f"b-{rng.hex_id(8)}", marks),
            internal,
            context,
            device.crypto_hash(),
            rng.element_q(),
            timestamp,
        ).submit(state)
        validate_ballot(ballot, internal, context)
        submitted.append(ballot)
    cast = [b for b in submitted if b.state == BallotBoxState.CAST]
    spoiled = [b for b in submitted if b.state == BallotBoxState.SPOILED]
    encrypted = CiphertextTally.for_manifest(manifest).add_cast_ballots(cast)
    present = ["1", "3"]  # guardian 2 is absent and compensated
    tally = decrypt(
        TALLY_ID, encrypted.ciphertexts(), ceremony, present, context, rng, bound=len(cast)
    )
    q_bar = context.crypto_extended_base_hash
    verify_plaintext_tally(tally, encrypted.ciphertexts(), ceremony.records, q_bar)
    opened = [decrypt_challenged(b, manifest, ceremony, present, context, rng) for b in spoiled]
    assert opened[0].totals() == _expected(manifest, [spoiled_marks])
    record = ElectionRecord(
        manifest=manifest,
        context=context,
        guardians=tuple(ceremony.records),
        devices=(device,),
        submitted_ballots=tuple(submitted),
        spoiled_ballots=tuple(opened),
        encrypted_tally=encrypted,
        tally=tally,
        lagrange_coefficients=LagrangeCoefficients.for_guardians(
            [ceremony.record(g) for g in present]
        ),
        vote=VoteInfo(
            vote_id=name,
            closed_at=CLOSED_AT,
            eligible_voters=len(submitted),
            ballots_cast=len(cast),
            ballots_spoiled=len(spoiled),
            ballot_timestamp=timestamp,
        ),
    )
    write_record(record, out)
    return _expected(manifest, cast_marks), record


@pytest.mark.parametrize("name", list(CASES))
def test_corner_ballots_tally_right_and_pass_the_package(name: str, tmp_path: Path) -> None:
    expected, record = _run(name, tmp_path / "record")
    assert record.tally is not None
    assert record.tally.totals() == expected
    run = run_oracle("check_record.py", tmp_path / "record")
    assert run.returncode == 0, run.stderr[-2000:]
    summary: dict[str, Any] = run.summary
    assert summary["tally"] == expected
    assert (summary["cast"], summary["spoiled"]) == (len(CASES[name][1]), 1)
    assert summary["present_guardians"] == ["1", "3"]
