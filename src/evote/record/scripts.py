"""`evote/scripts.json`: the scripts and styles the server served to the voters' browsers.

The browser encrypts the ballots, so what it ran belongs in the record. The file lists every
script and stylesheet the server serves, with its SHA-256 (compare with ``sha256sum`` on a
checkout of the tagged release) and its Subresource Integrity value (the ``integrity``
attribute the pages carry). docs/web.md says how to compare; docs/record.md gives the format.

type ``evote/scripts``, version 1::

    {"type": "evote/scripts", "version": 1,
     "files": [{"path": "/js/worker.js", "source": "web/js/worker.js",
                "sha256": "<64 hex>", "integrity": "sha384-<base64>"}, ...]}

``path`` is the URL path served, ``source`` the file in the source tree it is served from (for
``/js/vendor/`` a file of an npm package under ``web/node_modules/``). Files are sorted by path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .errors import InvalidRecord
from .extras import check_extra

SCRIPTS_FILE = "scripts.json"
SCRIPTS_TYPE = "evote/scripts"
SCRIPTS_VERSION = 1

_PATH = re.compile(r"/(js|css)/[A-Za-z0-9_.\-/]+")
_SOURCE = re.compile(r"web/[A-Za-z0-9_.\-/@]+")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_SRI = re.compile(r"sha384-[A-Za-z0-9+/]{64}")


@dataclass(frozen=True, slots=True)
class ScriptFile:
    path: str
    """The URL path the server serves the file at."""
    source: str
    """Where the file lives in the source tree (web/...)."""
    sha256: str
    integrity: str
    """The Subresource Integrity value, "sha384-" and the base64 digest."""

    def __post_init__(self) -> None:
        for name, value, pattern in (
            ("path", self.path, _PATH),
            ("source", self.source, _SOURCE),
            ("sha256", self.sha256, _SHA256),
            ("integrity", self.integrity, _SRI),
        ):
            if not isinstance(value, str) or not pattern.fullmatch(value) or ".." in value:
                raise ValueError(f"{name} {value!r} is not a valid value")


@dataclass(frozen=True, slots=True)
class ScriptsInfo:
    files: tuple[ScriptFile, ...]

    def __post_init__(self) -> None:
        paths = [f.path for f in self.files]
        if paths != sorted(paths) or len(set(paths)) != len(paths):
            raise ValueError("files must be sorted by path, each path once")

    def to_json(self) -> dict[str, Any]:
        return {
            "type": SCRIPTS_TYPE,
            "version": SCRIPTS_VERSION,
            "files": [
                {"path": f.path, "source": f.source, "sha256": f.sha256, "integrity": f.integrity}
                for f in self.files
            ],
        }

    @classmethod
    def from_json(cls, document: object) -> ScriptsInfo:
        where = f"evote/{SCRIPTS_FILE}"
        doc = check_extra(document, where)
        if doc["type"] != SCRIPTS_TYPE or doc["version"] != SCRIPTS_VERSION:
            raise InvalidRecord(
                f"{where}: expected {SCRIPTS_TYPE} version {SCRIPTS_VERSION}, "
                f"got {doc['type']} version {doc['version']}"
            )
        files = doc.get("files")
        if not isinstance(files, list):
            raise InvalidRecord(f"{where}: 'files' must be a list")
        try:
            return cls(files=tuple(
                ScriptFile(path=f["path"], source=f["source"], sha256=f["sha256"], integrity=f["integrity"])
                for f in files
            ))
        except (KeyError, TypeError, ValueError) as exc:
            raise InvalidRecord(f"{where}: {exc}") from None
