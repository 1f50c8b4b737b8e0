"""The key ceremony's state machine: the server as a mailbox that checks what it can.

Steps, per event with n guardians and quorum k (spec §3.2, docs/guardians.md):

1. every guardian posts its public record; the Schnorr proofs are checked before it is kept;
2. once all n are in, every guardian's client shows the fingerprint of all n records as *it*
   sees them; the guardians read theirs aloud, and each confirms with its signature on the
   fingerprint its client computed.  The server keeps a confirmation only if it is for the
   fingerprint of the records stored here and signed with that seat's key; no backup is taken
   before all n have confirmed (a server that showed someone a substituted key would by then
   have been caught by the differing fingerprints, before any backup was encrypted to it);
3. each posts one backup P_i(ℓ) per other guardian ℓ, encrypted to K_ℓ; the
   server checks only the envelope (addressee, x = ℓ's order, pad in the subgroup) and hands
   each backup to its addressee alone;
4. each addressee reports every backup it received as verified or challenged; the sender of
   a challenged backup answers with P_i(ℓ) in clear, which the server checks against i's
   commitments (`verify_challenge`): a wrong answer is refused naming i;
5. when every backup is verified or resolved, the joint key is combined (every proof again)
   and stored as the event's `ElectionKey` (H5b's `results.import_election_key`).

The server never sees a coefficient a_ij or an unchallenged P_i(ℓ): both stay on the guardians'
laptops.  Every refusal changes nothing and names the guardian at fault.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from evote.crypto.backup import PartialKeyBackup, PartialKeyChallenge, verify_challenge
from evote.crypto.ceremony import MIN_GUARDIANS, GuardianPublicKey, threshold_problem
from evote.crypto.errors import CryptoError
from evote.crypto.fingerprint import FingerprintConfirmation, ceremony_digest, display
from evote.rules.roles import Role
from evote.store.models.ceremony import ElectionKey
from evote.store.models.event import Event
from evote.store.models.key_ceremony import (
    BackupStatus,
    CeremonyBackup,
    CeremonyGuardian,
    CeremonyState,
    KeyCeremony,
)
from evote.store.models.people import Participant
from evote.voting.lifecycle import VoteError
from evote.voting.results import import_election_key as store_election_key


class CeremonyError(Exception):
    """A ceremony step refused; `code` is the API's error code, `status` its HTTP status."""

    def __init__(self, code: str, message: str, status: int = 409) -> None:
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


def guardian_id_for(sequence_order: int) -> str:
    """Guardian ids are public (they name files in the record), so they carry no personal data."""
    return f"guardian-{sequence_order}"


def start(
    db: Session, event: Event, quorum: int, participant_ids: Sequence[int] | None, now: datetime
) -> KeyCeremony:
    """Seat the guardians (default: every active participant with the guardian role, by id)."""
    if db.get(KeyCeremony, event.id) is not None:
        raise CeremonyError("ceremony_exists", "This event's key ceremony has already started.")
    if db.get(ElectionKey, event.id) is not None:
        raise CeremonyError("key_exists", "This event already has an election key.")
    query = select(Participant).where(Participant.event_id == event.id, Participant.active)
    people = [p for p in db.scalars(query.order_by(Participant.id)) if p.has_role(Role.GUARDIAN)]
    if participant_ids is not None:
        by_id = {p.id: p for p in people}
        unknown = [i for i in participant_ids if i not in by_id]
        if unknown or len(set(participant_ids)) != len(participant_ids):
            raise CeremonyError(
                "not_a_guardian",
                f"Participants {unknown} are not active guardians of this event (or repeat).",
                422,
            )
        people = [by_id[i] for i in participant_ids]
    n = len(people)
    problem = threshold_problem(n, quorum)
    if problem is not None:
        code = "too_few_guardians" if n < MIN_GUARDIANS else "bad_quorum"
        raise CeremonyError(code, problem, 422)
    ceremony = KeyCeremony(
        event_id=event.id,
        ceremony_id=secrets.token_hex(16),
        number_of_guardians=n,
        quorum=quorum,
        started_at=now,
        state=CeremonyState.COLLECTING_KEYS.value,
    )
    db.add(ceremony)
    db.flush()
    for order, person in enumerate(people, start=1):
        db.add(CeremonyGuardian(
            event_id=event.id, guardian_id=guardian_id_for(order), sequence_order=order,
            participant_id=person.id,
        ))
    return ceremony


def abort(db: Session, event_id: int) -> None:
    """Drop an unfinished ceremony (a guardian lost its laptop half-way); a finished one stays.

    Once the joint key exists, votes may be encrypted under it, so it is never withdrawn here.
    """
    ceremony = load(db, event_id)
    if ceremony.state == CeremonyState.COMPLETE.value:
        raise CeremonyError(
            "ceremony_complete", "The ceremony is complete; its key stays the event's key."
        )
    for table in (CeremonyBackup, CeremonyGuardian):
        db.execute(delete(table).where(table.event_id == event_id))
    db.delete(ceremony)


def load(db: Session, event_id: int) -> KeyCeremony:
    ceremony = db.get(KeyCeremony, event_id)
    if ceremony is None:
        raise CeremonyError("no_ceremony", "The key ceremony of this event has not started.", 404)
    return ceremony


def seats(db: Session, event_id: int) -> list[CeremonyGuardian]:
    query = select(CeremonyGuardian).where(CeremonyGuardian.event_id == event_id)
    return list(db.scalars(query.order_by(CeremonyGuardian.sequence_order)))


def seat_of(db: Session, event_id: int, participant_id: int) -> CeremonyGuardian:
    for seat in seats(db, event_id):
        if seat.participant_id == participant_id:
            return seat
    raise CeremonyError("not_in_ceremony", "You hold no seat in this event's key ceremony.", 403)


def records(db: Session, event_id: int) -> dict[str, GuardianPublicKey]:
    """The posted public records, by guardian id (already verified when they were posted)."""
    return {
        s.guardian_id: GuardianPublicKey.from_json(json.loads(s.public_key_json))
        for s in seats(db, event_id)
        if s.public_key_json is not None
    }


def post_public_key(
    db: Session, ceremony: KeyCeremony, seat: CeremonyGuardian, obj: Any, now: datetime
) -> None:
    """Step 1.  The same record twice is accepted (a client retrying); a different one is not."""
    try:
        record = GuardianPublicKey.from_json(obj)
        if (record.guardian_id, record.sequence_order) != (seat.guardian_id, seat.sequence_order):
            raise CeremonyError(
                "wrong_seat",
                f"You are {seat.guardian_id} with sequence order {seat.sequence_order}; the record "
                f"is for {record.guardian_id} with order {record.sequence_order}.",
                422,
            )
        record.verify(ceremony.quorum)
    except CryptoError as exc:
        raise CeremonyError(
            "invalid_public_key", f"Guardian {seat.guardian_id}'s public key was refused: {exc}", 422
        ) from None
    text = json.dumps(record.to_json())
    if seat.public_key_json is not None:
        if seat.public_key_json != text:
            raise CeremonyError(
                "key_already_posted", f"Guardian {seat.guardian_id} already posted another key."
            )
        return
    seat.public_key_json, seat.key_posted_at = text, now
    if all(s.public_key_json is not None for s in seats(db, ceremony.event_id)):
        ceremony.state = CeremonyState.CONFIRMING_FINGERPRINT.value


def fingerprint_digest(db: Session, ceremony: KeyCeremony) -> bytes | None:
    """D over the records stored here, once all n are in (docs/guardians.md); None before."""
    public = records(db, ceremony.event_id)
    if len(public) < ceremony.number_of_guardians:
        return None
    return ceremony_digest(ceremony.number_of_guardians, ceremony.quorum, list(public.values()))


def confirmations(db: Session, event_id: int) -> list[FingerprintConfirmation]:
    """The guardians' stored confirmations, in sequence order (each checked when it arrived)."""
    return [
        FingerprintConfirmation.from_json(json.loads(s.fingerprint_confirmation_json))
        for s in seats(db, event_id)
        if s.fingerprint_confirmation_json is not None
    ]


def confirm_fingerprint(
    db: Session, ceremony: KeyCeremony, seat: CeremonyGuardian, obj: Any, now: datetime
) -> None:
    """Step 2: keep `seat`'s signed confirmation if it is for the fingerprint of our records.

    A confirmation of another fingerprint means this guardian's client was shown other records
    than the ones stored here: refused, and the ceremony cannot go on until it is aborted.
    """
    who = f"Guardian {seat.guardian_id}"
    try:
        confirmation = FingerprintConfirmation.from_json(obj)
    except CryptoError as exc:
        raise CeremonyError("bad_confirmation", f"Not a fingerprint confirmation: {exc}", 400) from None
    if confirmation.guardian_id != seat.guardian_id:
        raise CeremonyError(
            "wrong_seat",
            f"You are {seat.guardian_id}; the confirmation is for {confirmation.guardian_id}.",
            422,
        )
    if seat.fingerprint_confirmation_json is None:
        _require_state(ceremony, CeremonyState.CONFIRMING_FINGERPRINT, "confirm the fingerprint")
    digest = fingerprint_digest(db, ceremony)
    assert digest is not None  # every state after collecting_keys has all n records
    if confirmation.fingerprint != digest:
        raise CeremonyError(
            "fingerprint_mismatch",
            f"{who}'s client computed the fingerprint {display(confirmation.fingerprint)}, but "
            f"the public keys stored here give {display(digest)}: this guardian was shown other "
            "keys than the others. Do not go on; abort the ceremony and start again.",
        )
    record = records(db, ceremony.event_id)[seat.guardian_id]
    try:
        confirmation.verify(record, digest)
    except CryptoError as exc:
        raise CeremonyError(
            "invalid_confirmation", f"{who}'s confirmation was refused: {exc}", 422
        ) from None
    if seat.fingerprint_confirmation_json is not None:
        return  # a client retrying after a lost reply: the first signature stays
    seat.fingerprint_confirmation_json = json.dumps(confirmation.to_json())
    seat.fingerprint_confirmed_at = now
    if all(s.fingerprint_confirmation_json is not None for s in seats(db, ceremony.event_id)):
        ceremony.state = CeremonyState.EXCHANGING_BACKUPS.value


def _require_state(ceremony: KeyCeremony, state: CeremonyState, doing: str) -> None:
    if ceremony.state != state.value:
        raise CeremonyError(
            "wrong_ceremony_step", f"Cannot {doing} now: the ceremony is {ceremony.state}."
        )


def post_backups(
    db: Session, ceremony: KeyCeremony, seat: CeremonyGuardian, items: Sequence[Any]
) -> int:
    """Step 3: backups from `seat` to others; all are checked before any is stored.

    Only once every guardian has confirmed the fingerprint (the state says so): before that, a
    backup could be encrypted to a key the server substituted.
    """
    _require_state(ceremony, CeremonyState.EXCHANGING_BACKUPS, "post backups")
    by_id = {s.guardian_id: s for s in seats(db, ceremony.event_id)}
    who = f"guardian {seat.guardian_id}"
    parsed: list[PartialKeyBackup] = []
    for item in items:
        try:
            backup = PartialKeyBackup.from_json(item)
            backup.encrypted_coordinate.pad.require_subgroup("backup pad")
        except CryptoError as exc:
            raise CeremonyError("invalid_backup", f"{who}: backup refused: {exc}", 422) from None
        target = by_id.get(backup.designated_id)
        if backup.owner_id != seat.guardian_id:
            raise CeremonyError(
                "invalid_backup", f"{who}: a backup from {backup.owner_id} is not yours to send", 422
            )
        if (
            target is None
            or target.guardian_id == seat.guardian_id
            or backup.designated_sequence_order != target.sequence_order
        ):
            raise CeremonyError(
                "invalid_backup",
                f"{who}: backup for {backup.designated_id} (order "
                f"{backup.designated_sequence_order}) has no such addressee",
                422,
            )
        parsed.append(backup)
    if len({b.designated_id for b in parsed}) != len(parsed):
        raise CeremonyError("invalid_backup", f"{who}: two backups for one guardian", 422)
    stored = 0
    for backup in parsed:
        text = json.dumps(backup.to_json())
        row = db.get(CeremonyBackup, (ceremony.event_id, seat.guardian_id, backup.designated_id))
        if row is not None:
            if row.backup_json != text:
                raise CeremonyError(
                    "backup_already_posted",
                    f"{who} already sent guardian {backup.designated_id} another backup.",
                )
            continue
        db.add(CeremonyBackup(
            event_id=ceremony.event_id, owner_id=seat.guardian_id,
            designated_id=backup.designated_id, backup_json=text,
            status=BackupStatus.SENT.value,
        ))
        stored += 1
    return stored


def _backups(db: Session, event_id: int) -> list[CeremonyBackup]:
    query = select(CeremonyBackup).where(CeremonyBackup.event_id == event_id)
    return list(db.scalars(query.order_by(CeremonyBackup.owner_id, CeremonyBackup.designated_id)))


def inbox(db: Session, ceremony: KeyCeremony, seat: CeremonyGuardian) -> dict[str, Any]:
    """What `seat` may read: backups addressed to it, and challenges it must answer."""
    rows = _backups(db, ceremony.event_id)
    return {
        "guardian_id": seat.guardian_id,
        "backups": [
            {
                "owner_id": r.owner_id,
                "status": r.status,
                "backup": json.loads(r.backup_json),
                "answer": json.loads(r.answer_json) if r.answer_json else None,
            }
            for r in rows
            if r.designated_id == seat.guardian_id
        ],
        "challenges_to_answer": [
            {
                "designated_id": r.designated_id,
                "reason": r.challenge_reason,
                "backup": json.loads(r.backup_json),
            }
            for r in rows
            if r.owner_id == seat.guardian_id and r.status == BackupStatus.CHALLENGED.value
        ],
    }


def post_verifications(
    db: Session, ceremony: KeyCeremony, seat: CeremonyGuardian, items: Sequence[Any]
) -> None:
    """Step 4: the addressee's verdict per backup: {"owner_id", "verified": bool, "reason"}."""
    _require_state(ceremony, CeremonyState.EXCHANGING_BACKUPS, "verify backups")
    updates: list[tuple[CeremonyBackup, bool, str | None]] = []
    for item in items:
        if not (
            isinstance(item, dict)
            and isinstance(item.get("owner_id"), str)
            and isinstance(item.get("verified"), bool)
        ):
            raise CeremonyError(
                "bad_verification", "Each verification is {owner_id, verified: bool, reason?}.", 400
            )
        row = db.get(CeremonyBackup, (ceremony.event_id, item["owner_id"], seat.guardian_id))
        if row is None:
            raise CeremonyError(
                "no_such_backup",
                f"Guardian {item['owner_id']} sent guardian {seat.guardian_id} no backup.", 404,
            )
        reason = item.get("reason")
        updates.append((row, item["verified"], reason if isinstance(reason, str) else None))
    for row, verified, reason in updates:
        if row.status == BackupStatus.RESOLVED.value:
            continue
        if verified:
            if row.status == BackupStatus.SENT.value:
                row.status = BackupStatus.VERIFIED.value
        else:
            if row.status == BackupStatus.VERIFIED.value:
                raise CeremonyError(
                    "already_verified",
                    f"Guardian {seat.guardian_id} already verified {row.owner_id}'s backup.",
                )
            row.status = BackupStatus.CHALLENGED.value
            row.challenge_reason = (reason or "")[:500]


def answer_challenge(
    db: Session, ceremony: KeyCeremony, seat: CeremonyGuardian, obj: Any
) -> None:
    """Step 4b: i reveals P_i(ℓ); checked against i's published commitments, or refused naming i."""
    _require_state(ceremony, CeremonyState.EXCHANGING_BACKUPS, "answer a challenge")
    try:
        challenge = PartialKeyChallenge.from_json(obj)
    except CryptoError as exc:
        raise CeremonyError("bad_answer", f"Not a challenge answer: {exc}", 400) from None
    if challenge.owner_id != seat.guardian_id:
        raise CeremonyError(
            "bad_answer", f"Guardian {seat.guardian_id} can only answer for its own backups.", 403
        )
    row = db.get(CeremonyBackup, (ceremony.event_id, seat.guardian_id, challenge.designated_id))
    if row is None or row.status != BackupStatus.CHALLENGED.value:
        raise CeremonyError(
            "not_challenged",
            f"Guardian {challenge.designated_id} has not challenged {seat.guardian_id}'s backup.",
        )
    public = records(db, ceremony.event_id)
    try:
        verify_challenge(challenge, public[seat.guardian_id], public[challenge.designated_id])
    except CryptoError as exc:
        raise CeremonyError(
            "invalid_backup",
            f"Guardian {seat.guardian_id}'s backup for {challenge.designated_id} is bad and its "
            f"answer does not fit its commitments: {exc}",
            422,
        ) from None
    row.status = BackupStatus.RESOLVED.value
    row.answer_json = json.dumps(challenge.to_json(public[seat.guardian_id]))


def maybe_publish(db: Session, ceremony: KeyCeremony, event: Event, now: datetime) -> bool:
    """Step 5: the joint key, once all n(n-1) backups are verified or resolved."""
    if ceremony.state != CeremonyState.EXCHANGING_BACKUPS.value:
        return False
    n = ceremony.number_of_guardians
    rows = _backups(db, ceremony.event_id)
    settled = (BackupStatus.VERIFIED.value, BackupStatus.RESOLVED.value)
    if sum(r.status in settled for r in rows) != n * (n - 1):
        return False
    parsed = list(records(db, ceremony.event_id).values())
    try:
        import_election_key(db, event, n, ceremony.quorum, [r.to_json() for r in parsed])
    except VoteError as exc:
        raise CeremonyError(exc.code, exc.message, exc.status) from None
    ceremony.state = CeremonyState.COMPLETE.value
    ceremony.completed_at = now
    return True


def import_election_key(
    db: Session, event: Event, n: int, k: int, raw: Sequence[dict[str, Any]]
) -> ElectionKey:
    """H5b's import (which re-verifies every proof and combines K = ∏ K_i0)."""
    return store_election_key(db, event, n, k, raw)
