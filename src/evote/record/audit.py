"""The audit log's entries and their hash chain, and the log extract in a vote's record.

Every action of staff and of the system is one entry (docs/audit.md); each entry names the hash
of the one before it, so removing, changing or reordering any entry breaks every hash after it.
This module is the format only (pure: no database, no clock); `evote.audit` writes entries and
`evote-verify` checks them with code of its own.

An entry is a JSON object with exactly these fields:

| field | meaning |
|---|---|
| `seq` | 1, 2, 3, … within one event, no gaps |
| `time` | UTC, `YYYY-MM-DDTHH:MM:SSZ` |
| `actor` | `"system"` or `"participant:<id>"` |
| `roles` | the actor's roles, sorted (`[]` for the system) |
| `action` | what happened, e.g. `vote.open` |
| `object` | `{"type": …, "id": …}`, both strings (a vote's id is its `election_scope_id`) |
| `details` | a small object; never a vote's content, never a secret |
| `prev` | the previous entry's `hash`; the first entry's is `GENESIS` |
| `hash` | SHA-256, lower-case hex, of `ENTRY_TAG ‖ 0x00 ‖ canonical JSON of the entry without "hash"` |

`evote/audit.json` in a record (type `evote/audit`, version 1) holds the vote's `vote_id`, the
entries from the first up to the vote's close, and `opened` / `closed`: `{"seq", "hash"}` of the
entry that opened the vote and of the one that ended its countdown (closed or cancelled).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from hashlib import sha256
from typing import Any

from .errors import InvalidRecord
from .extras import check_extra
from .jsonio import canonical_json

ENTRY_TAG = b"evote/audit-entry/1"
GENESIS = sha256(b"evote/audit-genesis/1").hexdigest()
"""The `prev` of every chain's first entry: fixed, so a log cannot start in the middle."""

AUDIT_FILE = "audit.json"
AUDIT_TYPE = "evote/audit"
AUDIT_VERSION = 1
LOG_TYPE = "evote/audit-log"
"""A whole event's log as `evote audit export` writes it (`evote audit verify` reads both)."""
LOG_VERSION = 1

ENDING_ACTIONS = ("vote.close", "vote.cancel")
"""Actions that end a vote's countdown; the record's `closed` names one of them."""

FIELDS = frozenset({"seq", "time", "actor", "roles", "action", "object", "details", "prev", "hash"})
_HEX64 = re.compile(r"[0-9a-f]{64}")
_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
_ACTOR = re.compile(r"system|participant:[1-9][0-9]{0,18}")


class BrokenChain(InvalidRecord):
    """The log is not an unbroken chain: names the first entry where it breaks."""


def entry_hash(entry: dict[str, Any]) -> str:
    """The hash of an entry (its own "hash" field left out)."""
    body = {k: v for k, v in entry.items() if k != "hash"}
    return sha256(ENTRY_TAG + b"\x00" + canonical_json(body, "audit entry")).hexdigest()


def make_entry(
    seq: int, time: str, actor: str, roles: Sequence[str], action: str,
    object_type: str, object_id: str, details: dict[str, Any], prev: str,
) -> dict[str, Any]:
    """A complete entry with its hash; the caller supplies the time (as `extras.utc_text`)."""
    entry: dict[str, Any] = {
        "seq": seq, "time": time, "actor": actor, "roles": sorted(roles), "action": action,
        "object": {"type": object_type, "id": object_id}, "details": details, "prev": prev,
    }
    check_shape(entry, f"entry {seq}")
    entry["hash"] = entry_hash(entry)
    return entry


def check_shape(entry: Any, where: str) -> None:
    """Raise `InvalidRecord` unless `entry` has the fields and types of the table above."""
    if not isinstance(entry, dict):
        raise InvalidRecord(f"{where}: an audit entry is a JSON object")
    missing = (FIELDS - {"hash"}) - entry.keys()
    extra = entry.keys() - FIELDS
    if missing or extra:
        raise InvalidRecord(f"{where}: fields missing {sorted(missing)} or unknown {sorted(extra)}")
    seq = entry["seq"]
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 1:
        raise InvalidRecord(f"{where}: 'seq' must be a positive integer")
    if not isinstance(entry["time"], str) or not _TIME.fullmatch(entry["time"]):
        raise InvalidRecord(f"{where}: 'time' must be a UTC time like 2026-11-28T10:15:00Z")
    if not isinstance(entry["actor"], str) or not _ACTOR.fullmatch(entry["actor"]):
        raise InvalidRecord(f"{where}: 'actor' must be 'system' or 'participant:<id>'")
    roles = entry["roles"]
    if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
        raise InvalidRecord(f"{where}: 'roles' must be a list of strings")
    if not isinstance(entry["action"], str) or not entry["action"]:
        raise InvalidRecord(f"{where}: 'action' must be a non-empty string")
    obj = entry["object"]
    if (
        not isinstance(obj, dict) or set(obj) != {"type", "id"}
        or not all(isinstance(v, str) for v in obj.values())
    ):
        raise InvalidRecord(f"{where}: 'object' must be {{'type': str, 'id': str}}")
    if not isinstance(entry["details"], dict):
        raise InvalidRecord(f"{where}: 'details' must be an object")
    for name in ("prev", "hash"):
        if name in entry and (not isinstance(entry[name], str) or not _HEX64.fullmatch(entry[name])):
            raise InvalidRecord(f"{where}: '{name}' must be 64 lower-case hex digits")


def check_chain(entries: Sequence[Any]) -> str:
    """Check a log from its first entry; returns the head hash (`GENESIS` for an empty log).

    Raises `BrokenChain` at the first entry that is malformed, out of sequence, does not name
    its predecessor's hash, or whose own hash does not match its content.
    """
    prev = GENESIS
    for index, entry in enumerate(entries):
        where = f"audit entry {index + 1}"
        try:
            check_shape(entry, where)
        except InvalidRecord as exc:
            raise BrokenChain(str(exc)) from None
        if "hash" not in entry:
            raise BrokenChain(f"{where}: 'hash' is missing")
        if entry["seq"] != index + 1:
            raise BrokenChain(f"{where}: seq is {entry['seq']}, expected {index + 1}")
        if entry["prev"] != prev:
            raise BrokenChain(f"{where}: 'prev' is not the hash of the entry before it")
        if entry["hash"] != entry_hash(entry):
            raise BrokenChain(f"{where}: its hash does not match its content")
        prev = entry["hash"]
    return prev


@dataclass(frozen=True, slots=True)
class Mark:
    """One entry named by its place and hash: the head of the log at that moment."""

    seq: int
    hash: str

    def to_json(self) -> dict[str, Any]:
        return {"seq": self.seq, "hash": self.hash}


@dataclass(frozen=True, slots=True)
class AuditExtract:
    """`evote/audit.json`: the log up to a vote's close, with its opening and close marked."""

    vote_id: str
    opened: Mark
    closed: Mark
    entries: tuple[dict[str, Any], ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "type": AUDIT_TYPE, "version": AUDIT_VERSION, "vote_id": self.vote_id,
            "opened": self.opened.to_json(), "closed": self.closed.to_json(),
            "entries": list(self.entries),
        }

    @classmethod
    def from_json(cls, document: object) -> AuditExtract:
        """Parse and check: an unbroken chain that ends at `closed`, which ends this vote, and
        `opened` earlier in it opening this vote."""
        where = f"evote/{AUDIT_FILE}"
        doc = check_extra(document, where)
        if doc["type"] != AUDIT_TYPE or doc["version"] != AUDIT_VERSION:
            raise InvalidRecord(f"{where}: expected {AUDIT_TYPE} version {AUDIT_VERSION}")
        vote_id, entries = doc.get("vote_id"), doc.get("entries")
        if not isinstance(vote_id, str) or not isinstance(entries, list):
            raise InvalidRecord(f"{where}: needs 'vote_id' (string) and 'entries' (list)")
        check_chain(entries)
        marks = []
        for name, actions in (("opened", ("vote.open",)), ("closed", ENDING_ACTIONS)):
            raw = doc.get(name)
            if not isinstance(raw, dict) or set(raw) != {"seq", "hash"}:
                raise InvalidRecord(f"{where}: '{name}' must be {{'seq', 'hash'}}")
            seq = raw["seq"]
            if not isinstance(seq, int) or isinstance(seq, bool) or not 1 <= seq <= len(entries):
                raise InvalidRecord(f"{where}: '{name}' names no entry of the log")
            entry = entries[seq - 1]
            if entry["hash"] != raw["hash"] or entry["action"] not in actions or (
                entry["object"] != {"type": "vote", "id": vote_id}
            ):
                raise InvalidRecord(f"{where}: '{name}' is not this vote's {actions[0]} entry")
            marks.append(Mark(seq, raw["hash"]))
        opened, closed = marks
        if not opened.seq < closed.seq == len(entries):
            raise InvalidRecord(f"{where}: the log must end at the close, after the opening")
        return cls(vote_id, opened, closed, tuple(entries))
