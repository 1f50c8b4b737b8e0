"""The complete record of one vote, as the zip anyone can download and verify.

Built with H3's writer (`evote.record.write_record`), which refuses a record that could reveal
the arrival order (ballot timestamps, chained codes) or still carries a nonce.  evote's own
facts (close time, eligible delegates, counts) go into `evote/vote.json`; a cancellation into
`evote/cancelled.json` (and then there is no decryption); the key that
signed the vote's receipts into `evote/receipt_key.json`; the key ceremony's
fingerprint and the guardians' signed confirmations of it into `evote/ceremony.json`; for a
vote of an event with a credentials committee, the committee's signed statements for the
vote's slot (the roll at the opening, sorted, no names), its revocations, and every cast
ballot's key and signature into `evote/credentials.json` (docs/credentials.md); the event's
audit log up to the close, with the vote's opening and close marked, into `evote/audit.json`
(docs/audit.md).
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from evote import audit
from evote.crypto.ballot import SubmittedBallot
from evote.crypto.compensation import LagrangeCoefficients
from evote.crypto.context import ElectionContext
from evote.crypto.decrypt import PlaintextTally
from evote.crypto.fingerprint import FingerprintConfirmation, ceremony_digest
from evote.crypto.manifest import Manifest
from evote.crypto.tally import CiphertextTally
from evote.eligibility.committee import slot_statements
from evote.record import (
    CeremonyInfo,
    ElectionRecord,
    EncryptionDevice,
    ScriptsInfo,
    VoteInfo,
    write_record,
)
from evote.record.audit import AUDIT_FILE, ENDING_ACTIONS, AuditExtract
from evote.record.cancellation import CANCELLED_FILE, Cancellation
from evote.record.credentials import RECORD_FILE as CREDENTIALS_FILE
from evote.record.credentials import BallotSignature, CredentialsInfo, Signed
from evote.record.receipts import KEY_FILE, ReceiptKey
from evote.record.scripts import SCRIPTS_FILE
from evote.store.clock import utc
from evote.store.models.ceremony import ElectionKey
from evote.store.models.event import Event
from evote.store.models.key_ceremony import CeremonyGuardian, CeremonyState, KeyCeremony
from evote.store.models.votes import BallotState, StoredBallot, Vote, VoteState
from evote.voting.lifecycle import scope_id
from evote.voting.receipts import announced_key
from evote.voting.results import guardian_records


def ceremony_info(db: Session, key: ElectionKey) -> CeremonyInfo | None:
    """The fingerprint and every guardian's confirmation, if the key came from our ceremony.

    A key imported for a rehearsal (`PUT /api/election-key`) had no ceremony, so no
    confirmation: the record then has no `evote/ceremony.json`, and `evote-verify` says so.
    """
    ceremony = db.get(KeyCeremony, key.event_id)
    if ceremony is None or ceremony.state != CeremonyState.COMPLETE.value:
        return None
    seats = db.scalars(
        select(CeremonyGuardian)
        .where(CeremonyGuardian.event_id == key.event_id)
        .order_by(CeremonyGuardian.sequence_order)
    ).all()
    if any(s.fingerprint_confirmation_json is None for s in seats):
        return None  # a ceremony completed before confirmations existed
    return CeremonyInfo(
        ceremony_digest(key.number_of_guardians, key.quorum, guardian_records(key)),
        tuple(
            FingerprintConfirmation.from_json(json.loads(s.fingerprint_confirmation_json or ""))
            for s in seats
        ),
    )


def credentials_info(db: Session, vote: Vote) -> CredentialsInfo | None:
    """`evote/credentials.json` of a vote that took a committee slot at its opening, else None.

    The statements are the committee's for the vote's slot in batches 0 … the one frozen at
    the opening, as signed; the ballots' keys and signatures are those stored with each cast
    ballot (a challenged ballot is not signed)."""
    if vote.credential_slot is None or vote.credential_batch is None:
        return None
    event = db.get(Event, vote.event_id)
    assert event is not None and event.committee_key is not None
    statements = slot_statements(db, vote.event_id, vote.credential_slot, vote.credential_batch)
    rows = db.execute(
        select(StoredBallot.ballot_id, StoredBallot.credential_key,
               StoredBallot.credential_signature)
        .where(StoredBallot.vote_id == vote.id, StoredBallot.state == BallotState.CAST.value)
    ).all()
    return CredentialsInfo(
        scope_id(vote), event.committee_key, vote.credential_slot,
        tuple(Signed(document, signature) for document, signature in statements),
        tuple(BallotSignature(r.ballot_id, r.credential_key, r.credential_signature)
              for r in rows if r.credential_key and r.credential_signature),
    )


def audit_extract(db: Session, vote: Vote) -> AuditExtract | None:
    """`evote/audit.json`: the event's audit log up to this vote's close, with the entries that
    opened and closed it marked (their hashes are the log's head at those moments); None for a
    vote opened before the log existed (docs/audit.md)."""
    scope = scope_id(vote)
    opened = audit.mark_of(db, vote.event_id, ("vote.open",), "vote", scope)
    closed = audit.mark_of(db, vote.event_id, ENDING_ACTIONS, "vote", scope)
    if opened is None or closed is None:
        return None
    entries = audit.entries(db, vote.event_id, up_to=closed.seq)
    return AuditExtract(scope, opened, closed, tuple(entries))


def build_record(
    db: Session, vote: Vote, key: ElectionKey, scripts: ScriptsInfo | None = None
) -> ElectionRecord:
    """The vote's record; `scripts`, the files the server serves to browsers, goes into
    `evote/scripts.json` (the web layer knows them, docs/web.md)."""
    rows = db.scalars(
        select(StoredBallot.ballot_json)
        .where(StoredBallot.vote_id == vote.id)
        .order_by(StoredBallot.tracking_code)
    ).all()
    ballots = tuple(SubmittedBallot.from_json(json.loads(text)) for text in rows)
    result = json.loads(vote.result_json or "{}")
    coefficients = result.get("coefficients")
    assert vote.closes_at is not None and vote.ballot_timestamp is not None
    receipt_key = announced_key(vote)
    extras: dict[str, dict[str, Any]] = {}
    if scripts is not None:
        extras[SCRIPTS_FILE] = scripts.to_json()
    if receipt_key is not None:
        extras[KEY_FILE] = ReceiptKey(scope_id(vote), receipt_key).to_json()
    credentials = credentials_info(db, vote)
    if credentials is not None:
        extras[CREDENTIALS_FILE] = credentials.to_json()
    extract = audit_extract(db, vote)
    if extract is not None:
        extras[AUDIT_FILE] = extract.to_json()
    cancelled = vote.state == VoteState.CANCELLED.value
    if cancelled:
        assert vote.cancelled_at is not None
        while_ = "open" if utc(vote.cancelled_at) <= utc(vote.closes_at) else "closed"
        extras[CANCELLED_FILE] = Cancellation(
            scope_id(vote), utc(vote.cancelled_at), while_
        ).to_json()
    return ElectionRecord(
        manifest=Manifest.from_json(json.loads(vote.manifest_json)),
        context=ElectionContext.from_json(json.loads(vote.context_json or "{}")),
        guardians=tuple(guardian_records(key)),
        devices=(EncryptionDevice.from_json(json.loads(vote.device_json or "{}")),),
        submitted_ballots=ballots,
        spoiled_ballots=tuple(
            PlaintextTally.from_json(d) for d in json.loads(vote.spoiled_decryptions_json or "[]")
        ),
        encrypted_tally=CiphertextTally.from_json(json.loads(vote.encrypted_tally_json or "{}")),
        tally=(
            None if cancelled
            else PlaintextTally.from_json(json.loads(vote.plaintext_tally_json or "{}"))
        ),
        lagrange_coefficients=(
            LagrangeCoefficients.from_json(coefficients) if coefficients else None
        ),
        vote=VoteInfo(
            vote_id=scope_id(vote),
            closed_at=utc(vote.closes_at),
            eligible_voters=vote.roll_size,
            ballots_cast=vote.cast_count,
            ballots_spoiled=vote.spoiled_count,
            ballot_timestamp=vote.ballot_timestamp,
        ),
        ceremony=ceremony_info(db, key),
        extras=extras,
    )


def record_zip(
    db: Session,
    vote: Vote,
    key: ElectionKey,
    folder: Path | None = None,
    scripts: ScriptsInfo | None = None,
) -> Path:
    """The record's zip file, built once per server into `folder` (the instance folder).

    A decrypted vote's record never changes and the writer's output is canonical, so every
    server builds the same bytes; building is the expensive part (every ballot parsed and
    re-serialised), downloads after the first are a file read.
    """
    target_dir = folder or Path(tempfile.gettempdir())
    target_dir.mkdir(parents=True, exist_ok=True)
    # The name carries a digest of what the record is made of, so a cached file can never be
    # served for another database's vote that happens to have the same ids, nor after the
    # server's scripts changed.
    served = json.dumps(scripts.to_json(), sort_keys=True) if scripts is not None else ""
    digest = hashlib.sha256(
        b"\0".join(
            (x or "").encode()
            for x in (vote.state, vote.context_json, vote.encrypted_tally_json,
                      vote.plaintext_tally_json, vote.spoiled_decryptions_json, vote.result_json,
                      served)
        )
    ).hexdigest()[:24]
    target = target_dir / f"evote-{vote.event_id}-vote-{vote.id}-{digest}.zip"
    if target.exists():
        return target
    with tempfile.TemporaryDirectory(prefix="evote-record-", dir=target_dir) as tmp:
        built = write_record(build_record(db, vote, key, scripts), Path(tmp) / "record.zip")
        try:
            built.rename(target)  # atomic; a concurrent builder wrote the same bytes
        except OSError:
            if not target.exists():
                raise
    return target
