"""What evote adds to an election record: files under `evote/`, never changed package fields.

Each extra file is one JSON object with a "type" (`evote/<name>`) and an integer "version",
so a reader knows what it holds and refuses a version it does not understand, as it would
refuse a Fernet token with an unknown version byte.  The bytes are evote's canonical JSON
(`jsonio.canonical_json`), so the same content always gives the same file.

`evote/vote.json` (type `evote/vote`, version 1) says what the package's files cannot: when
the vote closed, how many delegates could vote, and the one timestamp every ballot carries.
`evote/ceremony.json` (type `evote/ceremony`, version 1) holds the key ceremony's fingerprint
and every guardian's signed confirmation of it (docs/guardians.md), so anyone can check that
all guardians confirmed the very keys the record publishes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from hashlib import sha256
from typing import Any

from evote.crypto.errors import CryptoError
from evote.crypto.fingerprint import FingerprintConfirmation, digest_from_hex, display

from .errors import InvalidRecord
from .jsonio import canonical_json, parse_json

VOTE_FILE = "vote.json"
VOTE_TYPE = "evote/vote"
VOTE_VERSION = 1
CEREMONY_FILE = "ceremony.json"
CEREMONY_TYPE = "evote/ceremony"
CEREMONY_VERSION = 1

_UTC_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")


def check_extra(document: Any, where: str) -> dict[str, Any]:
    """An extra file's document must be an object with a type and a version."""
    if not isinstance(document, dict):
        raise InvalidRecord(f"{where}: an evote record file is a JSON object")
    kind, version = document.get("type"), document.get("version")
    if not isinstance(kind, str) or not kind.startswith("evote/"):
        raise InvalidRecord(f"{where}: 'type' must be a string starting with 'evote/'")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise InvalidRecord(f"{where}: 'version' must be a positive integer")
    return document


def encode_extra(document: dict[str, Any], where: str) -> bytes:
    return canonical_json(check_extra(document, where), where)


def extra_digest(document: dict[str, Any]) -> bytes:
    """SHA-256 over "<type>/<version>" ‖ 0x00 ‖ the canonical bytes: what evote signs or chains.

    The tag makes a digest of one file type useless as a digest of another, even if their
    bytes were ever equal; hashing the canonical bytes (never `str()` of an object) makes it
    reproducible by any reader from the file alone.
    """
    check_extra(document, "document")
    tag = f"{document['type']}/{document['version']}".encode()
    return sha256(tag + b"\x00" + canonical_json(document)).digest()


def decode_extra(data: bytes, where: str) -> dict[str, Any]:
    return check_extra(parse_json(data, where), where)


def utc_text(moment: datetime) -> str:
    """ISO 8601 in UTC to the second, with "Z": one spelling per instant."""
    if moment.tzinfo is None:
        raise ValueError("times in the record must be timezone-aware")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_utc(text: object, where: str) -> datetime:
    if not isinstance(text, str) or not _UTC_TIME.fullmatch(text):
        raise InvalidRecord(f"{where}: expected a UTC time like 2026-11-28T10:15:00Z")
    try:
        return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError:
        raise InvalidRecord(f"{where}: {text!r} is not a real time") from None


def _count(document: dict[str, Any], key: str, where: str) -> int:
    value = document.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise InvalidRecord(f"{where}: {key!r} must be a non-negative integer")
    return value


@dataclass(frozen=True, slots=True)
class VoteInfo:
    """`evote/vote.json`: the facts about the vote that the electionguard files do not carry."""

    vote_id: str
    """The vote's id in the convention (also the manifest's election_scope_id)."""
    closed_at: datetime
    """When the countdown ended, on the server's clock."""
    eligible_voters: int
    """Delegates checked in and allowed to vote when the vote opened."""
    ballots_cast: int
    ballots_spoiled: int
    ballot_timestamp: int
    """The `timestamp` every published ballot carries (Unix seconds); see docs/record.md."""

    def __post_init__(self) -> None:
        if self.closed_at.tzinfo is None:
            raise ValueError("closed_at must be timezone-aware")
        if min(self.eligible_voters, self.ballots_cast, self.ballots_spoiled) < 0:
            raise ValueError("counts are non-negative")

    def to_json(self) -> dict[str, Any]:
        return {
            "type": VOTE_TYPE,
            "version": VOTE_VERSION,
            "vote_id": self.vote_id,
            "closed_at": utc_text(self.closed_at),
            "eligible_voters": self.eligible_voters,
            "ballots_cast": self.ballots_cast,
            "ballots_spoiled": self.ballots_spoiled,
            "ballot_timestamp": self.ballot_timestamp,
        }

    @classmethod
    def from_json(cls, document: object) -> VoteInfo:
        where = f"evote/{VOTE_FILE}"
        doc = check_extra(document, where)
        if doc["type"] != VOTE_TYPE or doc["version"] != VOTE_VERSION:
            raise InvalidRecord(
                f"{where}: expected {VOTE_TYPE} version {VOTE_VERSION}, "
                f"got {doc['type']} version {doc['version']}"
            )
        vote_id = doc.get("vote_id")
        if not isinstance(vote_id, str) or not vote_id:
            raise InvalidRecord(f"{where}: 'vote_id' must be a non-empty string")
        return cls(
            vote_id=vote_id,
            closed_at=parse_utc(doc.get("closed_at"), f"{where}: closed_at"),
            eligible_voters=_count(doc, "eligible_voters", where),
            ballots_cast=_count(doc, "ballots_cast", where),
            ballots_spoiled=_count(doc, "ballots_spoiled", where),
            ballot_timestamp=_count(doc, "ballot_timestamp", where),
        )


@dataclass(frozen=True, slots=True)
class CeremonyInfo:
    """`evote/ceremony.json`: the fingerprint the guardians compared, and their signatures on it.

    `digest` is D over the record's guardians, n and k; `check_structure` holds it to them and
    wants one confirmation per guardian; the signatures are checked by `evote-verify` (V24).
    """

    digest: bytes
    confirmations: tuple[FingerprintConfirmation, ...]

    @property
    def fingerprint(self) -> str:
        return display(self.digest)

    def to_json(self) -> dict[str, Any]:
        return {
            "type": CEREMONY_TYPE,
            "version": CEREMONY_VERSION,
            "fingerprint": self.fingerprint,
            "digest": self.digest.hex(),
            "confirmations": [c.to_json() for c in self.confirmations],
        }

    @classmethod
    def from_json(cls, document: object) -> CeremonyInfo:
        where = f"evote/{CEREMONY_FILE}"
        doc = check_extra(document, where)
        if doc["type"] != CEREMONY_TYPE or doc["version"] != CEREMONY_VERSION:
            raise InvalidRecord(
                f"{where}: expected {CEREMONY_TYPE} version {CEREMONY_VERSION}, "
                f"got {doc['type']} version {doc['version']}"
            )
        confirmations = doc.get("confirmations")
        if not isinstance(doc.get("digest"), str) or not isinstance(confirmations, list):
            raise InvalidRecord(f"{where}: needs 'digest' (hex) and 'confirmations' (a list)")
        try:
            info = cls(
                digest_from_hex(doc["digest"], where),
                tuple(FingerprintConfirmation.from_json(c) for c in confirmations),
            )
        except CryptoError as exc:
            raise InvalidRecord(f"{where}: {exc}") from None
        if doc.get("fingerprint") != info.fingerprint:
            raise InvalidRecord(f"{where}: 'fingerprint' is not the one of 'digest'")
        return info
