"""The record's files on disk: a directory tree or a zip, read and written byte for byte.

Writing is deterministic and hides time: entries go in the order the caller gives (never the
order things happened), every zip entry and every file carries the same fixed timestamp, and
nothing is half-written: the tree or zip is built beside its target and renamed into place.
Reading is strict: no links, no paths outside the record, no entry larger than a record part
can reasonably be.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
import zipfile
from collections.abc import Iterable
from pathlib import Path

from .errors import InvalidRecord

FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
"""The earliest time zip can store; every entry gets it, so the archive says nothing of when."""
FIXED_FILE_TIME = 315_532_800
"""1980-01-01T00:00:00Z as Unix time, set on every file written to a directory."""
MAX_PART_BYTES = 256 * 1024 * 1024
"""No single record file is anywhere near this; a bigger one is refused before it is read."""
MAX_ENTRIES = 2_000_000


def is_zip_target(path: Path) -> bool:
    return path.suffix.lower() == ".zip" or path.is_file()


def _check_relative(name: str) -> str:
    parts = name.split("/")
    if not name or name.startswith("/") or "\\" in name or any(p in ("", ".", "..") for p in parts):
        raise InvalidRecord(f"unsafe path in the record: {name!r:.80}")
    return name


def read_files(path: str | os.PathLike[str]) -> dict[str, bytes]:
    """Every file of the record, by its path relative to the record root (with "/")."""
    root = Path(path)
    if not root.exists():
        raise InvalidRecord(f"no election record at {root}")
    if root.is_dir():
        return _read_tree(root)
    try:
        with zipfile.ZipFile(root) as archive:
            return _read_zip(archive)
    except zipfile.BadZipFile as error:
        raise InvalidRecord(f"{root} is neither a directory nor a zip: {error}") from None


def _read_zip(archive: zipfile.ZipFile) -> dict[str, bytes]:
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise InvalidRecord("the zip holds more entries than any record can")
    files: dict[str, bytes] = {}
    for info in infos:
        if info.is_dir():
            continue
        name = _check_relative(info.filename)
        if name in files:
            raise InvalidRecord(f"{name} appears twice in the zip")
        if info.file_size > MAX_PART_BYTES:
            raise InvalidRecord(f"{name} is larger than any record part can be")
        with archive.open(info) as entry:
            data = entry.read(MAX_PART_BYTES + 1)
        if len(data) > MAX_PART_BYTES:
            raise InvalidRecord(f"{name} is larger than any record part can be")
        files[name] = data
    return files


def _read_tree(root: Path) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        here = Path(dirpath)
        for name in dirnames + filenames:
            mode = (here / name).lstat().st_mode
            if stat.S_ISLNK(mode):
                raise InvalidRecord(f"{here / name}: links are not allowed in a record")
        for name in filenames:
            full = here / name
            rel = _check_relative(full.relative_to(root).as_posix())
            if full.stat().st_size > MAX_PART_BYTES:
                raise InvalidRecord(f"{rel} is larger than any record part can be")
            files[rel] = full.read_bytes()
            if len(files) > MAX_ENTRIES:
                raise InvalidRecord("the directory holds more files than any record can")
    return files


def write_files(entries: Iterable[tuple[str, bytes]], path: str | os.PathLike[str]) -> Path:
    """Write the record as a zip (a `.zip` path) or a directory; refuses to overwrite either."""
    target = Path(path)
    if target.exists():
        raise InvalidRecord(f"{target} already exists; a published record is never overwritten")
    target.parent.mkdir(parents=True, exist_ok=True)
    checked = [(_check_relative(name), data) for name, data in entries]
    if len({name for name, _ in checked}) != len(checked):
        raise InvalidRecord("two record parts would have the same file name")
    if target.suffix.lower() == ".zip":
        _write_zip(checked, target)
    else:
        _write_tree(checked, target)
    return target


def _write_zip(entries: list[tuple[str, bytes]], target: Path) -> None:
    fd, tmp = tempfile.mkstemp(prefix=".record-", suffix=".zip", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as raw, zipfile.ZipFile(raw, "w") as archive:
            for name, data in entries:
                info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = (stat.S_IFREG | 0o644) << 16
                info.create_system = 3  # Unix, so the mode above is honoured everywhere
                archive.writestr(info, data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _write_tree(entries: list[tuple[str, bytes]], target: Path) -> None:
    tmp = Path(tempfile.mkdtemp(prefix=".record-", dir=target.parent))
    try:
        folders = {tmp}
        for name, data in entries:
            full = tmp / name
            full.parent.mkdir(parents=True, exist_ok=True)
            folders.add(full.parent)
            full.write_bytes(data)
            os.utime(full, (FIXED_FILE_TIME, FIXED_FILE_TIME))
        for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
            os.chmod(folder, 0o755)
            os.utime(folder, (FIXED_FILE_TIME, FIXED_FILE_TIME))
        os.rename(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
