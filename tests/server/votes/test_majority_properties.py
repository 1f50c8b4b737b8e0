"""Properties of the majority rules that must hold for any counts (Hypothesis)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from evote.rules.majority import (
    HEADS,
    Headcount,
    MajorityBase,
    MajorityRule,
    decide_election,
    decide_motion,
)

counts = st.integers(min_value=0, max_value=300)
pairs = st.sampled_from([
    (r, b) for r in MajorityRule for b in MajorityBase
    if not (r is MajorityRule.SIMPLE and b in HEADS)
])


@given(counts, counts, counts, counts, pairs)
def test_one_more_yes_never_turns_adopted_into_rejected(
    yes: int, no: int, abstain: int, extra: int, pair: tuple[MajorityRule, MajorityBase]
) -> None:
    rule, base = pair
    heads = Headcount(yes + no + abstain + extra + 1, yes + no + abstain + 2 * extra + 1)
    before = decide_motion(yes, no, abstain, rule=rule, base=base, heads=heads)
    after = decide_motion(yes + 1, no, abstain, rule=rule, base=base, heads=heads)
    assert not before.adopted or after.adopted


@given(counts, counts, counts, counts, pairs)
def test_adopted_implies_more_yes_than_no(
    yes: int, no: int, abstain: int, extra: int, pair: tuple[MajorityRule, MajorityBase]
) -> None:
    rule, base = pair
    heads = Headcount(yes + no + abstain, yes + no + abstain + extra)
    out = decide_motion(yes, no, abstain, rule=rule, base=base, heads=heads)
    if out.adopted:
        assert yes > no


@given(
    st.dictionaries(st.text(min_size=1, max_size=5), st.integers(0, 50), min_size=1, max_size=8),
    st.integers(1, 4),
    pairs,
    st.integers(0, 20),
)
def test_election_never_fills_more_seats_than_it_has(
    votes: dict[str, int], seats: int, pair: tuple[MajorityRule, MajorityBase], spare: int
) -> None:
    rule, base = pair
    cast = max(votes.values())
    out = decide_election(
        votes, seats=seats, rule=rule, base=base, ballots_cast=cast,
        heads=Headcount(cast + spare, cast + 2 * spare),
    )
    assert len(out.elected) <= seats
    assert set(out.elected) <= set(out.qualified)
    assert not set(out.elected) & set(out.tied)
    if out.tied:
        assert len(out.elected) + len(out.tied) > seats  # a tie only when it crosses the boundary
    for winner in out.elected:
        for loser in set(votes) - set(out.elected) - set(out.tied):
            assert votes[winner] >= votes[loser]
