"""The live-event interface with each of its three brokers.

Two hubs stand for two gunicorn workers (or two app servers): an event published in one must
reach the streams of the other, and only the streams of the same convention.  Redis and
PostgreSQL are the real local services; a unique channel per test keeps parallel runs apart.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator

import pytest
from vote_helpers import PG_URL, REDIS_URL, pg_available, redis_available

from evote.live.bus import QUEUE_LIMIT, Broker, Dropped, Hub, decode, encode
from evote.live.memory import MemoryBroker


def _redis_available() -> bool:
    return redis_available()


def _pg_available() -> bool:
    return pg_available()


def _memory_pair() -> tuple[Broker, Broker]:
    broker = MemoryBroker()
    return broker, broker  # one process: both "workers" share the broker


def _redis_pair() -> tuple[Broker, Broker]:
    if not _redis_available():
        pytest.skip(f"no Redis at {REDIS_URL}")
    from evote.live.redis_broker import RedisBroker

    channel = f"evote_test_{secrets.token_hex(6)}"
    return RedisBroker(REDIS_URL, channel), RedisBroker(REDIS_URL, channel)


def _pg_pair() -> tuple[Broker, Broker]:
    if not _pg_available():
        pytest.skip(f"no PostgreSQL at {PG_URL}")
    from evote.live.postgres_broker import PostgresBroker

    channel = f"evote_test_{secrets.token_hex(6)}"
    return PostgresBroker(PG_URL, channel), PostgresBroker(PG_URL, channel)


PAIRS: dict[str, Callable[[], tuple[Broker, Broker]]] = {
    "memory": _memory_pair,
    "redis": _redis_pair,
    "postgres": _pg_pair,
}


@pytest.fixture(params=list(PAIRS))
def hubs(request: pytest.FixtureRequest) -> Iterator[tuple[Hub, Hub]]:
    a, b = PAIRS[request.param]()
    if a is b:
        hub = Hub(a)
        yield hub, hub
        hub.stop()
        return
    hub_a, hub_b = Hub(a), Hub(b)
    hub_a.start()
    hub_b.start()
    for broker in (a, b):
        assert broker.ready.wait(10), "broker did not start listening"  # type: ignore[attr-defined]
    yield hub_a, hub_b
    hub_a.stop()
    hub_b.stop()


def test_event_reaches_other_process_for_the_same_convention_only(hubs: tuple[Hub, Hub]) -> None:
    publisher, receiver = hubs
    with receiver.subscribe(1) as mine, receiver.subscribe(2) as other:
        publisher.publish({"type": "turnout", "event_id": 1, "vote_id": 9, "cast": 3, "roll": 5})
        got = mine.get(timeout=10)
        assert got == {"type": "turnout", "event_id": 1, "vote_id": 9, "cast": 3, "roll": 5}
        assert other.get(timeout=0.3) is None


def test_every_stream_gets_every_event_in_order(hubs: tuple[Hub, Hub]) -> None:
    publisher, receiver = hubs
    subs = [receiver.subscribe(7) for _ in range(3)]
    for n in range(5):
        publisher.publish({"type": "turnout", "event_id": 7, "vote_id": 1, "cast": n, "roll": 9})
    for sub in subs:
        assert [sub.get(timeout=10)["cast"] for _ in range(5)] == [0, 1, 2, 3, 4]  # type: ignore[index]
        sub.close()
    assert receiver.subscriber_count() == 0


def test_slow_stream_is_dropped_not_kept_in_memory() -> None:
    hub = Hub(MemoryBroker())
    slow, keeping_up = hub.subscribe(1), hub.subscribe(1)
    for n in range(QUEUE_LIMIT + 5):
        hub.publish({"type": "turnout", "event_id": 1, "cast": n})
        got = keeping_up.get(timeout=1)
        assert got is not None and got["cast"] == n
    assert slow.dropped and hub.subscriber_count() == 1
    with pytest.raises(Dropped):
        slow.get(timeout=1)


def test_oversize_and_foreign_messages() -> None:
    with pytest.raises(ValueError):
        encode({"type": "x", "event_id": 1, "blob": "a" * 9000})
    assert decode("not json") is None
    assert decode('{"type": "x"}') is None  # no event id: not ours
    assert decode(b"\xff") is None
