"""From the encrypted tally to the announced result: key import, guardian shares, combination.

Every share is verified (H1b's checks) before it is stored, so a wrong share is refused at the
door with the guardian named, and combination never meets a bad one.  Combination happens as
soon as it can: when all n guardians sent their own shares, or when at least k did and, for
each absent guardian, every present one sent its compensated share.
"""

from __future__ import annotations

import dataclasses
import functools
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from evote import audit
from evote.crypto.ballot import SubmittedBallot
from evote.crypto.ceremony import (
    MIN_GUARDIANS,
    GuardianPublicKey,
    combine_guardian_keys,
    threshold_problem,
)
from evote.crypto.compensation import (
    CompensatedDecryptionShare,
    LagrangeCoefficients,
    reconstruct_share,
    verify_compensated_share,
)
from evote.crypto.decrypt import (
    PlaintextTally,
    SelectionFilter,
    decrypt_with_shares,
    manifest_selections,
)
from evote.crypto.decryption_share import (
    COMPENSATED_SHARE_TYPE,
    SHARE_TYPE,
    DecryptionShare,
    verify_decryption_share,
)
from evote.crypto.errors import CryptoError
from evote.crypto.group import ElementModQ
from evote.crypto.manifest import Manifest
from evote.crypto.tally import Ciphertexts, CiphertextTally, ballot_ciphertexts
from evote.rules.majority import (
    ElectionOutcome,
    Headcount,
    MajorityBase,
    MajorityRule,
    MotionOutcome,
    PerCandidateOutcome,
    Quorum,
    needed_votes,
)
from evote.store.models.ceremony import ElectionKey, StoredDecryptionShare
from evote.store.models.event import Event
from evote.store.models.votes import BallotState, StoredBallot, Vote, VoteState
from evote.voting import quota
from evote.voting.electorate import Electorate
from evote.voting.lifecycle import VoteError, scope_id, spec_of
from evote.voting.manifest import decide
from evote.voting.quota import QuotaSpec

PARSED_CACHE = 32
"""Parsed guardian records and tallies kept per process (a few KB each), by their stored text."""


@functools.lru_cache(maxsize=PARSED_CACHE)
def _parsed_guardians(guardians_json: str) -> tuple[GuardianPublicKey, ...]:
    return tuple(GuardianPublicKey.from_json(r) for r in json.loads(guardians_json))


def guardian_records(key: ElectionKey) -> list[GuardianPublicKey]:
    """The event's guardian records, parsed once per process for each stored text.

    Why a cache: parsing checks that every key and commitment is in the subgroup, a 256-bit
    power modulo the 4096-bit p each (~25 for 5 guardians of quorum 3), and after a close
    every guardian's status poll (once a second), share and the combining read them again:
    at 20 delegates on a busy machine that was a quarter of the server's CPU between the
    countdown's end and the result. The same text always parses to the same (immutable)
    records, so what passed once passes again; a text that fails is not cached and fails
    each time."""
    return list(_parsed_guardians(key.guardians_json))


@functools.lru_cache(maxsize=PARSED_CACHE)
def _parsed_tally(encrypted_tally_json: str) -> CiphertextTally:
    return CiphertextTally.from_json(json.loads(encrypted_tally_json))


def import_election_key(
    db: Session, event: Event, number_of_guardians: int, quorum: int, records: Sequence[Any]
) -> ElectionKey:
    """Verify every guardian's proofs and store the joint key; refused once a vote used it,
    and for fewer than 2 guardians or a quorum below 2 (`threshold_problem`)."""
    problem = threshold_problem(number_of_guardians, quorum)
    if problem is not None:
        code = "too_few_guardians" if number_of_guardians < MIN_GUARDIANS else "bad_quorum"
        raise VoteError(code, problem, 422)
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
    return _parsed_tally(vote.encrypted_tally_json)  # subgroup checks once, as the records


def _extended_base_hash(vote: Vote) -> ElementModQ:
    context = json.loads(vote.context_json or "{}")
    return ElementModQ.from_hex(context["crypto_extended_base_hash"])


@dataclass(frozen=True)
class Decryptable:
    """One thing the guardians decrypt: the tally, or one challenged ballot (whole)."""

    object_id: str
    ciphertexts: Ciphertexts
    bound: int
    selections: SelectionFilter | None


def spoiled_ballots(db: Session, vote_id: int) -> list[SubmittedBallot]:
    rows = db.scalars(
        select(StoredBallot.ballot_json)
        .where(StoredBallot.vote_id == vote_id, StoredBallot.state == BallotState.SPOILED.value)
        .order_by(StoredBallot.tracking_code)
    ).all()
    return [SubmittedBallot.from_json(json.loads(text)) for text in rows]


def decryptables(db: Session, vote: Vote) -> dict[str, Decryptable]:
    """The tally first, then every spoiled ballot, in tracking-code order."""
    tally = _tally(vote)
    manifest = json.loads(vote.manifest_json)
    limit = max(int(c.get("votes_allowed") or 1) for c in manifest["contests"])
    found = {
        tally.object_id: Decryptable(
            tally.object_id, tally.ciphertexts(), max(1, vote.cast_count * limit), None
        )
    }
    real = manifest_selections(Manifest.from_json(manifest))
    for ballot in spoiled_ballots(db, vote.id):
        found[ballot.object_id] = Decryptable(
            ballot.object_id, ballot_ciphertexts(ballot), 1, real
        )
    return found


def submit_share(db: Session, vote: Vote, key: ElectionKey, obj: Any) -> str:
    """Verify and store one share; returns the guardian id it came from.

    Shares of one vote are taken one at a time: the vote's row is locked first (PostgreSQL;
    SQLite serialises writers anyway), so the request whose share completes the set sees every
    other share in `try_combine`. Without it two guardians sending their last shares at the
    same moment each saw only their own, neither combined, and the vote stayed closed.
    """
    db.execute(select(Vote.id).where(Vote.id == vote.id).with_for_update())
    db.refresh(vote)
    if vote.state == VoteState.CANCELLED.value:
        raise VoteError(
            "vote_cancelled", f"Vote {vote.id} was cancelled by the presidium; nobody decrypts it."
        )
    if vote.state != VoteState.CLOSED.value:
        raise VoteError(
            "not_decrypting", f"Vote {vote.id} is {vote.state}; shares are taken while closed."
        )
    objects = decryptables(db, vote)
    records = {r.guardian_id: r for r in guardian_records(key)}
    kind = obj.get("type") if isinstance(obj, dict) else None
    try:
        if kind == SHARE_TYPE:
            share = DecryptionShare.from_json(obj)
            guardian, missing = records.get(share.guardian_id), ""
            if guardian is None:
                raise VoteError("unknown_guardian", f"No guardian {share.guardian_id!r}.", 422)
            target = _target(objects, share.object_id)
            verify_decryption_share(share, target.ciphertexts, guardian, _extended_base_hash(vote))
            gid, object_id = share.guardian_id, share.object_id
        elif kind == COMPENSATED_SHARE_TYPE:
            comp = CompensatedDecryptionShare.from_json(obj)
            guardian, absent = records.get(comp.guardian_id), records.get(comp.missing_guardian_id)
            if guardian is None or absent is None:
                raise VoteError(
                    "unknown_guardian",
                    f"No guardian {comp.guardian_id!r} or {comp.missing_guardian_id!r}.", 422,
                )
            target = _target(objects, comp.object_id)
            verify_compensated_share(
                comp, target.ciphertexts, guardian, absent, _extended_base_hash(vote)
            )
            gid, missing, object_id = comp.guardian_id, comp.missing_guardian_id, comp.object_id
        else:
            raise VoteError(
                "bad_share", f"Expected type {SHARE_TYPE} or {COMPENSATED_SHARE_TYPE}.", 400
            )
    except CryptoError as exc:
        raise VoteError("invalid_share", f"The share was refused: {exc}", 422) from None
    if db.get(StoredDecryptionShare, (vote.id, object_id, gid, missing)) is None:
        db.add(StoredDecryptionShare(
            vote_id=vote.id, object_id=object_id, guardian_id=gid, missing_guardian_id=missing,
            share_json=json.dumps(obj),
        ))
        audit.append(db, vote.event_id, "decryption.share", "vote", scope_id(vote), {
            "guardian": gid, "missing_guardian": missing or None, "object": object_id,
        })
    return gid


def _target(objects: Mapping[str, Decryptable], object_id: str) -> Decryptable:
    found = objects.get(object_id)
    if found is None:
        raise VoteError(
            "invalid_share",
            f"The share is for {object_id!r}, which is neither this vote's tally nor one of its "
            "spoiled ballots.",
            422,
        )
    return found


def _stored(db: Session, vote_id: int) -> Sequence[StoredDecryptionShare]:
    return db.scalars(
        select(StoredDecryptionShare).where(StoredDecryptionShare.vote_id == vote_id)
    ).all()


def status(db: Session, vote: Vote, key: ElectionKey) -> dict[str, Any]:
    """Who has sent what; `present` are the guardians with a direct share for every object."""
    rows = _stored(db, vote.id)
    guardians = [r.guardian_id for r in guardian_records(key)]
    wanted = vote.encrypted_tally_json and vote.state != VoteState.CANCELLED.value
    objects = list(decryptables(db, vote)) if wanted else []  # nothing of a cancelled vote
    have = {(r.object_id, r.guardian_id, r.missing_guardian_id) for r in rows}
    present = [g for g in guardians if all((o, g, "") in have for o in objects)]
    absent = [g for g in guardians if g not in present]
    return {
        "vote_id": vote.id,
        "state": vote.state,
        "guardians": guardians,
        "quorum": key.quorum,
        "objects": objects,
        "direct_shares": present,
        "compensated_needed": {
            m: [g for g in present if not all((o, g, m) in have for o in objects)]
            for m in absent
        } if len(present) >= key.quorum else {},
    }


def try_combine(db: Session, vote: Vote, key: ElectionKey, event: Event) -> bool:
    """Decrypt the tally and every spoiled ballot if the shares allow; then decide the result.

    The present guardians are those with a direct share for every object; each absent one needs
    a compensated share from each present one, for every object.
    """
    rows = _stored(db, vote.id)
    records = guardian_records(key)
    objects = decryptables(db, vote)
    have = {(r.object_id, r.guardian_id, r.missing_guardian_id): r for r in rows}
    present = [r for r in records if all((o, r.guardian_id, "") in have for o in objects)]
    if len(present) < key.quorum:
        return False
    coefficients = LagrangeCoefficients.for_guardians(present)
    present_ids = {r.guardian_id for r in present}
    plaintexts: dict[str, PlaintextTally] = {}
    for object_id, target in objects.items():
        shares: dict[str, DecryptionShare] = {
            g: DecryptionShare.from_json(json.loads(have[(object_id, g, "")].share_json))
            for g in present_ids
        }
        for missing in (r for r in records if r.guardian_id not in present_ids):
            parts: dict[str, CompensatedDecryptionShare] = {}
            for g in present_ids:
                row = have.get((object_id, g, missing.guardian_id))
                if row is None:
                    return False
                parts[g] = CompensatedDecryptionShare.from_json(json.loads(row.share_json))
            shares[missing.guardian_id] = reconstruct_share(missing, parts, coefficients)
        plaintexts[object_id] = decrypt_with_shares(
            object_id, target.ciphertexts, shares, records, _extended_base_hash(vote),
            bound=target.bound, selections=target.selections,
        )
    tally_id = next(iter(objects))
    # A guarded UPDATE, not an attribute: a cancel that committed meanwhile must win, and the
    # decryption must then not be stored.
    won = db.execute(
        update(Vote)
        .where(Vote.id == vote.id, Vote.state == VoteState.CLOSED.value)
        .values(
            state=VoteState.DECRYPTED.value,
            plaintext_tally_json=json.dumps(plaintexts[tally_id].to_json()),
            spoiled_decryptions_json=json.dumps(
                [p.to_json() for oid, p in plaintexts.items() if oid != tally_id]
            ),
            result_json=json.dumps(
                decision(vote, event, plaintexts[tally_id].totals())
                | {"coefficients": coefficients.to_json() if len(present) < len(records) else None}
            ),
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if won != 1:
        raise VoteError("not_decrypting", f"Vote {vote.id} is no longer waiting for its tally.")
    db.refresh(vote)
    audit.append(db, vote.event_id, "vote.decrypted", "vote", scope_id(vote),
                 {"guardians": sorted(present_ids)}, actor=audit.SYSTEM)
    return True


def headcount(vote: Vote) -> Headcount:
    """Present (the roll) and members, both taken at the opening."""
    return Headcount(vote.roll_size, max(vote.voting_members, vote.roll_size))


def assembly_heads(vote: Vote) -> Headcount:
    """The whole assembly's heads at the opening: the roll's, unless the vote was limited to
    a group or delegation (then snapshotted beside the roll)."""
    if vote.assembly_present is None or vote.assembly_members is None:
        return headcount(vote)
    return Headcount(vote.assembly_present, max(vote.assembly_members, vote.assembly_present))


def decision(vote: Vote, event: Event, totals: Mapping[str, Mapping[str, int]]) -> dict[str, Any]:
    """The announcement: totals, the rule and its base, the decision and whether the quorum was
    met."""
    rule, base = MajorityRule(vote.majority_rule), MajorityBase(vote.majority_base)
    heads = headcount(vote)
    outcome = decide(
        spec_of(vote), totals, rule=rule, base=base, heads=heads, ballots_cast=vote.cast_count,
    )
    quorum = Quorum(event.quorum_numerator, event.quorum_denominator, event.quorum_strict)
    # a vote of a group (Frauenvotum, one delegation) is quorate when the assembly is
    assembly = assembly_heads(vote)
    quorate = quorum.is_met(assembly.present, assembly.members)
    return {
        "vote_id": vote.id,
        "title": vote.title,
        "kind": vote.kind,
        "majority_rule": rule.value,
        "majority_base": base.value,
        "abstentions_counted": vote.abstentions_counted,
        "ballots_cast": vote.cast_count,
        "ballots_spoiled": vote.spoiled_count,
        "roll_size": vote.roll_size,
        "voting_members": vote.voting_members,
        "quorum": {
            "numerator": quorum.numerator, "denominator": quorum.denominator,
            "strict": quorum.strict, "present": assembly.present,
            "members": assembly.members, "met": quorate,
        },
        "electorate": Electorate.of(vote).to_json(),
        "totals": {c: dict(s) for c, s in totals.items()},
        # quota seats: filled quota first, each seat's rule stated (voting/quota.py)
        "outcome": quota.apply(QuotaSpec.of(vote), _plain(dataclasses.asdict(outcome))),
        "threshold": threshold(vote, outcome),
        "valid": quorate,
    }


def threshold(
    vote: Vote, outcome: MotionOutcome | ElectionOutcome | PerCandidateOutcome
) -> dict[str, Any]:
    """What the count was measured against, for "nötig: 4 Stimmen, mehr als die Hälfte der 6
    abgegebenen gültigen Stimmen" (`evote.rules.wording`): the rule, what the base counts
    (`base_of`: a `MajorityBase`; in a k-of-n election "valid_ballots" or "ballots" for the
    first two), and the votes needed."""
    rule, base = MajorityRule(vote.majority_rule), MajorityBase(vote.majority_base)
    base_of = base.value
    if vote.kind == "election" and base is MajorityBase.VALID:
        base_of = "valid_ballots"
    elif vote.kind == "election" and base is MajorityBase.CAST:
        base_of = "ballots"
    if isinstance(outcome, ElectionOutcome) and rule is MajorityRule.SIMPLE:
        found = {"rule": rule.value, "base_of": "most_votes", "seats": outcome.seats}
        if spec_of(vote).overall_no:  # and more votes than the overall Noes
            found["overall_no"] = outcome.overall_no
        return found
    if isinstance(outcome, PerCandidateOutcome):
        return {
            "rule": rule.value, "base_of": base_of,
            "per_candidate": {
                name: {"base": m.base, "needed": needed_votes(m.base, rule)}
                for name, m in outcome.motions.items()
            },
        }
    return {
        "rule": rule.value, "base_of": base_of, "base": outcome.base,
        "needed": needed_votes(outcome.base, rule),
    }


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value
