"""From the encrypted tally to the announced result: key import, guardian shares, combination.

Every share is verified (H1b's checks) before it is stored, so a wrong share is refused at the
door with the guardian named, and combination never meets a bad one.  Combination happens as
soon as it can: when all n guardians sent their own shares, or when at least k did and, for
each absent guardian, every present one sent its compensated share.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from evote.crypto.ceremony import GuardianPublicKey, combine_guardian_keys
from evote.crypto.compensation import (
    CompensatedDecryptionShare,
    LagrangeCoefficients,
    reconstruct_share,
    verify_compensated_share,
)
from evote.crypto.decrypt import decrypt_with_shares
from evote.crypto.decryption_share import (
    COMPENSATED_SHARE_TYPE,
    SHARE_TYPE,
    DecryptionShare,
    verify_decryption_share,
)
from evote.crypto.errors import CryptoError
from evote.crypto.group import ElementModQ
from evote.crypto.tally import CiphertextTally
from evote.majority import MajorityRule, Quorum
from evote.models.ceremony import ElectionKey, StoredDecryptionShare
from evote.models.event import Event
from evote.models.votes import Vote, VoteState
from evote.vote_manifest import decide
from evote.voting.lifecycle import VoteError, spec_of


def guardian_records(key: ElectionKey) -> list[GuardianPublicKey]:
    return [GuardianPublicKey.from_json(r) for r in json.loads(key.guardians_json)]


def import_election_key(
    db: Session, event: Event, number_of_guardians: int, quorum: int, records: Sequence[Any]
) -> ElectionKey:
    """Verify every guardian's proofs and store the joint key; refused once a vote used it."""
    try:
        parsed = [GuardianPublicKey.from_json(r) for r in records]
        joint = combine_guardian_keys(parsed, number_of_guardians, quorum)
    except CryptoError as exc:
        raise VoteError(
            "invalid_key_ceremony", f"The key ceremony was refused: {exc}", 422
        ) from None
    used = db.scalar(
        select(Vote.id).where(Vote.event_id == event.id, Vote.state != VoteState.DRAFT.value)
    )
    existing = db.get(ElectionKey, event.id)
    if existing is not None and used is not None:
        raise VoteError("key_in_use", "Votes were already opened with this event's key.")
    ordered = sorted(parsed, key=lambda r: r.sequence_order)
    key = existing or ElectionKey(event_id=event.id)
    key.number_of_guardians, key.quorum = number_of_guardians, quorum
    key.joint_public_key = joint.joint_public_key.to_hex()
    key.commitment_hash = joint.commitment_hash.to_hex()
    key.guardians_json = json.dumps([r.to_json() for r in ordered])
    if existing is None:
        db.add(key)
    return key


def _tally(vote: Vote) -> CiphertextTally:
    if vote.encrypted_tally_json is None:
        raise VoteError("vote_not_closed", "The tally exists once the vote has closed.")
    return CiphertextTally.from_json(json.loads(vote.encrypted_tally_json))


def _extended_base_hash(vote: Vote) -> ElementModQ:
    context = json.loads(vote.context_json or "{}")
    return ElementModQ.from_hex(context["crypto_extended_base_hash"])


def submit_share(db: Session, vote: Vote, key: ElectionKey, obj: Any) -> str:
    """Verify and store one share; returns the guardian id it came from."""
    if vote.state != VoteState.CLOSED.value:
        raise VoteError(
            "not_decrypting", f"Vote {vote.id} is {vote.state}; shares are taken while closed."
        )
    tally = _tally(vote)
    records = {r.guardian_id: r for r in guardian_records(key)}
    kind = obj.get("type") if isinstance(obj, dict) else None
    try:
        if kind == SHARE_TYPE:
            share = DecryptionShare.from_json(obj)
            guardian, missing = records.get(share.guardian_id), ""
            if guardian is None:
                raise VoteError("unknown_guardian", f"No guardian {share.guardian_id!r}.", 422)
            _same_object(share.object_id, tally)
            verify_decryption_share(share, tally.ciphertexts(), guardian, _extended_base_hash(vote))
            gid = share.guardian_id
        elif kind == COMPENSATED_SHARE_TYPE:
            comp = CompensatedDecryptionShare.from_json(obj)
            guardian, absent = records.get(comp.guardian_id), records.get(comp.missing_guardian_id)
            if guardian is None or absent is None:
                raise VoteError(
                    "unknown_guardian",
                    f"No guardian {comp.guardian_id!r} or {comp.missing_guardian_id!r}.", 422,
                )
            _same_object(comp.object_id, tally)
            verify_compensated_share(
                comp, tally.ciphertexts(), guardian, absent, _extended_base_hash(vote)
            )
            gid, missing = comp.guardian_id, comp.missing_guardian_id
        else:
            raise VoteError(
                "bad_share", f"Expected type {SHARE_TYPE} or {COMPENSATED_SHARE_TYPE}.", 400
            )
    except CryptoError as exc:
        raise VoteError("invalid_share", f"The share was refused: {exc}", 422) from None
    row = db.get(StoredDecryptionShare, (vote.id, gid, missing))
    if row is None:
        db.add(StoredDecryptionShare(
            vote_id=vote.id, guardian_id=gid, missing_guardian_id=missing,
            share_json=json.dumps(obj),
        ))
    return gid


def _same_object(object_id: str, tally: CiphertextTally) -> None:
    if object_id != tally.object_id:
        raise VoteError("invalid_share", f"The share is for {object_id!r}, not this tally.", 422)


def status(db: Session, vote: Vote, key: ElectionKey) -> dict[str, Any]:
    rows = db.scalars(
        select(StoredDecryptionShare).where(StoredDecryptionShare.vote_id == vote.id)
    ).all()
    direct = sorted(r.guardian_id for r in rows if not r.missing_guardian_id)
    guardians = [r.guardian_id for r in guardian_records(key)]
    absent = [g for g in guardians if g not in direct]
    return {
        "vote_id": vote.id,
        "state": vote.state,
        "guardians": guardians,
        "quorum": key.quorum,
        "direct_shares": direct,
        "compensated_needed": {
            m: [g for g in direct if not any(
                r.guardian_id == g and r.missing_guardian_id == m for r in rows
            )]
            for m in absent
        } if len(direct) >= key.quorum else {},
    }


def try_combine(db: Session, vote: Vote, key: ElectionKey, event: Event) -> bool:
    """Decrypt the totals if the shares in hand allow it; then decide the result."""
    rows = db.scalars(
        select(StoredDecryptionShare).where(StoredDecryptionShare.vote_id == vote.id)
    ).all()
    records = guardian_records(key)
    by_id = {r.guardian_id: r for r in records}
    direct = {
        r.guardian_id: DecryptionShare.from_json(json.loads(r.share_json))
        for r in rows if not r.missing_guardian_id
    }
    if len(direct) < key.quorum:
        return False
    present = [r for r in records if r.guardian_id in direct]
    shares: dict[str, DecryptionShare] = dict(direct)
    coefficients = LagrangeCoefficients.for_guardians(present)
    for missing in (r for r in records if r.guardian_id not in direct):
        parts: dict[str, CompensatedDecryptionShare] = {}
        for row in rows:
            if row.missing_guardian_id == missing.guardian_id and row.guardian_id in direct:
                parts[row.guardian_id] = CompensatedDecryptionShare.from_json(
                    json.loads(row.share_json)
                )
        if set(parts) != set(direct):
            return False
        shares[missing.guardian_id] = reconstruct_share(missing, parts, coefficients)
    tally = _tally(vote)
    limit = max(int(c.get("votes_allowed") or 1) for c in json.loads(vote.manifest_json)["contests"])
    plaintext = decrypt_with_shares(
        tally.object_id, tally.ciphertexts(), shares, list(by_id.values()),
        _extended_base_hash(vote), bound=max(1, vote.cast_count * limit),
    )
    vote.plaintext_tally_json = json.dumps(plaintext.to_json())
    vote.result_json = json.dumps(
        decision(vote, event, plaintext.totals())
        | {"coefficients": coefficients.to_json() if len(direct) < len(records) else None}
    )
    vote.state = VoteState.DECRYPTED.value
    return True


def decision(vote: Vote, event: Event, totals: Mapping[str, Mapping[str, int]]) -> dict[str, Any]:
    """The announcement: totals, the rule, the decision and whether the quorum was met."""
    rule = MajorityRule(vote.majority_rule)
    outcome = decide(
        spec_of(vote), totals, rule=rule, abstentions_counted=vote.abstentions_counted,
        roll_size=vote.roll_size, ballots_cast=vote.cast_count,
    )
    quorum = Quorum(event.quorum_numerator, event.quorum_denominator, event.quorum_strict)
    quorate = quorum.is_met(vote.roll_size, max(vote.voting_members, vote.roll_size))
    return {
        "vote_id": vote.id,
        "title": vote.title,
        "kind": vote.kind,
        "majority_rule": rule.value,
        "abstentions_counted": vote.abstentions_counted,
        "ballots_cast": vote.cast_count,
        "ballots_spoiled": vote.spoiled_count,
        "roll_size": vote.roll_size,
        "voting_members": vote.voting_members,
        "quorum": {
            "numerator": quorum.numerator, "denominator": quorum.denominator,
            "strict": quorum.strict, "present": vote.roll_size, "met": quorate,
        },
        "totals": {c: dict(s) for c, s in totals.items()},
        "outcome": _plain(dataclasses.asdict(outcome)),
        "valid": quorate,
    }


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value
