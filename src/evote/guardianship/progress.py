"""Who has done what: the presidium's overview of the ceremony and of each vote's decryption.

Read-only and public-only: names of the guardians' holders, which steps they took, which
challenges are open and who owes an answer.  The web page for the stage renders this JSON.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from evote.crypto.fingerprint import display
from evote.guardianship import ceremony_state
from evote.store.models.ceremony import ElectionKey
from evote.store.models.key_ceremony import BackupStatus, CeremonyBackup, KeyCeremony
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
    }


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
