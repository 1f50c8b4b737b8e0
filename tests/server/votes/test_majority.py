"""Majority rules and quorum, checked exhaustively against a second reading in fractions.

The reference below is written from the statute wording with `Fraction`, independently of the
cross-multiplications in `evote.rules.majority`; every small count is tried, so an off-by-one at a
threshold (a tie, exactly two thirds, exactly half the roll) cannot hide.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import pytest

from evote.rules.majority import (
    HEADS,
    ElectionOutcome,
    Headcount,
    MajorityBase,
    MajorityRule,
    Quorum,
    check_rule,
    decide_election,
    decide_motion,
    decide_per_candidate,
)


def reference_adopted(
    yes: int, no: int, abstain: int, rule: MajorityRule, base: MajorityBase, heads: Headcount
) -> bool:
    """The statute's words with fractions: the share of the base that voted yes."""
    size = {
        MajorityBase.VALID: yes + no,
        MajorityBase.CAST: yes + no + abstain,
        MajorityBase.PRESENT: heads.present,
        MajorityBase.MEMBERS: heads.members,
    }[base]
    if rule is MajorityRule.SIMPLE:  # more yes than no (and abstentions, if they count)
        return yes > no + (abstain if base is MajorityBase.CAST else 0)
    if size == 0:
        return False
    if rule is MajorityRule.ABSOLUTE:
        return Fraction(yes, size) > Fraction(1, 2)
    return Fraction(yes, size) >= Fraction(2, 3)


PAIRS = [
    (rule, base) for rule in MajorityRule for base in MajorityBase
    if not (rule is MajorityRule.SIMPLE and base in HEADS)
]


@pytest.mark.parametrize(("rule", "base"), PAIRS, ids=str)
def test_motion_matches_reference_for_every_small_count(
    rule: MajorityRule, base: MajorityBase
) -> None:
    heads = Headcount(present=8, members=11)
    for yes, no, abstain in itertools.product(range(heads.present + 1), repeat=3):
        if yes + no + abstain > heads.present:
            continue
        got = decide_motion(yes, no, abstain, rule=rule, base=base, heads=heads)
        assert got.adopted == reference_adopted(yes, no, abstain, rule, base, heads), (
            yes, no, abstain,
        )
        assert got.base_of == base.value


@pytest.mark.parametrize("base", HEADS)
def test_simple_majority_of_heads_is_refused(base: MajorityBase) -> None:
    with pytest.raises(ValueError, match="absolute majority"):
        check_rule(MajorityRule.SIMPLE, base)
    with pytest.raises(ValueError):
        decide_motion(1, 0, 0, rule=MajorityRule.SIMPLE, base=base, heads=Headcount(3, 3))


def test_thresholds_at_their_edges() -> None:
    heads = Headcount(100, 120)
    simple = dict(rule=MajorityRule.SIMPLE, heads=heads)
    assert not decide_motion(10, 10, 0, base=MajorityBase.VALID, **simple).adopted  # a tie fails
    assert decide_motion(11, 10, 50, base=MajorityBase.VALID, **simple).adopted
    assert not decide_motion(11, 10, 50, base=MajorityBase.CAST, **simple).adopted
    two = dict(rule=MajorityRule.TWO_THIRDS, heads=heads, base=MajorityBase.VALID)
    assert decide_motion(20, 10, 0, **two).adopted  # exactly two thirds passes
    assert not decide_motion(19, 10, 0, **two).adopted
    present = dict(rule=MajorityRule.ABSOLUTE, heads=heads, base=MajorityBase.PRESENT)
    assert not decide_motion(50, 0, 0, **present).adopted  # half the present is not more
    assert decide_motion(51, 49, 0, **present).adopted
    assert decide_motion(51, 49, 0, **present).base == 100
    members = dict(rule=MajorityRule.ABSOLUTE, heads=heads, base=MajorityBase.MEMBERS)
    assert not decide_motion(60, 0, 0, **members).adopted  # half of 120 members
    assert decide_motion(61, 0, 0, **members).adopted and decide_motion(61, 0, 0, **members).base == 120
    valid = dict(rule=MajorityRule.ABSOLUTE, heads=heads, base=MajorityBase.VALID)
    assert decide_motion(2, 1, 90, **valid).adopted  # abstentions do not count
    assert not decide_motion(2, 1, 90, rule=MajorityRule.ABSOLUTE, heads=heads,
                             base=MajorityBase.CAST).adopted


def test_nobody_voting_adopts_nothing() -> None:
    for rule, base in PAIRS:
        assert not decide_motion(0, 0, 0, rule=rule, base=base, heads=Headcount(5, 5)).adopted


@pytest.mark.parametrize(
    "counts", [(-1, 0, 0), (0, -1, 0), (0, 0, -1), (4, 4, 4)], ids=str
)
def test_impossible_counts_are_refused(counts: tuple[int, int, int]) -> None:
    with pytest.raises(ValueError):
        decide_motion(
            *counts, rule=MajorityRule.SIMPLE, base=MajorityBase.CAST, heads=Headcount(10, 10)
        )


def test_headcount_refuses_more_present_than_members() -> None:
    with pytest.raises(ValueError):
        Headcount(5, 4)


def test_quorum_every_small_case() -> None:
    for num, den, strict in [(1, 2, True), (1, 2, False), (2, 3, False), (0, 1, False)]:
        q = Quorum(num, den, strict)
        for members in range(12):
            for present in range(members + 1):
                share = Fraction(present, members) if members else Fraction(0)
                want = share > Fraction(num, den) if strict else share >= Fraction(num, den)
                if members == 0:
                    want = (0 > 0) if strict else True
                assert q.is_met(present, members) == want, (num, den, strict, present, members)


def test_quorum_refuses_nonsense() -> None:
    with pytest.raises(ValueError):
        Quorum(3, 2)
    with pytest.raises(ValueError):
        Quorum(1, 0)
    with pytest.raises(ValueError):
        Quorum().is_met(5, 4)


def election(votes: dict[str, int], seats: int, rule: MajorityRule, cast: int,
             base: MajorityBase = MajorityBase.VALID, present: int = 10, members: int = 12,
             abstained: int = 0) -> ElectionOutcome:
    return decide_election(
        votes, seats=seats, rule=rule, base=base, ballots_cast=cast,
        heads=Headcount(present, members), abstained=abstained,
    )


def test_election_simple_takes_the_top_k() -> None:
    out = election({"alice": 7, "bob": 3, "carol": 5, "dave": 0}, 2, MajorityRule.SIMPLE, 9)
    assert out.elected == ("alice", "carol")
    assert out.tied == ()
    assert "dave" not in out.qualified  # nobody is elected with no votes


def test_election_tie_for_the_last_seat_is_reported_not_broken() -> None:
    out = election({"alice": 7, "bob": 5, "carol": 5}, 2, MajorityRule.SIMPLE, 9)
    assert out.elected == ("alice",)
    assert out.tied == ("bob", "carol")


def test_election_absolute_and_two_thirds_leave_seats_empty() -> None:
    votes = {"alice": 6, "bob": 5, "carol": 4}
    absolute = election(votes, 2, MajorityRule.ABSOLUTE, 10, MajorityBase.PRESENT, present=11)
    assert absolute.elected == ("alice",)  # 6·2 > 11, 5·2 ≤ 11
    assert absolute.base == 11 and absolute.base_of == "present"
    two = election(votes, 2, MajorityRule.TWO_THIRDS, 9)
    assert two.elected == ("alice",)  # 6·3 ≥ 9·2, 5·3 < 18


def test_two_of_two_ballots_elect_under_the_valid_votes_but_not_the_roll() -> None:
    """The reported bug: 2 of 2 ballots for Ada, 6 delegates present, shown "Niemand gewählt"
    because the absolute base was the roll and nothing said so."""
    for base in (MajorityBase.VALID, MajorityBase.CAST):
        out = election({"Ada": 2, "Bo": 0}, 1, MajorityRule.ABSOLUTE, 2, base, present=6)
        assert out.elected == ("Ada",) and out.base == 2
    roll = election({"Ada": 2, "Bo": 0}, 1, MajorityRule.ABSOLUTE, 2, MajorityBase.PRESENT, present=6)
    assert roll.elected == () and roll.base == 6  # a deliberate choice now, stated before
    members = election({"Ada": 2}, 1, MajorityRule.ABSOLUTE, 2, MajorityBase.MEMBERS, present=2,
                       members=3)
    assert members.elected == ("Ada",) and members.base == 3


def test_overall_abstentions_leave_the_valid_base_but_not_the_cast_one() -> None:
    votes = {"Ada": 3, "Bo": 2}
    valid = election(votes, 1, MajorityRule.ABSOLUTE, 7, MajorityBase.VALID, abstained=2)
    assert valid.base == 5 and valid.elected == ("Ada",)  # 3 of 5
    cast = election(votes, 1, MajorityRule.ABSOLUTE, 7, MajorityBase.CAST, abstained=2)
    assert cast.base == 7 and cast.elected == ()  # 3 of 7
    # Ada's 3 > 4 - 2 valid: only a ballot marking Ada and the overall abstention does that;
    # it counts as marked, and the outcome says the totals prove such a ballot
    mixed = election(votes, 1, MajorityRule.ABSOLUTE, 4, abstained=2)
    assert mixed.mixed_evident and mixed.base == 2
    assert not valid.mixed_evident and not cast.mixed_evident
    with pytest.raises(ValueError):
        election(votes, 1, MajorityRule.ABSOLUTE, 2, abstained=1)  # 3 votes from 2 ballots


@pytest.mark.parametrize(("rule", "base"), PAIRS, ids=str)
def test_election_matches_reference_for_small_counts(rule: MajorityRule, base: MajorityBase) -> None:
    present, members = 6, 8
    for a, b, cast, abstained in itertools.product(range(5), range(5), range(5), range(3)):
        if abstained > cast or a > cast - abstained or b > cast - abstained:
            continue
        out = election({"a": a, "b": b}, 1, rule, cast, base, present, members, abstained)
        size = {
            MajorityBase.VALID: cast - abstained, MajorityBase.CAST: cast,
            MajorityBase.PRESENT: present, MajorityBase.MEMBERS: members,
        }[base]
        if rule is MajorityRule.SIMPLE:
            ok = {n for n, v in (("a", a), ("b", b)) if v > 0}
        elif rule is MajorityRule.ABSOLUTE:
            ok = {n for n, v in (("a", a), ("b", b)) if size and Fraction(v, size) > Fraction(1, 2)}
        else:
            ok = {n for n, v in (("a", a), ("b", b)) if size and Fraction(v, size) >= Fraction(2, 3)}
        assert set(out.qualified) == ok
        best = [n for n in ok if {"a": a, "b": b}[n] == max({"a": a, "b": b}[m] for m in ok)]
        if len(best) == 1:
            assert out.elected == tuple(best) and out.tied == ()
        elif len(best) == 2:
            assert out.elected == () and set(out.tied) == {"a", "b"}
        else:
            assert out.elected == ()


def test_election_refuses_impossible_counts() -> None:
    with pytest.raises(ValueError):
        election({"a": 4}, 1, MajorityRule.SIMPLE, 3, present=5)
    with pytest.raises(ValueError):
        election({"a": 1}, 0, MajorityRule.SIMPLE, 3, present=5)
    with pytest.raises(ValueError):
        election({"a": 1}, 1, MajorityRule.SIMPLE, 6, present=5)
    with pytest.raises(ValueError):
        election({"a": 1}, 1, MajorityRule.SIMPLE, 3, MajorityBase.MEMBERS)


@pytest.mark.parametrize(("rule", "base"), PAIRS, ids=str)
def test_per_candidate_each_is_a_motion_under_the_same_rule(
    rule: MajorityRule, base: MajorityBase
) -> None:
    heads = Headcount(9, 10)
    counts = {"alice": (6, 2, 1), "bob": (5, 4, 0), "carol": (3, 5, 1)}
    out = decide_per_candidate(counts, seats=3, rule=rule, base=base, heads=heads)
    for name, (y, n, a) in counts.items():
        assert out.motions[name].adopted == reference_adopted(y, n, a, rule, base, heads)


def test_per_candidate_each_is_a_motion_and_seats_cap_the_winners() -> None:
    simple = dict(rule=MajorityRule.SIMPLE, base=MajorityBase.VALID, heads=Headcount(10, 10))
    out = decide_per_candidate(
        {"alice": (6, 2, 1), "bob": (5, 4, 0), "carol": (3, 5, 1)}, seats=1, **simple
    )
    assert out.motions["alice"].adopted and out.motions["bob"].adopted
    assert not out.motions["carol"].adopted
    assert out.elected == ("alice",)
    two_seats = decide_per_candidate({"alice": (6, 2, 1), "bob": (6, 3, 0)}, seats=1, **simple)
    assert two_seats.elected == () and two_seats.tied == ("alice", "bob")


def test_needed_votes_is_the_smallest_count_that_passes() -> None:
    from evote.rules.majority import _passes, needed_votes

    for rule in MajorityRule:
        assert needed_votes(0, rule) is None
        for base in range(1, 40):
            needed = needed_votes(base, rule)
            assert needed is not None and _passes(needed, base, rule)
            assert not _passes(needed - 1, base, rule)
    assert needed_votes(6, MajorityRule.ABSOLUTE) == 4 and needed_votes(6, MajorityRule.TWO_THIRDS) == 4
    assert needed_votes(7, MajorityRule.SIMPLE) == 4 and needed_votes(7, MajorityRule.TWO_THIRDS) == 5


def test_threshold_in_words_names_the_rule_and_its_base() -> None:
    from evote.rules.wording import threshold_text

    valid = {"rule": "absolute", "base_of": "valid", "base": 6, "needed": 4}
    assert threshold_text(valid) == "nötig: 4 Stimmen, mehr als die Hälfte der 6 abgegebenen gültigen Stimmen"
    assert threshold_text(valid, "en") == "needed: 4 votes, more than half of the 6 valid votes cast"
    present = {"rule": "absolute", "base_of": "present", "base": 6, "needed": 4}
    assert threshold_text(present) == "nötig: 4 Stimmen, mehr als die Hälfte der 6 anwesenden Stimmberechtigten"
    members = {"rule": "two_thirds", "base_of": "members", "base": 9, "needed": 6}
    assert threshold_text(members) == "nötig: 6 Stimmen, mindestens zwei Drittel der 9 stimmberechtigten Mitglieder"
    two = {"rule": "two_thirds", "base_of": "cast", "base": 3, "needed": 2}
    assert threshold_text(two) == (
        "nötig: 2 Stimmen, mindestens zwei Drittel der 3 abgegebenen Stimmen einschließlich Enthaltungen"
    )
    ballots = {"rule": "absolute", "base_of": "valid_ballots", "base": 2, "needed": 2}
    assert threshold_text(ballots) == "nötig: 2 Stimmen, mehr als die Hälfte der 2 abgegebenen gültigen Stimmzettel"
    one = {"rule": "simple", "base_of": "valid", "base": 1, "needed": 1}
    assert threshold_text(one) == "nötig: 1 Stimme, mehr als die Hälfte der 1 abgegebenen gültigen Stimmen"
    none = {"rule": "simple", "base_of": "valid", "base": 0, "needed": None}
    assert threshold_text(none, "en").endswith("of the 0 valid votes cast – cannot be reached")
    most = {"rule": "simple", "base_of": "most_votes", "seats": 2}
    assert threshold_text(most) == "gewählt sind die 2 mit den meisten Stimmen"
    per = {"rule": "simple", "base_of": "valid",
           "per_candidate": {"Ada": {"base": 3, "needed": 2}, "Bo": {"base": 2, "needed": 2}}}
    assert threshold_text(per, "en") == (
        "Ada: needed: 2 votes, more than half of the 3 valid votes cast; "
        "Bo: needed: 2 votes, more than half of the 2 valid votes cast"
    )
    # results decided before the bases were stated keep their words
    old = {"rule": "absolute", "base_of": "roll", "base": 6, "needed": 4}
    assert threshold_text(old) == "nötig: 4 Stimmen, mehr als die Hälfte der 6 Stimmberechtigten"


def test_the_rule_is_stated_in_words_per_rule_and_base() -> None:
    from evote.rules.wording import rule_text

    assert rule_text("absolute", "valid", "motion") == (
        "Absolute Mehrheit: mehr als die Hälfte der abgegebenen gültigen Stimmen"
    )
    assert rule_text("absolute", "valid", "election") == (
        "Absolute Mehrheit: mehr als die Hälfte der abgegebenen gültigen Stimmzettel"
    )
    assert rule_text("two_thirds", "members", "motion", "en") == (
        "Two-thirds majority: at least two thirds of the voting members"
    )
    assert rule_text("absolute", "present", "per_candidate") == (
        "Absolute Mehrheit: mehr als die Hälfte der anwesenden Stimmberechtigten"
    )
    assert rule_text("simple", "valid", "motion") == (
        "Einfache Mehrheit: mehr Ja- als Nein-Stimmen, Enthaltungen zählen nicht mit"
    )
    assert rule_text("simple", "cast", "motion", "en") == (
        "Simple majority: more yes votes than no votes and abstentions together"
    )
    assert rule_text("simple", "valid", "election") == (
        "Relative Mehrheit: gewählt ist, wer die meisten Stimmen erhält"
    )
