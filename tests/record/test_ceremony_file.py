"""evote/ceremony.json: the fingerprint of the record's guardians and their signed confirmations."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from evote.crypto.ceremony import GuardianSecret
from evote.crypto.fingerprint import ceremony_digest, display
from evote.record import CeremonyInfo, InvalidRecord, read_record, write_record
from evote.record.archive import read_files, write_files
from evote.simulation.election import SimulationResult


def test_simulated_record_carries_the_fingerprint_and_every_confirmation(
    simulated: SimulationResult,
) -> None:
    record = read_record(simulated.path)
    assert record.ceremony is not None and record.ceremony == simulated.record.ceremony
    digest = ceremony_digest(3, 2, record.guardians)
    assert record.ceremony.digest == digest
    by_id = {g.guardian_id: g for g in record.guardians}
    assert sorted(c.guardian_id for c in record.ceremony.confirmations) == sorted(by_id)
    for confirmation in record.ceremony.confirmations:
        confirmation.verify(by_id[confirmation.guardian_id], digest)
    document = json.loads(read_files(simulated.path)["evote/ceremony.json"])
    assert document["type"] == "evote/ceremony" and document["version"] == 1
    assert document["fingerprint"] == display(digest) and document["digest"] == digest.hex()


def _refused(record, out: Path, message: str) -> None:
    with pytest.raises(InvalidRecord, match=message):
        write_record(record, out)
    assert not out.exists()


def test_writer_holds_the_file_to_the_records_guardians(
    simulated: SimulationResult, out: Path
) -> None:
    record = simulated.record
    ceremony = record.ceremony
    assert ceremony is not None
    other = GuardianSecret.generate("2", 2, 2, b"a key the guardians never saw 32").public_key()
    swapped = tuple(other if g.guardian_id == "2" else g for g in record.guardians)
    _refused(replace(record, guardians=swapped), out, "not the one of the record's guardians")
    _refused(replace(record, ceremony=replace(ceremony, confirmations=ceremony.confirmations[1:])),
             out, "not one per guardian")  # fmt: skip
    moved = replace(ceremony.confirmations[0], fingerprint=bytes(32))
    _refused(replace(record, ceremony=replace(ceremony, confirmations=(
        moved, *ceremony.confirmations[1:]))), out, "for another fingerprint")  # fmt: skip
    _refused(replace(record, extras={"ceremony.json": ceremony.to_json()}), out,
             "written from ElectionRecord.ceremony")  # fmt: skip


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(version=2), "evote/ceremony version 1"),
        (lambda d: d.update(fingerprint="0000-0000-0000-0000-0000-0000"), "not the one of 'digest'"),
        (lambda d: d.update(digest=d["digest"].upper()), "64 lower-case hex"),
        (lambda d: d.pop("confirmations"), "'confirmations'"),
        (lambda d: d["confirmations"][0].update(challenge="zz"), "not a hex number"),
    ],
)  # fmt: skip
def test_reader_refuses_a_malformed_ceremony_file(
    simulated: SimulationResult, tmp_path: Path, change, message: str
) -> None:
    files = read_files(simulated.path)
    document = json.loads(files["evote/ceremony.json"])
    change(document)
    files["evote/ceremony.json"] = json.dumps(document).encode()
    tampered = write_files(sorted(files.items()), tmp_path / "tampered.zip")
    with pytest.raises(InvalidRecord, match=message):
        read_record(tampered)


def test_ceremony_info_round_trips(simulated: SimulationResult) -> None:
    ceremony = simulated.record.ceremony
    assert ceremony is not None
    assert CeremonyInfo.from_json(ceremony.to_json()) == ceremony
