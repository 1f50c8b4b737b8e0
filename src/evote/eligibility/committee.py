"""The credentials committee as the server sees it: its public key, its uploads, the rolls of keys.

Everything the committee uploads is checked before anything is stored, in one transaction:
the committee's signature on the batch header and on every slot's statement, the batch's
number and shape, that every participant named is a voting delegate of this event (not a
guest, not unknown), that no key appears twice (in the upload or in the event), and that a
replacement revokes only keys still on the roll of slots no vote has used yet.  A refusal
names the reason and stores nothing.

The server never sees a code, and cannot tell whose key is whose: each slot's keys arrive as a
sorted set, apart from the list of participants (docs/credentials.md).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import nacl.exceptions
import nacl.signing
from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from evote.people.attendance import voting_member_clause
from evote.record.credentials import (
    CHECK_SLOT,
    ROLL_TYPE,
    ROLL_VERSION,
    BatchHeader,
    CredentialError,
    Statement,
    Upload,
    check_batch,
    is_key,
    signed_bytes,
)
from evote.rules.roles import Role
from evote.store.models.eligibility import CredentialBatch, CredentialKey, CredentialStatement
from evote.store.models.event import Event
from evote.store.models.people import Participant
from evote.store.models.votes import Vote
from evote.voting.outcomes import Refused

MAX_UPLOAD_BYTES = 64 * 1024 * 1024
"""An upload for 1,000 delegates and 100 votes is ≈ 14 MB of hex; room for 4,000 delegates."""


def _refuse(status: int, code: str, message: str) -> Refused:
    return Refused(status, code, f"{message} Nothing was stored.")


# ---- the committee's key --------------------------------------------------------------

def set_committee_key(db: Session, event: Event, key: str | None) -> None:
    """Configure (or, before any upload, clear) the committee's public key for `event`.

    Once the committee has uploaded a batch under a key, the key is fixed: swapping it would
    let whoever swapped it upload a roll of their own."""
    if key is not None and not is_key(key):
        raise _refuse(400, "bad_committee_key",
                      "The committee key is 64 lower-case hex digits (evote-credentials init "
                      "prints it).")
    if key is not None:
        try:
            nacl.signing.VerifyKey(bytes.fromhex(key))
        except (ValueError, nacl.exceptions.CryptoError):
            raise _refuse(400, "bad_committee_key", "That is not an Ed25519 public key.") from None
    if batch_count(db, event.id) and key != event.committee_key:
        raise _refuse(409, "committee_key_locked",
                      "The committee has uploaded credentials under the current key; it cannot "
                      "be changed for this event any more.")
    event.committee_key = key


def batch_count(db: Session, event_id: int) -> int:
    return db.scalar(
        select(func.count()).select_from(CredentialBatch).where(CredentialBatch.event_id == event_id)
    ) or 0


# ---- what the committee gets from the server -------------------------------------------

def export_roll(db: Session, event: Event) -> dict[str, Any]:
    """The voting delegates for the committee to check and issue letters to: active, holding a
    voting right and the delegate role (guests never vote), by participant id."""
    rows = db.scalars(
        select(Participant).where(voting_member_clause(event.id)).order_by(Participant.id)
    ).all()
    return {
        "type": ROLL_TYPE,
        "version": ROLL_VERSION,
        "event": event.slug,
        "event_name": event.name,
        "public_url": event.public_url,
        "delegates": [
            {"participant_id": p.id, "name": p.name, "delegation": p.delegation} for p in rows
        ],
    }


def _issued(db: Session, event_id: int) -> set[int]:
    issued: set[int] = set()
    for text in db.scalars(select(CredentialBatch.header_json)
                           .where(CredentialBatch.event_id == event_id)):
        issued.update(json.loads(text)["participants"])
    return issued


def first_batch(db: Session, event_id: int) -> BatchHeader | None:
    row = db.get(CredentialBatch, (event_id, 0))
    return BatchHeader.from_json(json.loads(row.header_json)) if row else None


def next_slot(db: Session, event_id: int) -> int:
    """The slot the next vote opened will use: one past the highest any vote has taken."""
    used = db.scalar(select(func.max(Vote.credential_slot)).where(Vote.event_id == event_id))
    return (used or 0) + 1


def status(db: Session, event: Event) -> dict[str, Any]:
    """What anyone logged in may know: key, derivation, slots, batches, counts; no names."""
    first = first_batch(db, event.id)
    batches = db.scalars(
        select(CredentialBatch).where(CredentialBatch.event_id == event.id)
        .order_by(CredentialBatch.number)
    ).all()
    members = db.scalar(select(func.count()).select_from(Participant)
                        .where(voting_member_clause(event.id))) or 0
    issued = _issued(db, event.id)
    return {
        "required": event.committee_key is not None,
        "committee_key": event.committee_key,
        "kdf": first.kdf.to_json() if first else None,
        "vote_slots": max(first.slots) if first else 0,
        "next_slot": next_slot(db, event.id),
        "next_batch": len(batches),
        "batches": [
            {"number": b.number, "kind": b.kind,
             "participants": len(json.loads(b.header_json)["participants"]),
             "uploaded_at": b.uploaded_at.isoformat().replace("+00:00", "Z")}
            for b in batches
        ],
        "credentialed_delegates": len(issued),
        "voting_delegates": members,
    }


def page_prompt(db: Session, event: Event) -> dict[str, Any]:
    """What the delegate page needs to ask for the voting code: whether the event has a
    committee and the derivation (salt, iterations) of its letters, null before the first
    upload.  Rendered into the page, so asking costs no request at login."""
    first = first_batch(db, event.id) if event.committee_key is not None else None
    return {"required": event.committee_key is not None,
            "kdf": first.kdf.to_json() if first else None,
            # the slot of the next vote to open: the page derives its key ahead
            "next_slot": next_slot(db, event.id) if first else None}


def slot_roll(db: Session, event_id: int, slot: int, batch: int | None = None,
              ) -> tuple[list[str], list[str]]:
    """(keys on the slot's roll, keys revoked) after batches 0 … `batch` (all if None)."""
    rows = db.execute(
        select(CredentialKey.public_key, CredentialKey.added_batch, CredentialKey.revoked_batch)
        .where(CredentialKey.event_id == event_id, CredentialKey.slot == slot)
        .order_by(CredentialKey.public_key)
    ).all()
    last = batch if batch is not None else 2**31
    eligible = [r.public_key for r in rows if r.added_batch <= last
                and (r.revoked_batch is None or r.revoked_batch > last)]
    revoked = [r.public_key for r in rows
               if r.revoked_batch is not None and r.revoked_batch <= last]
    return eligible, revoked


def slot_statements(db: Session, event_id: int, slot: int, batch: int,
                    ) -> list[tuple[dict[str, Any], str]]:
    """The committee's statements for `slot` in batches 0 … `batch`, as signed."""
    rows = db.execute(
        select(CredentialStatement.statement_json, CredentialStatement.signature)
        .where(CredentialStatement.event_id == event_id, CredentialStatement.slot == slot,
               CredentialStatement.batch <= batch)
        .order_by(CredentialStatement.batch)
    ).all()
    return [(json.loads(r.statement_json), r.signature) for r in rows]


# ---- uploads ----------------------------------------------------------------------------

def _verify(key: nacl.signing.VerifyKey, document: dict[str, Any], signature: str, what: str,
            ) -> None:
    try:
        key.verify(signed_bytes(document), bytes.fromhex(signature))
    except (nacl.exceptions.BadSignatureError, ValueError, KeyError, TypeError):
        raise _refuse(422, "bad_committee_signature",
                      f"The committee's signature on {what} does not hold under the event's "
                      "committee key: the upload was altered, or signed by another key.") from None


def _check_people(db: Session, event: Event, header: BatchHeader) -> None:
    rows = {p.id: p for p in db.scalars(
        select(Participant).where(Participant.event_id == event.id,
                                  Participant.id.in_(header.participants)))}
    for pid in header.participants:
        person = rows.get(pid)
        if person is None:
            raise _refuse(422, "unknown_participant",
                          f"Participant {pid} is not a participant of this event.")
        roles = person.role_set
        if Role.DELEGATE not in roles:
            why = "a guest delegate (guests never vote)" if Role.GUEST_DELEGATE in roles else (
                "not a delegate")
            raise _refuse(422, "not_a_voting_delegate", f"Participant {pid} is {why}.")
        if not person.voting_right or not person.active:
            raise _refuse(422, "not_a_voting_delegate",
                          f"Participant {pid} has no voting right or is deactivated.")
    issued = _issued(db, event.id)
    if header.kind == "issue":
        return
    missing = [pid for pid in header.participants if pid not in issued]
    if missing:
        raise _refuse(422, "not_issued",
                      f"Participant {missing[0]} never received a credential: only issued "
                      "ones can be replaced.")


def _check_keys(db: Session, event: Event, header: BatchHeader,
                statements: list[Statement]) -> None:
    seen: set[str] = set()
    for s in statements:
        for key in s.added:
            if key in seen:
                raise _refuse(422, "duplicate_key",
                              f"Key {key[:16]}… is added twice in this upload.")
            seen.add(key)
    if header.batch == 0:
        return
    stored = set(db.scalars(
        select(CredentialKey.public_key).where(CredentialKey.event_id == event.id,
                                                CredentialKey.public_key.in_(seen))))
    if stored:
        raise _refuse(422, "duplicate_key",
                      f"Key {sorted(stored)[0][:16]}… is already on this event's rolls.")
    for s in statements:
        eligible, _ = slot_roll(db, event.id, s.slot)
        on_roll = set(eligible)
        for key in s.revoked:
            if key not in on_roll:
                raise _refuse(422, "unknown_revoked_key",
                              f"Slot {s.slot}: the revoked key {key[:16]}… is not on the roll.")


def _check_slots(db: Session, event: Event, header: BatchHeader) -> None:
    if header.kind == "issue":
        if list(header.slots) != list(range(len(header.slots))) or len(header.slots) < 2:
            raise _refuse(422, "inconsistent_batch",
                          "The first batch must cover the check slot 0 and vote slots 1, 2, …")
        return
    first = first_batch(db, event.id)
    assert first is not None
    last, nxt = max(first.slots), next_slot(db, event.id)
    vote_slots = [s for s in header.slots if s != CHECK_SLOT]
    if vote_slots and vote_slots[0] < nxt:
        raise _refuse(409, "slot_already_used",
                      f"Vote slot {vote_slots[0]} is already taken by an opened vote; the next "
                      f"vote opens with slot {nxt}: make the replacement again with "
                      f"--from-vote {nxt} --batch {header.batch}.")
    if vote_slots != list(range(vote_slots[0] if vote_slots else last + 1, last + 1)):
        raise _refuse(422, "inconsistent_batch",
                      f"A replacement must cover slot 0 and every vote slot from its first to "
                      f"{last}.")
    if header.kdf != first.kdf:
        raise _refuse(422, "inconsistent_batch",
                      "A replacement must use the first batch's key derivation.")


def accept_upload(db: Session, event: Event, document: object, now: datetime) -> BatchHeader:
    """Check a committee upload completely, then store it; Refused (nothing stored) if not."""
    if event.committee_key is None:
        raise _refuse(409, "no_committee_key",
                      "This event has no credentials committee key yet (evote committee "
                      "set-key).")
    try:
        upload = Upload.from_json(document)
        header = upload.header()
        statements = upload.parsed_statements()
    except CredentialError as exc:
        raise _refuse(400, "malformed_upload", f"The upload is malformed: {exc}.") from None
    if upload.committee_key != event.committee_key:
        raise _refuse(422, "wrong_committee_key",
                      "The upload was made by another committee key than the one configured "
                      "for this event.")
    key = nacl.signing.VerifyKey(bytes.fromhex(event.committee_key))
    _verify(key, upload.batch.document, upload.batch.signature, "the batch header")
    for s, signed in zip(statements, upload.statements, strict=True):
        _verify(key, signed.document, signed.signature, f"slot {s.slot}'s statement")
    if header.event != event.slug:
        raise _refuse(422, "wrong_event",
                      f"The upload is for event {header.event!r}, not {event.slug!r}.")
    expected = batch_count(db, event.id)
    if header.batch != expected:
        raise _refuse(409, "wrong_batch",
                      f"The server expects batch {expected}, the upload is batch {header.batch}.")
    try:
        check_batch(header, statements)
    except CredentialError as exc:
        raise _refuse(422, "inconsistent_batch", f"{exc}.") from None
    _check_slots(db, event, header)
    _check_people(db, event, header)
    _check_keys(db, event, header, statements)
    _store(db, event, header, upload, statements, now)
    return header


def _store(db: Session, event: Event, header: BatchHeader, upload: Upload,
           statements: list[Statement], now: datetime) -> None:
    db.add(CredentialBatch(
        event_id=event.id, number=header.batch, kind=header.kind,
        header_json=json.dumps(upload.batch.document, separators=(",", ":")),
        signature=upload.batch.signature, uploaded_at=now,
    ))
    db.execute(insert(CredentialStatement), [
        {"event_id": event.id, "batch": header.batch, "slot": s.slot,
         "statement_json": json.dumps(signed.document, separators=(",", ":")),
         "signature": signed.signature}
        for s, signed in zip(statements, upload.statements, strict=True)
    ])
    rows = [{"event_id": event.id, "public_key": k, "slot": s.slot, "added_batch": header.batch,
             "revoked_batch": None} for s in statements for k in s.added]
    for start in range(0, len(rows), 5000):
        db.execute(insert(CredentialKey), rows[start : start + 5000])
    for s in statements:
        if s.revoked:
            db.execute(
                update(CredentialKey)
                .where(CredentialKey.event_id == event.id, CredentialKey.slot == s.slot,
                       CredentialKey.public_key.in_(s.revoked))
                .values(revoked_batch=header.batch)
                .execution_options(synchronize_session=False)
            )
    db.flush()
