"""Test helpers for votes: guardians played in-process, and ballots encrypted in Python.

The real guardian client and the browser's encryption are other issues; these helpers stand in
for them using only evote.crypto's public functions, so what the server receives is exactly
what a real client would send.  The key ceremony happens here (each guardian's secret stays in
this helper, as it would on a guardian's laptop); only public records reach the server.
Seeds are fixed so a failing test reproduces.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from flask import Flask
from server_helpers import Api
from sqlalchemy import func, select

from evote.crypto.ballot import (
    BallotBoxState,
    PlaintextBallot,
    PlaintextBallotContest,
    PlaintextBallotSelection,
    SubmittedBallot,
    ballot_code,
    ballot_crypto_hash,
    device_hash,
)
from evote.crypto.ceremony import GuardianPublicKey, GuardianSecret
from evote.crypto.compensation import compute_compensated_share
from evote.crypto.context import ElectionContext
from evote.crypto.decryption_share import compute_decryption_share
from evote.crypto.encrypt import encrypt_ballot
from evote.crypto.group import ElementModQ, random_q_from_bytes
from evote.crypto.internal_manifest import InternalManifest
from evote.crypto.manifest import Manifest
from evote.crypto.tally import CiphertextTally, ballot_ciphertexts
from evote.store.db import get_session
from evote.store.models.votes import Participation, StoredBallot, Vote


def seeded(label: str, n: int = 64) -> bytes:
    out = b""
    counter = 0
    while len(out) < n:
        out += hashlib.sha256(f"evote-test/{label}/{counter}".encode()).digest()
        counter += 1
    return out[:n]


def q_from(label: str) -> ElementModQ:
    return random_q_from_bytes(seeded(label))


@dataclass
class Guardians:
    """n guardians with a k-of-n key, made locally (the "key ceremony" of the test)."""

    n: int = 3
    k: int = 2
    label: str = "guardians"
    secrets: list[GuardianSecret] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.secrets = [
            GuardianSecret.generate(f"guardian-{i}", i, self.k, seeded(f"{self.label}/{i}", 32))
            for i in range(1, self.n + 1)
        ]

    def records(self) -> list[GuardianPublicKey]:
        return [g.public_key() for g in self.secrets]

    def ceremony_json(self) -> dict[str, Any]:
        return {
            "number_of_guardians": self.n,
            "quorum": self.k,
            "guardians": [r.to_json() for r in self.records()],
        }

    @staticmethod
    def _objects(payload: Mapping[str, Any]) -> list[tuple[str, Any]]:
        """(object id, ciphertexts) of the tally and every spoiled ballot in a tally payload."""
        tally = CiphertextTally.from_json(payload["encrypted_tally"])
        found: list[tuple[str, Any]] = [(tally.object_id, tally.ciphertexts())]
        for ballot_json in payload.get("spoiled_ballots", []):
            ballot = SubmittedBallot.from_json(ballot_json)
            found.append((ballot.object_id, ballot_ciphertexts(ballot)))
        return found

    def shares(self, index: int, payload: Mapping[str, Any]) -> list[dict[str, Any]]:
        """Guardian `index` (0-based) decrypts its part of the tally and of each spoiled ballot."""
        context = ElectionContext.from_json(payload["context"])
        return [
            compute_decryption_share(
                self.secrets[index], object_id, ciphertexts,
                context.crypto_extended_base_hash, q_from(f"share/{index}/{object_id}"),
            ).to_json()
            for object_id, ciphertexts in self._objects(payload)
        ]

    def compensated(
        self, present: int, missing: int, payload: Mapping[str, Any]
    ) -> list[dict[str, Any]]:
        """Present guardian's stand-in parts for an absent one (backup opened locally)."""
        context = ElectionContext.from_json(payload["context"])
        p, m = self.secrets[present], self.secrets[missing]
        coordinate = m.polynomial.value_at(p.sequence_order)
        return [
            compute_compensated_share(
                p, p.public_key(), m.public_key(), coordinate, object_id, ciphertexts,
                context.crypto_extended_base_hash, q_from(f"comp/{present}/{missing}/{object_id}"),
            ).to_json()
            for object_id, ciphertexts in self._objects(payload)
        ]


def encrypt_for_vote(
    vote: Mapping[str, Any],
    choices: Mapping[str, Sequence[str]],
    label: str,
    *,
    ballot_id: str | None = None,
    keep_nonces: bool = False,
) -> dict[str, Any]:
    """A ballot for the vote as `GET /api/votes/<id>` describes it; `choices` maps contest id to
    the selection ids marked.  Returns the JSON a client POSTs (nonces removed)."""
    manifest = Manifest.from_json(vote["manifest"])
    internal = InternalManifest(manifest)
    context = ElectionContext.from_json(vote["context"])
    device = vote["encryption_device"]
    seed = device_hash(
        device["device_id"], device["session_id"], device["launch_code"], device["location"]
    )
    plaintext = PlaintextBallot(
        ballot_id or f"b-{hashlib.sha256(label.encode()).hexdigest()[:16]}",
        "delegate",
        tuple(
            PlaintextBallotContest(
                cid, tuple(PlaintextBallotSelection(sid, 1) for sid in marked)
            )
            for cid, marked in choices.items()
        ),
    )
    ballot = encrypt_ballot(
        plaintext, internal, context, seed, q_from(f"ballot/{label}"), vote["ballot_timestamp"]
    )
    if keep_nonces:
        return ballot.to_json()
    submitted: dict[str, Any] = ballot.submit(BallotBoxState.CAST).to_json()
    submitted.pop("state", None)
    return submitted


def rewrap(ballot: Mapping[str, Any], ballot_id: str) -> dict[str, Any]:
    """Another's ballot under a new `object_id`, its crypto_hash and code recomputed: the copy
    anyone who saw the ciphertexts (operator, database reader) can make.  Its proofs still hold,
    since no proof names the ballot; only the weeding rule refuses it."""
    parsed = SubmittedBallot.from_json(dict(ballot))
    crypto_hash = ballot_crypto_hash(ballot_id, parsed.manifest_hash, parsed.contests)
    code = ballot_code(parsed.code_seed, parsed.timestamp, crypto_hash)
    copied = replace(parsed, object_id=ballot_id, crypto_hash=crypto_hash, code=code, state=None)
    out: dict[str, Any] = copied.to_json()
    return out


@dataclass
class Stage:
    presidium: Api
    guardian: Api
    delegates: list[Api]
    guardians: Guardians

    def create(self, **spec: Any) -> dict[str, Any]:
        body = {"kind": "motion", "title": "Antrag A1", "duration_seconds": 60, **spec}
        resp = self.presidium.post("/api/votes", body)
        assert resp.status_code == 201, resp.get_json()
        created: dict[str, Any] = resp.get_json()
        return created

    def open(self, vote_id: int) -> dict[str, Any]:
        resp = self.presidium.post(f"/api/votes/{vote_id}/open")
        assert resp.status_code == 200, resp.get_json()
        opened: dict[str, Any] = resp.get_json()
        return opened

    def vote_for(self, who: Api, vote_id: int) -> dict[str, Any]:
        resp = who.get(f"/api/votes/{vote_id}")
        assert resp.status_code == 200, resp.get_json()
        body: dict[str, Any] = resp.get_json()
        return body


def counts(app: Flask, vote_id: int) -> tuple[int, int, int]:
    """(participation rows, ballot rows, the vote's cast counter)."""
    with app.app_context():
        db = get_session()
        voted = db.scalar(
            select(func.count()).select_from(Participation).where(Participation.vote_id == vote_id)
        )
        ballots = db.scalar(
            select(func.count()).select_from(StoredBallot).where(StoredBallot.vote_id == vote_id)
        )
        vote = db.get(Vote, vote_id)
        assert vote is not None
        return voted or 0, ballots or 0, vote.cast_count


REDIS_URL = os.environ.get("EVOTE_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
PG_URL = os.environ.get("EVOTE_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")


def redis_available() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:
        return False


def pg_available() -> bool:
    try:
        import psycopg

        psycopg.connect(PG_URL, connect_timeout=2).close()
        return True
    except Exception:
        return False
