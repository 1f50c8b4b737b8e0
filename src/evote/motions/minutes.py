"""Motions and their outcomes, for the minutes (Protokoll) and the resolutions book.

``outcomes(db, event_id)`` lists every published motion with its amendments after it, in the
order of the motion book, each with its state, how it got there (vote with the hash of the text
voted on and the announced totals; taken over, referred or withdrawn with the note), plain data
that the minutes render as they like. Unannounced results are left out (the embargo), so the
minutes never say more than the stage did.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from evote.motions import diff, service
from evote.motions.states import FINAL, MotionState
from evote.motions.text import sha256_hex
from evote.store.models.motions import Motion, MotionKind, MotionVote
from evote.store.models.votes import Vote


@dataclass(frozen=True, slots=True)
class VoteOutcome:
    vote_id: int
    purpose: str
    """``amendment`` or ``final``."""
    text_sha256: str
    """SHA-256 of the exact text voted on, as the vote's manifest (and record) names it."""
    outcome: str | None
    """adopted / rejected / adopted_as_amended / void (no quorum) / cancelled; None: pending."""
    yes: int | None = None
    no: int | None = None
    abstain: int | None = None
    majority_rule: str | None = None
    announced_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class MotionOutcome:
    motion_id: int
    label: str | None
    """``A3``, ``Ä1 zu A3``."""
    title: str
    kind: str
    """The kind's code (S, P, A)."""
    amends: int | None
    """For an amendment: its motion's id."""
    lines: str | None
    """For an amendment: ``Zeile 12–14`` of the motion's text it changes."""
    submitter: str
    urgent: bool
    state: str
    decided: bool
    """A final state (adopted, rejected, referred, withdrawn, taken over …)."""
    note: str
    """The reason of the last step (where it was referred, why withdrawn …)."""
    recommendation: str | None
    text_sha256: str
    """A motion: SHA-256 of its current (for an adopted one: the adopted) text."""
    text_version: int
    votes: list[VoteOutcome] = field(default_factory=list)


def _votes(db: Session, motion_id: int) -> list[VoteOutcome]:
    found = []
    for link in db.scalars(
        select(MotionVote).where(MotionVote.motion_id == motion_id).order_by(MotionVote.vote_id)
    ):
        vote = db.get(Vote, link.vote_id)
        totals: dict[str, int] = {}
        rule = announced = None
        if vote is not None and vote.announced_at is not None and vote.result_json:
            result = json.loads(vote.result_json)
            totals = {k: int(v) for k, v in result.get("totals", {}).get("motion", {}).items()}
            rule, announced = vote.majority_rule, vote.announced_at
        found.append(VoteOutcome(
            vote_id=link.vote_id, purpose=link.purpose, text_sha256=link.text_sha256,
            outcome=link.outcome if link.applied else None, yes=totals.get("yes"),
            no=totals.get("no"), abstain=totals.get("abstain"), majority_rule=rule,
            announced_at=announced,
        ))
    return found


def _one(db: Session, motion: Motion, kind: MotionKind) -> MotionOutcome:
    history = service.history(db, motion.id)
    last = history[-1] if history else None
    amendment = motion.amends_id is not None
    return MotionOutcome(
        motion_id=motion.id,
        label=service.label(db, motion).own,
        title=motion.title,
        kind=kind.code,
        amends=motion.amends_id,
        lines=diff.range_label(motion.line_from or 1, motion.line_to or 1) if amendment else None,
        submitter=motion.body_name or motion.author_name,
        urgent=motion.urgent,
        state=motion.state,
        decided=MotionState(motion.state) in FINAL,
        note=last.note if last else "",
        recommendation=motion.recommendation,
        text_sha256=sha256_hex(motion.text),
        text_version=motion.text_version,
        votes=_votes(db, motion.id),
    )


def outcomes(db: Session, event_id: int) -> list[MotionOutcome]:
    """Every published motion, its published amendments right after it, in book order."""
    found: list[MotionOutcome] = []
    for motion in service.visible_motions(db, None, event_id):
        kind = db.get(MotionKind, motion.kind_id)
        assert kind is not None
        found.append(_one(db, motion, kind))
        found.extend(
            _one(db, a, kind) for a in service.amendments(db, motion.id)
            if service.is_published(a, db)
        )
    return found
