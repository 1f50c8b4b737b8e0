"""(b) Records written by electionguard 1.4.0 are read by evote.record and re-derived in evote.

Three records: the `eg e2e` sample shipped in tests/data/eg_sample (runs everywhere, no
.oracle needed), and two made now by the package in .oracle: a fresh `eg e2e` one (every guardian
present, chained tracking codes, new keys and nonces each run) and one with guardian 3 absent
(tests/oracle/make_absent_record.py).  Their ballots pass evote's validation, the
encrypted tally is evote's own sum of the cast ballots, every share and total checks in
evote, and writing the parsed record back gives the package's JSON, field for field.
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from evote.crypto.decrypt import manifest_selections, verify_plaintext_tally
from evote.crypto.errors import CryptoError
from evote.crypto.tally import CiphertextTally, ballot_ciphertexts
from evote.crypto.validate import validate_ballot, validate_ballots
from evote.record import InvalidRecord, read_record, record_files

from .conftest import EG_SAMPLE, needs_oracle

_MADE_NOW = [pytest.mark.oracle, needs_oracle]


@pytest.fixture(
    scope="module",
    params=[
        "eg-e2e-shipped",
        pytest.param("eg-e2e", marks=_MADE_NOW),
        pytest.param("eg-absent-guardian", marks=_MADE_NOW),
    ],
)
def eg_record(request: pytest.FixtureRequest) -> Path:
    if request.param == "eg-e2e-shipped":
        return EG_SAMPLE
    records: dict[str, Path] = request.getfixturevalue("eg_records")
    return records[request.param]


def test_ballots_validate_and_tally_rederives(eg_record: Path) -> None:
    record = read_record(eg_record)
    assert len(record.submitted_ballots) == 4 and len(record.spoiled_submitted()) == 1
    validate_ballots(record.submitted_ballots, record.manifest, record.context)

    summed = CiphertextTally.for_manifest(record.manifest).add_cast_ballots(record.cast_ballots())
    assert record.encrypted_tally is not None and record.tally is not None
    assert summed.ciphertexts() == record.encrypted_tally.ciphertexts()
    q_bar = record.context.crypto_extended_base_hash
    verify_plaintext_tally(record.tally, summed.ciphertexts(), record.guardians, q_bar)
    for decryption in record.spoiled_ballots:
        verify_plaintext_tally(
            decryption,
            ballot_ciphertexts(record.ballot(decryption.object_id)),
            record.guardians,
            q_bar,
            selections=manifest_selections(record.manifest),
        )
    # tests/oracle/data/ballots.json: b-1 yes, b-2 no, b-3 yes, b-4 abstain; one is spoiled
    spoiled = record.spoiled_submitted()[0].object_id
    expected_yes = {"b-1": 1, "b-2": 2, "b-3": 1, "b-4": 2}[spoiled]
    assert record.tally.totals()["motion"]["motion-yes"] == expected_yes


def test_writing_back_gives_the_packages_json(eg_record: Path) -> None:
    record = read_record(eg_record)
    with zipfile.ZipFile(eg_record) as z:
        original = {n: json.loads(z.read(n)) for n in z.namelist() if not n.endswith("/")}
    rewritten = {n: json.loads(b) for n, b in record_files(record, hide_order=False)}
    assert rewritten == original


def test_evote_would_not_publish_it_as_is(eg_record: Path) -> None:
    """The package's records chain their tracking codes and stamp arrival times."""
    with pytest.raises(InvalidRecord, match=r"timestamps|code_seed|counter"):
        record_files(read_record(eg_record))


def test_a_tampered_package_ballot_is_rejected(eg_record: Path) -> None:
    record = read_record(eg_record)
    ballot = record.submitted_ballots[0]
    contest = ballot.contests[0]
    selection = contest.ballot_selections[0]
    assert selection.proof is not None
    forged_proof = replace(selection.proof, proof_zero_response=selection.proof.proof_one_response)
    forged = replace(
        ballot,
        contests=(
            replace(contest, ballot_selections=(
                replace(selection, proof=forged_proof), *contest.ballot_selections[1:])),
            *ballot.contests[1:],
        ),
    )  # fmt: skip
    with pytest.raises(CryptoError, match=selection.object_id):
        validate_ballot(forged, record.manifest, record.context)
