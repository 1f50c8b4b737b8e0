"""The record's files on disk: layout, strict reading, deterministic and time-free writing."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest

from evote.record import archive, layout
from evote.record.errors import InvalidRecord

ENTRIES = [
    ("manifest.json", b'{"a": 1}'),
    ("submitted_ballots/submitted_ballot_b-x.json", b"{}"),
    ("evote/vote.json", b"{}"),
]


@pytest.mark.parametrize("name", ["record", "record.zip"])
def test_round_trip_keeps_every_byte(tmp_path: Path, name: str) -> None:
    target = archive.write_files(ENTRIES, tmp_path / name)
    assert archive.read_files(target) == dict(ENTRIES)


def test_zip_is_deterministic_and_carries_no_time(tmp_path: Path) -> None:
    a = archive.write_files(ENTRIES, tmp_path / "a.zip")
    b = archive.write_files(ENTRIES, tmp_path / "b.zip")
    assert a.read_bytes() == b.read_bytes()
    with zipfile.ZipFile(a) as z:
        assert [i.filename for i in z.infolist()] == [n for n, _ in ENTRIES]
        assert {i.date_time for i in z.infolist()} == {archive.FIXED_ZIP_TIME}


def test_directory_files_carry_the_fixed_time(tmp_path: Path) -> None:
    target = archive.write_files(ENTRIES, tmp_path / "rec")
    for name, _ in ENTRIES:
        assert os.stat(target / name).st_mtime == archive.FIXED_FILE_TIME
    assert os.stat(target / "evote").st_mtime == archive.FIXED_FILE_TIME


def test_never_overwrites_and_leaves_nothing_behind(tmp_path: Path) -> None:
    archive.write_files(ENTRIES, tmp_path / "r.zip")
    before = (tmp_path / "r.zip").read_bytes()
    with pytest.raises(InvalidRecord, match="already exists"):
        archive.write_files([("manifest.json", b"{}")], tmp_path / "r.zip")
    assert (tmp_path / "r.zip").read_bytes() == before
    with pytest.raises(InvalidRecord, match="unsafe path"):
        archive.write_files([("../evil.json", b"{}")], tmp_path / "x.zip")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.zip"]


@pytest.mark.parametrize("bad", ["../x.json", "/abs.json", "a//b.json", "a\\b.json", "./m.json"])
def test_zip_with_unsafe_paths_is_refused(tmp_path: Path, bad: str) -> None:
    path = tmp_path / "bad.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(bad, b"{}")
    with pytest.raises(InvalidRecord, match="unsafe path"):
        archive.read_files(path)


def test_links_and_non_records_are_refused(tmp_path: Path) -> None:
    rec = archive.write_files(ENTRIES, tmp_path / "rec")
    (rec / "evote" / "link.json").symlink_to(rec / "manifest.json")
    with pytest.raises(InvalidRecord, match="links"):
        archive.read_files(rec)
    (tmp_path / "plain.txt").write_text("hello")
    with pytest.raises(InvalidRecord, match="neither a directory nor a zip"):
        archive.read_files(tmp_path / "plain.txt")
    with pytest.raises(InvalidRecord, match="no election record"):
        archive.read_files(tmp_path / "absent")


def test_zip_directory_entries_are_skipped(tmp_path: Path) -> None:
    """`eg e2e` writes explicit folder entries; they hold nothing to read."""
    path = tmp_path / "eg.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("guardians/", b"")
        z.writestr("guardians/guardian_1.json", b"{}")
    assert archive.read_files(path) == {"guardians/guardian_1.json": b"{}"}


@pytest.mark.parametrize(
    ("path", "part", "key"),
    [
        ("tally.json", layout.Part.SINGLE, "tally.json"),
        ("guardians/guardian_1.json", layout.Part.GUARDIAN, "1"),
        ("encryption_devices/device_3281355014145.json", layout.Part.DEVICE, "3281355014145"),
        ("submitted_ballots/submitted_ballot_ballot-5.json", layout.Part.SUBMITTED, "ballot-5"),
        ("spoiled_ballots/spoiled_ballot_b.x.json", layout.Part.SPOILED, "b.x"),
        ("evote/vote.json", layout.Part.EXTRA, "vote.json"),
    ],
)
def test_classify_known_parts(path: str, part: layout.Part, key: str) -> None:
    assert layout.classify(path) == (part, key)


@pytest.mark.parametrize(
    "path",
    [
        "notes.txt",
        "guardians/keeper_1.json",
        "guardians/sub/guardian_1.json",
        "encryption_devices/device_abc.json",
        "evote/Vote.json",
        "evote/a/b.json",
        "submitted_ballots/submitted_ballot_.json",
    ],
)
def test_classify_refuses_unknown_files(path: str) -> None:
    with pytest.raises(InvalidRecord):
        layout.classify(path)


@pytest.mark.parametrize("bad", ["", "..", "a/b", "-x", "a b", "x" * 200])
def test_ids_that_cannot_be_file_names_are_refused(bad: str) -> None:
    with pytest.raises(InvalidRecord, match="cannot be a file name"):
        layout.submitted_path(bad)


def test_oversized_parts_are_refused_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = [("tally.json", b"x" * 100)]
    as_zip = archive.write_files(big, tmp_path / "big.zip")
    as_dir = archive.write_files(big, tmp_path / "big")
    monkeypatch.setattr(archive, "MAX_PART_BYTES", 99)
    for target in (as_zip, as_dir):
        with pytest.raises(InvalidRecord, match="larger than any record part"):
            archive.read_files(target)
