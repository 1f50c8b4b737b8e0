"""The simulation's seeded stream: reproducible, seed-sensitive, unbiased in range."""

from __future__ import annotations

from collections import Counter

import pytest

from evote.crypto.group import Q
from evote.simulation.seeded_random import SeededRandom


def test_same_seed_same_stream_regardless_of_chunking() -> None:
    a, b = SeededRandom("s"), SeededRandom("s")
    whole = a.bytes(200)
    parts = b.bytes(7) + b.bytes(64) + b.bytes(129)
    assert whole == parts


def test_different_seeds_differ_and_types_are_distinct_seeds() -> None:
    assert SeededRandom("1").bytes(32) != SeededRandom("2").bytes(32)
    assert SeededRandom(1).bytes(32) == SeededRandom("1").bytes(32)
    # the seed's length is framed: "ab" + stream is not "a" + "b..."
    assert SeededRandom("ab").bytes(32) != SeededRandom(b"a").bytes(32)


def test_below_stays_in_range_and_covers_it() -> None:
    r = SeededRandom("range")
    counts = Counter(r.below(5) for _ in range(2000))
    assert set(counts) == {0, 1, 2, 3, 4}
    assert min(counts.values()) > 300
    with pytest.raises(ValueError):
        r.below(0)


def test_sample_is_distinct_and_element_q_in_range() -> None:
    r = SeededRandom("sample")
    picked = r.sample(range(10), 4)
    assert len(set(picked)) == 4 and all(0 <= p < 10 for p in picked)
    assert 0 <= r.element_q().value < Q
    with pytest.raises(ValueError):
        r.sample(range(3), 4)
