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
    MajorityRule,
    Quorum,
    decide_election,
    decide_motion,
    decide_per_candidate,
)


def reference_adopted(
    yes: int, no: int, abstain: int, rule: MajorityRule, counted: bool, roll: int
) -> bool:
    cast = yes + no + (abstain if counted else 0)
    if rule is MajorityRule.SIMPLE:
        return yes > no + (abstain if counted else 0)
    if rule is MajorityRule.ABSOLUTE:
        return Fraction(yes) > Fraction(roll, 2)
    return cast > 0 and Fraction(yes, cast) >= Fraction(2, 3)


@pytest.mark.parametrize("rule", list(MajorityRule))
@pytest.mark.parametrize("counted", [False, True])
def test_motion_matches_reference_for_every_small_count(
    rule: MajorityRule, counted: bool
) -> None:
    roll = 9
    for yes, no, abstain in itertools.product(range(roll + 1), repeat=3):
        if yes + no + abstain > roll:
            continue
        got = decide_motion(
            yes, no, abstain, rule=rule, abstentions_counted=counted, roll_size=roll
        )
        assert got.adopted == reference_adopted(yes, no, abstain, rule, counted, roll), (
            yes, no, abstain,
        )


def test_thresholds_at_their_edges() -> None:
    simple = dict(rule=MajorityRule.SIMPLE, roll_size=100)
    assert not decide_motion(10, 10, 0, abstentions_counted=False, **simple).adopted  # a tie fails
    assert decide_motion(11, 10, 50, abstentions_counted=False, **simple).adopted
    assert not decide_motion(11, 10, 50, abstentions_counted=True, **simple).adopted
    two = dict(rule=MajorityRule.TWO_THIRDS, roll_size=100, abstentions_counted=False)
    assert decide_motion(20, 10, 0, **two).adopted  # exactly two thirds passes
    assert not decide_motion(19, 10, 0, **two).adopted
    absolute = dict(rule=MajorityRule.ABSOLUTE, roll_size=100, abstentions_counted=False)
    assert not decide_motion(50, 0, 0, **absolute).adopted  # half the roll is not more than half
    assert decide_motion(51, 49, 0, **absolute).adopted
    assert decide_motion(51, 49, 0, **absolute).base == 100


def test_nobody_voting_adopts_nothing() -> None:
    for rule in MajorityRule:
        assert not decide_motion(0, 0, 0, rule=rule, abstentions_counted=True, roll_size=5).adopted


@pytest.mark.parametrize(
    "counts", [(-1, 0, 0), (0, -1, 0), (0, 0, -1), (4, 4, 4)], ids=str
)
def test_impossible_counts_are_refused(counts: tuple[int, int, int]) -> None:
    with pytest.raises(ValueError):
        decide_motion(*counts, rule=MajorityRule.SIMPLE, abstentions_counted=True, roll_size=10)


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


def test_election_simple_takes_the_top_k() -> None:
    out = decide_election(
        {"alice": 7, "bob": 3, "carol": 5, "dave": 0},
        seats=2, rule=MajorityRule.SIMPLE, ballots_cast=9, roll_size=10,
    )
    assert out.elected == ("alice", "carol")
    assert out.tied == ()
    assert "dave" not in out.qualified  # nobody is elected with no votes


def test_election_tie_for_the_last_seat_is_reported_not_broken() -> None:
    out = decide_election(
        {"alice": 7, "bob": 5, "carol": 5},
        seats=2, rule=MajorityRule.SIMPLE, ballots_cast=9, roll_size=10,
    )
    assert out.elected == ("alice",)
    assert out.tied == ("bob", "carol")


def test_election_absolute_and_two_thirds_leave_seats_empty() -> None:
    votes = {"alice": 6, "bob": 5, "carol": 4}
    absolute = decide_election(
        votes, seats=2, rule=MajorityRule.ABSOLUTE, ballots_cast=10, roll_size=11
    )
    assert absolute.elected == ("alice",)  # 6·2 > 11, 5·2 ≤ 11
    two = decide_election(votes, seats=2, rule=MajorityRule.TWO_THIRDS, ballots_cast=9, roll_size=12)
    assert two.elected == ("alice",)  # 6·3 ≥ 9·2, 5·3 < 18


def test_election_matches_reference_for_small_counts() -> None:
    for a, b, cast in itertools.product(range(5), range(5), range(5)):
        if a > cast or b > cast:
            continue
        for rule in MajorityRule:
            out = decide_election(
                {"a": a, "b": b}, seats=1, rule=rule, ballots_cast=cast, roll_size=6
            )
            if rule is MajorityRule.SIMPLE:
                ok = {n for n, v in (("a", a), ("b", b)) if v > 0}
            elif rule is MajorityRule.ABSOLUTE:
                ok = {n for n, v in (("a", a), ("b", b)) if Fraction(v) > 3}
            else:
                ok = {n for n, v in (("a", a), ("b", b)) if cast and Fraction(v, cast) >= Fraction(2, 3)}
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
        decide_election({"a": 4}, seats=1, rule=MajorityRule.SIMPLE, ballots_cast=3, roll_size=5)
    with pytest.raises(ValueError):
        decide_election({"a": 1}, seats=0, rule=MajorityRule.SIMPLE, ballots_cast=3, roll_size=5)
    with pytest.raises(ValueError):
        decide_election({"a": 1}, seats=1, rule=MajorityRule.SIMPLE, ballots_cast=6, roll_size=5)


def test_per_candidate_each_is_a_motion_and_seats_cap_the_winners() -> None:
    out = decide_per_candidate(
        {"alice": (6, 2, 1), "bob": (5, 4, 0), "carol": (3, 5, 1)},
        seats=1, rule=MajorityRule.SIMPLE, abstentions_counted=False, roll_size=10,
    )
    assert out.motions["alice"].adopted and out.motions["bob"].adopted
    assert not out.motions["carol"].adopted
    assert out.elected == ("alice",)
    two_seats = decide_per_candidate(
        {"alice": (6, 2, 1), "bob": (6, 3, 0)},
        seats=1, rule=MajorityRule.SIMPLE, abstentions_counted=False, roll_size=10,
    )
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

    roll = {"rule": "absolute", "base_of": "roll", "base": 6, "needed": 4}
    assert threshold_text(roll) == "nötig: 4 Stimmen, mehr als die Hälfte der 6 Stimmberechtigten"
    assert threshold_text(roll, "en") == "needed: 4 votes, more than half of the 6 eligible voters"
    two = {"rule": "two_thirds", "base_of": "cast", "base": 3, "needed": 2}
    assert threshold_text(two) == "nötig: 2 Stimmen, mindestens zwei Drittel der 3 abgegebenen Stimmen"
    one = {"rule": "simple", "base_of": "yes_no", "base": 1, "needed": 1}
    assert threshold_text(one) == "nötig: 1 Stimme, mehr als die Hälfte der 1 Ja- und Nein-Stimmen"
    none = {"rule": "simple", "base_of": "yes_no", "base": 0, "needed": None}
    assert threshold_text(none, "en").endswith("of the 0 yes and no votes – cannot be reached")
    most = {"rule": "simple", "base_of": "most_votes", "seats": 2}
    assert threshold_text(most) == "gewählt sind die 2 mit den meisten Stimmen"
    per = {"rule": "simple", "base_of": "yes_no",
           "per_candidate": {"Ada": {"base": 3, "needed": 2}, "Bo": {"base": 2, "needed": 2}}}
    assert threshold_text(per, "en") == (
        "Ada: needed: 2 votes, more than half of the 3 yes and no votes; "
        "Bo: needed: 2 votes, more than half of the 2 yes and no votes"
    )
