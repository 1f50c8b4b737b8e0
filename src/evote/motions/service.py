"""The steps of a motion's life on the database, each refused with a stable code when not allowed.

Every function takes the acting participant and the server's ``now``, changes the session and
records the step in ``motion_history``; the caller commits. A refusal is a
:class:`MotionError` and changes nothing, so the web layer can answer it as it stands.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from evote.motions import diff
from evote.motions.states import (
    FINAL,
    MotionState,
    Recommendation,
    SubmitterKind,
    can_move,
)
from evote.motions.text import TextProblem, checked, sha256_hex
from evote.rules.majority import MajorityRule
from evote.rules.roles import Role
from evote.store.models.motions import (
    Motion,
    MotionHistory,
    MotionKind,
    MotionSettings,
    MotionSupporter,
    MotionText,
    MotionVote,
)
from evote.store.models.people import Participant
from evote.store.models.stage import AgendaItem

S = MotionState
MAX_TITLE = 300
MAX_REASON = 20_000
MAX_NOTE = 2_000


class MotionError(Exception):
    """A step that is not possible; ``code`` is the API's stable error code, ``details`` extra
    fields of the answer (``line`` for a stale amendment)."""

    def __init__(self, code: str, message: str, status: int = 409, **details: Any) -> None:
        super().__init__(message)
        self.code, self.message, self.status, self.details = code, message, status, details


# -- kinds and settings -----------------------------------------------------------------------

DEFAULT_KINDS: tuple[tuple[str, str, MajorityRule], ...] = (
    ("S", "Satzungsänderungsanträge", MajorityRule.TWO_THIRDS),
    ("P", "Programmanträge", MajorityRule.SIMPLE),
    ("A", "Sonstige Anträge", MajorityRule.SIMPLE),
)
"""What ``add_default_kinds`` creates: statute amendments need two thirds in most statutes."""


def kinds(db: Session, event_id: int) -> list[MotionKind]:
    return list(
        db.scalars(
            select(MotionKind)
            .where(MotionKind.event_id == event_id)
            .order_by(MotionKind.position, MotionKind.id)
        )
    )


def _check_code(code: str) -> str:
    code = code.strip()
    if not (1 <= len(code) <= 8) or not code.isalpha():
        raise MotionError("bad_kind", "A kind's code is 1 to 8 letters (S, P, A …).", 400)
    return code


def add_kind(
    db: Session,
    event_id: int,
    *,
    code: str,
    name: str,
    deadline: datetime | None = None,
    amendment_deadline: datetime | None = None,
    supporters_required: int = 0,
    majority_rule: MajorityRule = MajorityRule.SIMPLE,
) -> MotionKind:
    code = _check_code(code)
    name = name.strip()
    if not (1 <= len(name) <= 100):
        raise MotionError("bad_kind", "A kind's name is 1 to 100 characters.", 400)
    if supporters_required < 0 or supporters_required > 10_000:
        raise MotionError("bad_kind", "Supporters required must be 0 to 10,000.", 400)
    taken = db.scalar(
        select(MotionKind.id).where(MotionKind.event_id == event_id, MotionKind.code == code)
    )
    if taken is not None:
        raise MotionError("kind_exists", f"There is already a kind {code}.")
    position = db.scalar(
        select(func.coalesce(func.max(MotionKind.position), 0)).where(
            MotionKind.event_id == event_id
        )
    )
    kind = MotionKind(
        event_id=event_id, code=code, name=name, position=(position or 0) + 1,
        deadline=deadline, amendment_deadline=amendment_deadline,
        supporters_required=supporters_required, majority_rule=majority_rule.value,
    )
    db.add(kind)
    db.flush()
    return kind


def add_default_kinds(db: Session, event_id: int) -> list[MotionKind]:
    """S, P and A (``DEFAULT_KINDS``), those missing; no deadlines until the committee sets them."""
    have = {k.code for k in kinds(db, event_id)}
    for code, name, rule in DEFAULT_KINDS:
        if code not in have:
            add_kind(db, event_id, code=code, name=name, majority_rule=rule)
    return kinds(db, event_id)


def settings(db: Session, event_id: int) -> MotionSettings:
    found = db.get(MotionSettings, event_id)
    if found is None:
        found = MotionSettings(event_id=event_id, public_listing=False)
        db.add(found)
    return found


def listing_is_public(db: Session, event_id: int) -> bool:
    found = db.get(MotionSettings, event_id)
    return bool(found and found.public_listing)


# -- reading ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Labels:
    """How the convention names a motion: ``A3``, ``Ä1 zu A3``; None before it is numbered."""

    own: str | None
    motion: str | None


def label(db: Session, motion: Motion) -> Labels:
    kind = db.get(MotionKind, motion.kind_id)
    assert kind is not None
    if motion.amends_id is None:
        own = f"{kind.code}{motion.number}" if motion.number is not None else None
        return Labels(own, own)
    parent = db.get(Motion, motion.amends_id)
    assert parent is not None
    parent_label = f"{kind.code}{parent.number}" if parent.number is not None else None
    own = None
    if motion.number is not None:
        own = f"Ä{motion.number} zu {parent_label}" if parent_label else f"Ä{motion.number}"
    return Labels(own, parent_label)


def is_committee(actor: Participant) -> bool:
    return actor.has_role(Role.MOTIONS_COMMITTEE)


def is_published(motion: Motion, db: Session) -> bool:
    """Every delegate reads it: admitted once (a withdrawal afterwards does not hide it)."""
    if motion.state in (S.DRAFT, S.SUBMITTED, S.REFUSED):
        return False
    if motion.state != S.WITHDRAWN:
        return True
    return db.scalar(
        select(func.count()).select_from(MotionHistory).where(
            MotionHistory.motion_id == motion.id, MotionHistory.to_state == S.ADMITTED.value
        )
    ) > 0


def may_read(db: Session, actor: Participant | None, motion: Motion) -> bool:
    """Published motions for everyone of the event; drafts for their author and, when they
    seek supporters (group), for every delegate; the rest for the author and the committee."""
    if is_published(motion, db):
        return True
    if actor is None or actor.event_id != motion.event_id:
        return False
    if motion.author_id == actor.id or db.get(MotionSupporter, (motion.id, actor.id)):
        return True
    if motion.state == S.DRAFT:
        if motion.submitter_kind == SubmitterKind.BODY.value:
            return is_committee(actor)
        return motion.submitter_kind == SubmitterKind.GROUP.value and actor.has_role(
            Role.DELEGATE
        )
    return is_committee(actor)


def supporters(db: Session, motion_id: int) -> list[Participant]:
    return list(
        db.scalars(
            select(Participant)
            .join(MotionSupporter, MotionSupporter.participant_id == Participant.id)
            .where(MotionSupporter.motion_id == motion_id)
            .order_by(MotionSupporter.created_at, Participant.id)
        )
    )


def supporter_count(db: Session, motion_id: int) -> int:
    return db.scalar(
        select(func.count()).select_from(MotionSupporter).where(
            MotionSupporter.motion_id == motion_id
        )
    ) or 0


def history(db: Session, motion_id: int) -> list[MotionHistory]:
    return list(
        db.scalars(
            select(MotionHistory)
            .where(MotionHistory.motion_id == motion_id)
            .order_by(MotionHistory.id)
        )
    )


def text_version(db: Session, motion: Motion, version: int) -> MotionText | None:
    return db.get(MotionText, (motion.id, version))


def amendments(db: Session, motion_id: int) -> list[Motion]:
    return list(
        db.scalars(
            select(Motion)
            .where(Motion.amends_id == motion_id)
            .order_by(Motion.number.is_(None), Motion.number, Motion.id)
        )
    )


def pending_vote(db: Session, motion: Motion) -> MotionVote | None:
    """A vote on this motion or one of its amendments whose result is not carried back yet."""
    ids = [motion.id, *db.scalars(select(Motion.id).where(Motion.amends_id == motion.id))]
    return db.scalars(
        select(MotionVote).where(MotionVote.motion_id.in_(ids), MotionVote.applied.is_(False))
    ).first()


# -- creating and editing ---------------------------------------------------------------------


def _title(value: str) -> str:
    value = " ".join(value.split())
    if not (1 <= len(value) <= MAX_TITLE):
        raise MotionError("bad_title", f"A title is 1 to {MAX_TITLE} characters.", 400)
    return value


def _reason(value: str) -> str:
    if len(value) > MAX_REASON:
        raise MotionError("bad_reason", f"A reason is at most {MAX_REASON} characters.", 400)
    try:
        return checked(value, allow_empty=True)
    except TextProblem as exc:
        raise MotionError("bad_reason", str(exc), 400) from None


def _text(value: str, *, allow_empty: bool = False) -> str:
    try:
        return checked(value, allow_empty=allow_empty)
    except TextProblem as exc:
        raise MotionError("bad_text", str(exc), 400) from None


def _submitter(actor: Participant, kind: SubmitterKind, body_name: str) -> str:
    if kind is SubmitterKind.BODY:
        if not is_committee(actor):
            raise MotionError(
                "body_needs_committee",
                "Motions of a party body are entered by the motions committee.", 403,
            )
        body_name = " ".join(body_name.split())
        if not (1 <= len(body_name) <= 200):
            raise MotionError("bad_body", "Name the party body (1 to 200 characters).", 400)
        return body_name
    if not actor.has_role(Role.DELEGATE):
        raise MotionError("not_a_delegate", "Only delegates submit motions of their own.", 403)
    return ""


def _record(
    db: Session, motion: Motion, before: str | None, after: MotionState, actor: Participant | None,
    now: datetime, note: str = "",
) -> None:
    db.add(MotionHistory(
        motion_id=motion.id, at=now, from_state=before, to_state=after.value,
        actor_id=actor.id if actor else None, note=note[:MAX_NOTE],
    ))


def _move(
    db: Session, motion: Motion, target: MotionState, actor: Participant | None, now: datetime,
    note: str = "",
) -> None:
    current = MotionState(motion.state)
    if not can_move(current, target, amendment=motion.amends_id is not None):
        raise MotionError(
            "bad_state", f"A motion that is {current.value} cannot become {target.value}."
        )
    motion.state = target.value
    _record(db, motion, current.value, target, actor, now, note)


def create_motion(
    db: Session,
    actor: Participant,
    kind: MotionKind,
    *,
    title: str,
    text: str,
    reason: str = "",
    submitter: SubmitterKind = SubmitterKind.DELEGATE,
    body_name: str = "",
    now: datetime,
) -> Motion:
    """A draft of the actor's; nobody else reads it until it seeks supporters or is submitted."""
    if kind.event_id != actor.event_id:
        raise MotionError("no_such_kind", "There is no such motion kind.", 404)
    motion = Motion(
        event_id=actor.event_id, kind_id=kind.id, series=f"kind-{kind.id}",
        state=S.DRAFT.value, title=_title(title), text=_text(text), reason=_reason(reason),
        submitter_kind=submitter.value, body_name=_submitter(actor, submitter, body_name),
        author_id=actor.id, author_name=actor.name, created_at=now,
    )
    db.add(motion)
    db.flush()
    _record(db, motion, None, S.DRAFT, actor, now)
    return motion


def create_amendment(
    db: Session,
    actor: Participant,
    motion: Motion,
    *,
    line_from: int,
    line_to: int,
    base_version: int,
    text: str,
    reason: str = "",
    title: str = "",
    submitter: SubmitterKind = SubmitterKind.DELEGATE,
    body_name: str = "",
    now: datetime,
) -> Motion:
    """A draft amendment replacing lines ``line_from``..``line_to`` of text version
    ``base_version`` (the one the delegate read) by ``text``.

    If the motion has moved on since, the lines are looked up in the current version: found
    unchanged, the amendment is rebased onto it (numbers may shift); changed, it is refused
    (``lines_changed``, with the first changed line).
    """
    if motion.amends_id is not None:
        raise MotionError("not_a_motion", "Amendments change motions, not other amendments.")
    if motion.state not in (S.ADMITTED, S.NUMBERED, S.ON_AGENDA):
        raise MotionError(
            "not_amendable", "Only an admitted motion that is not yet decided can be amended."
        )
    if pending_vote(db, motion) is not None:
        raise MotionError("vote_pending", "A vote on this motion is under way.")
    base = text_version(db, motion, base_version)
    if base is None:
        raise MotionError("no_such_version", f"The motion has no text version {base_version}.", 404)
    new_text = _text(text, allow_empty=True)
    try:
        start, end = diff.locate(
            base.text, motion.text, changes_since(db, motion, base_version), line_from, line_to
        )
    except diff.BadRange as exc:
        raise MotionError("bad_lines", str(exc), 400) from None
    except diff.StaleLines as exc:
        raise _stale(exc.line) from None
    old = diff.old_lines(motion.text, start, end)
    if old == new_text:
        raise MotionError("no_change", "The amendment leaves the lines as they are.", 400)
    kind = db.get(MotionKind, motion.kind_id)
    assert kind is not None
    amendment = Motion(
        event_id=motion.event_id, kind_id=motion.kind_id, amends_id=motion.id,
        series=f"motion-{motion.id}", state=S.DRAFT.value,
        title=_title(title) if title.strip() else f"Änderung in {diff.range_label(start, end)}",
        text=new_text, reason=_reason(reason), submitter_kind=submitter.value,
        body_name=_submitter(actor, submitter, body_name), author_id=actor.id,
        author_name=actor.name, line_from=start, line_to=end, base_version=motion.text_version,
        old_text=old, created_at=now,
    )
    db.add(amendment)
    db.flush()
    _record(db, amendment, None, S.DRAFT, actor, now)
    return amendment


def _stale(line: int) -> MotionError:
    return MotionError(
        "lines_changed", f"Zeile {line} hat sich geändert – bitte neu anlegen. "
        f"(Line {line} has changed; please write the amendment again.)", 409, line=line,
    )


def _own_draft(actor: Participant, motion: Motion) -> None:
    if motion.author_id != actor.id:
        raise MotionError("not_your_motion", "Only its author changes or submits a draft.", 403)
    if motion.state != S.DRAFT:
        raise MotionError("not_a_draft", "Only a draft can be changed.")


def edit_draft(
    db: Session,
    actor: Participant,
    motion: Motion,
    *,
    title: str | None = None,
    text: str | None = None,
    reason: str | None = None,
) -> Motion:
    _own_draft(actor, motion)
    if title is not None:
        motion.title = _title(title)
    if reason is not None:
        motion.reason = _reason(reason)
    if text is not None:
        if motion.amends_id is not None:
            motion.text = _text(text, allow_empty=True)
            if motion.text == motion.old_text:
                raise MotionError("no_change", "The amendment leaves the lines as they are.", 400)
        else:
            motion.text = _text(text)
    return motion


def deadline_of(kind: MotionKind, motion: Motion) -> datetime | None:
    return kind.amendment_deadline if motion.amends_id is not None else kind.deadline


def submit(
    db: Session, actor: Participant, motion: Motion, *, urgent: bool = False, now: datetime
) -> Motion:
    """Hand the draft to the committee.

    After the kind's deadline only as urgent (Dringlichkeitsantrag); a group needs its
    supporters; an amendment is checked (and rebased) against the motion's text once more.
    """
    _own_draft(actor, motion)
    kind = db.get(MotionKind, motion.kind_id)
    assert kind is not None
    deadline = deadline_of(kind, motion)
    late = deadline is not None and now > deadline
    if late and not urgent:
        raise MotionError(
            "deadline_passed",
            f"The deadline for {kind.name} ended at {deadline.isoformat()}; "
            "only an urgent motion (Dringlichkeitsantrag) can be submitted now.",
            deadline=deadline.isoformat() if deadline else None,
        )
    if motion.submitter_kind == SubmitterKind.GROUP.value:
        have = supporter_count(db, motion.id)
        if have < kind.supporters_required:
            raise MotionError(
                "too_few_supporters",
                f"A group motion needs {kind.supporters_required} supporters; it has {have}.",
                required=kind.supporters_required, supporters=have,
            )
    if motion.amends_id is not None:
        _rebase(db, motion)
    motion.urgent = late
    motion.submitted_at = now
    _move(db, motion, S.SUBMITTED, actor, now, "urgent" if late else "")
    if motion.amends_id is None:
        db.add(MotionText(
            motion_id=motion.id, version=1, text=motion.text, sha256=sha256_hex(motion.text),
            note="submitted", created_at=now,
        ))
        motion.text_version = 1
    return motion


def _rebase(db: Session, amendment: Motion) -> None:
    """Carry the amendment onto its motion's current text, or refuse it as stale."""
    motion = db.get(Motion, amendment.amends_id)
    assert motion is not None
    if motion.state not in (S.ADMITTED, S.NUMBERED, S.ON_AGENDA, S.VOTING):
        raise MotionError("not_amendable", "The motion can no longer be amended.")
    if amendment.base_version == motion.text_version:
        return
    amendment.line_from, amendment.line_to = where_now(db, amendment, motion)
    amendment.base_version = motion.text_version


def support(db: Session, actor: Participant, motion: Motion, *, now: datetime) -> int:
    """The actor supports the motion (idempotent); returns the number of supporters."""
    if not actor.has_role(Role.DELEGATE):
        raise MotionError("not_a_delegate", "Only delegates support motions.", 403)
    if motion.author_id == actor.id:
        raise MotionError("own_motion", "Authors do not support their own motion.")
    if motion.state != S.DRAFT or motion.submitter_kind != SubmitterKind.GROUP.value:
        raise MotionError(
            "cannot_support", "Only a group's draft collects supporters, until it is submitted."
        )
    if db.get(MotionSupporter, (motion.id, actor.id)) is None:
        db.add(MotionSupporter(motion_id=motion.id, participant_id=actor.id, created_at=now))
        db.flush()
    return supporter_count(db, motion.id)


def withdraw_support(db: Session, actor: Participant, motion: Motion) -> int:
    if motion.state != S.DRAFT:
        raise MotionError("cannot_support", "Support can be withdrawn only before submission.")
    db.execute(
        delete(MotionSupporter).where(
            MotionSupporter.motion_id == motion.id, MotionSupporter.participant_id == actor.id
        )
    )
    return supporter_count(db, motion.id)


# -- the committee ----------------------------------------------------------------------------


def screen(
    db: Session, actor: Participant, motion: Motion, *, admit: bool, reason: str = "",
    now: datetime,
) -> Motion:
    """Admit the motion, or refuse it with a reason the author reads. An urgent motion is
    admitted as urgent (the committee's admission is what makes it one)."""
    reason = " ".join(reason.split())[:MAX_NOTE]
    if motion.state != S.SUBMITTED:
        raise MotionError("bad_state", f"Only a submitted motion is screened ({motion.state}).")
    if admit:
        if motion.amends_id is not None:
            _rebase(db, motion)
        _move(db, motion, S.ADMITTED, actor, now,
              ("urgent: " if motion.urgent else "") + reason)
        return motion
    if not reason:
        raise MotionError("reason_required", "A refusal needs its reason.", 400)
    motion.refusal_reason = reason
    _move(db, motion, S.REFUSED, actor, now, reason)
    return motion


def assign_number(db: Session, actor: Participant, motion: Motion, *, now: datetime) -> Motion:
    """The next number of the motion's series (S1, S2 …; Ä1, Ä2 … per motion)."""
    if motion.amends_id is not None:
        parent = db.get(Motion, motion.amends_id)
        assert parent is not None
        if parent.number is None:
            raise MotionError("motion_not_numbered", "Number the motion before its amendments.")
    last = db.scalar(select(func.max(Motion.number)).where(Motion.series == motion.series))
    _move(db, motion, S.NUMBERED, actor, now)
    motion.number = (last or 0) + 1
    return motion


def recommend(
    db: Session, actor: Participant, motion: Motion, *, recommendation: Recommendation,
    reason: str = "", text: str | None = None, now: datetime,
) -> Motion:
    """The committee's advice, with its reason, shown beside the motion and in the book.
    ``adopt_modified`` of an amendment carries the form the committee proposes."""
    if motion.state not in (S.ADMITTED, S.NUMBERED, S.ON_AGENDA):
        raise MotionError("bad_state", "Only an admitted motion that is not decided gets advice.")
    if recommendation is Recommendation.ADOPT_MODIFIED:
        if text is None:
            raise MotionError("text_required", "Say in which form to adopt it.", 400)
        proposed = _text(text, allow_empty=motion.amends_id is not None)
        motion.recommended_text = proposed
    else:
        motion.recommended_text = None
    motion.recommendation = recommendation.value
    motion.recommendation_reason = _reason(reason)
    _record(db, motion, motion.state, MotionState(motion.state), actor, now,
            f"recommendation: {recommendation.value}")
    return motion


def changes_since(db: Session, motion: Motion, version: int) -> list[diff.Change]:
    """The line changes that made the versions after ``version``, oldest first."""
    rows = db.scalars(
        select(MotionText)
        .where(MotionText.motion_id == motion.id, MotionText.version > version)
        .order_by(MotionText.version)
    )
    return [
        diff.Change(r.replaced_from, r.replaced_to, r.replaced_by or 0)
        for r in rows
        if r.replaced_from is not None and r.replaced_to is not None
    ]


def where_now(db: Session, amendment: Motion, motion: Motion) -> tuple[int, int]:
    """The amendment's lines in the motion's current text, or ``lines_changed``."""
    base = text_version(db, motion, amendment.base_version or 1)
    assert base is not None and amendment.line_from and amendment.line_to
    try:
        return diff.locate(
            base.text, motion.text, changes_since(db, motion, base.version),
            amendment.line_from, amendment.line_to,
        )
    except diff.StaleLines as exc:
        raise _stale(exc.line) from None


def new_version(
    db: Session, motion: Motion, text: str, change: diff.Change, note: str, now: datetime
) -> MotionText:
    """The motion's text moves on: a new numbered version, the motion's text is it."""
    motion.text_version += 1
    motion.text = text
    version = MotionText(
        motion_id=motion.id, version=motion.text_version, text=text, sha256=sha256_hex(text),
        note=note[:300], replaced_from=change.line_from, replaced_to=change.line_to,
        replaced_by=change.new_count, created_at=now,
    )
    db.add(version)
    return version


def amended(
    db: Session, amendment: Motion, replacement: str | None = None
) -> tuple[str, diff.Change]:
    """The motion's current text with this amendment (or ``replacement`` for its lines) in,
    and the change that makes it."""
    motion = db.get(Motion, amendment.amends_id)
    assert motion is not None
    start, end = where_now(db, amendment, motion)
    new = amendment.text if replacement is None else replacement
    return diff.apply(motion.text, start, end, new), diff.change(motion.text, start, end, new)


def take_over(
    db: Session, actor: Participant, amendment: Motion, *, text: str | None = None,
    now: datetime,
) -> Motion:
    """The committee takes the amendment into the motion without a vote: as written
    (übernommen) or, with ``text``, in a changed form (modifizierte Übernahme)."""
    if amendment.amends_id is None:
        raise MotionError("not_an_amendment", "Only amendments are taken over.")
    motion = db.get(Motion, amendment.amends_id)
    assert motion is not None
    if pending_vote(db, motion) is not None:
        raise MotionError("vote_pending", "A vote on this motion is under way.")
    replacement = None if text is None else _text(text, allow_empty=True)
    modified = replacement is not None and replacement != amendment.text
    target = S.TAKEN_OVER_MODIFIED if modified else S.TAKEN_OVER
    if not can_move(MotionState(amendment.state), target, amendment=True):
        raise MotionError("bad_state", f"An amendment that is {amendment.state} cannot be taken over.")
    consolidated, change = amended(db, amendment, replacement if modified else None)
    labels = label(db, amendment)
    new_version(db, motion, consolidated, change, f"{labels.own or 'Ä'} {target.value}", now)
    if modified:
        amendment.recommended_text = replacement
    _move(db, amendment, target, actor, now)
    return amendment


def put_on_agenda(
    db: Session, actor: Participant, motion: Motion, *, agenda_item_id: int | None, now: datetime
) -> Motion:
    if agenda_item_id is not None:
        item = db.get(AgendaItem, agenda_item_id)
        if item is None or item.event_id != motion.event_id:
            raise MotionError("no_such_agenda_item", f"There is no agenda item {agenda_item_id}.", 404)
    motion.agenda_item_id = agenda_item_id
    if motion.state != S.ON_AGENDA:
        _move(db, motion, S.ON_AGENDA, actor, now)
    return motion


def refer(db: Session, actor: Participant, motion: Motion, *, reason: str, now: datetime) -> Motion:
    """Referred (überwiesen) to a body instead of being decided here; the reason says where."""
    reason = " ".join(reason.split())
    if not reason:
        raise MotionError("reason_required", "Say where the motion is referred to.", 400)
    if pending_vote(db, motion) is not None:
        raise MotionError("vote_pending", "A vote on this motion is under way.")
    _move(db, motion, S.REFERRED, actor, now, reason)
    return motion


def withdraw(
    db: Session, actor: Participant, motion: Motion, *, reason: str = "", now: datetime
) -> Motion:
    """By its author, or by the committee (for a body, or on the author's word)."""
    if motion.author_id != actor.id and not is_committee(actor):
        raise MotionError("not_your_motion", "Only its author withdraws a motion.", 403)
    if MotionState(motion.state) in FINAL:
        raise MotionError("bad_state", f"A motion that is {motion.state} cannot be withdrawn.")
    if pending_vote(db, motion) is not None:
        raise MotionError("vote_pending", "A vote on this motion is under way.")
    _move(db, motion, S.WITHDRAWN, actor, now, " ".join(reason.split()))
    if motion.amends_id is None:
        for amendment in amendments(db, motion.id):
            if MotionState(amendment.state) not in FINAL:
                _move(db, amendment, S.WITHDRAWN, actor, now, "motion withdrawn")
    return motion


def visible_motions(db: Session, actor: Participant | None, event_id: int) -> list[Motion]:
    """Motions (not amendments) the actor may read, in the order of the motion book."""
    rows = db.scalars(
        select(Motion)
        .where(Motion.event_id == event_id, Motion.amends_id.is_(None))
        .order_by(Motion.kind_id, Motion.number.is_(None), Motion.number, Motion.id)
    )
    return [m for m in rows if may_read(db, actor, m)]


def participant_names(db: Session, ids: Iterable[int]) -> dict[int, str]:
    wanted = set(ids)
    if not wanted:
        return {}
    rows = db.execute(select(Participant.id, Participant.name).where(Participant.id.in_(wanted)))
    return {row.id: row.name for row in rows}
