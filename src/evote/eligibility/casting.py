"""A cast ballot's credential: signed by a key of its vote's roll, valid, unrevoked, unused.

The browser signs (docs/credentials.md)

    "evote-ballot-credential-v1" ‖ 0x00 ‖ u32(len(vote id)) ‖ vote id ‖ manifest hash ‖ crypto_hash

with the delegate's key for the vote's slot, and sends the public key and the signature beside
the ballot.  The server checks them here, after the cheap checks and before the expensive
proofs; the one-ballot-per-key rule itself is the ballots table's unique index, so two ballots
racing under one key cannot both be stored.  The roll is the one frozen at the vote's opening
(slot and batch stored on the vote).  Only cast ballots are signed: a challenged ballot counts
nothing, and an unsigned challenge keeps a challenged choice from being tied to any key.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import nacl.exceptions
import nacl.signing
from sqlalchemy import select
from sqlalchemy.orm import Session

from evote.record.credentials import ballot_message
from evote.store.models.eligibility import CredentialKey
from evote.store.models.votes import StoredBallot, Vote
from evote.voting.outcomes import Refused

_KEY = re.compile(r"[0-9a-f]{64}")
_SIGNATURE = re.compile(r"[0-9a-f]{128}")


@dataclass(frozen=True)
class BallotCredential:
    public_key: str
    signature: str


def _bad(message: str) -> Refused:
    return Refused(422, "bad_credential_signature", f"{message} Nothing was stored.")


def required(vote: Vote) -> bool:
    return vote.credential_slot is not None


def check(
    db: Session, vote: Vote, scope_id: str, crypto_hash: str,
    public_key: str | None, signature: str | None,
) -> BallotCredential | None:
    """The credential that makes this cast ballot count; None for a vote without committee.

    `crypto_hash` is the ballot's hash as the server recomputed it (upper-case hex)."""
    if not required(vote):
        return None
    if not public_key or not signature:
        raise _bad(
            "This vote counts only ballots signed with a voting code from the credentials "
            "committee's letter; this ballot carries no signature. Enter your voting code on "
            "the delegate page and cast again."
        )
    public_key, signature = public_key.strip().lower(), signature.strip().lower()
    if not _KEY.fullmatch(public_key) or not _SIGNATURE.fullmatch(signature):
        raise _bad("The credential key must be 64 and the signature 128 hex digits.")
    row = db.get(CredentialKey, (vote.event_id, public_key))
    batch = vote.credential_batch if vote.credential_batch is not None else -1
    if row is None or row.slot != vote.credential_slot or row.added_batch > batch:
        raise Refused(
            422, "credential_not_on_roll",
            "This voting code is not on this vote's roll: check the code on your letter, or ask "
            "the credentials committee. Nothing was stored.",
        )
    if row.revoked_batch is not None and row.revoked_batch <= batch:
        raise Refused(
            422, "credential_revoked",
            "This voting code was revoked by the credentials committee (it issued a new "
            "letter). Use the code of your newest letter. Nothing was stored.",
        )
    manifest_hash = int(json.loads(vote.context_json or "{}")["manifest_hash"], 16)
    message = ballot_message(scope_id, manifest_hash, int(crypto_hash, 16))
    try:
        nacl.signing.VerifyKey(bytes.fromhex(public_key)).verify(message, bytes.fromhex(signature))
    except (nacl.exceptions.BadSignatureError, ValueError):
        raise _bad(
            "The signature does not hold for this ballot under this key: your voting code "
            "signed another ballot, or the ballot was changed after it was signed."
        ) from None
    if used(db, vote.id, public_key):
        raise already_used()
    return BallotCredential(public_key, signature)


def used(db: Session, vote_id: int, public_key: str) -> bool:
    return db.scalar(
        select(StoredBallot.tracking_code).where(
            StoredBallot.vote_id == vote_id, StoredBallot.credential_key == public_key
        ).limit(1)
    ) is not None


def already_used() -> Refused:
    return Refused(
        409, "credential_used",
        "A ballot signed with this voting code is already in the ballot box of this vote. If "
        "you did not cast it, tell the credentials committee at once. Nothing was stored.",
    )
