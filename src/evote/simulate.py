"""`evote simulate`: a whole vote from one seed, ending in a published election record.

Key ceremony, N random ballots encrypted as a delegate's browser would, s of them challenged
(spoiled), the homomorphic tally, decryption by the n − m present guardians with the m absent
ones compensated from their key backups, and the record written with evote's order-hiding
rules.  Every secret comes from `SeededRandom(seed)`, so a seed reproduces the record byte for
byte; the decrypted totals are checked against the plaintext ballots before anything is
written.  This is orchestration around the pure core, which is why it lives outside
`evote.crypto`.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from evote.crypto.backup import make_backup, open_backup
from evote.crypto.ballot import (
    BallotBoxState,
    PlaintextBallot,
    PlaintextBallotContest,
    PlaintextBallotSelection,
    SubmittedBallot,
)
from evote.crypto.ceremony import GuardianPublicKey, GuardianSecret, combine_guardian_keys
from evote.crypto.compensation import (
    LagrangeCoefficients,
    compute_compensated_share,
    reconstruct_share,
)
from evote.crypto.context import ElectionContext, make_context
from evote.crypto.decrypt import PlaintextTally, decrypt_with_shares, manifest_selections
from evote.crypto.decryption_share import DecryptionShare, compute_decryption_share
from evote.crypto.encrypt import encrypt_ballot
from evote.crypto.group import ElementModQ
from evote.crypto.internal_manifest import InternalManifest
from evote.crypto.manifest import Manifest
from evote.crypto.tally import TALLY_ID, Ciphertexts, CiphertextTally, ballot_ciphertexts
from evote.record import ElectionRecord, EncryptionDevice, VoteInfo, write_record
from evote.seeded_random import SeededRandom

STYLE = "delegate"
CLOSED_AT = datetime(2026, 11, 28, 10, 0, 0, tzinfo=UTC)
"""The simulated vote's close time; fixed, so a seed alone determines the record."""

MOTION = ("motion", ["yes", "no", "abstain"], 1)
EXECUTIVE = ("executive", ["ada", "ben", "cleo", "dara"], 2)


def default_manifest(scope_id: str = "convention-simulation") -> dict[str, Any]:
    """A convention's vote: a motion (yes/no/abstain) and an executive election, 2 of 4."""

    def text(value: str) -> dict[str, Any]:
        return {"text": [{"value": value, "language": "en"}]}

    contests, candidates = [], []
    for order, (contest_id, options, seats) in enumerate((MOTION, EXECUTIVE)):
        for option in options:
            candidates.append({"object_id": f"{contest_id}-{option}", "name": text(option)})
        contests.append(
            {
                "object_id": contest_id,
                "sequence_order": order,
                "electoral_district_id": "convention",
                "vote_variation": "one_of_m" if seats == 1 else "n_of_m",
                "number_elected": seats,
                "votes_allowed": seats,
                "name": contest_id.capitalize(),
                "ballot_selections": [
                    {
                        "object_id": f"{contest_id}-{option}-selection",
                        "sequence_order": i,
                        "candidate_id": f"{contest_id}-{option}",
                    }
                    for i, option in enumerate(options)
                ],
            }
        )
    return {
        "election_scope_id": scope_id,
        "spec_version": "1.0",
        "type": "special",
        "start_date": "2026-11-28T09:00:00",
        "end_date": "2026-11-28T18:00:00",
        "geopolitical_units": [{"object_id": "convention", "name": "Convention", "type": "other"}],
        "parties": [],
        "candidates": candidates,
        "contests": contests,
        "ballot_styles": [{"object_id": STYLE, "geopolitical_unit_ids": ["convention"]}],
        "name": text("Simulated convention vote"),
    }


@dataclass(frozen=True, slots=True)
class SimulationSettings:
    ballots: int
    guardians: int
    quorum: int
    missing: int = 0
    spoil: int = 0
    seed: str = "evote"
    workers: int = 1
    """Processes that encrypt ballots; the record does not depend on it (nonces are drawn first)."""

    def __post_init__(self) -> None:
        if self.workers < 1:
            raise ValueError("at least one worker is needed")
        if self.ballots < 0 or self.spoil < 0 or self.missing < 0:
            raise ValueError("counts cannot be negative")
        if not 1 <= self.quorum <= self.guardians:
            raise ValueError(f"the quorum must be between 1 and {self.guardians} guardians")
        if self.guardians - self.missing < self.quorum:
            raise ValueError(
                f"{self.guardians - self.missing} present guardians cannot reach "
                f"the quorum of {self.quorum}"
            )
        if self.spoil > self.ballots:
            raise ValueError("cannot spoil more ballots than are submitted")


Progress = Callable[[int], None]
"""Called with the number of steps just finished (ballots encrypted, decryptions done)."""


def total_steps(settings: SimulationSettings) -> int:
    return settings.ballots + 1 + settings.spoil


@dataclass(slots=True)
class SimulationResult:
    path: Path
    record: ElectionRecord
    expected: dict[str, dict[str, int]]
    """Totals counted from the plaintext cast ballots; the decrypted tally equals them."""
    absent: list[str] = field(default_factory=list)

    def summary(self) -> str:
        assert self.record.tally is not None
        lines = [
            f"{len(self.record.cast_ballots())} ballots cast, "
            f"{len(self.record.spoiled_submitted())} spoiled; guardians absent: "
            f"{', '.join(self.absent) or 'none'}"
        ]
        for contest, selections in self.record.tally.totals().items():
            counts = ", ".join(f"{s}: {n}" for s, n in selections.items())
            lines.append(f"  {contest}: {counts}")
        return "\n".join(lines)


def _random_ballot(rng: SeededRandom, manifest: Manifest) -> PlaintextBallot:
    """One delegate's choices: exactly one answer to a motion; up to the number of seats in an
    election (fewer, even none, is allowed there, and the placeholders hide how many)."""
    contests = []
    for contest in manifest.contests:
        ids = [s.object_id for s in contest.ballot_selections]
        limit = contest.votes_allowed or contest.number_elected
        picked = rng.sample(ids, 1 if limit == 1 else rng.below(limit + 1))
        contests.append(
            PlaintextBallotContest(
                contest.object_id, tuple(PlaintextBallotSelection(s, 1) for s in sorted(picked))
            )
        )
    return PlaintextBallot("b-" + rng.hex_id(8), STYLE, tuple(contests))


def _count(ballots: Sequence[PlaintextBallot], manifest: Manifest) -> dict[str, dict[str, int]]:
    totals = {c.object_id: {s.object_id: 0 for s in c.ballot_selections} for c in manifest.contests}
    for ballot in ballots:
        for contest in ballot.contests:
            for selection in contest.ballot_selections:
                totals[contest.object_id][selection.object_id] += selection.vote
    return totals


@dataclass(slots=True)
class _Ceremony:
    secrets: dict[str, GuardianSecret]
    records: list[GuardianPublicKey]
    coordinates: dict[tuple[str, str], ElementModQ]
    """(owner i, holder ℓ) → P_i(ℓ), opened and checked by ℓ."""

    def record(self, guardian_id: str) -> GuardianPublicKey:
        return next(r for r in self.records if r.guardian_id == guardian_id)


def _key_ceremony(rng: SeededRandom, n: int, k: int) -> _Ceremony:
    secrets = {
        str(i): GuardianSecret.generate(str(i), i, k, rng.bytes(32)) for i in range(1, n + 1)
    }
    records = [s.public_key() for s in secrets.values()]
    by_id = {r.guardian_id: r for r in records}
    coordinates = {}
    for owner, secret in secrets.items():
        for holder, holder_secret in secrets.items():
            if holder != owner:
                backup = make_backup(secret, by_id[holder], rng.element_q())
                coordinates[owner, holder] = open_backup(backup, holder_secret, by_id[owner])
    return _Ceremony(secrets, records, coordinates)


def _decrypt(
    object_id: str,
    ciphertexts: Ciphertexts,
    ceremony: _Ceremony,
    present: Sequence[str],
    context: ElectionContext,
    rng: SeededRandom,
    *,
    bound: int,
    selections: Mapping[str, Sequence[str]] | None = None,
) -> PlaintextTally:
    q_bar = context.crypto_extended_base_hash
    shares: dict[str, DecryptionShare] = {
        g: compute_decryption_share(
            ceremony.secrets[g], object_id, ciphertexts, q_bar, rng.element_q()
        )
        for g in present
    }
    present_records = [ceremony.record(g) for g in present]
    lagrange = LagrangeCoefficients.for_guardians(present_records)
    for missing in (r for r in ceremony.records if r.guardian_id not in present):
        parts = {
            g: compute_compensated_share(
                ceremony.secrets[g],
                ceremony.record(g),
                missing,
                ceremony.coordinates[missing.guardian_id, g],
                object_id,
                ciphertexts,
                q_bar,
                rng.element_q(),
            )
            for g in present
        }
        shares[missing.guardian_id] = reconstruct_share(missing, parts, lagrange)
    return decrypt_with_shares(
        object_id, ciphertexts, shares, ceremony.records, q_bar, bound=bound, selections=selections
    )


_worker_state: dict[str, Any] = {}


def _init_encryptor(
    internal: InternalManifest, context: ElectionContext, seed: ElementModQ, timestamp: int
) -> None:
    _worker_state.update(internal=internal, context=context, seed=seed, timestamp=timestamp)


def _encrypt_one(job: tuple[PlaintextBallot, ElementModQ, BallotBoxState]) -> SubmittedBallot:
    plain, nonce, state = job
    w = _worker_state
    ballot = encrypt_ballot(plain, w["internal"], w["context"], w["seed"], nonce, w["timestamp"])
    return ballot.submit(state)


def _encrypt_all(
    jobs: list[tuple[PlaintextBallot, ElementModQ, BallotBoxState]],
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


def run_simulation(
    settings: SimulationSettings, out: Path, progress: Progress | None = None
) -> SimulationResult:
    """Run the vote and write its record to `out` (a directory, or a zip for `.zip`)."""
    step = progress or (lambda _n: None)
    rng = SeededRandom(settings.seed)
    manifest = Manifest.from_json(default_manifest())
    internal = InternalManifest(manifest)
    n, k = settings.guardians, settings.quorum

    ceremony = _key_ceremony(rng, n, k)
    joint = combine_guardian_keys(ceremony.records, n, k)
    context = make_context(
        n, k, joint.joint_public_key, joint.commitment_hash, manifest.crypto_hash()
    )
    device = EncryptionDevice(rng.below(2**48), rng.below(2**31), rng.below(2**31), "evote")
    code_seed = device.crypto_hash()
    timestamp = int(CLOSED_AT.timestamp())

    plaintexts = [_random_ballot(rng, manifest) for _ in range(settings.ballots)]
    spoiled_ids = {
        plaintexts[i].object_id for i in rng.sample(range(settings.ballots), settings.spoil)
    }
    jobs = [
        (
            p,
            rng.element_q(),
            BallotBoxState.SPOILED if p.object_id in spoiled_ids else BallotBoxState.CAST,
        )
        for p in plaintexts
    ]  # nonces drawn here, in ballot order, so the pool cannot change the record
    submitted = _encrypt_all(
        jobs, (internal, context, code_seed, timestamp), settings.workers, step
    )
    cast = [b for b in submitted if b.state == BallotBoxState.CAST]

    absent = sorted(rng.sample(sorted(ceremony.secrets), settings.missing), key=int)
    present = [g for g in ceremony.secrets if g not in absent]
    encrypted_tally = CiphertextTally.for_manifest(manifest).add_cast_ballots(cast)
    limit = max(c.votes_allowed or c.number_elected for c in manifest.contests)
    tally = _decrypt(
        TALLY_ID,
        encrypted_tally.ciphertexts(),
        ceremony,
        present,
        context,
        rng,
        bound=max(1, len(cast) * limit),
    )
    step(1)
    expected = _count([p for p in plaintexts if p.object_id not in spoiled_ids], manifest)
    if tally.totals() != expected:
        raise RuntimeError("the decrypted tally differs from the plaintext ballots")

    spoiled_decryptions = []
    for ballot in (b for b in submitted if b.state == BallotBoxState.SPOILED):
        spoiled_decryptions.append(
            _decrypt(
                ballot.object_id,
                ballot_ciphertexts(ballot),
                ceremony,
                present,
                context,
                rng,
                bound=1,
                selections=manifest_selections(manifest),
            )
        )
        step(1)

    record = ElectionRecord(
        manifest=manifest,
        context=context,
        guardians=tuple(ceremony.records),
        devices=(device,),
        submitted_ballots=tuple(submitted),
        spoiled_ballots=tuple(spoiled_decryptions),
        encrypted_tally=encrypted_tally,
        tally=tally,
        lagrange_coefficients=LagrangeCoefficients.for_guardians(
            [ceremony.record(g) for g in present]
        ),
        vote=VoteInfo(
            vote_id=manifest.election_scope_id,
            closed_at=CLOSED_AT,
            eligible_voters=settings.ballots,
            ballots_cast=len(cast),
            ballots_spoiled=len(spoiled_decryptions),
            ballot_timestamp=timestamp,
        ),
    )
    path = write_record(record, out)
    return SimulationResult(path, record, expected, absent)


@click.command("simulate")
@click.option(
    "--ballots",
    "-N",
    type=click.IntRange(min=0),
    default=20,
    show_default=True,
    help="Ballots submitted (cast and spoiled together).",
)
@click.option("--guardians", "-n", type=click.IntRange(min=1), default=3, show_default=True)
@click.option("--quorum", "-k", type=click.IntRange(min=1), default=2, show_default=True)
@click.option(
    "--missing",
    "-m",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Guardians absent at decryption; the others compensate for them.",
)
@click.option(
    "--spoil",
    "-s",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Ballots challenged (spoiled) instead of cast; they are decrypted one by one.",
)
@click.option(
    "--seed",
    "-S",
    default="evote",
    show_default=True,
    help="Seed of every secret: the same seed writes the same record.",
)
@click.option(
    "--out",
    "-o",
    type=click.Path(path_type=Path),
    required=True,
    help="Record to write: a directory, or a zip if it ends in .zip.",
)
@click.option(
    "--workers",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Processes encrypting ballots [default: all cores]; the record does not change.",
)
def simulate_command(
    ballots: int,
    guardians: int,
    quorum: int,
    missing: int,
    spoil: int,
    seed: str,
    out: Path,
    workers: int | None,
) -> None:
    """Simulate a vote end to end and write its election record."""
    try:
        settings = SimulationSettings(
            ballots, guardians, quorum, missing, spoil, seed, workers or os.cpu_count() or 1
        )
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    if out.exists():
        raise click.UsageError(f"{out} already exists; choose a new path for the record")
    if sys.stderr.isatty():
        with click.progressbar(
            length=total_steps(settings), label="simulating", file=sys.stderr
        ) as bar:
            result = run_simulation(settings, out, bar.update)
    else:
        result = run_simulation(settings, out)
    click.echo(result.summary())
    click.echo(f"election record: {result.path}")
