"""Majority rules, their bases, and quorum: how decrypted totals become "adopted" or "elected".

Pure and integer-only: a result announced from the stage must not depend on float rounding, so
every comparison is a cross-multiplication ("yes · 3 ≥ base · 2", never "yes / base ≥ 0.667").
A tie never passes a strict rule, and a tie at the last seat of an election is reported as a tie
rather than broken by list order: breaking it is the presidium's decision (a runoff or the lot).

A vote states two things, the share (`MajorityRule`) and what it is a share of
(`MajorityBase`), because statutes differ in exactly the second ("mehr als die Hälfte der
abgegebenen gültigen Stimmen" is not "mehr als die Hälfte der Mitglieder"):

* simple (einfache Mehrheit) — more yes than no.  Measured against the valid votes (yes + no)
  that is "yes > no"; against the votes cast including abstentions it is "yes > no + abstain".
  In a k-of-n election: the k with the most votes (relative majority); the base is not used.
  A simple majority is never measured against heads (present or members): that is an
  absolute majority, and `check_rule` refuses the pair.
* absolute (absolute Mehrheit) — yes from more than half of the base.
* two-thirds (Zweidrittelmehrheit) — yes from at least two thirds of the base.

The bases (`MajorityBase`):

* valid — the valid votes cast: yes + no (motion, each person of a yes/no/abstain election);
  in a k-of-n election the ballots cast less those that abstain as a whole (Gesamtenthaltung).
* cast — the votes cast including abstentions: yes + no + abstain; in a k-of-n election every
  ballot cast.
* present — the delegates with a voting right checked in when the vote opened (its roll), so
  staying away or abstaining counts like a no.
* members — every delegate with a voting right, present or not, when the vote opened.

ElectionGuard tallies selections, not blank ballots, so a ballot with no mark at all cannot be
told from one that marked fewer than k: in a k-of-n election it is a valid ballot cast.

Overall No and overall Abstention (Gesamtnein, Gesamtenthaltung) of a k-of-n election are
selections of the election's contest, counted once per ballot that marks them:

* an overall No is a valid ballot against every candidate: it stays in the base (so under an
  absolute or two-thirds majority it weighs like a vote for nobody), and under a relative
  majority a candidate is elected only with more votes than there are overall Noes
  ("mehr Stimmen als Gesamtnein-Stimmen");
* an overall Abstention leaves the base of the valid votes and stays in the votes cast.

The tally shows totals, never ballots, so a ballot that marks candidates and an overall option
(possible for k ≥ 2: ElectionGuard's contest limit counts marks, not kinds) cannot be found.
Every mark then counts as what it is: its candidates get their votes, its overall No and its
overall Abstention count as such.  The browser never makes such a ballot; when the totals
prove one was cast (a candidate with more votes than ballots that are neither overall No nor
Abstention, or more marks than k per such ballot), the outcome says so (`mixed_evident`).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field


class MajorityRule(enum.StrEnum):
    SIMPLE = "simple"
    ABSOLUTE = "absolute"
    TWO_THIRDS = "two_thirds"


class MajorityBase(enum.StrEnum):
    VALID = "valid"
    CAST = "cast"
    PRESENT = "present"
    MEMBERS = "members"


HEADS = (MajorityBase.PRESENT, MajorityBase.MEMBERS)


def check_rule(rule: MajorityRule, base: MajorityBase) -> None:
    """ValueError for a pair the statutes do not know (simple majority of heads)."""
    if rule is MajorityRule.SIMPLE and base in HEADS:
        raise ValueError(
            "a simple majority is measured against the votes cast; "
            "of the delegates present or the members it is an absolute majority"
        )


def default_base(rule: MajorityRule, abstentions_counted: bool = False) -> MajorityBase:
    """The base when a request names none: the votes cast, with abstentions if asked."""
    del rule  # every rule defaults to the votes, never silently to heads
    return MajorityBase.CAST if abstentions_counted else MajorityBase.VALID


@dataclass(frozen=True, slots=True)
class Headcount:
    """The two head counts taken when the vote opened."""

    present: int
    """Delegates with a voting right checked in (the vote's roll)."""
    members: int
    """All delegates with a voting right."""

    def __post_init__(self) -> None:
        if self.present < 0 or self.members < 0:
            raise ValueError("counts are never negative")
        if self.present > self.members:
            raise ValueError("more delegates present than members")


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
    base_of: str = MajorityBase.VALID.value
    """Which `MajorityBase` `base` counts."""


def _heads(base: MajorityBase, heads: Headcount) -> int:
    return heads.present if base is MajorityBase.PRESENT else heads.members


def decide_motion(
    yes: int,
    no: int,
    abstain: int,
    *,
    rule: MajorityRule,
    base: MajorityBase,
    heads: Headcount,
) -> MotionOutcome:
    """Adopted or not, yes measured against `base` (see the module text)."""
    check_rule(rule, base)
    if min(yes, no, abstain) < 0:
        raise ValueError("counts are never negative")
    if yes + no + abstain > heads.present:
        raise ValueError("more votes than delegates on the roll")
    if base is MajorityBase.VALID:
        size = yes + no
    elif base is MajorityBase.CAST:
        size = yes + no + abstain
    else:
        size = _heads(base, heads)
    return MotionOutcome(yes, no, abstain, size, _passes(yes, size, rule), base.value)


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
    base_of: str = MajorityBase.VALID.value
    overall_no: int = 0
    """Ballots voting No to every candidate (Gesamtnein)."""
    overall_abstain: int = 0
    """Ballots abstaining as a whole (Gesamtenthaltung)."""
    mixed_evident: bool = False
    """The totals prove a ballot marked candidates and an overall option (see module text)."""


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
    base: MajorityBase,
    ballots_cast: int,
    heads: Headcount,
    abstained: int = 0,
    rejected: int = 0,
) -> ElectionOutcome:
    """A k-of-n election: each candidate's votes against `base`; `abstained` ballots abstained
    as a whole (they are cast, but not valid votes for anyone), `rejected` ballots said No to
    every candidate (valid, and against all).  See the module text for a mixed ballot."""
    check_rule(rule, base)
    if seats < 1:
        raise ValueError("an election fills at least one seat")
    if any(v < 0 for v in votes.values()) or min(ballots_cast, abstained, rejected) < 0:
        raise ValueError("counts are never negative")
    if ballots_cast > heads.present:
        raise ValueError("more ballots than delegates on the roll")
    if abstained > ballots_cast or rejected > ballots_cast:
        raise ValueError("more overall abstentions or overall Noes than ballots")
    if any(v > ballots_cast for v in votes.values()):
        raise ValueError("a candidate has more votes than there are ballots")
    plain = ballots_cast - abstained - rejected  # ballots left for candidates, if none mixed
    mixed = plain < 0 or any(v > plain for v in votes.values()) or (
        sum(votes.values()) > seats * max(plain, 0)
    )
    if base is MajorityBase.VALID:
        size = ballots_cast - abstained
    elif base is MajorityBase.CAST:
        size = ballots_cast
    else:
        size = _heads(base, heads)
    ranked = sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))
    if rule is MajorityRule.SIMPLE:
        # relative majority: the most votes, and more than the overall Noes
        qualified = [(n, v) for n, v in ranked if v > 0 and v > rejected]
    else:
        qualified = [(n, v) for n, v in ranked if _passes(v, size, rule)]
    elected, tied = _fill_seats(qualified, seats)
    return ElectionOutcome(
        dict(votes), size, seats, tuple(n for n, _ in qualified), elected, tied, base.value,
        rejected, abstained, mixed,
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
    base: MajorityBase,
    heads: Headcount,
) -> PerCandidateOutcome:
    """Yes/no/abstain per candidate: each is a motion; more winners than seats go by yes votes."""
    if seats < 1:
        raise ValueError("an election fills at least one seat")
    motions = {
        name: decide_motion(y, n, a, rule=rule, base=base, heads=heads)
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
