"""Votes opened from motions and amendments, and their results flowing back.

The presidium opens a vote from a motion (the final vote, on its consolidated text) or from one
of its amendments (on the motion's text with the amendment in). The vote's title names the motion
("Ä1 zu A3, Zeile 2–3: …"), and its manifest carries, as the subtitle of its one contest, the
motion's label, its title and the SHA-256 of the exact text voted on. The manifest hash covers
the subtitle and every ballot carries the manifest hash, so the published record proves which
text the convention decided; anyone holding the text checks it with ``sha256sum``.

The result comes back only once the presidium has announced it (the embargo of
``evote.voting.steering``): an adopted amendment makes the motion's next text version, a
rejected one is closed; the final vote makes the motion adopted (or adopted as amended, when its
text is no longer the one submitted) or rejected. A void result (no quorum), a cancelled or a
deleted vote puts the motion back on the agenda. Carrying back is idempotent: the announcement
does it, and so does the next reader of a motion whose announced vote is not yet carried back.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from evote.motions import diff, service
from evote.motions.service import MotionError
from evote.motions.states import FINAL, MotionState, VotePurpose
from evote.motions.text import sha256_hex
from evote.rules.majority import MajorityBase, MajorityRule, default_base
from evote.store.models.event import Event
from evote.store.models.motions import Motion, MotionKind, MotionVote
from evote.store.models.people import Participant
from evote.store.models.votes import Vote, VoteState
from evote.voting.lifecycle import create_vote
from evote.voting.manifest import VoteKind, VoteSpec, subtitle_of

S = MotionState
MAX_VOTE_TITLE = 300
SHA256_IN_SUBTITLE = re.compile(r"SHA-256 ([0-9a-f]{64})")

OPEN_AMENDMENT_STATES = frozenset(
    {S.SUBMITTED, S.ADMITTED, S.NUMBERED, S.ON_AGENDA, S.VOTING}
)
"""Amendments in these states are not decided yet: the motion's final vote waits for them."""


@dataclass(frozen=True, slots=True)
class VotedText:
    """What a vote from ``motion`` decides: the text as it reads if adopted, and its hash."""

    purpose: VotePurpose
    title: str
    text: str
    sha256: str
    subtitle: tuple[tuple[str, str], ...]


def voted_text(db: Session, motion: Motion) -> VotedText:
    """The vote's title, text and subtitle for a motion (final vote) or an amendment."""
    labels = service.label(db, motion)
    if labels.own is None:
        raise MotionError("not_numbered", "Number the motion before putting it to the vote.")
    if motion.amends_id is None:
        purpose, text = VotePurpose.FINAL, motion.text
        title = f"{labels.own}: {motion.title}"
        version = motion.text_version
        de_what, en_what = f"Antrag {labels.own}", f"Motion {labels.own}"
    else:
        parent = db.get(Motion, motion.amends_id)
        assert parent is not None
        purpose = VotePurpose.AMENDMENT
        start, end = service.where_now(db, motion, parent)
        text, _ = service.amended(db, motion)
        title = f"{labels.own}, {diff.range_label(start, end)}: {motion.title}"
        version = parent.text_version
        de_what = f"Änderungsantrag {labels.own}, {diff.range_label(start, end)}"
        en_what = f"Amendment {labels.own}, {diff.range_label(start, end, lang='en')}"
    digest = sha256_hex(text)
    subtitle = (
        (f"{de_what} „{motion.title}“; abgestimmt wird über den Text (Fassung {version}"
         f"{' mit dieser Änderung' if purpose is VotePurpose.AMENDMENT else ''}) mit "
         f"SHA-256 {digest}", "de"),
        (f"{en_what} \u201c{motion.title}\u201d; the vote is on the text (version {version}"
         f"{' with this change' if purpose is VotePurpose.AMENDMENT else ''}) with "
         f"SHA-256 {digest}", "en"),
    )
    if len(title) > MAX_VOTE_TITLE:
        title = title[: MAX_VOTE_TITLE - 1] + "…"
    return VotedText(purpose, title, text, digest, subtitle)


def text_sha256_of(manifest_json: str) -> str | None:
    """The SHA-256 of the text voted on, as a vote's manifest names it (None: not a motion's)."""
    for value, _ in subtitle_of(json.loads(manifest_json)):
        found = SHA256_IN_SUBTITLE.search(value)
        if found:
            return found.group(1)
    return None


def _open_amendments(db: Session, motion: Motion) -> list[Motion]:
    return [a for a in service.amendments(db, motion.id)
            if MotionState(a.state) in OPEN_AMENDMENT_STATES]


def open_vote_from(
    db: Session,
    actor: Participant,
    motion: Motion,
    event: Event,
    *,
    duration_seconds: int,
    now: datetime,
    rule: MajorityRule | None = None,
    base: MajorityBase | None = None,
    with_abstain: bool = True,
) -> Vote:
    """A draft vote on the motion or amendment (the caller opens it), and the motion voting.

    The rule defaults to the motion kind's (statute amendments: two thirds), the base to the
    votes (``default_base``). Refused while
    another vote on the motion is pending, for a motion not numbered or no longer open, and for
    a final vote while amendments to it are still undecided (``amendments_open``).
    """
    settle(db, motion, now)
    if MotionState(motion.state) not in (S.NUMBERED, S.ON_AGENDA):
        raise MotionError(
            "not_votable", f"A motion that is {motion.state} cannot be put to the vote; "
            "it must be numbered (or on the agenda) and not yet decided."
        )
    root = motion if motion.amends_id is None else db.get(Motion, motion.amends_id)
    assert root is not None
    if MotionState(root.state) in FINAL:
        raise MotionError("not_votable", f"Its motion is {root.state}.")
    if service.pending_vote(db, root) is not None:
        raise MotionError("vote_pending", "A vote on this motion is under way.")
    if motion.amends_id is None:
        undecided = _open_amendments(db, motion)
        if undecided:
            names = ", ".join(service.label(db, a).own or f"#{a.id}" for a in undecided)
            raise MotionError(
                "amendments_open",
                f"Decide the amendments first ({names}): vote on them, or let the committee "
                "take them over, or have them withdrawn.",
                amendments=[a.id for a in undecided],
            )
    kind = db.get(MotionKind, motion.kind_id)
    assert kind is not None
    voted = voted_text(db, motion)
    spec = VoteSpec(VoteKind.MOTION, voted.title, with_abstain=with_abstain,
                    subtitle=voted.subtitle)
    rule = rule or MajorityRule(kind.majority_rule)
    vote = create_vote(
        db, event, spec, rule=rule, base=base or default_base(rule),
        duration_seconds=duration_seconds, now=now,
    )
    # the console and the minutes list the vote under its (or its motion's) agenda item
    vote.agenda_item_id = motion.agenda_item_id or root.agenda_item_id
    db.add(MotionVote(
        vote_id=vote.id, motion_id=motion.id, purpose=voted.purpose.value,
        base_version=root.text_version, text=voted.text, text_sha256=voted.sha256,
    ))
    service._move(db, motion, S.VOTING, actor, now, f"vote {vote.id}")
    return vote


def _outcome(vote: Vote) -> tuple[bool, bool]:
    """(valid, adopted) from the decided result."""
    assert vote.result_json is not None
    result = json.loads(vote.result_json)
    return bool(result.get("valid")), bool(result["outcome"]["adopted"])


def carry_back(db: Session, link: MotionVote, now: datetime) -> bool:
    """The announced result (or the vote's end without one) into the motion; True if changed.

    Does nothing while the vote runs, is counted or waits for its announcement.
    """
    if link.applied:
        return False
    motion = db.get(Motion, link.motion_id)
    assert motion is not None
    vote = db.get(Vote, link.vote_id)
    if vote is None or vote.state == VoteState.CANCELLED.value:
        link.applied, link.outcome = True, "cancelled"
        _back_to_agenda(db, motion, now, f"vote {link.vote_id} cancelled")
        return True
    if vote.state != VoteState.DECRYPTED.value or vote.announced_at is None:
        return False
    valid, adopted = _outcome(vote)
    link.applied = True
    if not valid:
        link.outcome = "void"
        _back_to_agenda(db, motion, now, f"vote {vote.id}: no quorum")
        return True
    note = f"vote {vote.id}"
    if motion.amends_id is not None:
        if adopted:
            parent = db.get(Motion, motion.amends_id)
            assert parent is not None
            text, change = service.amended(db, motion)
            if sha256_hex(text) != link.text_sha256:  # nothing may change it while voting
                raise AssertionError(f"vote {vote.id}: the amended text is not the one voted on")
            labels = service.label(db, motion)
            service.new_version(db, parent, text, change, f"{labels.own} adopted, {note}", now)
        target = S.ADOPTED if adopted else S.REJECTED
    else:
        if adopted and sha256_hex(motion.text) != link.text_sha256:
            raise AssertionError(f"vote {vote.id}: the motion's text is not the one voted on")
        target = S.REJECTED
        if adopted:
            target = S.ADOPTED_AS_AMENDED if motion.text_version > 1 else S.ADOPTED
    link.outcome = target.value
    service._move(db, motion, target, None, now, note)
    return True


def _back_to_agenda(db: Session, motion: Motion, now: datetime, note: str) -> None:
    if motion.state == S.VOTING.value:
        service._move(db, motion, S.ON_AGENDA, None, now, note)


def settle(db: Session, motion: Motion, now: datetime) -> bool:
    """Carry back every announced vote on this motion and its amendments; a motion left
    ``voting`` without a vote (its draft deleted) goes back on the agenda. True if changed."""
    root_id = motion.amends_id or motion.id
    ids = [root_id, *db.scalars(select(Motion.id).where(Motion.amends_id == root_id))]
    changed = False
    for link in db.scalars(
        select(MotionVote).where(MotionVote.motion_id.in_(ids), MotionVote.applied.is_(False))
        .order_by(MotionVote.vote_id)
    ):
        changed = carry_back(db, link, now) or changed
    for row in db.scalars(
        select(Motion).where(Motion.id.in_(ids), Motion.state == S.VOTING.value)
    ):
        if db.scalar(select(MotionVote.vote_id).where(
            MotionVote.motion_id == row.id, MotionVote.applied.is_(False)
        )) is None:
            _back_to_agenda(db, row, now, "vote deleted")
            changed = True
    if changed:
        db.flush()
    return changed


def settle_vote(db: Session, vote_id: int, now: datetime) -> bool:
    """After an announcement (or cancellation): carry the vote's result into its motion."""
    link = db.get(MotionVote, vote_id)
    if link is None:
        return False
    motion = db.get(Motion, link.motion_id)
    assert motion is not None
    return settle(db, motion, now)


def link_of(db: Session, vote_id: int) -> MotionVote | None:
    return db.get(MotionVote, vote_id)
