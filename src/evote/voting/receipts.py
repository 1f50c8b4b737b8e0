"""Each vote's receipt key: made at the opening, kept sealed, erased at the close.

Every receipt the ballot box hands out is signed with the vote's own Ed25519 key, so a
delegate whose ballot later goes missing holds proof that the server accepted it (docs/
ballot-box.md, "Signed receipts"; the signed bytes are `evote.record.receipts`).

The secret key is needed only while the vote is open, and is never stored in clear:

* its 32-byte seed is sealed (libsodium's SecretBox, XSalsa20-Poly1305) under a key derived
  from the app's SECRET_KEY with HKDF-SHA256, salted with a fixed tag and bound to the vote
  (info = the vote's scope id), so a sealed seed copied to another vote's row opens nowhere;
* the close sets the sealed seed to NULL in the close transaction: afterwards nobody, not even
  with SECRET_KEY, can sign a receipt for the vote;
* the public key goes into the vote's context (`extended_data`, what clients fetch before they
  cast) and, after the close, into the record (`evote/receipt_key.json`).

What a reader of the database alone can do: see the public key and the sealed seed, and
nothing more; with SECRET_KEY as well (the app server itself, or a leak of both) they can sign
receipts for votes that are still open — receipts only ever accuse the server, so the worst a
thief can make of them is a false complaint, and only until the close.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import nacl.exceptions
import nacl.secret
import nacl.signing
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

from evote.record.receipts import (
    CONTEXT_FIELD,
    RECEIPT_TYPE,
    RECEIPT_VERSION,
    context_key,
    receipt_message,
)
from evote.store.models.votes import Vote
from evote.voting.outcomes import Refused

WRAP_SALT = b"evote/receipt-key-wrap/v1"


@dataclass(frozen=True)
class Receipt:
    """What the delegate keeps: the same bytes for a retry as for the first submit.

    Ed25519 signatures are deterministic and nothing in the message depends on when the
    ballot arrived (the timestamp is the vote's one ballot timestamp), so a retry gets back
    exactly the first receipt.
    """

    vote_id: int
    """The API's number of the vote (not signed; `election_scope_id` is)."""
    election_scope_id: str
    tracking_code: str
    ballot_hash: str
    timestamp: int
    state: str
    public_key: str
    signature: str

    def message(self) -> bytes:
        return receipt_message(
            self.election_scope_id, self.tracking_code, self.ballot_hash, self.timestamp,
            self.state,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "type": RECEIPT_TYPE,
            "version": RECEIPT_VERSION,
            "vote_id": self.vote_id,
            "election_scope_id": self.election_scope_id,
            "tracking_code": self.tracking_code,
            "ballot_hash": self.ballot_hash,
            "timestamp": self.timestamp,
            "state": self.state,
            "public_key": self.public_key,
            "signature": self.signature,
        }


def _wrapping_key(scope_id: str) -> bytes:
    secret = current_app.config["SECRET_KEY"]
    material = secret.encode() if isinstance(secret, str) else bytes(secret)
    hkdf = HKDF(
        algorithm=hashes.SHA256(), length=nacl.secret.SecretBox.KEY_SIZE, salt=WRAP_SALT,
        info=scope_id.encode(),
    )
    return hkdf.derive(material)


def make_key(scope_id: str, random_bytes: Callable[[int], bytes]) -> tuple[str, bytes]:
    """A fresh key pair for the vote `scope_id`: (public key as hex, sealed seed to store)."""
    seed = random_bytes(32)
    public = nacl.signing.SigningKey(seed).verify_key.encode().hex()
    box = nacl.secret.SecretBox(_wrapping_key(scope_id))
    sealed = bytes(box.encrypt(seed, random_bytes(nacl.secret.SecretBox.NONCE_SIZE)))
    return public, sealed


def announced_key(vote: Vote) -> str | None:
    """The public key in the vote's context, as every client saw it before casting."""
    if not vote.context_json:
        return None
    return context_key(json.loads(vote.context_json).get("extended_data"))


def context_extension(public_key: str) -> dict[str, str]:
    return {CONTEXT_FIELD: public_key}


class Signer:
    """The opened key of one open vote, for one request; never cached beyond it."""

    def __init__(self, vote: Vote, scope_id: str) -> None:
        unavailable = Refused(
            500, "receipt_key_unavailable",
            "The server cannot sign receipts for this vote (its key is gone or the server's "
            "SECRET_KEY changed since the vote opened); nothing was stored.",
        )
        public = announced_key(vote)
        if vote.receipt_key_box is None or vote.ballot_timestamp is None or public is None:
            raise unavailable
        try:
            seed = nacl.secret.SecretBox(_wrapping_key(scope_id)).decrypt(vote.receipt_key_box)
        except nacl.exceptions.CryptoError:
            raise unavailable from None
        self._key = nacl.signing.SigningKey(seed)
        if self._key.verify_key.encode().hex() != public:
            # a key swapped in the database would sign receipts nobody can check: refuse
            raise unavailable
        self.vote_id, self.scope_id, self.public_key = vote.id, scope_id, public
        self.timestamp = vote.ballot_timestamp

    def receipt(self, tracking_code: str, ballot_hash: str, state: str) -> Receipt:
        message = receipt_message(
            self.scope_id, tracking_code, ballot_hash, self.timestamp, state
        )
        signature = self._key.sign(message).signature.hex()
        return Receipt(
            self.vote_id, self.scope_id, tracking_code, ballot_hash, self.timestamp, state,
            self.public_key, signature,
        )
