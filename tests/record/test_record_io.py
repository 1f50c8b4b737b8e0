"""read_record/write_record: lossless round trips, the published order, and refusals."""

from __future__ import annotations

import json
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from evote.crypto.ballot import BallotBoxState
from evote.crypto.group import ElementModQ
from evote.record import InvalidRecord, read_record, record_files, write_record
from evote.record.archive import read_files, write_files
from evote.record.receipts import CONTEXT_FIELD, KEY_FILE, ReceiptKey
from evote.simulation.election import SimulationResult, SimulationSettings, run_simulation


def test_round_trip_is_byte_for_byte(simulated: SimulationResult, tmp_path: Path) -> None:
    back = read_record(simulated.path)
    assert record_files(back) == record_files(simulated.record)
    as_dir = write_record(back, tmp_path / "tree")
    assert read_files(as_dir) == read_files(simulated.path)
    assert back.vote == simulated.record.vote
    assert back.tally is not None and back.tally.totals() == simulated.expected


def test_published_order_is_by_tracking_code(simulated: SimulationResult) -> None:
    with zipfile.ZipFile(simulated.path) as z:
        names = z.namelist()
    ballots = [n for n in names if n.startswith("submitted_ballots/")]
    codes = []
    with zipfile.ZipFile(simulated.path) as z:
        for name in ballots:
            codes.append(json.loads(z.read(name))["code"])
    assert codes == sorted(codes) and len(codes) == 4
    assert names[:3] == ["manifest.json", "context.json", "constants.json"]
    assert names[-1] == "evote/vote.json"


def test_ballots_carry_no_arrival_information(simulated: SimulationResult) -> None:
    record = read_record(simulated.path)
    assert record.vote is not None
    device_hash = record.devices[0].crypto_hash()
    for ballot in record.submitted_ballots:
        assert ballot.timestamp == record.vote.ballot_timestamp
        assert ballot.code_seed == device_hash
        assert ballot.nonce is None


def test_same_seed_same_bytes_other_seed_other_record(tmp_path: Path) -> None:
    tiny = SimulationSettings(ballots=1, guardians=2, quorum=2, seed="tiny")
    first = run_simulation(tiny, tmp_path / "a.zip").path.read_bytes()
    assert run_simulation(tiny, tmp_path / "b.zip").path.read_bytes() == first
    other = run_simulation(replace(tiny, seed="other"), tmp_path / "c.zip")
    assert other.path.read_bytes() != first


def _refused(record, out: Path, message: str) -> None:
    with pytest.raises(InvalidRecord, match=message):
        write_record(record, out)
    assert not out.exists()


def test_writer_refuses_ballots_that_leak(simulated: SimulationResult, out: Path) -> None:
    record = simulated.record
    ballots = list(record.submitted_ballots)
    with_nonce = [replace(ballots[0], nonce=ElementModQ.of(7)), *ballots[1:]]
    _refused(replace(record, submitted_ballots=tuple(with_nonce)), out, "still carries a nonce")
    chained = [ballots[0], replace(ballots[1], code_seed=ballots[0].code), *ballots[2:]]
    _refused(replace(record, submitted_ballots=tuple(chained)), out, "code_seed is not a device")
    late = [replace(ballots[0], timestamp=ballots[0].timestamp - 30), *ballots[1:]]
    _refused(replace(record, submitted_ballots=tuple(late)), out, "timestamp")


def test_writer_refuses_parts_that_do_not_fit(simulated: SimulationResult, out: Path) -> None:
    record = simulated.record
    assert record.vote is not None
    _refused(replace(record, vote=replace(record.vote, ballots_cast=99)), out, "counts 99 cast")
    ballots = list(record.submitted_ballots)
    _refused(replace(record, submitted_ballots=(*ballots, ballots[0])), out, "two ballot records")
    recast = tuple(replace(b, state=BallotBoxState.CAST) for b in ballots)
    _refused(replace(record, submitted_ballots=recast), out, "not a spoiled submitted ballot")
    _refused(replace(record, guardians=record.guardians[:2]), out, "2 guardian records")
    _refused(replace(record, extras={"vote.json": {"type": "evote/x", "version": 1}}), out,
             "written from ElectionRecord.vote")  # fmt: skip


def _tampered(simulated: SimulationResult, tmp_path: Path, change) -> Path:
    files = read_files(simulated.path)
    change(files)
    return write_files(sorted(files.items()), tmp_path / "tampered.zip")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda f: f.pop("manifest.json"), "no manifest.json"),
        (lambda f: f.__setitem__("notes.txt", b"hi"), "notes.txt: not part of"),
        (lambda f: f.__setitem__("evote/vote.json", b'{"type": "evote/vote", "version": 9}'),
         "evote/vote.json: .*version 1"),
        (lambda f: f.__setitem__("evote/other.json", b'{"type": "x", "version": 1}'),
         "evote/other.json: 'type'"),
        (lambda f: f.__setitem__("constants.json", f["constants.json"].replace(b'"generator": "', b'"generator": "02')),
         "generator is not the standard"),
        (lambda f: f.__setitem__("context.json", f["context.json"].replace(b'"quorum": 2', b'"quorum": 3')),
         "context.json: crypto_base_hash"),
        (lambda f: f.__setitem__("guardians/guardian_9.json", f["guardians/guardian_1.json"]),
         "guardian_9.json: holds '1'"),
        (lambda f: f.__setitem__("tally.json", b'{"object_id": "x", "contests": {}, "contests": {}}'),
         "tally.json: duplicate key"),
    ],
)  # fmt: skip
def test_reader_refuses_malformed_records(
    simulated: SimulationResult, tmp_path: Path, change, message: str
) -> None:
    with pytest.raises(InvalidRecord, match=message):
        read_record(_tampered(simulated, tmp_path, change))


def test_reader_refuses_elements_out_of_range(simulated: SimulationResult, tmp_path: Path) -> None:
    def forge(files: dict[str, bytes]) -> None:
        name = next(n for n in files if n.startswith("submitted_ballots/"))
        doc = json.loads(files[name])
        doc["contests"][0]["ballot_selections"][0]["ciphertext"]["pad"] = "FF" * 513
        files[name] = json.dumps(doc).encode()

    with pytest.raises(InvalidRecord, match=r"submitted_ballot_b-.*out of range"):
        read_record(_tampered(simulated, tmp_path, forge))


def test_encrypting_in_a_process_pool_writes_the_same_record(
    simulated: SimulationResult, out: Path
) -> None:
    from .conftest import SMALL

    pooled = run_simulation(replace(SMALL, workers=2), out)
    assert pooled.path.read_bytes() == simulated.path.read_bytes()


def test_the_receipt_key_round_trips_and_must_agree_with_the_context(
    simulated: SimulationResult, tmp_path: Path, out: Path
) -> None:
    record = simulated.record
    scope, key = record.manifest.election_scope_id, "ab" * 32
    announced = replace(record.context, extended_data={CONTEXT_FIELD: key})
    signed = replace(record, context=announced, extras={KEY_FILE: ReceiptKey(scope, key).to_json()})
    back = read_record(write_record(signed, tmp_path / "signed.zip"))
    assert ReceiptKey.from_json(back.extras[KEY_FILE]) == ReceiptKey(scope, key)
    assert back.context.extended_data == {CONTEXT_FIELD: key}

    other = ReceiptKey(scope, "cd" * 32).to_json()
    _refused(replace(signed, extras={KEY_FILE: other}), out, "not the key context.json announces")
    elsewhere = ReceiptKey("evote-9-vote-9", key).to_json()
    _refused(replace(signed, extras={KEY_FILE: elsewhere}), out, "is not the manifest's")
    upper = dict(ReceiptKey(scope, key).to_json(), public_key="AB" * 32)
    _refused(replace(signed, extras={KEY_FILE: upper}), out, "64 lower-case hex")
