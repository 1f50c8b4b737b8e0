"""Properties of the majority rules that must hold for any counts (Hypothesis)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from evote.rules.majority import MajorityRule, decide_election, decide_motion

counts = st.integers(min_value=0, max_value=300)
rules = st.sampled_from(list(MajorityRule))


@given(counts, counts, counts, counts, rules, st.booleans())
def test_one_more_yes_never_turns_adopted_into_rejected(
    yes: int, no: int, abstain: int, extra: int, rule: MajorityRule, counted: bool
) -> None:
    roll = yes + no + abstain + extra + 1
    before = decide_motion(yes, no, abstain, rule=rule, abstentions_counted=counted, roll_size=roll)
    after = decide_motion(
        yes + 1, no, abstain, rule=rule, abstentions_counted=counted, roll_size=roll
    )
    assert not before.adopted or after.adopted


@given(counts, counts, counts, rules, st.booleans())
def test_adopted_implies_more_yes_than_no(
    yes: int, no: int, abstain: int, rule: MajorityRule, counted: bool
) -> None:
    roll = yes + no + abstain
    out = decide_motion(yes, no, abstain, rule=rule, abstentions_counted=counted, roll_size=roll)
    if out.adopted:
        assert yes > no


@given(
    st.dictionaries(st.text(min_size=1, max_size=5), st.integers(0, 50), min_size=1, max_size=8),
    st.integers(1, 4),
    rules,
    st.integers(0, 20),
)
def test_election_never_fills_more_seats_than_it_has(
    votes: dict[str, int], seats: int, rule: MajorityRule, spare: int
) -> None:
    cast = max(votes.values())
    out = decide_election(votes, seats=seats, rule=rule, ballots_cast=cast, roll_size=cast + spare)
    assert len(out.elected) <= seats
    assert set(out.elected) <= set(out.qualified)
    assert not set(out.elected) & set(out.tied)
    if out.tied:
        assert len(out.elected) + len(out.tied) > seats  # a tie only when it crosses the boundary
    for winner in out.elected:
        for loser in set(votes) - set(out.elected) - set(out.tied):
            assert votes[winner] >= votes[loser]
