"""The committee merges several amendments into one (Zusammenführung).

Why a step of its own: amendments to the same passage often want the same thing in different
words; the committee writes one text that covers them, the convention votes once, and each
original shows where it went. The committee edits the motion's whole text, as a delegate writes
an amendment; the new amendment replaces the smallest run of numbered lines that holds that edit
and the lines of every merged amendment (so none of them is left half-decided). It is entered by
the committee for a party body (by default "Antragskommission"), admitted and numbered at once;
the originals become ``merged``, each with the new amendment's label in its history. Refused like
any amendment when a merged one's lines changed since it was written (``lines_changed``), while a
vote on the motion runs (``vote_pending``), or when the edit changes nothing (``no_change``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from evote.motions import diff, service
from evote.motions.service import MotionError
from evote.motions.states import MotionState, SubmitterKind
from evote.store.models.motions import Motion
from evote.store.models.people import Participant

S = MotionState
MERGEABLE = frozenset({S.ADMITTED, S.NUMBERED, S.ON_AGENDA})


def merge(
    db: Session, actor: Participant, motion: Motion, originals: list[Motion], *, edited_text: str,
    title: str = "", reason: str = "", body_name: str = "Antragskommission", now: datetime,
) -> Motion:
    """One new amendment in place of ``originals`` (at least two of ``motion``'s amendments)."""
    if motion.amends_id is not None:
        raise MotionError("not_a_motion", "Amendments are merged on their motion.")
    if len({a.id for a in originals}) < 2:
        raise MotionError("too_few_amendments", "Merging takes at least two amendments.", 400)
    for amendment in originals:
        if amendment.amends_id != motion.id:
            raise MotionError("not_an_amendment", f"{amendment.id} is no amendment of this motion.", 400)
        if MotionState(amendment.state) not in MERGEABLE:
            raise MotionError("bad_state", f"An amendment that is {amendment.state} is not merged.")
    if service.pending_vote(db, motion) is not None:
        raise MotionError("vote_pending", "A vote on this motion is under way.")
    ranges = [service.where_now(db, a, motion) for a in originals]
    try:
        edit = diff.edit_range(motion.text, edited_text)
    except diff.NoChange:
        raise MotionError("no_change", "The merged text leaves the motion as it is.", 400) from None
    start = min([edit.line_from, *(r[0] for r in ranges)])
    end = max([edit.line_to, *(r[1] for r in ranges)])
    wide = diff.widen(motion.text, edit, start, end)
    labels = [service.label(db, a).own or f"#{a.id}" for a in originals]
    merged = service.create_amendment(
        db, actor, motion, line_from=wide.line_from, line_to=wide.line_to,
        base_version=motion.text_version, text=wide.text, reason=reason,
        title=title.strip() or f"Zusammenführung von {', '.join(labels)}",
        submitter=SubmitterKind.BODY, body_name=body_name, now=now,
    )
    service._move(db, merged, S.SUBMITTED, actor, now)
    merged.submitted_at = now
    service._move(db, merged, S.ADMITTED, actor, now, f"merged from {', '.join(labels)}")
    service.assign_number(db, actor, merged, now=now)
    own = service.label(db, merged).own or ""
    for amendment in originals:
        service._move(db, amendment, S.MERGED, actor, now, f"zusammengeführt in {own}")
    return merged
