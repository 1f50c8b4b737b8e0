"""Signed receipts: is the ballot the server signed for in the record? (`--receipt FILE RECORD`)

Written from docs/record.md and docs/ballot-box.md, not from the server's code. A receipt is
the vote's Ed25519 signature over

    "evote-receipt-v1" 0x00 | F(vote id) | F(tracking code) | F(ballot hash) | F(timestamp) | F(state)
    F(x) = 4-byte big-endian length of UTF-8(x) | UTF-8(x)

The vote's public key is published twice in the record: `evote/receipt_key.json` and the
context's `extended_data` (what delegates' browsers fetched before casting). A receipt whose
signature holds under that key, for a ballot the record does not contain, proves that the
server dropped a ballot it had accepted. A receipt that does not verify proves nothing.

FILE is either the receipt itself (type "evote/receipt") or a delegate's complaint file (type
"evote/complaint": the receipt and the hash of the bulletin board as the browser fetched it).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nacl.exceptions
import nacl.signing

from .ballots import CAST, SPOILED
from .record import MissingPart, Record

TAG = b"evote-receipt-v1\x00"
CONTEXT_FIELD = "evote_receipt_key_ed25519"
KEY_FILE = "evote/receipt_key.json"

PRESENT, DROPPED, INCONSISTENT, INVALID = "present", "dropped", "inconsistent_record", "invalid"
EXIT = {PRESENT: 0, DROPPED: 1, INCONSISTENT: 1, INVALID: 3}
"""Exit status per verdict; 2 stays "cannot be read" (record or receipt file)."""

_UPPER_HEX = re.compile(r"[0-9A-F]+")
_KEY = re.compile(r"[0-9a-f]{64}")
_SIGNATURE = re.compile(r"[0-9a-f]{128}")


class UnreadableReceipt(Exception):
    """FILE is not JSON, or not a receipt or complaint at all (exit code 2)."""


@dataclass
class Verdict:
    status: str
    message: str
    receipt: dict[str, Any] = field(default_factory=dict)
    board: dict[str, Any] | None = None
    steps: list[tuple[bool, str]] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return EXIT[self.status]

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "message": self.message,
            "vote_id": self.receipt.get("election_scope_id"),
            "tracking_code": self.receipt.get("tracking_code"),
            "state": self.receipt.get("state"),
            "board": self.board,
            "steps": [{"ok": ok, "what": what} for ok, what in self.steps],
        }


def message(vote_id: str, tracking_code: str, ballot_hash: str, timestamp: int, state: str) -> bytes:
    def frame(text: str) -> bytes:
        data = text.encode("utf-8")
        return len(data).to_bytes(4, "big") + data

    return TAG + b"".join(frame(x) for x in (vote_id, tracking_code, ballot_hash, str(timestamp), state))


def load_claim(path: str | Path) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """(receipt, board as the complainant fetched it, if FILE is a complaint)."""
    try:
        doc = json.loads(Path(path).read_bytes())
    except (OSError, ValueError) as exc:
        raise UnreadableReceipt(f"{path}: cannot read a JSON receipt ({exc})") from exc
    if not isinstance(doc, dict):
        raise UnreadableReceipt(f"{path}: a receipt is a JSON object")
    kind, version = doc.get("type"), doc.get("version")
    if kind == "evote/complaint" and version == 1:
        receipt, board = doc.get("receipt"), doc.get("board")
        if not isinstance(receipt, dict):
            raise UnreadableReceipt(f"{path}: the complaint holds no receipt object")
        return receipt, board if isinstance(board, dict) else None
    if kind == "evote/receipt":
        return doc, None
    raise UnreadableReceipt(f"{path}: type {kind!r} version {version!r} is neither evote/receipt 1 nor evote/complaint 1")


def _malformed(receipt: dict[str, Any]) -> str | None:
    if receipt.get("type") != "evote/receipt" or receipt.get("version") != 1:
        return f"type/version {receipt.get('type')!r}/{receipt.get('version')!r} is not evote/receipt 1"
    rules: list[tuple[str, Any]] = [
        ("election_scope_id", lambda v: isinstance(v, str) and v != ""),
        ("tracking_code", lambda v: isinstance(v, str) and _UPPER_HEX.fullmatch(v)),
        ("ballot_hash", lambda v: isinstance(v, str) and _UPPER_HEX.fullmatch(v)),
        ("timestamp", lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 0),
        ("state", lambda v: v in ("cast", "spoiled")),
        ("public_key", lambda v: isinstance(v, str) and _KEY.fullmatch(v)),
        ("signature", lambda v: isinstance(v, str) and _SIGNATURE.fullmatch(v)),
    ]
    for name, ok in rules:
        if not ok(receipt.get(name)):
            return f"field {name!r} is missing or malformed"
    return None


def record_key(record: Record) -> tuple[str, str]:
    """(vote id, public key) from evote/receipt_key.json, checked against the context's copy."""
    doc = record.json(KEY_FILE)
    if not isinstance(doc, dict) or doc.get("type") != "evote/receipt-key" or doc.get("version") != 1:
        raise ValueError(f"{KEY_FILE} is not evote/receipt-key version 1")
    if doc.get("algorithm") != "Ed25519":
        raise ValueError(f"{KEY_FILE}: algorithm {doc.get('algorithm')!r} is not Ed25519")
    key, vote_id = doc.get("public_key"), doc.get("vote_id")
    if not isinstance(key, str) or not _KEY.fullmatch(key) or not isinstance(vote_id, str):
        raise ValueError(f"{KEY_FILE}: public_key or vote_id malformed")
    context = record.json("context.json")
    extended = context.get("extended_data") if isinstance(context, dict) else None
    announced = extended.get(CONTEXT_FIELD) if isinstance(extended, dict) else None
    if announced is not None and announced != key:
        raise ValueError(f"{KEY_FILE} and context.json extended_data name different receipt keys")
    return vote_id, key


def _find(record: Record, code: int) -> dict[str, Any] | None:
    for name in record.folder("submitted_ballots"):
        ballot = record.json(name)
        try:
            if isinstance(ballot, dict) and int(ballot["code"], 16) == code:
                return ballot
        except (KeyError, TypeError, ValueError):
            continue
    return None


def check_receipt(receipt: dict[str, Any], record: Record, board: dict[str, Any] | None = None) -> Verdict:
    v = Verdict(INVALID, "", receipt, board)
    problem = _malformed(receipt)
    if problem:
        v.message = f"not a receipt: {problem}"
        return v
    try:
        vote_id, key = record_key(record)
    except MissingPart as exc:
        v.message = f"the record publishes no receipt key ({exc}); this receipt cannot be checked against it"
        return v
    except (ValueError, AttributeError) as exc:
        v.status, v.message = INCONSISTENT, f"the record's receipt key is unusable: {exc}"
        return v
    if receipt["election_scope_id"] != vote_id:
        v.message = f"the receipt is for vote {receipt['election_scope_id']!r}, this record is vote {vote_id!r}"
        return v
    if receipt["public_key"] != key:
        v.message = (
            "the receipt is signed with another key than this vote's receipt key in the record: it proves "
            "nothing against this record (if every delegate's receipt shows this, the server published another key)"
        )
        return v
    v.steps.append((True, f"the receipt names vote {vote_id} and its receipt key"))
    signed = message(vote_id, receipt["tracking_code"], receipt["ballot_hash"], receipt["timestamp"], receipt["state"])
    try:
        nacl.signing.VerifyKey(bytes.fromhex(key)).verify(signed, bytes.fromhex(receipt["signature"]))
    except (nacl.exceptions.BadSignatureError, nacl.exceptions.ValueError, ValueError):
        v.steps.append((False, "signed by the vote's receipt key"))
        v.message = "the signature does not verify under the vote's receipt key: the receipt is forged or damaged"
        return v
    v.steps.append((True, "signed by the vote's receipt key"))
    code, state = receipt["tracking_code"], receipt["state"]
    ballot = _find(record, int(code, 16))
    want = {"cast": "CAST", "spoiled": "SPOILED"}[state]
    if ballot is None:
        v.steps.append((False, f"ballot {code} in the record"))
        v.status = DROPPED
        v.message = (
            f"BALLOT DROPPED: the server signed a receipt for {state} ballot {code}, "
            "and the record does not contain it. The server removed a ballot it had accepted."
        )
        return v
    found_state = _state_name(ballot.get("state"))
    if found_state != want or _hex_value(ballot.get("crypto_hash")) != int(receipt["ballot_hash"], 16):
        v.steps.append((False, f"ballot {code} in the record as signed"))
        v.status = DROPPED
        v.message = (
            f"BALLOT ALTERED: the server signed a receipt for {state} ballot {code} (hash {receipt['ballot_hash']}); "
            f"the record holds it as {found_state} with hash {ballot.get('crypto_hash')}."
        )
        return v
    v.steps.append((True, f"ballot {code} is in the record as {state}"))
    v.status = PRESENT
    v.message = f"ballot {code} is in the record as {state}, as the signed receipt says"
    return v


def _state_name(value: Any) -> str:
    """The package writes BallotBoxState as its value: 1 cast, 2 spoiled."""
    return {CAST: "CAST", SPOILED: "SPOILED"}.get(value, f"state {value!r}")


def _hex_value(value: Any) -> int | None:
    try:
        return int(value, 16)
    except (TypeError, ValueError):
        return None
