"""Each simulated delegate's real ballot, encrypted for the vote as that delegate fetched it.

A ballot is bound to the opened vote (context, encryption device, timestamp), so nothing can be
encrypted before the opening: the rush of a thousand encryptions right after it is part of what
the rehearsal plays. gmpy2 holds the GIL, so the encryptions run in a pool of processes beside
the event loop that carries the delegates' HTTP. On one machine with the server, these
processes take CPU from the server: the numbers are then pessimistic (docs/performance.md).

A worker parses a vote once (manifest, context, device hash) and keeps it, keyed by a digest
of what the delegate received, so every delegate's ballot is encrypted against the data that
delegate got, at the cost of one JSON parse per ballot. The master nonce is fresh randomness
(`secrets`), as in a browser; the plaintext stays in the load generator.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import secrets
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from evote.crypto.ballot import (
    BallotBoxState,
    PlaintextBallot,
    PlaintextBallotContest,
    PlaintextBallotSelection,
    device_hash,
)
from evote.crypto.context import ElectionContext
from evote.crypto.encrypt import encrypt_ballot
from evote.crypto.group import ElementModQ, g_pow_p, random_q_from_bytes
from evote.crypto.internal_manifest import InternalManifest
from evote.crypto.manifest import Manifest

CHOICES = ("yes", "no", "abstain")
"""The motion's answers (`evote.voting.manifest`): delegate i marks CHOICES[i % 3]."""

_votes: dict[str, tuple[InternalManifest, ElectionContext, ElementModQ, int, str]] = {}


def _warm() -> None:
    """Pool initializer: import and build g's table before the vote opens, not during the rush."""
    g_pow_p(ElementModQ(12345))


def _vote(vote: dict[str, Any]) -> tuple[InternalManifest, ElectionContext, ElementModQ, int, str]:
    parts = [vote["manifest"], vote["context"], vote["encryption_device"], vote["ballot_timestamp"]]
    key = hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()
    if key not in _votes:
        manifest = Manifest.from_json(vote["manifest"])
        device = vote["encryption_device"]
        seed = device_hash(
            device["device_id"], device["session_id"], device["launch_code"], device["location"]
        )
        contest = vote["manifest"]["contests"][0]["object_id"]
        _votes[key] = (
            InternalManifest(manifest), ElectionContext.from_json(vote["context"]), seed,
            int(vote["ballot_timestamp"]), contest,
        )
    return _votes[key]


def encrypt(vote_body: bytes, ballot_id: str, choice: str) -> tuple[bytes, str]:
    """The ballot a browser would POST (JSON, no nonces, no state) and its tracking code."""
    internal, context, seed, timestamp, contest = _vote(json.loads(vote_body))
    plaintext = PlaintextBallot(
        ballot_id, "delegate",
        (PlaintextBallotContest(contest, (PlaintextBallotSelection(choice, 1),)),),
    )
    ballot = encrypt_ballot(
        plaintext, internal, context, seed, random_q_from_bytes(secrets.token_bytes(64)),
        timestamp,
    )
    submitted = ballot.submit(BallotBoxState.CAST).to_json()
    submitted.pop("state", None)  # what a browser posts: the endpoint says cast or spoiled
    return json.dumps(submitted, separators=(",", ":")).encode(), ballot.code.to_hex()


def pool(workers: int) -> ProcessPoolExecutor:
    """Worker processes, started now (spawned: no copy of the event loop's sockets)."""
    executor = ProcessPoolExecutor(
        workers, mp_context=multiprocessing.get_context("spawn"), initializer=_warm
    )
    for _ in range(workers):
        executor.submit(_warm)
    return executor
