"""Encrypting the simulated ballots, in order, optionally in a process pool.

gmpy2 holds the GIL, so only processes run encryptions side by side.  The nonces come in with
the jobs, drawn beforehand in ballot order, so the pool cannot change a single byte.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from evote.crypto.ballot import BallotBoxState, PlaintextBallot, SubmittedBallot
from evote.crypto.context import ElectionContext
from evote.crypto.encrypt import encrypt_ballot
from evote.crypto.group import ElementModQ
from evote.crypto.internal_manifest import InternalManifest

Progress = Callable[[int], None]
"""Called with the number of steps just finished."""
Job = tuple[PlaintextBallot, ElementModQ, BallotBoxState]
"""A ballot, its master nonce, and whether it is cast or spoiled."""

_worker_state: dict[str, Any] = {}


def _init_encryptor(
    internal: InternalManifest, context: ElectionContext, seed: ElementModQ, timestamp: int
) -> None:
    _worker_state.update(internal=internal, context=context, seed=seed, timestamp=timestamp)


def _encrypt_one(job: Job) -> SubmittedBallot:
    plain, nonce, state = job
    w = _worker_state
    ballot = encrypt_ballot(plain, w["internal"], w["context"], w["seed"], nonce, w["timestamp"])
    return ballot.submit(state)


def encrypt_all(
    jobs: list[Job],
    setup: tuple[InternalManifest, ElectionContext, ElementModQ, int],
    workers: int,
    step: Progress,
) -> list[SubmittedBallot]:
    """Encrypt in order; with workers > 1 in a process pool (gmpy2 holds the GIL)."""
    if workers == 1 or len(jobs) < 2 * workers:
        _init_encryptor(*setup)
        out = []
        for job in jobs:
            out.append(_encrypt_one(job))
            step(1)
        return out
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=_init_encryptor, initargs=setup
    ) as pool:
        out = []
        for ballot in pool.map(_encrypt_one, jobs, chunksize=max(1, len(jobs) // (8 * workers))):
            out.append(ballot)
            step(1)
        return out
