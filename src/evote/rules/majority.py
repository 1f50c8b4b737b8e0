"""Majority rules and quorum: how decrypted totals become "adopted" or "elected".

Pure and integer-only: a result announced from the stage must not depend on float rounding, so
every comparison is a cross-multiplication ("yes · 3 ≥ base · 2", never "yes / base ≥ 0.667").
A tie never passes a strict rule, and a tie at the last seat of an election is reported as a tie
rather than broken by list order: breaking it is the presidium's decision (usually a runoff).

The rules, as the party statutes usually word them:

* simple — more yes than no.  With abstentions counted, yes must outnumber no and abstentions
  together (yes > half of the votes cast).
* absolute — yes from more than half of the delegates on the roll (everyone eligible when the
  vote opened), so staying away or abstaining has the same effect as voting no.
* two-thirds — yes from at least two thirds of the votes cast (yes + no, plus abstentions if
  they are counted).

In a k-of-n election each candidate is measured against the number of ballots cast (simple rule:
the k with the most votes; absolute: more than half of the ballots; two-thirds: at least two
thirds).  ElectionGuard tallies selections, not blank ballots, so "abstentions counted" cannot
be told apart there: every cast ballot is in the base.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field


class MajorityRule(enum.StrEnum):
    SIMPLE = "simple"
    ABSOLUTE = "absolute"
    TWO_THIRDS = "two_thirds"


@dataclass(frozen=True, slots=True)
class Quorum:
    """At least numerator/denominator of the voting members present (strictly more if strict).

    The default, "more than half of the delegates present", is the common statute wording.
    """

    numerator: int = 1
    denominator: int = 2
    strict: bool = True

    def __post_init__(self) -> None:
        if self.denominator <= 0 or not (0 <= self.numerator <= self.denominator):
            raise ValueError("a quorum is a fraction between 0 and 1")

    def is_met(self, present: int, members: int) -> bool:
        """`present`: checked-in delegates with a vote; `members`: all delegates with a vote."""
        if present < 0 or members < 0 or present > members:
            raise ValueError("present must be between 0 and the number of members")
        lhs, rhs = present * self.denominator, members * self.numerator
        return lhs > rhs if self.strict else lhs >= rhs


def _passes(votes: int, base: int, rule: MajorityRule) -> bool:
    """votes measured against base: more than half, or at least two thirds."""
    if base <= 0:
        return False
    if rule is MajorityRule.TWO_THIRDS:
        return votes * 3 >= base * 2
    return votes * 2 > base


@dataclass(frozen=True, slots=True)
class MotionOutcome:
    yes: int
    no: int
    abstain: int
    base: int
    """What yes is measured against, so the announcement can show the threshold's origin."""
    adopted: bool


def decide_motion(
    yes: int,
    no: int,
    abstain: int,
    *,
    rule: MajorityRule,
    abstentions_counted: bool,
    roll_size: int,
) -> MotionOutcome:
    """Adopted or not; `roll_size` is the eligible roll snapshotted at opening."""
    if min(yes, no, abstain, roll_size) < 0:
        raise ValueError("counts are never negative")
    if yes + no + abstain > roll_size:
        raise ValueError("more votes than delegates on the roll")
    if rule is MajorityRule.ABSOLUTE:
        base = roll_size
    else:
        base = yes + no + (abstain if abstentions_counted else 0)
    return MotionOutcome(yes, no, abstain, base, _passes(yes, base, rule))


@dataclass(frozen=True, slots=True)
class ElectionOutcome:
    votes: Mapping[str, int]
    base: int
    seats: int
    qualified: tuple[str, ...]
    """Candidates over the threshold, best first."""
    elected: tuple[str, ...]
    tied: tuple[str, ...] = field(default=())
    """Candidates tied for the last seat(s) that the count alone cannot fill."""


def _fill_seats(
    ranked: Sequence[tuple[str, int]], seats: int
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Top `seats` of a ranking; a tie across the seat boundary goes to `tied`, unfilled."""
    if len(ranked) <= seats:
        return tuple(name for name, _ in ranked), ()
    boundary = ranked[seats - 1][1] if seats > 0 else None
    if seats == 0 or ranked[seats][1] != boundary:
        return tuple(name for name, _ in ranked[:seats]), ()
    elected = tuple(name for name, v in ranked if v > boundary)
    tied = tuple(name for name, v in ranked if v == boundary)
    return elected, tied


def decide_election(
    votes: Mapping[str, int],
    *,
    seats: int,
    rule: MajorityRule,
    ballots_cast: int,
    roll_size: int,
) -> ElectionOutcome:
    """A k-of-n election: each candidate's votes against the ballots cast (or the roll)."""
    if seats < 1:
        raise ValueError("an election fills at least one seat")
    if any(v < 0 for v in votes.values()) or ballots_cast < 0:
        raise ValueError("counts are never negative")
    if ballots_cast > roll_size:
        raise ValueError("more ballots than delegates on the roll")
    if any(v > ballots_cast for v in votes.values()):
        raise ValueError("a candidate has more votes than there are ballots")
    base = roll_size if rule is MajorityRule.ABSOLUTE else ballots_cast
    ranked = sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))
    if rule is MajorityRule.SIMPLE:
        qualified = [(n, v) for n, v in ranked if v > 0]
    else:
        qualified = [(n, v) for n, v in ranked if _passes(v, base, rule)]
    elected, tied = _fill_seats(qualified, seats)
    return ElectionOutcome(
        dict(votes), base, seats, tuple(n for n, _ in qualified), elected, tied
    )


@dataclass(frozen=True, slots=True)
class PerCandidateOutcome:
    motions: Mapping[str, MotionOutcome]
    """Each candidate's own yes/no/abstain decision."""
    seats: int
    elected: tuple[str, ...]
    tied: tuple[str, ...] = field(default=())


def decide_per_candidate(
    counts: Mapping[str, tuple[int, int, int]],
    *,
    seats: int,
    rule: MajorityRule,
    abstentions_counted: bool,
    roll_size: int,
) -> PerCandidateOutcome:
    """Yes/no/abstain per candidate: each is a motion; more winners than seats go by yes votes."""
    if seats < 1:
        raise ValueError("an election fills at least one seat")
    motions = {
        name: decide_motion(
            y, n, a, rule=rule, abstentions_counted=abstentions_counted, roll_size=roll_size
        )
        for name, (y, n, a) in counts.items()
    }
    ranked = sorted(
        ((name, m.yes) for name, m in motions.items() if m.adopted),
        key=lambda kv: (-kv[1], kv[0]),
    )
    elected, tied = _fill_seats(ranked, seats)
    return PerCandidateOutcome(motions, seats, elected, tied)


def needed_votes(base: int, rule: MajorityRule) -> int | None:
    """The fewest votes that pass `rule` measured against `base`, for the announcement
    ("nötig: 4 Stimmen"); None when nothing can pass (a base of 0)."""
    if base <= 0:
        return None
    if rule is MajorityRule.TWO_THIRDS:
        return -(-2 * base // 3)  # ceil(2·base/3): votes·3 ≥ base·2
    return base // 2 + 1  # votes·2 > base
