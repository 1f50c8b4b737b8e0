"""V28: the audit log published with the vote is an unbroken hash chain, and it holds the vote's
opening and close.

evote/audit.json (type "evote/audit", version 1) has `vote_id`, `entries` (the event's log from
its first entry up to the vote's close), and `opened` / `closed`, each {"seq", "hash"}. Written
from docs/audit.md, not from evote's code:

    hash_i = SHA-256("evote/audit-entry/1" || 0x00 || canonical JSON of entry_i without "hash")
    prev_1 = SHA-256("evote/audit-genesis/1"),   prev_i = hash_(i-1),   seq_i = i

Canonical JSON: UTF-8, keys sorted, separators "," and ":", no spaces, integers only. A removed,
changed, inserted or reordered entry breaks the chain at that entry. The entry at `opened.seq`
must be a "vote.open" of {"type": "vote", "id": vote_id} with that hash; the one at `closed.seq`
a "vote.close" or "vote.cancel" of the same vote, the last entry, after the opening.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from hashlib import sha256
from typing import Any

from .record import MissingPart, Record
from .report import Report

FILE = "evote/audit.json"
CHECK = "V28"
GENESIS = sha256(b"evote/audit-genesis/1").hexdigest()
TAG = b"evote/audit-entry/1\x00"
FIELDS = {"seq", "time", "actor", "roles", "action", "object", "details", "prev", "hash"}
_HEX = re.compile(r"[0-9a-f]{64}")
_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")


class ChainBroken(ValueError):
    """Where the chain breaks (`where`) and how (`what`)."""

    def __init__(self, where: str, what: str) -> None:
        super().__init__(f"{where}: {what}")
        self.where, self.what = where, what


def _no_floats(value: Any) -> None:
    if isinstance(value, float):
        raise ValueError("floating-point number in an audit entry")
    if isinstance(value, list):
        for item in value:
            _no_floats(item)
    elif isinstance(value, dict):
        for item in value.values():
            _no_floats(item)


def canonical(value: Any) -> bytes:
    _no_floats(value)
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def entry_digest(entry: dict[str, Any]) -> str:
    return sha256(TAG + canonical({k: v for k, v in entry.items() if k != "hash"})).hexdigest()


def chain_head(entries: Sequence[Any]) -> str:
    """Walk the chain from the genesis; the last hash, or ChainBroken at the first bad entry."""
    prev = GENESIS
    for i, entry in enumerate(entries, start=1):
        where = f"{FILE} entry {i}"
        if not isinstance(entry, dict) or set(entry) != FIELDS:
            raise ChainBroken(where, f"must be an object with exactly {sorted(FIELDS)}")
        if entry["seq"] != i or isinstance(entry["seq"], bool):
            raise ChainBroken(where, f"seq is {entry['seq']!r}, expected {i} (removed or reordered entry)")
        if not isinstance(entry["time"], str) or not _TIME.fullmatch(entry["time"]):
            raise ChainBroken(where, "time is not a UTC time like 2026-11-28T10:15:00Z")
        if not all(isinstance(entry[k], str) and _HEX.fullmatch(entry[k]) for k in ("prev", "hash")):
            raise ChainBroken(where, "prev and hash must be 64 lower-case hex digits")
        if entry["prev"] != prev:
            raise ChainBroken(where, "prev is not the hash of the entry before it")
        try:
            digest = entry_digest(entry)
        except (TypeError, ValueError) as exc:
            raise ChainBroken(where, f"cannot be encoded canonically: {exc}") from None
        if digest != entry["hash"]:
            raise ChainBroken(where, "hash does not match the entry's content (changed entry)")
        prev = entry["hash"]
    return prev


def _mark(doc: dict[str, Any], name: str, entries: list[Any], vote_id: str, actions: tuple[str, ...]) -> int:
    raw = doc.get(name)
    if not isinstance(raw, dict) or set(raw) != {"seq", "hash"}:
        raise ChainBroken(f"{FILE} {name}", "must be {'seq', 'hash'}")
    seq = raw["seq"]
    if not isinstance(seq, int) or isinstance(seq, bool) or not 1 <= seq <= len(entries):
        raise ChainBroken(f"{FILE} {name}", "names no entry of the log")
    entry = entries[seq - 1]
    if entry["hash"] != raw["hash"]:
        raise ChainBroken(f"{FILE} {name}", f"hash is not that of entry {seq}")
    if entry["action"] not in actions or entry["object"] != {"type": "vote", "id": vote_id}:
        raise ChainBroken(f"{FILE} {name}", f"entry {seq} is not this vote's {' or '.join(actions)}")
    return seq


def check_audit(record: Record, manifest: dict[str, Any] | None, rep: Report) -> None:
    if not record.has(FILE):
        rep.skip(CHECK, "the record has no audit log (evote/audit.json)")
        return
    try:
        doc = record.json(FILE)
    except (MissingPart, ValueError) as exc:
        rep.fail(CHECK, FILE, f"unreadable: {exc}")
        return
    if not isinstance(doc, dict) or doc.get("type") != "evote/audit" or doc.get("version") != 1:
        rep.fail(CHECK, FILE, "is not evote/audit version 1")
        return
    vote_id, entries = doc.get("vote_id"), doc.get("entries")
    if not isinstance(vote_id, str) or not isinstance(entries, list):
        rep.fail(CHECK, FILE, "needs vote_id (a string) and entries (a list)")
        return
    if manifest is not None and vote_id != manifest.get("election_scope_id"):
        rep.fail(CHECK, f"{FILE} vote_id", "is not the manifest's election_scope_id")
        return
    try:
        chain_head(entries)
        opened = _mark(doc, "opened", entries, vote_id, ("vote.open",))
        closed = _mark(doc, "closed", entries, vote_id, ("vote.close", "vote.cancel"))
    except ChainBroken as exc:
        rep.fail(CHECK, exc.where, exc.what)
        return
    if not opened < closed == len(entries):
        rep.fail(CHECK, FILE, "the log must end at the vote's close, and open before it")
        return
    cancelled = record.has("evote/cancelled.json")
    if cancelled and entries[closed - 1]["action"] != "vote.cancel" and _cancelled_while_open(record):
        rep.fail(CHECK, f"{FILE} closed", "the vote was cancelled while open, but the log shows a close")
        return
    rep.audit_close = entries[closed - 1]["hash"]
    rep.ok(CHECK, len(entries))


def _cancelled_while_open(record: Record) -> bool:
    try:
        return bool(record.json("evote/cancelled.json").get("while") == "open")
    except (MissingPart, ValueError, AttributeError):
        return False
