"""Reading an election record from a directory or a zip file, as electionguard 1.4.0 lays it out.

Layout: manifest.json, context.json, constants.json, coefficients.json, encrypted_tally.json,
tally.json, guardians/*.json, encryption_devices/*.json, submitted_ballots/*.json,
spoiled_ballots/*.json, and evote's own additions under evote/.
A missing part raises ``MissingPart`` so the check that needs it is reported incomplete.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any


class UnreadableRecord(Exception):
    """The path is not a record at all (exit code 2)."""


class MissingPart(Exception):
    """A file the checks need is absent or is not valid JSON."""


class Record:
    """A read-only view of the record's files; opened once per process."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._zip: zipfile.ZipFile | None = None
        self._prefix = ""
        if self.path.is_dir():
            names = [str(p.relative_to(self.path)).replace("\\", "/") for p in self.path.rglob("*") if p.is_file()]
        elif self.path.is_file():
            try:
                self._zip = zipfile.ZipFile(self.path)
            except (zipfile.BadZipFile, OSError) as exc:
                raise UnreadableRecord(f"{self.path}: not a directory or a zip file ({exc})") from exc
            names = [n for n in self._zip.namelist() if not n.endswith("/")]
        else:
            raise UnreadableRecord(f"{self.path}: no such file or directory")
        # tolerate a zip whose files all sit under one top folder
        if "manifest.json" not in names:
            tops = {n.split("/", 1)[0] for n in names if "/" in n}
            for top in tops:
                if f"{top}/manifest.json" in names:
                    self._prefix = top + "/"
                    names = [n[len(self._prefix):] for n in names if n.startswith(self._prefix)]
                    break
        self.names = sorted(names)
        self._known = frozenset(self.names)  # a record of 100,000 ballots is looked up 100,000 times
        if not any(n in self._known for n in ("manifest.json", "context.json")):
            raise UnreadableRecord(f"{self.path}: no manifest.json or context.json; not an election record")

    def has(self, name: str) -> bool:
        return name in self._known

    def read_bytes(self, name: str) -> bytes:
        if name not in self._known:
            raise MissingPart(f"{name} is missing")
        full = self._prefix + name
        if self._zip is not None:
            return self._zip.read(full)
        return (self.path / full).read_bytes()

    def json(self, name: str) -> Any:
        try:
            return json.loads(self.read_bytes(name))
        except (ValueError, UnicodeDecodeError) as exc:
            raise MissingPart(f"{name} is not valid JSON ({exc})") from exc

    def folder(self, folder: str) -> list[str]:
        """File names directly in a folder, e.g. 'submitted_ballots'."""
        pre = folder.rstrip("/") + "/"
        return [n for n in self.names if n.startswith(pre) and n.endswith(".json") and "/" not in n[len(pre):]]
