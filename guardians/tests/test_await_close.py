"""`decrypt --wait` started during the countdown waits for the close, then decrypts at once."""

from __future__ import annotations

from typing import Any

from evote_guardian.decryption import await_close


class Reader:
    """A server whose vote reads as each of `states` in turn (the last one for ever)."""

    def __init__(self, *states: str) -> None:
        self.states, self.reads = list(states), 0

    def get(self, path: str) -> dict[str, Any]:
        assert path == "/api/votes/7"
        self.reads += 1
        return {"state": self.states[min(self.reads, len(self.states)) - 1]}


class Clock:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def time(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_it_reads_until_the_vote_closes_and_says_so_once() -> None:
    server, clock, said = Reader("open", "open", "open", "closed"), Clock(), []
    state = await_close(server, 7, 300, 0.25, clock.time, clock.sleep,  # type: ignore[arg-type]
                        said.append)
    assert state == "closed" and server.reads == 4 and clock.slept == [0.25] * 3
    assert said == ["Vote 7 is open; waiting for its close ..."]


def test_a_closed_vote_goes_straight_on() -> None:
    for state in ("closed", "decrypted", "cancelled"):
        server, clock, said = Reader(state), Clock(), []
        got = await_close(server, 7, 300, 0.25, clock.time, clock.sleep,  # type: ignore[arg-type]
                          said.append)
        assert got == state and server.reads == 1 and clock.slept == [] and said == []


def test_it_gives_up_at_the_deadline_with_the_vote_still_open() -> None:
    server, clock = Reader("draft", "open"), Clock()
    state = await_close(server, 7, 2.0, 0.5, clock.time, clock.sleep)  # type: ignore[arg-type]
    assert state == "open" and clock.now == 2.0 and server.reads == 5
