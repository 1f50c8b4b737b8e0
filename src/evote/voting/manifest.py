"""A convention vote as an ElectionGuard 1.x manifest, and its tally back as a decision.

The presidium thinks in motions and candidates; ElectionGuard thinks in contests and
selections.  This module is the one place that translates, both ways, so that the object ids the
ballots are encrypted under and the ids the result is read from cannot drift apart.  It is pure
(dicts in, dicts out) and emits the JSON layout of electionguard 1.4.0's `Manifest`, which
`evote.crypto.manifest` parses and hashes.

Kinds:
* motion — one contest, exactly one of yes/no(/abstain);
* election — one contest, up to `seats` of the candidates (fewer is allowed: ElectionGuard fills
  the rest with placeholders, so a blank ballot is possible and still proves its limit); with
  `overall_no` / `overall_abstain` the same contest has the selections "overall-no" (Gesamtnein)
  and "overall-abstain" (Gesamtenthaltung) after the candidates.  The contest's limit stays
  `seats`: ElectionGuard 1.x proves only "at most `seats` marks", so for one seat the proofs
  allow exactly one of candidate, No or Abstention, and for more seats they cannot forbid a
  ballot that mixes candidates with an overall option; `evote.rules.majority` says how such a
  ballot counts, and the browser's form never makes one;
* per_candidate — one contest per candidate, each exactly one of yes/no/abstain.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from evote.rules.majority import (
    ElectionOutcome,
    Headcount,
    MajorityBase,
    MajorityRule,
    MotionOutcome,
    PerCandidateOutcome,
    decide_election,
    decide_motion,
    decide_per_candidate,
)

BALLOT_STYLE = "delegate"
"""Every delegate gets the same ballot; there are no districts at a convention."""
DISTRICT = "convention"
LANGUAGE = "de"


class VoteKind(enum.StrEnum):
    MOTION = "motion"
    ELECTION = "election"
    PER_CANDIDATE = "per_candidate"


@dataclass(frozen=True, slots=True)
class VoteSpec:
    """What the presidium decides when it creates a vote; the manifest follows from it."""

    kind: VoteKind
    title: str
    candidates: tuple[str, ...] = ()
    seats: int = 1
    with_abstain: bool = True
    """Motions only: yes/no/abstain or yes/no.  Per-candidate contests always offer abstain."""
    subtitle: tuple[tuple[str, str], ...] = ()
    """Motions only: (text, language) lines under the contest's title, inside the manifest
    hash. A vote opened from a motion names there the motion and the SHA-256 of the exact text
    voted on (`evote.motions.voting`), so the record proves which text was decided."""
    overall_no: bool = False
    """Elections (k of n) only: the ballot offers "No to all" (Gesamtnein)."""
    overall_abstain: bool = False
    """Elections (k of n) only: the ballot offers "abstain as a whole" (Gesamtenthaltung)."""

    def __post_init__(self) -> None:
        if not self.title.strip():
            raise ValueError("a vote needs a title")
        if self.kind is VoteKind.MOTION:
            if self.candidates:
                raise ValueError("a motion has no candidates")
            if self.overall_no or self.overall_abstain:
                raise ValueError("an overall No or Abstention belongs to a k-of-n election")
            return
        if self.subtitle:
            raise ValueError("only a motion's contest has a subtitle")
        if (self.overall_no or self.overall_abstain) and self.kind is not VoteKind.ELECTION:
            raise ValueError("an overall No or Abstention belongs to a k-of-n election")
        if not self.candidates:
            raise ValueError("an election needs at least one candidate")
        if len(set(self.candidates)) != len(self.candidates):
            raise ValueError("candidate names must be distinct")
        if any(not c.strip() for c in self.candidates):
            raise ValueError("candidate names must not be empty")
        if self.seats < 1:
            raise ValueError("an election fills at least one seat")
        if self.kind is VoteKind.ELECTION and self.seats > len(self.candidates):
            raise ValueError("more seats than candidates")

    def contest_ids(self) -> list[str]:
        if self.kind is VoteKind.PER_CANDIDATE:
            return [f"candidate-{i}" for i in range(1, len(self.candidates) + 1)]
        return [self.kind.value]


def _text(value: str) -> dict[str, Any]:
    return {"text": [{"value": value, "language": LANGUAGE}]}


def _answers(with_abstain: bool) -> list[str]:
    return ["yes", "no", "abstain"] if with_abstain else ["yes", "no"]


def _contest(
    object_id: str, order: int, name: str, limit: int, options: Sequence[tuple[str, str]],
    subtitle: Sequence[tuple[str, str]] = (),
) -> dict[str, Any]:
    """`options` pairs a selection's object id with its candidate id."""
    contest: dict[str, Any] = {
        "object_id": object_id,
        "sequence_order": order,
        "electoral_district_id": DISTRICT,
        "vote_variation": "one_of_m" if limit == 1 else "n_of_m",
        "number_elected": limit,
        "votes_allowed": limit,
        "name": name,
        "ballot_selections": [
            {"object_id": sel, "sequence_order": i, "candidate_id": cand}
            for i, (sel, cand) in enumerate(options)
        ],
        "ballot_title": _text(name),
    }
    if subtitle:
        contest["ballot_subtitle"] = {
            "text": [{"value": value, "language": lang} for value, lang in subtitle]
        }
    return contest


OVERALL_NO, OVERALL_ABSTAIN = "overall-no", "overall-abstain"
"""Selection (and candidate) ids of the overall options in the election contest."""
OVERALL_NAMES = {OVERALL_NO: "Nein (Gesamtnein)", OVERALL_ABSTAIN: "Enthaltung (Gesamtenthaltung)"}
"""Their names in the manifest, so the record alone says what the selections mean."""


def overall_of(manifest: Mapping[str, Any]) -> tuple[bool, bool]:
    """(overall No offered, overall Abstention offered) back from a manifest."""
    ids = {
        s.get("object_id")
        for c in manifest.get("contests", []) if c.get("object_id") == "election"
        for s in c.get("ballot_selections", [])
    }
    return OVERALL_NO in ids, OVERALL_ABSTAIN in ids


def subtitle_of(manifest: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    """The motion contest's subtitle lines back from a manifest (none: empty)."""
    for contest in manifest.get("contests", []):
        if contest.get("object_id") == "motion" and contest.get("ballot_subtitle"):
            return tuple(
                (str(t["value"]), str(t["language"])) for t in contest["ballot_subtitle"]["text"]
            )
    return ()


def build_manifest(spec: VoteSpec, *, scope_id: str, day: str) -> dict[str, Any]:
    """The manifest JSON; `scope_id` names the vote, `day` (YYYY-MM-DD) is the convention day.

    Candidates carry their display name in the manifest, so the published record alone says
    who stood, without evote's database.
    """
    candidates: list[dict[str, Any]] = []
    contests: list[dict[str, Any]] = []
    if spec.kind is VoteKind.MOTION:
        answers = _answers(spec.with_abstain)
        candidates = [{"object_id": f"motion-{a}", "name": _text(a)} for a in answers]
        contests.append(
            _contest("motion", 0, spec.title, 1, [(a, f"motion-{a}") for a in answers],
                     spec.subtitle)
        )
    elif spec.kind is VoteKind.ELECTION:
        options = []
        for i, name in enumerate(spec.candidates, start=1):
            candidates.append({"object_id": f"candidate-{i}", "name": _text(name)})
            options.append((f"candidate-{i}", f"candidate-{i}"))
        for wanted, overall in ((spec.overall_no, OVERALL_NO),
                                (spec.overall_abstain, OVERALL_ABSTAIN)):
            if wanted:
                candidates.append({"object_id": overall, "name": _text(OVERALL_NAMES[overall])})
                options.append((overall, overall))
        contests.append(_contest("election", 0, spec.title, spec.seats, options))
    else:
        for i, name in enumerate(spec.candidates, start=1):
            cid = f"candidate-{i}"
            candidates.append({"object_id": cid, "name": _text(name)})
            answers = _answers(True)
            candidates.extend(
                {"object_id": f"{cid}-{a}", "name": _text(f"{name}: {a}")} for a in answers
            )
            contests.append(
                _contest(cid, i - 1, name, 1, [(f"{cid}-{a}", f"{cid}-{a}") for a in answers])
            )
    return {
        "election_scope_id": scope_id,
        "spec_version": "1.0",
        "type": "special",
        "start_date": f"{day}T00:00:00",
        "end_date": f"{day}T23:59:59",
        "geopolitical_units": [{"object_id": DISTRICT, "name": "Convention", "type": "other"}],
        "parties": [],
        "candidates": candidates,
        "contests": contests,
        "ballot_styles": [{"object_id": BALLOT_STYLE, "geopolitical_unit_ids": [DISTRICT]}],
        "name": _text(spec.title),
    }


Counts = Mapping[str, Mapping[str, int]]
"""contest object id → selection object id → decrypted total (placeholders excluded)."""


def _selection(counts: Counts, contest: str, selection: str) -> int:
    try:
        return int(counts[contest][selection])
    except KeyError:
        raise ValueError(f"the tally has no selection {contest}/{selection}") from None


def decide(
    spec: VoteSpec,
    counts: Counts,
    *,
    rule: MajorityRule,
    base: MajorityBase,
    heads: Headcount,
    ballots_cast: int,
) -> MotionOutcome | ElectionOutcome | PerCandidateOutcome:
    """The decision the presidium announces, from the decrypted totals."""
    if spec.kind is VoteKind.MOTION:
        abstain = _selection(counts, "motion", "abstain") if spec.with_abstain else 0
        return decide_motion(
            _selection(counts, "motion", "yes"),
            _selection(counts, "motion", "no"),
            abstain,
            rule=rule,
            base=base,
            heads=heads,
        )
    if spec.kind is VoteKind.ELECTION:
        votes = {
            name: _selection(counts, "election", f"candidate-{i}")
            for i, name in enumerate(spec.candidates, start=1)
        }
        return decide_election(
            votes, seats=spec.seats, rule=rule, base=base, ballots_cast=ballots_cast,
            heads=heads,
            abstained=_selection(counts, "election", OVERALL_ABSTAIN) if spec.overall_abstain
            else 0,
            rejected=_selection(counts, "election", OVERALL_NO) if spec.overall_no else 0,
        )
    per: dict[str, tuple[int, int, int]] = {}
    for i, name in enumerate(spec.candidates, start=1):
        cid = f"candidate-{i}"
        per[name] = (
            _selection(counts, cid, f"{cid}-yes"),
            _selection(counts, cid, f"{cid}-no"),
            _selection(counts, cid, f"{cid}-abstain"),
        )
    return decide_per_candidate(per, seats=spec.seats, rule=rule, base=base, heads=heads)
