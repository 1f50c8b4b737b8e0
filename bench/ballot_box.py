"""The ballot box end to end: accepted casts per second, against checking proofs one at a time.

    python -m bench.ballot_box [--ballots 60] [--database-url URL]

A convention's motion (yes/no/abstain) with N delegates on the roll; N ballots are encrypted
first (not timed), then each goes through `evote.voting.ballot_box.submit` — parsing, retry check,
batched proof check, the one-transaction insert and commit — as the HTTP view calls it.
Printed, from the same run and the same ballots:
  - the ballot box's rate (CPU-seconds of this process, so other load on a shared machine does
    not distort it, and wall-clock seconds);
  - the rate of the plain proof check alone (`SequentialChecker`, one powmod at a time);
  - their ratio, and what the rate means for 1,000 delegates casting within a 60 s countdown
    on this machine's cores (gunicorn runs one process per core or more).
SQLite by default (a file in a temporary folder); pass a PostgreSQL URL to measure that.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine

from evote.crypto.ballot import BallotBoxState, SubmittedBallot, device_hash
from evote.crypto.ceremony import GuardianSecret
from evote.crypto.context import ElectionContext
from evote.crypto.encrypt import encrypt_ballot
from evote.crypto.equations import SequentialChecker
from evote.crypto.group import random_q_from_bytes
from evote.crypto.internal_manifest import InternalManifest
from evote.crypto.manifest import Manifest
from evote.crypto.validate import validate_ballot
from evote.rules.majority import MajorityRule
from evote.voting.ballot_box import submit
from evote.voting.manifest import VoteKind, VoteSpec


def _setup(app: Any, voters: int) -> tuple[int, list[int]]:
    from evote.people.accounts import add_participant, create_event
    from evote.people.attendance import check_in
    from evote.store.db import create_all, get_session
    from evote.store.models.event import EventStatus
    from evote.voting.lifecycle import create_vote, open_vote
    from evote.voting.results import import_election_key
    from evote.webapp.permissions import Role

    create_all(app)
    now = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
    with app.app_context():
        db = get_session()
        event = create_event(db, "bench", "Bench convention")
        event.status = EventStatus.OPEN.value
        ids = []
        for i in range(voters):
            p = add_participant(
                db, event, name=f"D{i}", email=f"d{i}@example.org",
                roles=frozenset({Role.DELEGATE}), voting_right=True,
            )
            db.flush()
            check_in(p, now)
            ids.append(p.id)
        guardians = [
            GuardianSecret.generate(f"g{i}", i, 2, secrets.token_bytes(32)) for i in (1, 2, 3)
        ]
        import_election_key(db, event, 3, 2, [g.public_key().to_json() for g in guardians])
        vote = create_vote(
            db, event, VoteSpec(VoteKind.MOTION, "Bench motion"), rule=MajorityRule.SIMPLE,
            abstentions_counted=False, duration_seconds=3600, now=now,
        )
        open_vote(db, vote, now=now)
        db.commit()
        return vote.id, ids


def _encrypt(vote: Any, count: int) -> list[bytes]:
    manifest = Manifest.from_json(json.loads(vote.manifest_json))
    internal = InternalManifest(manifest)
    context = ElectionContext.from_json(json.loads(vote.context_json))
    device = json.loads(vote.device_json)
    seed = device_hash(
        device["device_id"], device["session_id"], device["launch_code"], device["location"]
    )
    from evote.crypto.ballot import (
        PlaintextBallot,
        PlaintextBallotContest,
        PlaintextBallotSelection,
    )

    bodies = []
    for i in range(count):
        choice = ("yes", "no", "abstain")[i % 3]
        plaintext = PlaintextBallot(
            f"b-{secrets.token_hex(8)}", "delegate",
            (PlaintextBallotContest("motion", (PlaintextBallotSelection(choice, 1),)),),
        )
        ballot = encrypt_ballot(
            plaintext, internal, context, seed, random_q_from_bytes(secrets.token_bytes(64)),
            vote.ballot_timestamp,
        )
        bodies.append(json.dumps(ballot.submit(BallotBoxState.CAST).to_json()).encode())
    return bodies


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ballots", type=int, default=60)
    parser.add_argument("--database-url", default=os.environ.get("EVOTE_BENCH_DATABASE_URL"))
    args = parser.parse_args(argv)

    from evote.store.db import get_session
    from evote.store.models.votes import Vote
    from evote.webapp.app import create_app

    with tempfile.TemporaryDirectory(prefix="evote-bench-") as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
        # PostgreSQL: a private schema, dropped at the end, so a shared database is untouched.
        schema = f"evote_bench_{secrets.token_hex(4)}" if url.startswith("postgresql") else None
        app = create_app(
            {"TESTING": True, "SECRET_KEY": "bench", "DATABASE_URL": url, "VOTE_SWEEPER": False,
             "DATABASE_SCHEMA": schema}
        )
        vote_id, voters = _setup(app, args.ballots)
        with app.app_context():
            db = get_session()
            vote = db.get(Vote, vote_id)
            assert vote is not None
            bodies = _encrypt(vote, args.ballots)
            now = datetime(2026, 11, 28, 10, 0, 1, tzinfo=UTC)
            cpu, wall = time.process_time(), time.perf_counter()
            for participant, body in zip(voters, bodies, strict=True):
                outcome = submit(db, vote, participant, body, now=now)
                assert outcome.new
            box_cpu, box_wall = time.process_time() - cpu, time.perf_counter() - wall
            manifest = Manifest.from_json(json.loads(vote.manifest_json))
            context = ElectionContext.from_json(json.loads(vote.context_json))
            parsed = [SubmittedBallot.from_json(json.loads(b)) for b in bodies]
            cpu = time.process_time()
            for ballot in parsed:
                validate_ballot(ballot, manifest, context, checker=SequentialChecker())
            plain_cpu = time.process_time() - cpu
        if schema:
            from sqlalchemy import text

            from evote.store.db import get_engine

            get_engine(app).dispose()
            with create_engine(url).begin() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))

    n = args.ballots
    box_rate, plain_rate = n / box_cpu, n / plain_cpu
    cores = os.cpu_count() or 1
    print(f"ballot box, {n} motion ballots, {url.split(':')[0]}, Python {sys.version.split()[0]}")
    print(f"  ballot box (batched proofs, insert, commit): {box_rate:7.1f} ballots/CPU-s"
          f"  ({n / box_wall:.1f}/s wall)")
    print(f"  plain proof check alone (one powmod at a time): {plain_rate:7.1f} ballots/CPU-s")
    print(f"  ratio ballot box / plain check: {box_rate / plain_rate:.1f}x")
    print(f"  1,000 ballots on {cores} cores: about {1000 / (box_rate * cores):.0f} s of a 60 s "
          "countdown (CPU only; network and HTTP not included)")


if __name__ == "__main__":
    main()
