"""The rehearsal folder: what `evote rehearse prepare` leaves for `evote rehearse` to play.

    rehearsal/                      mode 700
      credentials.json              mode 600: server, event, every login and password, the
                                    guardians' passphrases, how long issuing the credentials took
      guardians/<login>/            each guardian's evote-guardian state folder (sealed key share
                                    and session), as on that guardian's laptop
      runs/<UTC time>/              each run's report.json and the downloaded record.zip

The file holds passwords in clear, like the access letters of `evote credentials issue`: it
exists so that a program can play the delegates, it is created owner-only and never
overwritten with other content, and it belongs to a rehearsal event whose accounts matter to
no one after the rehearsal.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

CREDENTIALS = "credentials.json"
GUARDIANS = "guardians"
RUNS = "runs"
FORMAT = 1


class FolderError(Exception):
    """The folder is missing, not a rehearsal folder, or not for this server."""


@dataclass(frozen=True)
class Login:
    login: str
    password: str = field(repr=False)


@dataclass(frozen=True)
class GuardianSeat:
    login: str
    password: str = field(repr=False)
    """Kept for a new `evote-guardian login` should the saved session have ended (16 h)."""
    folder: str
    """State folder, relative to the rehearsal folder."""
    passphrase: str = field(repr=False)


@dataclass
class Prepared:
    """Everything a run needs, as written by `prepare`."""

    url: str
    event: str
    presidium: Login
    delegates: list[Login]
    guardians: list[GuardianSeat]
    quorum: int
    issuing: dict[str, Any]
    """How long issuing the credentials took: {"count", "seconds", "profile"}."""
    fingerprint: str = ""
    """The key ceremony's fingerprint every guardian computed and confirmed."""
    created_at: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"format": FORMAT, **asdict(self)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Prepared:
        if data.get("format") != FORMAT:
            raise FolderError(f"unknown credentials format {data.get('format')!r}")
        return cls(
            url=data["url"], event=data["event"], presidium=Login(**data["presidium"]),
            delegates=[Login(**d) for d in data["delegates"]],
            guardians=[GuardianSeat(**g) for g in data["guardians"]], quorum=int(data["quorum"]),
            issuing=dict(data["issuing"]), fingerprint=data.get("fingerprint", ""),
            created_at=data.get("created_at", ""),
        )


def make(folder: Path) -> None:
    """A new or empty folder, owner-only."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise FolderError(
            f"{folder} exists and is not empty; prepare each rehearsal event in a new folder "
            "(its credentials file must not be overwritten)"
        )
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    folder.chmod(0o700)


def save(folder: Path, prepared: Prepared) -> Path:
    """Write credentials.json owner-only (created 600 before any byte is written)."""
    path = folder / CREDENTIALS
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump(prepared.to_json(), f, indent=1)
    tmp.replace(path)
    return path


def load(folder: Path) -> Prepared:
    path = folder / CREDENTIALS
    if not path.is_file():
        raise FolderError(f"no {CREDENTIALS} in {folder}: run `evote rehearse prepare` first")
    try:
        return Prepared.from_json(json.loads(path.read_text()))
    except (ValueError, KeyError, TypeError) as exc:
        raise FolderError(f"{path} is not a rehearsal credentials file: {exc}") from None


def run_folder(folder: Path, stamp: str) -> Path:
    target = folder / RUNS / stamp
    target.mkdir(parents=True, exist_ok=False, mode=0o700)
    return target
