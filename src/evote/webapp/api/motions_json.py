"""How motions and amendments appear in JSON, and to the pages that render them.

One place for the API, the delegate pages, the public listing and the motion book, so no view
shows a field another hides. Rendered lines (``lines``, ``diff``) are escaped HTML made by
``evote.motions.text``/``diff``: the text's own characters are never markup.
"""

from __future__ import annotations

import html
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from evote.motions import diff, service
from evote.motions.states import FINAL, MotionState
from evote.motions.text import render, sha256_hex
from evote.rules.roles import Role
from evote.store.models.motions import Motion, MotionKind, MotionVote
from evote.store.models.people import Participant


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def kind_json(kind: MotionKind) -> dict[str, Any]:
    return {
        "id": kind.id,
        "code": kind.code,
        "name": kind.name,
        "deadline": _time(kind.deadline),
        "amendment_deadline": _time(kind.amendment_deadline),
        "supporters_required": kind.supporters_required,
        "majority_rule": kind.majority_rule,
    }


def lines_json(text: str) -> list[dict[str, Any]]:
    return [
        {"number": ln.number, "html": ln.html, "block": ln.block, "start": ln.start,
         "marker": ln.marker}
        for ln in render(text)
    ]


def diff_json(amendment: Motion) -> list[dict[str, Any]]:
    """The amendment as rows of word segments, each segment's text escaped, and each row as
    HTML with the emphasis rendered and ``<del>``/``<ins>`` around the changed words."""
    rows = diff.word_diff(amendment.old_text or "", amendment.text, amendment.line_from or 1)
    return [
        {"number": row.number, "html": shown,
         "segments": [{"op": s.op, "html": html.escape(s.text)} for s in row.segments]}
        for row, shown in zip(rows, diff.render_rows(rows), strict=True)
    ]


def stale_line(db: Session, amendment: Motion, motion: Motion) -> int | None:
    """The first line of the amendment that changed in the motion since, if any."""
    if amendment.base_version == motion.text_version or MotionState(amendment.state) in (
        MotionState.TAKEN_OVER, MotionState.TAKEN_OVER_MODIFIED, MotionState.ADOPTED,
        MotionState.MERGED,
    ):
        return None
    if not amendment.line_from or not amendment.line_to:
        return None
    try:
        service.where_now(db, amendment, motion)
    except service.MotionError as exc:
        return int(exc.details["line"])
    return None


def _may(db: Session, me: Participant | None, motion: Motion) -> dict[str, bool]:
    """What the reader may do with it now (the pages show only those buttons; the API still
    decides each request on its own)."""
    state = MotionState(motion.state)
    mine = me is not None and motion.author_id == me.id
    committee = me is not None and service.is_committee(me)
    delegate = me is not None and me.has_role(Role.DELEGATE)
    presidium = me is not None and me.has_role(Role.PRESIDIUM)
    return {
        "edit": mine and state is MotionState.DRAFT,
        "submit": mine and state is MotionState.DRAFT,
        "support": bool(delegate and not mine and state is MotionState.DRAFT
                        and motion.submitter_kind == "group"),
        "withdraw": (mine or committee) and state not in FINAL
        and state is not MotionState.VOTING,
        "amend": bool((delegate or committee) and motion.amends_id is None and state in (
            MotionState.ADMITTED, MotionState.NUMBERED, MotionState.ON_AGENDA)),
        "screen": committee and state is MotionState.SUBMITTED,
        "number": committee and state is MotionState.ADMITTED,
        "recommend": committee and state in (
            MotionState.ADMITTED, MotionState.NUMBERED, MotionState.ON_AGENDA),
        "take_over": committee and motion.amends_id is not None and state in (
            MotionState.NUMBERED, MotionState.ON_AGENDA),
        "merge": committee and motion.amends_id is not None and state in (
            MotionState.ADMITTED, MotionState.NUMBERED, MotionState.ON_AGENDA),
        "schedule": (presidium or committee) and motion.amends_id is None
        and state is MotionState.NUMBERED,
        "refer": (presidium or committee) and state in (
            MotionState.NUMBERED, MotionState.ON_AGENDA),
        "vote": presidium and state in (MotionState.NUMBERED, MotionState.ON_AGENDA)
        and service.pending_vote(db, _parent(db, motion)) is None,
    }


def _parent(db: Session, motion: Motion) -> Motion:
    """The motion itself, or the motion an amendment changes."""
    if motion.amends_id is None:
        return motion
    parent = db.get(Motion, motion.amends_id)
    assert parent is not None
    return parent


def motion_json(
    db: Session, motion: Motion, me: Participant | None, *, full: bool = True,
    with_amendments: bool = True, public: bool = False,
) -> dict[str, Any]:
    """A motion or amendment; ``full`` adds its lines, reason, history and votes.

    ``public`` (the listing without login) leaves out who supported it and the history.
    """
    kind = db.get(MotionKind, motion.kind_id)
    assert kind is not None
    labels = service.label(db, motion)
    supporters = service.supporters(db, motion.id)
    body: dict[str, Any] = {
        "id": motion.id,
        "label": labels.own,
        "motion_label": labels.motion,
        "amends": motion.amends_id,
        "kind": {"id": kind.id, "code": kind.code, "name": kind.name},
        "state": motion.state,
        "title": motion.title,
        "urgent": motion.urgent,
        "submitter": {
            "kind": motion.submitter_kind,
            "name": motion.body_name or motion.author_name,
            "author": motion.author_name,
        },
        "supporters_count": len(supporters),
        "supporters_required": kind.supporters_required if motion.submitter_kind == "group" else 0,
        "recommendation": None if motion.recommendation is None else {
            "value": motion.recommendation,
            "reason": motion.recommendation_reason,
            "text": motion.recommended_text,
        },
        "submitted_at": _time(motion.submitted_at),
    }
    if motion.state == MotionState.REFUSED and not public:
        body["refusal_reason"] = motion.refusal_reason
    if motion.amends_id is not None:
        parent = db.get(Motion, motion.amends_id)
        assert parent is not None
        body["amendment"] = {
            "line_from": motion.line_from,
            "line_to": motion.line_to,
            "range": diff.range_label(motion.line_from or 1, motion.line_to or 1),
            "base_version": motion.base_version,
            "old_text": motion.old_text,
            "text": motion.text,
            "diff": diff_json(motion),
            "stale_line": stale_line(db, motion, parent),
        }
    else:
        body["text_version"] = motion.text_version
        body["text_sha256"] = sha256_hex(motion.text)
    if not public and me is not None:
        body["may"] = _may(db, me, motion)
        body["supported"] = any(p.id == me.id for p in supporters)
    if full:
        body["text"] = motion.text
        if motion.amends_id is None:
            body["lines"] = lines_json(motion.text)
        body["reason"] = motion.reason
        body["reason_lines"] = lines_json(motion.reason)
        body["votes"] = [
            {"vote_id": v.vote_id, "purpose": v.purpose, "text_sha256": v.text_sha256,
             "outcome": v.outcome, "applied": v.applied}
            for v in db.scalars(
                select(MotionVote).where(MotionVote.motion_id == motion.id)
                .order_by(MotionVote.vote_id)
            )
        ]
        if not public:
            body["supporters"] = [p.name for p in supporters]
            names = service.participant_names(
                db, (h.actor_id for h in service.history(db, motion.id) if h.actor_id)
            )
            body["history"] = [
                {"at": _time(h.at), "from": h.from_state, "to": h.to_state,
                 "by": names.get(h.actor_id) if h.actor_id else None, "note": h.note}
                for h in service.history(db, motion.id)
            ]
    if with_amendments and motion.amends_id is None:
        body["amendments"] = [
            motion_json(db, a, me, full=full, with_amendments=False, public=public)
            for a in service.amendments(db, motion.id)
            if (service.is_published(a, db) if public else service.may_read(db, me, a))
        ]
    return body
