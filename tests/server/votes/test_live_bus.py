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

from evote.live.bus import (
    BEHIND,
    QUEUE_LIMIT,
    REPLACED,
    SESSION_ENDED,
    Broker,
    Dropped,
    Hub,
    Subscription,
    decode,
    encode,
)
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


def _ended(sub: Subscription) -> str:
    with pytest.raises(Dropped) as ended:
        sub.get(timeout=10)
    return ended.value.reason


def test_an_account_holds_its_newest_streams_across_processes(hubs: tuple[Hub, Hub]) -> None:
    """Two workers, one account: whichever worker serves its streams, only the newest three
    stay; the older ones end in the worker that holds them, as `replaced`."""
    a, b = hubs
    first = [a.subscribe(1, participant_id=5) for _ in range(2)]
    later = [b.subscribe(1, participant_id=5) for _ in range(2)]
    other = a.subscribe(1, participant_id=6)
    assert _ended(first[0]) == REPLACED
    newest = [first[1], *later]
    a.publish({"type": "agenda", "event_id": 1, "title": "TOP 1"})
    for sub in [*newest, other]:
        got = sub.get(timeout=10)
        assert got is not None and got["title"] == "TOP 1"
    for sub in [*newest, other]:
        sub.close()


def test_ending_a_participants_streams_reaches_every_process(hubs: tuple[Hub, Hub]) -> None:
    a, b = hubs
    theirs = [a.subscribe(1, participant_id=5), b.subscribe(1, participant_id=5)]
    others = [a.subscribe(1, participant_id=6), b.subscribe(1)]
    assert b.end_participant(1, 5)
    assert [_ended(sub) for sub in theirs] == [SESSION_ENDED, SESSION_ENDED]
    b.publish({"type": "agenda", "event_id": 1, "title": "still here"})
    for sub in others:
        got = sub.get(timeout=10)
        assert got is not None and got["title"] == "still here"
        sub.close()
    assert a.subscriber_count() == b.subscriber_count() == 0


def test_control_messages_never_reach_a_page() -> None:
    hub = Hub(MemoryBroker(), per_participant=1)
    page = hub.subscribe(1, participant_id=5)
    hub.end_participant(1, 7)
    hub.subscribe(1, participant_id=8).close()
    hub.publish({"type": "agenda", "event_id": 1, "title": "x"})
    got = page.get(timeout=1)
    assert got is not None and got["type"] == "agenda"


def test_without_a_broker_this_process_still_ends_the_streams() -> None:
    class Down(MemoryBroker):
        def publish(self, event: dict[str, object]) -> None:
            raise ConnectionError("broker down")

    hub = Hub(Down(), per_participant=1)
    old = hub.subscribe(1, participant_id=5)
    new = hub.subscribe(1, participant_id=5)
    assert _ended(old) == REPLACED
    assert hub.end_participant(1, 5) is False
    assert _ended(new) == SESSION_ENDED


def test_an_event_the_broker_refuses_ends_this_process_streams_so_pages_replay_it() -> None:
    """Published while the broker is down: no process hears it, but it is in the journal; this
    process's pages reconnect at once (naming their last event) and get it from there."""

    class Down(MemoryBroker):
        def publish(self, event: dict[str, object]) -> None:
            raise ConnectionError("broker down")

    hub = Hub(Down())
    page = hub.subscribe(1, participant_id=5)
    assert hub.end_participant(1, 7) is False  # a control message ends no other stream
    assert not page.dropped
    with pytest.raises(ConnectionError):
        hub.publish({"type": "vote_opened", "event_id": 1, "vote_id": 3})
    assert _ended(page) == BEHIND


def _resynced_after(hub: Hub, cut: Callable[[], None]) -> None:
    """`cut` breaks the broker's listening connection; once it listens again, the streams it
    held end (`behind`), and a new stream hears new events."""
    page = hub.subscribe(1)
    cut()
    with pytest.raises(Dropped) as ended:
        page.get(timeout=30)
    assert ended.value.reason == BEHIND
    fresh = hub.subscribe(1)
    hub.publish({"type": "agenda", "event_id": 1, "title": "back"})
    got = fresh.get(timeout=10)
    assert got is not None and got["title"] == "back"


@pytest.mark.postgres_only
def test_a_listener_that_lost_postgresql_resyncs_its_pages() -> None:
    from psycopg import connect
    from server_helpers import DATABASE_URL

    from evote.live.postgres_broker import PostgresBroker, libpq_url

    assert DATABASE_URL is not None
    channel = f"evote_test_{secrets.token_hex(6)}"
    broker = PostgresBroker(DATABASE_URL, channel)
    hub = Hub(broker)
    hub.start()
    assert broker.ready.wait(10)

    def cut() -> None:  # the database restarts, as far as this listener can tell
        with connect(libpq_url(DATABASE_URL), autocommit=True) as admin:
            killed = admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = %s",
                (f'LISTEN "{channel}"',),
            ).fetchall()
        assert killed == [(True,)]

    try:
        _resynced_after(hub, cut)
    finally:
        hub.stop()


def test_a_listener_that_lost_redis_resyncs_its_pages() -> None:
    """A private redis-server, stopped and started again on its port."""
    import shutil
    import signal
    import subprocess

    from processes import free_port, wait_until

    from evote.live.redis_broker import RedisBroker

    binary = shutil.which("redis-server")
    assert binary, "redis-server is not installed (.ci/run installs it)"
    port = free_port()

    def start() -> subprocess.Popen[bytes]:
        proc = subprocess.Popen(
            [binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "",
             "--appendonly", "no"], stdout=subprocess.DEVNULL, start_new_session=True)
        wait_until(lambda: _answers(port), 10, "redis-server answering")
        return proc

    server = [start()]
    broker = RedisBroker(f"redis://127.0.0.1:{port}/0", f"evote_test_{secrets.token_hex(6)}")
    hub = Hub(broker)
    hub.start()

    def cut() -> None:
        server[0].send_signal(signal.SIGKILL)
        server[0].wait(10)
        server[0] = start()

    try:
        _resynced_after(hub, cut)
    finally:
        hub.stop()
        server[0].kill()
        server[0].wait(10)


def _answers(port: int) -> bool:
    import redis

    try:
        return bool(redis.Redis(port=port, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False
