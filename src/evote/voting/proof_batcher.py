"""Proof checks of ballots that arrive together, in one batch across requests.

Why: a batch's cost per proof falls with its size (one multi-exponentiation shares its
squarings across all bases, `evote.crypto.batch`), and a motion ballot alone is a small batch:
checked ballot by ballot, the proofs were 70 % of a cast's CPU.  Ballots that arrive within a
few milliseconds of each other in one process (gunicorn's threads) are checked together here,
and each request still gets its own verdict before it stores anything, so a receipt keeps
meaning "checked and stored".

How:
- each request puts its item in the queue and waits for its verdict;
- one thread per process takes what is queued, waiting at most `window` seconds after the
  first item for others to join (no wait if items queued up meanwhile), and at most
  `max_items` items (or `max_weight` in total) at once;
- it asks `holds(items, seed)` about the whole batch, with a fresh `seed` from `random_bytes`
  per call, so the batch's weights are unknown to anyone who chose an item;
- if the batch fails, it is cut in halves, and each half asked again (left half first); a
  half that holds is answered at once, a single item that fails gets `False`.

The bound: in a batch of n items of which f fail, every item is answered after at most
1 + 2·f·⌈log₂ n⌉ calls of `holds` (`call_bound`), and the calls of one level of halving
cover at most n items together, so the whole batch costs at most 1 + ⌈log₂ n⌉ times the work
of checking it once.  A forged ballot delays only the ballots of its own batch (at most
`max_items`), by that factor; batches are taken in arrival order.
A request that gets `False` finds out what failed on its own thread (`ballot_crypto`), so
naming the failure never holds up the queue.
"""

from __future__ import annotations

import math
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from flask import Flask, current_app

from evote.crypto.batch import BatchChecker
from evote.crypto.equations import Claims

T = TypeVar("T")

Holds = Callable[[Sequence[T], bytes], bool]
"""Whether every item's claims hold, checked as one batch with weights seeded by the bytes."""

WAIT_LIMIT = 120.0
"""Seconds a request waits for its verdict before giving up (the thread died: a bug)."""


def call_bound(items: int, failing: int) -> int:
    """Most `holds` calls a batch of `items` with `failing` bad ones can take (docstring)."""
    if items <= 1:
        return 1
    return 1 + 2 * failing * math.ceil(math.log2(items))


@dataclass
class _Pending(Generic[T]):
    item: T
    weight: int
    arrived: float
    done: threading.Event = field(default_factory=threading.Event)
    verdict: bool | None = None
    error: BaseException | None = None

    def settle(self, verdict: bool | None, error: BaseException | None = None) -> None:
        self.verdict, self.error = verdict, error
        self.done.set()


class Batcher(Generic[T]):
    """Checks items from many threads in batches; `check(item)` blocks until its verdict."""

    def __init__(
        self,
        holds: Holds[T],
        *,
        window: float = 0.002,
        max_items: int = 32,
        max_weight: int | None = None,
        weight: Callable[[T], int] = lambda _item: 1,
        random_bytes: Callable[[int], bytes] = secrets.token_bytes,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if max_items < 1 or window < 0:
            raise ValueError("a batch holds at least one item, and the window is not negative")
        self._holds = holds
        self.window = window
        self.max_items = max_items
        self.max_weight = max_weight
        self._weight = weight
        self._random_bytes = random_bytes
        self._clock = clock
        self._queue: deque[_Pending[T]] = deque()
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None
        self._stopped = False
        self.calls = 0
        """`holds` calls so far (for tests and benchmarks)."""
        self.batches: deque[int] = deque(maxlen=1000)
        """Sizes of the last batches taken (for tests and benchmarks)."""

    def check(self, item: T) -> bool:
        """True if the item's claims hold (checked in a batch with whatever arrived with it)."""
        pending = _Pending(item, self._weight(item), self._clock())
        with self._cond:
            if self._stopped:
                raise RuntimeError("the proof batcher is stopped")
            self._queue.append(pending)
            self._start()
            self._cond.notify()
        if not pending.done.wait(WAIT_LIMIT):
            raise RuntimeError("no verdict from the proof batcher")
        if pending.error is not None:
            raise pending.error
        return bool(pending.verdict)

    def stop(self) -> None:
        """End the thread once the queue is empty (items already queued still get verdicts)."""
        with self._cond:
            self._stopped = True
            self._cond.notify()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _start(self) -> None:
        # lazily, in the process that checks: gunicorn forks its workers after the app module
        # was imported, and a thread does not survive a fork
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._run, name="evote-proofs", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while True:
            batch = self._take()
            if batch is None:
                return
            try:
                self.resolve(batch)
            except BaseException as exc:  # never leave a request waiting
                for pending in batch:
                    if not pending.done.is_set():
                        pending.settle(None, exc)

    def _take(self) -> list[_Pending[T]] | None:
        with self._cond:
            while not self._queue:
                if self._stopped:
                    return None
                self._cond.wait()
            # wait for company only as long as the first item's window lasts: items that
            # queued while the previous batch was checked have waited long enough
            deadline = self._queue[0].arrived + self.window
            while len(self._queue) < self.max_items and not self._stopped:
                left = deadline - self._clock()
                if left <= 0:
                    break
                self._cond.wait(left)
            batch: list[_Pending[T]] = []
            total = 0
            while self._queue and len(batch) < self.max_items:
                weight = self._queue[0].weight
                if batch and self.max_weight is not None and total + weight > self.max_weight:
                    break
                batch.append(self._queue.popleft())
                total += weight
        self.batches.append(len(batch))
        return batch

    def resolve(self, batch: Sequence[_Pending[T]]) -> None:
        """Settle every item of the batch: the whole, then halves of what failed."""
        groups: list[Sequence[_Pending[T]]] = [batch]
        while groups:
            group = groups.pop()
            self.calls += 1
            if self._holds([p.item for p in group], self._random_bytes(32)):
                for pending in group:
                    pending.settle(True)
            elif len(group) == 1:
                group[0].settle(False)
            else:
                middle = len(group) // 2
                groups.append(group[middle:])
                groups.append(group[:middle])  # popped first: the left half is answered first


@dataclass(frozen=True)
class ProofItem:
    """One ballot's claims and the keys they are made under (its vote's joint key)."""

    claims: Claims
    keys: tuple[int, ...]


def holds_together(items: Sequence[ProofItem], seed: bytes) -> bool:
    """All items' claims as one `BatchChecker` batch (error ≤ 2^-64 for the whole batch).

    Items of different votes may share a batch: each key becomes a fixed base (its subgroup
    membership is checked once, when its table is built).
    """
    together = Claims()
    keys: dict[int, None] = {}
    for item in items:
        together.extend(item.claims)
        keys.update(dict.fromkeys(item.keys))
    return BatchChecker(seed, fixed_bases=keys).holds(together)


def _equations(item: ProofItem) -> int:
    return len(item.claims.equations)


_EXT = "evote_proof_batcher"


def init_app(app: Flask) -> None:
    """One batcher per app (so per gunicorn worker); off with `BALLOT_BATCHING = False`.

    `BALLOT_BATCH_WINDOW` (seconds, default 0.002): how long the first ballot of a batch waits
    for others; `BALLOT_BATCH_MAX` (default 32): most ballots in a batch, which bounds how
    long any of them waits for the others' proofs (about 5 ms each on a motion ballot) —
    `BALLOT_BATCH_MAX_EQUATIONS` (default 2,048) does so for large ballots.
    """
    if not app.config.get("BALLOT_BATCHING", True):
        app.extensions[_EXT] = None
        return
    app.extensions[_EXT] = Batcher(
        holds_together,
        window=float(app.config.get("BALLOT_BATCH_WINDOW", 0.002)),
        max_items=int(app.config.get("BALLOT_BATCH_MAX", 32)),
        max_weight=int(app.config.get("BALLOT_BATCH_MAX_EQUATIONS", 2048)),
        weight=_equations,
        random_bytes=app.config.get("RANDOM_BYTES") or secrets.token_bytes,
    )


def batcher() -> Batcher[ProofItem] | None:
    """This app's batcher, or None where batching is off (or the app never set one up)."""
    found: Batcher[ProofItem] | None = current_app.extensions.get(_EXT)
    return found
