"""The quota order of a speakers' list (evote.speakers.order), read a second time.

Examples for the cases the statutes name (alternation, an empty side with either rule, a point
of order jumping the queue, quota off), then properties over any sign-up sequence: every
waiting entry appears once; points of order first, in their order; each side keeps its own
order; the sides alternate until one runs out; and calling the head and computing again gives
the rest of the same order (so the order the projector shows is the order the presidium calls).
"""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from evote.speakers.order import Kind, Side, Waiting, WhenSideEmpty, compute

Q, OP = Side.QUOTA, Side.OPEN
CONTINUE, CLOSE = WhenSideEmpty.CONTINUE, WhenSideEmpty.CLOSE


def signups(*spec: str) -> list[Waiting]:
    """'q' quota speech, 'o' open speech, 'g' point of order; ids and ranks 1, 2, 3, ..."""
    sides = {"q": (Q, Kind.SPEECH), "o": (OP, Kind.SPEECH), "g": (OP, Kind.POINT_OF_ORDER)}
    return [Waiting(i, *sides[c], rank=i) for i, c in enumerate(spec, start=1)]


def test_sides_alternate_starting_with_the_quota_side() -> None:
    order = compute(signups("o", "o", "q", "o", "q"), quota=True, last_side=None,
                    when_empty=CONTINUE)
    assert order.called == (3, 1, 5, 2, 4)
    assert order.beyond == ()


def test_alternation_continues_from_the_last_speech() -> None:
    order = compute(signups("q", "o"), quota=True, last_side=Q, when_empty=CONTINUE)
    assert order.called == (2, 1)


def test_empty_side_continue_lets_the_others_follow() -> None:
    order = compute(signups("o", "o", "o"), quota=True, last_side=None, when_empty=CONTINUE)
    assert order.called == (1, 2, 3)


def test_empty_side_close_ends_the_debate() -> None:
    order = compute(signups("o", "q", "o", "o"), quota=True, last_side=None, when_empty=CLOSE)
    assert order.called == (2, 1)
    assert order.beyond == (3, 4)
    nobody_quota = compute(signups("o", "o"), quota=True, last_side=None, when_empty=CLOSE)
    assert nobody_quota.called == () and nobody_quota.beyond == (1, 2)


def test_point_of_order_jumps_the_queue() -> None:
    order = compute(signups("q", "o", "q", "g", "o", "g"), quota=True, last_side=None,
                    when_empty=CLOSE)
    assert order.called == (4, 6, 1, 2, 3, 5)


def test_quota_off_is_signup_order() -> None:
    order = compute(signups("o", "o", "q", "g"), quota=False, last_side=Q, when_empty=CLOSE)
    assert order.called == (4, 1, 2, 3)


entries = st.lists(
    st.tuples(st.sampled_from([Q, OP]), st.sampled_from([Kind.SPEECH, Kind.SPEECH, Kind.POINT_OF_ORDER]),
              st.integers(0, 50)),
    max_size=25,
).map(lambda rows: [Waiting(i, side, kind, rank) for i, (side, kind, rank) in enumerate(rows, 1)])
settings = st.fixed_dictionaries({
    "quota": st.booleans(),
    "last_side": st.sampled_from([None, Q, OP]),
    "when_empty": st.sampled_from([CONTINUE, CLOSE]),
})


def key(w: Waiting) -> tuple[int, int]:
    return (w.rank, w.id)


@given(entries, settings)
def test_every_entry_once_points_of_order_first_sides_keep_their_order(
    waiting: list[Waiting], options: dict
) -> None:
    order = compute(waiting, **options)
    by_id = {w.id: w for w in waiting}
    everything = order.called + order.beyond
    assert sorted(everything) == sorted(by_id)
    points = sorted((w for w in waiting if w.kind is Kind.POINT_OF_ORDER), key=key)
    assert list(order.called[: len(points)]) == [w.id for w in points]
    speeches = [by_id[i] for i in everything[len(points):]]
    assert all(w.kind is Kind.SPEECH for w in speeches)
    groups = [None] if not options["quota"] else [Q, OP]
    for side in groups:
        mine = [w for w in speeches if side is None or w.side is side]
        assert mine == sorted(mine, key=key)


@given(entries, settings)
def test_sides_alternate_until_one_runs_out(waiting: list[Waiting], options: dict) -> None:
    if not options["quota"]:
        return
    order = compute(waiting, **options)
    by_id = {w.id: w for w in waiting}
    sides = [by_id[i].side for i in order.called if by_id[i].kind is Kind.SPEECH]
    if sides:
        has_both = {Q, OP} <= {w.side for w in waiting if w.kind is Kind.SPEECH}
        first_turn = Q if options["last_side"] is None else (OP if options["last_side"] is Q else Q)
        if has_both:
            assert sides[0] is first_turn
    # two equal sides in a row only once the other side has no one left
    for i in range(1, len(sides)):
        if sides[i] is sides[i - 1]:
            assert all(s is sides[i] for s in sides[i:])
    if options["when_empty"] is CLOSE:
        for a, b in itertools.pairwise(sides):
            assert a is not b
        assert all(by_id[i].side is by_id[order.beyond[0]].side for i in order.beyond)
    else:
        assert order.beyond == ()


@given(entries, settings)
def test_calling_the_head_leaves_the_rest_of_the_order(
    waiting: list[Waiting], options: dict
) -> None:
    order = compute(waiting, **options)
    if not order.called:
        return
    head = next(w for w in waiting if w.id == order.called[0])
    rest = [w for w in waiting if w.id != head.id]
    last = head.side if head.kind is Kind.SPEECH else options["last_side"]
    again = compute(rest, **{**options, "last_side": last})
    assert again.called == order.called[1:]
    assert again.beyond == order.beyond
