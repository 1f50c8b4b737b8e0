"""The proof batcher with a fake check: verdicts, the halving bound, batches, seeds.

The check function here stands for "these items' proofs hold as one batch": true iff no item
in the batch is bad.  Time bounds are stated as what they are made of, calls of that
function, never as seconds.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evote.voting.proof_batcher import Batcher, _Pending, call_bound


class FakeCheck:
    """`holds` for integer items: false iff the batch contains a bad one; records every call."""

    def __init__(self, bad: set[int] = frozenset()) -> None:  # type: ignore[assignment]
        self.bad = set(bad)
        self.calls: list[tuple[list[int], bytes]] = []

    def __call__(self, items: Sequence[int], seed: bytes) -> bool:
        self.calls.append((list(items), seed))
        return not any(i in self.bad for i in items)


def counter_bytes() -> object:
    counter = itertools.count()
    return lambda n: next(counter).to_bytes(n, "big")


def resolve(items: list[int], check: FakeCheck) -> tuple[Batcher[int], list[_Pending[int]]]:
    batcher = Batcher(check, random_bytes=counter_bytes())  # type: ignore[arg-type]
    pending = [_Pending(i, 1, 0.0) for i in items]
    batcher.resolve(pending)
    return batcher, pending


@settings(max_examples=200, deadline=None)
@given(
    n=st.integers(min_value=1, max_value=64),
    bad=st.sets(st.integers(min_value=0, max_value=63), max_size=8),
)
def test_each_item_gets_its_own_verdict_within_the_bound(n: int, bad: set[int]) -> None:
    bad = {b for b in bad if b < n}
    check = FakeCheck(bad)
    batcher, pending = resolve(list(range(n)), check)
    assert [p.verdict for p in pending] == [i not in bad for i in range(n)]
    assert all(p.done.is_set() and p.error is None for p in pending)
    assert batcher.calls == len(check.calls) <= call_bound(n, len(bad))
    # one level of halving never checks more than the batch: total work is bounded too
    assert sum(len(items) for items, _ in check.calls) <= n * (1 + max(n - 1, 0).bit_length())


def test_a_good_batch_costs_one_call_and_a_forgery_a_few() -> None:
    _, _ = resolve(list(range(32)), honest := FakeCheck())
    assert len(honest.calls) == 1
    _, pending = resolve(list(range(32)), forged := FakeCheck({17}))
    assert [p.verdict for p in pending].count(False) == 1 and pending[17].verdict is False
    assert len(forged.calls) == 1 + 2 * 5  # the whole, then two halves on each of 5 levels
    # the half without the forgery is answered by the second call, before any deeper halving
    assert forged.calls[1][0] == list(range(16))


def test_every_check_gets_fresh_weights() -> None:
    _, _ = resolve(list(range(16)), check := FakeCheck({3, 12}))
    seeds = [seed for _, seed in check.calls]
    assert len(seeds) == len(set(seeds)) > 1 and all(len(s) == 32 for s in seeds)


def test_items_that_queue_during_a_check_are_checked_together() -> None:
    """While one batch is checked, the next requests queue up; they form the next batch."""
    first_running, release = threading.Event(), threading.Event()
    check = FakeCheck({105})

    def holds(items: Sequence[int], seed: bytes) -> bool:
        if items == [0]:
            first_running.set()
            assert release.wait(10)
        return check(items, seed)

    batcher: Batcher[int] = Batcher(holds, window=0.0, max_items=32)
    verdicts: dict[int, bool] = {}

    def cast(i: int) -> None:
        verdicts[i] = batcher.check(i)

    try:
        first = threading.Thread(target=cast, args=(0,))
        first.start()
        assert first_running.wait(10)
        others = [threading.Thread(target=cast, args=(i,)) for i in range(100, 110)]
        for t in others:
            t.start()
        while sum(1 for _ in batcher._queue) < len(others):  # all ten are waiting
            threading.Event().wait(0.001)
        release.set()
        for t in [first, *others]:
            t.join(10)
    finally:
        batcher.stop()
    assert verdicts == {0: True, **{i: i != 105 for i in range(100, 110)}}
    assert list(batcher.batches) == [1, 10]


def test_batches_respect_the_item_and_weight_limits() -> None:
    check = FakeCheck()
    batcher: Batcher[int] = Batcher(check, max_items=4, max_weight=10, weight=lambda i: i)
    batcher._queue.extend(_Pending(i, i, 0.0) for i in (1, 2, 3, 4, 5, 9, 20))
    sizes = []
    while batcher._queue:
        batch = batcher._take()
        assert batch is not None
        sizes.append([p.item for p in batch])
    # four items at most; ten in weight at most, except one item alone that is heavier
    assert sizes == [[1, 2, 3, 4], [5], [9], [20]]


def test_an_error_in_the_check_reaches_every_waiting_request() -> None:
    def holds(items: Sequence[int], seed: bytes) -> bool:
        raise RuntimeError("check crashed")

    batcher: Batcher[int] = Batcher(holds)
    try:
        with pytest.raises(RuntimeError, match="check crashed"):
            batcher.check(1)
        with pytest.raises(RuntimeError, match="check crashed"):  # the thread lives on
            batcher.check(2)
    finally:
        batcher.stop()
    with pytest.raises(RuntimeError, match="stopped"):
        batcher.check(3)


def test_call_bound() -> None:
    assert call_bound(1, 1) == 1
    assert call_bound(32, 0) == 1
    assert call_bound(32, 1) == 11
    assert call_bound(33, 2) == 1 + 2 * 2 * 6
