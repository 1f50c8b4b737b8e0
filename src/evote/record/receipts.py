"""Signed receipts: the message a vote's server key signs, and where the public key is published.

A receipt is the server's signed statement "this ballot is in the box of this vote"; a
delegate who keeps it can prove a dropped ballot to anyone holding the record (see
docs/ballot-box.md, "Signed receipts").  This module is pure: it defines the bytes that are
signed and the record's `evote/receipt_key.json`; signing itself is the server's
(`evote.voting.receipts`), checking it the verifier's (`evote_verify.receipt`, written again).

The signed message is canonical, tagged and length-framed, so that no two different receipts
(nor any other evote message) share its bytes:

    "evote-receipt-v1" ‖ 0x00 ‖ F(vote id) ‖ F(tracking code) ‖ F(ballot hash) ‖ F(timestamp) ‖ F(state)
    F(x) = len(UTF-8(x)) as 4 bytes, big-endian ‖ UTF-8(x)

vote id: the record's vote id (`evote/vote.json` `vote_id`, the manifest's
`election_scope_id`); tracking code and ballot hash: the ballot file's `code` and
`crypto_hash`, upper-case hex as written there; timestamp: the ballot's `timestamp` in
decimal; state: `cast` or `spoiled`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .errors import InvalidRecord
from .extras import check_extra

RECEIPT_TAG = b"evote-receipt-v1\x00"
RECEIPT_TYPE = "evote/receipt"
RECEIPT_VERSION = 1
STATES = ("cast", "spoiled")

KEY_FILE = "receipt_key.json"
KEY_TYPE = "evote/receipt-key"
KEY_VERSION = 1
ALGORITHM = "Ed25519"
CONTEXT_FIELD = "evote_receipt_key_ed25519"
"""The key's name in the context's `extended_data`: the copy clients fetch before casting."""

_HEX_KEY = re.compile(r"[0-9a-f]{64}")
_HEX_UPPER = re.compile(r"[0-9A-F]+")


def _field(text: str) -> bytes:
    data = text.encode("utf-8")
    return len(data).to_bytes(4, "big") + data


def receipt_message(
    vote_id: str, tracking_code: str, ballot_hash: str, timestamp: int, state: str
) -> bytes:
    """The bytes the vote's key signs; raises ValueError for a value outside the format."""
    if not vote_id:
        raise ValueError("the vote id is empty")
    for name, value in (("tracking code", tracking_code), ("ballot hash", ballot_hash)):
        if not _HEX_UPPER.fullmatch(value):
            raise ValueError(f"the {name} must be upper-case hex")
    if isinstance(timestamp, bool) or not isinstance(timestamp, int) or timestamp < 0:
        raise ValueError("the timestamp must be a non-negative integer")
    if state not in STATES:
        raise ValueError(f"the state must be one of {STATES}")
    return RECEIPT_TAG + b"".join(
        _field(x) for x in (vote_id, tracking_code, ballot_hash, str(timestamp), state)
    )


def is_public_key(text: object) -> bool:
    """32 bytes as 64 lower-case hex digits: the one spelling of a receipt key."""
    return isinstance(text, str) and _HEX_KEY.fullmatch(text) is not None


@dataclass(frozen=True, slots=True)
class ReceiptKey:
    """`evote/receipt_key.json`: the vote's Ed25519 key that signed every receipt."""

    vote_id: str
    public_key: str
    """64 lower-case hex digits."""

    def __post_init__(self) -> None:
        if not self.vote_id:
            raise ValueError("vote_id is empty")
        if not is_public_key(self.public_key):
            raise ValueError("public_key must be 64 lower-case hex digits")

    def to_json(self) -> dict[str, Any]:
        return {
            "type": KEY_TYPE,
            "version": KEY_VERSION,
            "vote_id": self.vote_id,
            "algorithm": ALGORITHM,
            "public_key": self.public_key,
        }

    @classmethod
    def from_json(cls, document: object) -> ReceiptKey:
        where = f"evote/{KEY_FILE}"
        doc = check_extra(document, where)
        if doc["type"] != KEY_TYPE or doc["version"] != KEY_VERSION:
            raise InvalidRecord(
                f"{where}: expected {KEY_TYPE} version {KEY_VERSION}, "
                f"got {doc['type']} version {doc['version']}"
            )
        if doc.get("algorithm") != ALGORITHM:
            raise InvalidRecord(f"{where}: 'algorithm' must be {ALGORITHM!r}")
        vote_id, key = doc.get("vote_id"), doc.get("public_key")
        if not isinstance(vote_id, str) or not vote_id:
            raise InvalidRecord(f"{where}: 'vote_id' must be a non-empty string")
        if not is_public_key(key):
            raise InvalidRecord(f"{where}: 'public_key' must be 64 lower-case hex digits")
        assert isinstance(key, str)
        return cls(vote_id, key)


def context_key(extended_data: Mapping[str, str] | None) -> str | None:
    """The receipt key a context announces in its `extended_data`, if any."""
    if not extended_data:
        return None
    return extended_data.get(CONTEXT_FIELD)
