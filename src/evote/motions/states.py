"""The states of a motion or amendment, and which step may lead from where to where.

Pure, so the rules can be read (and tested) in one table:

    draft → submitted → admitted → numbered → on_agenda → voting → adopted | adopted_as_amended
                      ↘ refused                                    ↘ rejected
    withdrawn: from any state before a result, by the submitter (or the committee);
    referred (überwiesen): numbered or on the agenda, by the presidium or the committee;
    an amendment may also be taken over by the committee (übernommen, or modifiziert
    übernommen): its change goes into the motion without a vote.

A vote whose result is void (no quorum) puts the motion back on the agenda.
"""

from __future__ import annotations

from enum import StrEnum


class MotionState(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    ADMITTED = "admitted"
    REFUSED = "refused"
    NUMBERED = "numbered"
    ON_AGENDA = "on_agenda"
    VOTING = "voting"
    ADOPTED = "adopted"
    ADOPTED_AS_AMENDED = "adopted_as_amended"
    REJECTED = "rejected"
    REFERRED = "referred"
    WITHDRAWN = "withdrawn"
    TAKEN_OVER = "taken_over"
    """Amendments only: the committee took the change into the motion as written."""
    TAKEN_OVER_MODIFIED = "taken_over_modified"
    """Amendments only: the committee took it into the motion in a changed form."""
    MERGED = "merged"
    """Amendments only: the committee merged it with others into one new amendment
    (zusammengeführt), which is voted on or taken over in their place."""


S = MotionState

FINAL: frozenset[MotionState] = frozenset(
    {S.REFUSED, S.ADOPTED, S.ADOPTED_AS_AMENDED, S.REJECTED, S.REFERRED, S.WITHDRAWN,
     S.TAKEN_OVER, S.TAKEN_OVER_MODIFIED, S.MERGED}
)
"""No step leads out of these."""

PUBLISHED: frozenset[MotionState] = frozenset(set(MotionState) - {S.DRAFT, S.SUBMITTED, S.REFUSED})
"""States in which every delegate reads the motion (admitted by the committee, or later).
A motion withdrawn before admission is not published either (see ``was_admitted``)."""

TRANSITIONS: dict[MotionState, frozenset[MotionState]] = {
    S.DRAFT: frozenset({S.SUBMITTED, S.WITHDRAWN}),
    S.SUBMITTED: frozenset({S.ADMITTED, S.REFUSED, S.WITHDRAWN}),
    S.ADMITTED: frozenset({S.NUMBERED, S.WITHDRAWN, S.MERGED}),
    S.NUMBERED: frozenset({S.ON_AGENDA, S.VOTING, S.WITHDRAWN, S.REFERRED, S.TAKEN_OVER,
                           S.TAKEN_OVER_MODIFIED, S.MERGED}),
    S.ON_AGENDA: frozenset({S.VOTING, S.WITHDRAWN, S.REFERRED, S.TAKEN_OVER,
                            S.TAKEN_OVER_MODIFIED, S.MERGED}),
    S.VOTING: frozenset({S.ADOPTED, S.ADOPTED_AS_AMENDED, S.REJECTED, S.ON_AGENDA}),
}

AMENDMENT_ONLY = frozenset({S.TAKEN_OVER, S.TAKEN_OVER_MODIFIED, S.MERGED})
MOTION_ONLY = frozenset({S.ADOPTED_AS_AMENDED})


def can_move(current: MotionState, target: MotionState, *, amendment: bool) -> bool:
    """Whether ``target`` follows ``current`` for a motion (or, ``amendment``, an amendment)."""
    if target in (MOTION_ONLY if amendment else AMENDMENT_ONLY):
        return False
    return target in TRANSITIONS.get(current, frozenset())


class Recommendation(StrEnum):
    """The committee's advice to the convention on a motion or amendment."""

    ADOPT = "adopt"
    REJECT = "reject"
    ADOPT_MODIFIED = "adopt_modified"
    """Adopt in the form the committee proposes (modifizierte Übernahme)."""
    REFER = "refer"


class SubmitterKind(StrEnum):
    DELEGATE = "delegate"
    GROUP = "group"
    """A delegate with the supporters the kind asks for, collected here before submission."""
    BODY = "body"
    """A party body (Landesvorstand, Bundesarbeitsgemeinschaft …), entered by the committee."""


class VotePurpose(StrEnum):
    AMENDMENT = "amendment"
    FINAL = "final"
