"""Who has done what: the presidium's overview of the ceremony and of each vote's decryption.

Read-only and public-only: names of the guardians' holders, which steps they took, which
challenges are open and who owes an answer.  The web page for the stage renders this JSON.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from evote.crypto.fingerprint import display
from evote.guardianship import ceremony_state
from evote.store.models.ceremony import ElectionKey
from evote.store.models.key_ceremony import (
    BackupStatus,
    CeremonyBackup,
    CeremonyGuardian,
    CeremonyState,
    KeyCeremony,
)
from evote.store.models.people import Participant
from evote.store.models.votes import Vote, VoteState
from evote.voting import results


def ceremony_view(db: Session, ceremony: KeyCeremony) -> dict[str, Any]:
    """The ceremony's public state: records, fingerprint and confirmations, the backup matrix
    by status, answers, the key."""
    seats = ceremony_state.seats(db, ceremony.event_id)
    rows = list(
        db.scalars(select(CeremonyBackup).where(CeremonyBackup.event_id == ceremony.event_id))
    )
    names = {
        p.id: p.name
        for p in db.scalars(
            select(Participant).where(Participant.id.in_([s.participant_id for s in seats]))
        )
    }
    n = ceremony.number_of_guardians
    guardians = []
    for seat in seats:
        sent = [r for r in rows if r.owner_id == seat.guardian_id]
        received = [r for r in rows if r.designated_id == seat.guardian_id]
        guardians.append({
            "guardian_id": seat.guardian_id,
            "sequence_order": seat.sequence_order,
            "name": names.get(seat.participant_id, ""),
            "participant_id": seat.participant_id,
            "public_key_posted": seat.public_key_json is not None,
            "fingerprint_confirmed": seat.fingerprint_confirmation_json is not None,
            "backups_sent": len(sent),
            "backups_verified": sum(
                r.status in (BackupStatus.VERIFIED.value, BackupStatus.RESOLVED.value)
                for r in received
            ),
            "backups_expected": n - 1,
            "challenges_raised": sorted(
                r.owner_id for r in received if r.status == BackupStatus.CHALLENGED.value
            ),
            "answers_owed": sorted(
                r.designated_id for r in sent if r.status == BackupStatus.CHALLENGED.value
            ),
            "public_key": json.loads(seat.public_key_json) if seat.public_key_json else None,
            "key_posted_at": _iso(seat.key_posted_at),
            "fingerprint_confirmed_at": _iso(seat.fingerprint_confirmed_at),
        })
    key = db.get(ElectionKey, ceremony.event_id)
    digest = ceremony_state.fingerprint_digest(db, ceremony)
    return {
        "event_id": ceremony.event_id,
        "ceremony_id": ceremony.ceremony_id,
        "number_of_guardians": n,
        "quorum": ceremony.quorum,
        "state": ceremony.state,
        # The presidium reads this aloud too: it is the fingerprint of the records stored here,
        # which every guardian's own client must show as well.
        "fingerprint": display(digest) if digest is not None else None,
        "fingerprint_digest": digest.hex() if digest is not None else None,
        "guardians": guardians,
        "backups": [
            {"owner_id": r.owner_id, "designated_id": r.designated_id, "status": r.status}
            for r in sorted(rows, key=lambda r: (r.owner_id, r.designated_id))
        ],
        "challenge_answers": [
            json.loads(r.answer_json) for r in rows if r.answer_json is not None
        ],
        "joint_public_key": key.joint_public_key if key is not None else None,
        "commitment_hash": key.commitment_hash if key is not None else None,
        "started_at": _iso(ceremony.started_at),
        "completed_at": _iso(ceremony.completed_at),
        "phase_since": _iso(phase_since(ceremony, seats)),
        "waiting_for": waiting_for(ceremony.state, guardians, rows),
    }


def _iso(at: datetime | None) -> str | None:
    return at.astimezone(UTC).isoformat() if at is not None else None


def phase_since(ceremony: KeyCeremony, seats: Sequence[CeremonyGuardian]) -> datetime | None:
    """When the ceremony entered its current step: the start, the last public key, the last
    fingerprint confirmation; the completion. The ceremony page says how long it waits."""
    state = CeremonyState(ceremony.state)
    if state is CeremonyState.COMPLETE:
        return ceremony.completed_at
    if state is CeremonyState.COLLECTING_KEYS:
        return ceremony.started_at
    times = [
        s.key_posted_at if state is CeremonyState.CONFIRMING_FINGERPRINT
        else s.fingerprint_confirmed_at
        for s in seats
    ]
    known = [t for t in times if t is not None]
    return max(known) if known else ceremony.started_at


def waiting_for(
    state: str, guardians: Sequence[dict[str, Any]], backups: Sequence[CeremonyBackup]
) -> list[dict[str, Any]]:
    """Who the ceremony waits for now, and for what: the names the presidium calls.

    ``step`` is ``public_key`` (not posted), ``fingerprint`` (not confirmed), ``send_backups``
    (fewer sent than n-1), ``verify_backups`` (backups it received and has not judged) or
    ``answer_challenge`` (a challenge against its backup is open); ``count`` says how many.
    """
    phase = CeremonyState(state)
    waiting: list[dict[str, Any]] = []

    def add(guardian: dict[str, Any], step: str, count: int = 1) -> None:
        waiting.append({"guardian_id": guardian["guardian_id"], "name": guardian["name"],
                        "step": step, "count": count})

    for g in guardians:
        if phase is CeremonyState.COLLECTING_KEYS and not g["public_key_posted"]:
            add(g, "public_key")
        elif phase is CeremonyState.CONFIRMING_FINGERPRINT and not g["fingerprint_confirmed"]:
            add(g, "fingerprint")
        elif phase is CeremonyState.EXCHANGING_BACKUPS:
            missing = g["backups_expected"] - g["backups_sent"]
            if missing > 0:
                add(g, "send_backups", missing)
            unjudged = sum(
                b.designated_id == g["guardian_id"] and b.status == BackupStatus.SENT.value
                for b in backups
            )
            if unjudged:
                add(g, "verify_backups", unjudged)
            if g["answers_owed"]:
                add(g, "answer_challenge", len(g["answers_owed"]))
    return waiting


def decryption_view(db: Session, event_id: int) -> list[dict[str, Any]]:
    """Per closed or decrypted vote: whose shares are in and which compensations are owed."""
    key = db.get(ElectionKey, event_id)
    if key is None:
        return []
    votes = db.scalars(
        select(Vote)
        .where(
            Vote.event_id == event_id,
            Vote.state.in_([VoteState.CLOSED.value, VoteState.DECRYPTED.value]),
        )
        .order_by(Vote.id)
    )
    return [{"title": v.title, **results.status(db, v, key)} for v in votes]
