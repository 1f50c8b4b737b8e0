"""`evote/cancelled.json`: the presidium called this vote off, and nobody decrypted it.

A cancelled vote still has a record: its manifest, context, guardians and every ballot that was
cast or challenged before the cancellation, and the encrypted tally, so anyone can see what was
on the table.  What it must not have is a decryption: no `tally.json`, no `coefficients.json`, no
`spoiled_ballots/`.  The file says so, and `ElectionRecord.check_structure` (like `evote-verify`,
V27) holds the record to it.

| field | meaning |
|---|---|
| `vote_id` | the manifest's `election_scope_id` |
| `cancelled_at` | UTC, `YYYY-MM-DDTHH:MM:SSZ` |
| `while` | `"open"` (the countdown was running) or `"closed"` (waiting for the guardians) |
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .errors import InvalidRecord
from .extras import check_extra, parse_utc, utc_text

CANCELLED_FILE = "cancelled.json"
CANCELLED_TYPE = "evote/cancelled"
CANCELLED_VERSION = 1
WHILE = ("open", "closed")


@dataclass(frozen=True, slots=True)
class Cancellation:
    vote_id: str
    cancelled_at: datetime
    while_: str
    """The vote's state when it was called off: "open" or "closed"."""

    def __post_init__(self) -> None:
        if self.while_ not in WHILE:
            raise ValueError(f"'while' must be one of {WHILE}")

    def to_json(self) -> dict[str, Any]:
        return {
            "type": CANCELLED_TYPE,
            "version": CANCELLED_VERSION,
            "vote_id": self.vote_id,
            "cancelled_at": utc_text(self.cancelled_at),
            "while": self.while_,
        }

    @classmethod
    def from_json(cls, document: object) -> Cancellation:
        where = f"evote/{CANCELLED_FILE}"
        doc = check_extra(document, where)
        if doc["type"] != CANCELLED_TYPE or doc["version"] != CANCELLED_VERSION:
            raise InvalidRecord(
                f"{where}: expected {CANCELLED_TYPE} version {CANCELLED_VERSION}, "
                f"got {doc['type']} version {doc['version']}"
            )
        vote_id, while_ = doc.get("vote_id"), doc.get("while")
        if not isinstance(vote_id, str) or not vote_id:
            raise InvalidRecord(f"{where}: 'vote_id' must be a non-empty string")
        if while_ not in WHILE:
            raise InvalidRecord(f"{where}: 'while' must be one of {WHILE}")
        return cls(vote_id, parse_utc(doc.get("cancelled_at"), f"{where}: cancelled_at"), while_)
