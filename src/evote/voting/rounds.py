"""Runoffs and lots: what follows an election whose count did not fill every seat.

`proposal` reads the announced outcome and says what the statutes allow next
(`rules.runoff`): a runoff among the tied, or among the best placed (or all) not yet elected,
and for a tie also the lot. `open_next_round` creates that round as a new election linked to
the first (`Vote.previous_round_id`) and opens it in the same request: one click on the
console. `draw_lot` breaks a tie from the public seed (`rules.lots`) and records the draw in the
vote, its result and the audit log.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from evote import audit
from evote.rules import lots
from evote.rules.majority import MajorityBase, MajorityRule
from evote.rules.runoff import Proposal, RunoffPolicy, propose
from evote.store.models.event import Event
from evote.store.models.votes import Vote, VoteState
from evote.voting.electorate import Electorate
from evote.voting.lifecycle import VoteError, create_vote, open_vote, scope_id, spec_of
from evote.voting.manifest import VoteKind, VoteSpec
from evote.voting.quota import QuotaSpec


def _outcome(vote: Vote) -> dict[str, Any]:
    if vote.state != VoteState.DECRYPTED.value or not vote.result_json:
        raise VoteError("no_result_yet", f"Vote {vote.id} has no result yet.")
    if vote.announced_at is None:
        raise VoteError("result_not_announced", f"Vote {vote.id}'s result is not announced yet.")
    outcome: dict[str, Any] = json.loads(vote.result_json)["outcome"]
    return outcome


def proposal(vote: Vote, policy: RunoffPolicy = RunoffPolicy.TOP_TWO) -> Proposal | None:
    """What may follow the announced election `vote`; None when every seat is filled."""
    if vote.kind == VoteKind.MOTION.value:
        raise VoteError("not_an_election", "A motion has no next round.", 422)
    outcome = _outcome(vote)
    lot = json.loads(vote.lot_json) if vote.lot_json else None
    elected = list(outcome["elected"]) + (list(lot["drawn"]) if lot else [])
    if vote.kind == VoteKind.PER_CANDIDATE.value:
        votes = {n: int(m["yes"]) for n, m in outcome["motions"].items()}
    else:
        votes = {n: int(v) for n, v in outcome["votes"].items()}
    tied = [] if lot else list(outcome.get("tied", []))
    quota = QuotaSpec.of(vote)
    if quota is not None and quota.stage == "quota" and not tied:
        # two elections: after the quota places, the open places for everybody not elected;
        # a quota place left vacant stays vacant (docs/elections.md)
        rest = tuple(n for n in quota.all_candidates if n not in elected)
        return Proposal("open_places", rest, quota.total_seats - quota.seats, False)
    found = propose(votes, elected, tied, int(outcome["seats"]), policy)
    shortfall = int(outcome.get("quota", {}).get("shortfall", 0))
    if found is not None and quota is not None and found.seats <= shortfall:
        # only vacant quota places are left: only the group's candidates stand for them
        members = tuple(n for n in found.candidates if n in quota.members)
        found = Proposal(found.reason, members or found.candidates, found.seats, False)
    return found


def round_number(db: Session, vote: Vote) -> int:
    n, current = 1, vote
    while current.previous_round_id is not None:
        previous = db.get(Vote, current.previous_round_id)
        if previous is None:
            break
        n, current = n + 1, previous
    return n


def open_next_round(
    db: Session,
    event: Event,
    vote: Vote,
    *,
    now: datetime,
    policy: RunoffPolicy,
    rule: MajorityRule | None = None,
) -> Vote:
    """Create and open the next round of `vote` (same ballot options, electorate, base and
    countdown; the rule given, else the first round's)."""
    if vote.kind != VoteKind.ELECTION.value:
        raise VoteError(
            "not_an_election", "A next round is proposed for a k-of-n election.", 422
        )
    found = proposal(vote, policy)
    if found is None:
        raise VoteError("all_seats_filled", f"Every seat of vote {vote.id} is filled.")
    first = spec_of(vote)
    base_title = vote.title.split(" – ")[0]
    quota = QuotaSpec.of(vote)
    quota_json = None
    if found.reason == "open_places" and quota is not None:
        title = f"{base_title} – offene Plätze"
        quota_json = quota.open_stage().to_json()
    else:
        title = f"{base_title} – {round_number(db, vote) + 1}. Wahlgang"
    spec = VoteSpec(
        VoteKind.ELECTION, title, found.candidates, found.seats,
        overall_no=first.overall_no, overall_abstain=first.overall_abstain,
    )
    nxt = create_vote(
        db, event, spec, rule=rule or MajorityRule(vote.majority_rule),
        base=MajorityBase(vote.majority_base), duration_seconds=vote.duration_seconds, now=now,
        electorate=Electorate.of(vote), quota_json=quota_json,
    )
    nxt.previous_round_id = vote.id
    open_vote(db, nxt, now=now)
    return nxt


def draw_lot(
    db: Session, vote: Vote, *, record_sha256: bytes, announced: str, now: datetime
) -> dict[str, Any]:
    """Break the announced tie of `vote` by lot; the draw, as recorded."""
    if vote.lot_json is not None:
        raise VoteError("lot_drawn", f"The lot for vote {vote.id} was drawn already.")
    found = proposal(vote)
    if found is None or not found.lot_possible:
        raise VoteError("no_tie", f"Vote {vote.id} has no tie to break.")
    if not isinstance(announced, str) or not announced.strip() or len(announced) > 200:
        raise VoteError(
            "bad_announced_value", "The announced value is a non-empty text (at most 200).", 422
        )
    seed = lots.seed(record_sha256, announced)
    drawn = lots.draw(seed, found.candidates, found.seats)
    draw = {
        "type": "evote/lot", "version": 1,
        "record_sha256": record_sha256.hex(), "announced_value": announced,
        "seed": seed.hex(), "candidates": sorted(found.candidates), "seats": found.seats,
        "drawn": list(drawn),
    }
    # beside the result, not in it: the record (whose hash seeded the draw) stays the same
    vote.lot_json = json.dumps(draw, ensure_ascii=False)
    audit.append(db, vote.event_id, "vote.lot", "vote", scope_id(vote), draw, now=now)
    return draw
