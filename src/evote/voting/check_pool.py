"""Checking many ballots (or any items that reduce to `Claims`) in batches, across processes.

This lives beside the crypto core, not in it: the core stays pure (no processes, no I/O);
this module only runs its checker in worker processes.

`gmpy2.powmod` and mpz arithmetic hold the GIL, so threads do not help; processes do.  Each
worker builds its fixed-base tables (g and the keys) once, in its initializer, and then
checks whole chunks of items with one `BatchChecker.check` per chunk: the larger the chunk,
the cheaper each proof (Pippenger's cost per base falls with the number of bases).

A chunk that fails is re-checked item by item, so one bad ballot gets its own error and does
not take the good ballots of its chunk down with it.  The weights' randomness comes in as
`seed` (the crypto core draws none); each chunk and each re-check derive their own.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from hashlib import sha256
from typing import TypeVar

from gmpy2 import mpz

from evote.crypto.batch import DEFAULT_WEIGHT_BITS, BatchChecker
from evote.crypto.equations import Claims
from evote.crypto.errors import CryptoError
from evote.crypto.fastexp import fixed_base, g_table
from evote.crypto.group import ElementModP

T = TypeVar("T")
ClaimsOf = Callable[[T], Claims]
"""Turns one item into its claims; raises `CryptoError` for what it can refuse on the spot.
Must be picklable (a module-level function, or `functools.partial` of one) for a pool."""


def _derive(seed: bytes, *path: int) -> bytes:
    h = sha256(b"evote/parallel-chunk/v1\x00" + seed)
    for i in path:
        h.update(i.to_bytes(8, "big"))
    return h.digest()


def check_chunk(
    items: Sequence[T],
    claims_of: ClaimsOf[T],
    seed: bytes,
    fixed_bases: Sequence[int] = (),
    weight_bits: int = DEFAULT_WEIGHT_BITS,
) -> list[CryptoError | None]:
    """One verdict per item: None if valid, else the error that names what failed.

    Valid items are accepted only if every claim holds (up to the batch's 2^-ℓ error).
    """
    keys = [mpz(k) for k in fixed_bases]
    results: list[CryptoError | None] = [None] * len(items)
    claims: list[Claims | None] = []
    for i, item in enumerate(items):
        try:
            claims.append(claims_of(item))
        except CryptoError as e:
            results[i] = e
            claims.append(None)
    together = Claims()
    for c in claims:
        if c is not None:
            together.extend(c)
    if BatchChecker(seed, fixed_bases=keys, weight_bits=weight_bits).holds(together):
        return results
    for i, c in enumerate(claims):
        if c is None:
            continue
        checker = BatchChecker(_derive(seed, i), fixed_bases=keys, weight_bits=weight_bits)
        try:
            checker.check(c)
        except CryptoError as e:
            results[i] = e
    return results


def _warm_up(fixed_bases: Sequence[int]) -> None:
    """Pool initializer: build the tables once per worker, before any chunk arrives."""
    g_table()
    for k in fixed_bases:
        fixed_base(k)


def _as_ints(keys: Iterable[ElementModP | int]) -> tuple[int, ...]:
    return tuple(int(k.value) if isinstance(k, ElementModP) else int(k) for k in keys)


class CheckPool:
    """A process pool whose workers hold fixed-base tables for g and the given keys.

    Use as a context manager; `workers=1` runs in this process (no pool, same results).
    """

    def __init__(
        self,
        workers: int,
        fixed_bases: Iterable[ElementModP | int] = (),
        *,
        weight_bits: int = DEFAULT_WEIGHT_BITS,
    ) -> None:
        if workers < 1:
            raise ValueError("at least one worker")
        self.workers = workers
        self.fixed_bases = _as_ints(fixed_bases)
        self.weight_bits = weight_bits
        self._executor: Executor | None = None
        if workers > 1:
            self._executor = ProcessPoolExecutor(
                workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_warm_up,
                initargs=(self.fixed_bases,),
            )
            # start every worker now, so building tables is not part of the first check
            list(self._executor.map(_warm_up, [self.fixed_bases] * workers))
        else:
            _warm_up(self.fixed_bases)

    def __enter__(self) -> CheckPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown()
            self._executor = None

    def check_many(
        self,
        items: Sequence[T],
        claims_of: ClaimsOf[T],
        seed: bytes,
        *,
        chunk_size: int | None = None,
    ) -> list[CryptoError | None]:
        """Verdicts for `items`, in order.  `seed`: fresh random bytes (≥ 16) per call.

        By default the items are split into one chunk per worker (at most 256 items each), so
        each worker runs one large batch.
        """
        if not items:
            return []
        size = chunk_size or min(256, -(-len(items) // self.workers))
        chunks = [items[i : i + size] for i in range(0, len(items), size)]
        args = [
            (chunk, claims_of, _derive(seed, n), self.fixed_bases, self.weight_bits)
            for n, chunk in enumerate(chunks)
        ]
        if self._executor is None:
            parts = [check_chunk(*a) for a in args]
        else:
            parts = list(self._executor.map(_check_chunk_args, args))
        return [verdict for part in parts for verdict in part]


def _check_chunk_args(args: tuple) -> list[CryptoError | None]:
    return check_chunk(*args)
