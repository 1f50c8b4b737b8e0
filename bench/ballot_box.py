"""The ballot box end to end: CPU per cast, ballot by ballot and batched across requests; the close.

    python -m bench.ballot_box [--ballots 120] [--threads 8] [--close-ballots 1000]
                               [--database-url URL]

A convention's motion (yes/no/abstain).  Ballots are encrypted first (not timed), then each goes
through `evote.voting.ballot_box.submit` — parsing, retry check, proof check, the
one-transaction insert and commit — as the HTTP view calls it, from `--threads` threads at once
(gunicorn's threads of one worker).  Printed, from the same run:
  - CPU per cast (CPU-seconds of this process over all its threads, so other load on a shared
    machine distorts it little) and the submit latency (median, 99th percentile), with the
    proofs checked ballot by ballot (one `BatchChecker` each, the old way) and batched across
    the concurrent requests (`voting.proof_batcher`), and the sizes of those batches;
  - the plain proof check alone (`SequentialChecker`, one powmod at a time), for scale;
  - the close at `--close-ballots` ballots (the real ones plus copies of them under new ids,
    which the close neither checks nor needs to tell apart): when `vote_closed` went out, and
    when the seal (rows rewritten in code order, encrypted tally) had committed.
SQLite by default (a file in a temporary folder); pass a PostgreSQL URL to measure that.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, insert, update

from evote.crypto.ballot import BallotBoxState, SubmittedBallot, device_hash
from evote.crypto.ceremony import GuardianSecret
from evote.crypto.context import ElectionContext
from evote.crypto.encrypt import encrypt_ballot
from evote.crypto.equations import SequentialChecker
from evote.crypto.group import random_q_from_bytes
from evote.crypto.internal_manifest import InternalManifest
from evote.crypto.manifest import Manifest
from evote.crypto.validate import validate_ballot
from evote.rules.majority import MajorityBase, MajorityRule
from evote.voting.ballot_box import submit
from evote.voting.manifest import VoteKind, VoteSpec

NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


def _setup(app: Any, voters: int, slug: str = "bench") -> tuple[int, list[int]]:
    from evote.people.accounts import add_participant, create_event
    from evote.people.attendance import check_in
    from evote.store.db import create_all, get_session
    from evote.store.models.event import EventStatus
    from evote.voting.lifecycle import create_vote, open_vote
    from evote.voting.results import import_election_key
    from evote.webapp.permissions import Role

    create_all(app)
    now = NOW
    with app.app_context():
        db = get_session()
        event = create_event(db, slug, "Bench convention")
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
            base=MajorityBase.VALID, duration_seconds=3600, now=now,
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


def _cast(
    app: Any, vote_id: int, voters: list[int], bodies: list[bytes], threads: int
) -> tuple[float, float, list[float]]:
    """Submit every ballot from `threads` threads started together: (CPU-s, wall-s, latencies)."""
    from evote.store.db import get_session
    from evote.store.models.votes import Vote

    now = NOW + timedelta(seconds=1)
    latencies: list[float] = []
    start = threading.Barrier(threads + 1)

    def run(share: range) -> None:
        with app.app_context():
            db = get_session()
            vote = db.get(Vote, vote_id)
            start.wait()
            for i in share:
                began = time.perf_counter()
                assert submit(db, vote, voters[i], bodies[i], now=now).new
                latencies.append(time.perf_counter() - began)

    workers = [
        threading.Thread(target=run, args=(range(k, len(bodies), threads),))
        for k in range(threads)
    ]
    for w in workers:
        w.start()
    start.wait()
    cpu, wall = time.process_time(), time.perf_counter()
    for w in workers:
        w.join()
    return time.process_time() - cpu, time.perf_counter() - wall, latencies


def _pad(app: Any, vote_id: int, voters: list[int], bodies: list[bytes]) -> None:
    """Fill the vote up to one ballot per voter with copies of the real ballots under new ids
    (and their participation and fingerprint rows), as the close would find them."""
    from evote.store.db import get_session
    from evote.store.models.votes import CiphertextFingerprint, Participation, StoredBallot, Vote

    with app.app_context():
        db = get_session()
        extra = voters[len(bodies) :]
        if not extra:
            return
        rows = []
        for n, _participant in enumerate(extra):
            doc = json.loads(bodies[n % len(bodies)])
            doc["object_id"] = f"copy-{n}"
            rows.append(
                {"vote_id": vote_id, "tracking_code": secrets.token_hex(32),
                 "ballot_id": f"copy-{n}", "state": "cast",
                 "ballot_json": json.dumps(doc, separators=(",", ":"))}
            )
        db.execute(insert(StoredBallot), rows)
        db.execute(
            insert(Participation),
            [{"vote_id": vote_id, "participant_id": p, "retry_tag": secrets.token_bytes(32)}
             for p in extra],
        )
        db.execute(
            insert(CiphertextFingerprint),
            [{"vote_id": vote_id, "fingerprint": secrets.token_bytes(32)}
             for _ in range(4 * len(extra))],
        )
        db.execute(
            update(Vote).where(Vote.id == vote_id).values(cast_count=Vote.cast_count + len(extra))
        )
        db.commit()


def _close(app: Any, vote_id: int) -> tuple[float, float]:
    """Close the vote: (seconds until `vote_closed` was published, until the seal committed)."""
    from evote.store.db import get_session
    from evote.store.models.votes import Vote
    from evote.voting import events, lifecycle

    announced: list[float] = []
    publish = events.vote_closed

    def timed(closed: Any) -> None:
        announced.append(time.perf_counter())
        publish(closed)

    events.vote_closed = timed  # type: ignore[assignment]
    try:
        with app.app_context():
            db = get_session()
            vote = db.get(Vote, vote_id)
            assert vote is not None and vote.closes_at is not None
            began = time.perf_counter()
            assert lifecycle.close_if_due(db, vote_id, vote.closes_at + timedelta(seconds=1))
            done = time.perf_counter()
    finally:
        events.vote_closed = publish  # type: ignore[assignment]
    return announced[0] - began, done - began


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ballots", type=int, default=120)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--close-ballots", type=int, default=1000)
    parser.add_argument(
        "--window", type=float, default=None,
        help="BALLOT_BATCH_WINDOW, seconds (default: the server's, 0.002)",
    )
    parser.add_argument("--database-url", default=os.environ.get("EVOTE_BENCH_DATABASE_URL"))
    args = parser.parse_args(argv)
    n, threads = args.ballots, max(1, args.threads)

    from evote.store.db import get_session
    from evote.store.models.votes import Vote
    from evote.voting import proof_batcher
    from evote.webapp.app import create_app

    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="evote-bench-") as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
        # PostgreSQL: a private schema, dropped at the end, so a shared database is untouched.
        schema = f"evote_bench_{secrets.token_hex(4)}" if url.startswith("postgresql") else None
        app = create_app(
            {"TESTING": True, "SECRET_KEY": "bench-" + "0" * 64, "DATABASE_URL": url,
             "VOTE_SWEEPER": False, "DATABASE_SCHEMA": schema,
             **({} if args.window is None else {"BALLOT_BATCH_WINDOW": args.window})}
        )
        single_id, single_voters = _setup(app, n, "bench-single")
        batched_id, batched_voters = _setup(app, max(n, args.close_ballots), "bench-batched")
        with app.app_context():
            db = get_session()
            single_vote, batched_vote = db.get(Vote, single_id), db.get(Vote, batched_id)
            assert single_vote is not None and batched_vote is not None
            single_bodies = _encrypt(single_vote, n)
            batched_bodies = _encrypt(batched_vote, n)
            batcher = proof_batcher.batcher()
            assert batcher is not None
            app.extensions["evote_proof_batcher"] = None  # ballot by ballot
        results["single"] = _cast(app, single_id, single_voters, single_bodies, threads)
        app.extensions["evote_proof_batcher"] = batcher
        results["batched"] = _cast(app, batched_id, batched_voters, batched_bodies, threads)
        sizes = list(batcher.batches)
        manifest = Manifest.from_json(json.loads(batched_vote.manifest_json))
        context = ElectionContext.from_json(json.loads(batched_vote.context_json or "{}"))
        parsed = [SubmittedBallot.from_json(json.loads(b)) for b in batched_bodies[:20]]
        cpu = time.process_time()
        for ballot in parsed:
            validate_ballot(ballot, manifest, context, checker=SequentialChecker())
        plain_cpu = (time.process_time() - cpu) / len(parsed)
        _pad(app, batched_id, batched_voters, batched_bodies)
        announced, sealed = _close(app, batched_id)
        batcher.stop()
        if schema:
            from sqlalchemy import text

            from evote.store.db import get_engine

            get_engine(app).dispose()
            with create_engine(url).begin() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))

    print(f"ballot box, {n} motion ballots from {threads} threads, {url.split(':')[0]}, "
          f"Python {sys.version.split()[0]}, {os.cpu_count()} cores")
    for label, key in (("ballot by ballot", "single"), ("batched across requests", "batched")):
        cpu, wall, lat = results[key]
        print(f"  {label:24s} {cpu / n * 1000:6.1f} CPU ms/cast, {n / wall:6.1f} casts/s wall, "
              f"latency median {statistics.median(lat) * 1000:5.0f} ms, "
              f"p99 {_quantile(lat, 0.99) * 1000:5.0f} ms")
    print(f"  batches: {len(sizes)}, mean {statistics.mean(sizes):.1f} ballots, "
          f"largest {max(sizes)}")
    print(f"  plain proof check alone (one powmod at a time): {plain_cpu * 1000:.1f} CPU ms/ballot")
    print(f"  close at {max(n, args.close_ballots)} ballots: vote_closed published after "
          f"{announced * 1000:.0f} ms, sealed (rows rewritten, tally) after {sealed:.2f} s")


if __name__ == "__main__":
    main()
