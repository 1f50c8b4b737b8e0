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

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

import click

from evote.crypto.ballot import BallotBoxState
from evote.crypto.ceremony import combine_guardian_keys, threshold_problem
from evote.crypto.compensation import LagrangeCoefficients
from evote.crypto.context import make_context
from evote.crypto.fingerprint import ceremony_digest
from evote.crypto.internal_manifest import InternalManifest
from evote.crypto.manifest import Manifest
from evote.crypto.tally import TALLY_ID, CiphertextTally
from evote.record import CeremonyInfo, ElectionRecord, EncryptionDevice, VoteInfo, write_record
from evote.record.credentials import RECORD_FILE as CREDENTIALS_FILE
from evote.simulation.committee import seat
from evote.simulation.convention import CLOSED_AT, count_votes, default_manifest, random_ballot
from evote.simulation.encryption import Progress, encrypt_all
from evote.simulation.guardians import decrypt, decrypt_challenged, key_ceremony
from evote.simulation.seeded_random import SeededRandom


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
    credentials: bool = True
    """Play the credentials committee too: every cast ballot signed (`evote/credentials.json`)."""

    def __post_init__(self) -> None:
        if self.workers < 1:
            raise ValueError("at least one worker is needed")
        if self.ballots < 0 or self.spoil < 0 or self.missing < 0:
            raise ValueError("counts cannot be negative")
        problem = threshold_problem(self.guardians, self.quorum)
        if problem is not None:
            raise ValueError(problem)
        if self.guardians - self.missing < self.quorum:
            raise ValueError(
                f"{self.guardians - self.missing} present guardians cannot reach "
                f"the quorum of {self.quorum}"
            )
        if self.spoil > self.ballots:
            raise ValueError("cannot spoil more ballots than are submitted")


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


def run_simulation(
    settings: SimulationSettings, out: Path, progress: Progress | None = None
) -> SimulationResult:
    """Run the vote and write its record to `out` (a directory, or a zip for `.zip`)."""
    step = progress or (lambda _n: None)
    rng = SeededRandom(settings.seed)
    manifest = Manifest.from_json(default_manifest())
    internal = InternalManifest(manifest)
    n, k = settings.guardians, settings.quorum

    ceremony = key_ceremony(rng, n, k)
    joint = combine_guardian_keys(ceremony.records, n, k)
    context = make_context(
        n, k, joint.joint_public_key, joint.commitment_hash, manifest.crypto_hash()
    )
    device = EncryptionDevice(rng.below(2**48), rng.below(2**31), rng.below(2**31), "evote")
    code_seed = device.crypto_hash()
    timestamp = int(CLOSED_AT.timestamp())

    plaintexts = [random_ballot(rng, manifest) for _ in range(settings.ballots)]
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
    submitted = encrypt_all(jobs, (internal, context, code_seed, timestamp), settings.workers, step)
    cast = [b for b in submitted if b.state == BallotBoxState.CAST]

    absent = sorted(rng.sample(sorted(ceremony.secrets), settings.missing), key=int)
    present = [g for g in ceremony.secrets if g not in absent]
    encrypted_tally = CiphertextTally.for_manifest(manifest).add_cast_ballots(cast)
    limit = max(c.votes_allowed or c.number_elected for c in manifest.contests)
    tally = decrypt(
        TALLY_ID,
        encrypted_tally.ciphertexts(),
        ceremony,
        present,
        context,
        rng,
        bound=max(1, len(cast) * limit),
    )
    step(1)
    expected = count_votes([p for p in plaintexts if p.object_id not in spoiled_ids], manifest)
    if tally.totals() != expected:
        raise RuntimeError("the decrypted tally differs from the plaintext ballots")

    spoiled_decryptions = []
    for ballot in (b for b in submitted if b.state == BallotBoxState.SPOILED):
        spoiled_decryptions.append(
            decrypt_challenged(ballot, manifest, ceremony, present, context, rng)
        )
        step(1)

    extras = {}
    if settings.credentials:
        # drawn after everything else, so a seed's ballots and keys stay those of older records
        signed = seat(rng, settings.ballots).record(
            manifest.election_scope_id, int(manifest.crypto_hash().value), tuple(submitted)
        )
        extras[CREDENTIALS_FILE] = signed.to_json()
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
        ceremony=CeremonyInfo(
            ceremony_digest(n, k, ceremony.records), ceremony.confirmations
        ),
        extras=extras,
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
@click.option(
    "--guardians", "-n", type=click.IntRange(min=1), default=3, show_default=True,
    help="Guardians who share the election key (at least 2).",
)
@click.option(
    "--quorum", "-k", type=click.IntRange(min=1), default=2, show_default=True,
    help="Guardians needed to decrypt: 2 <= k <= n (with k = 1 any one guardian could).",
)
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
@click.option(
    "--credentials/--no-credentials",
    default=True,
    show_default=True,
    help="Play the credentials committee: a signed roll and every cast ballot signed "
    "(evote/credentials.json, evote-verify V23); without, the record shows no eligibility.",
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
    credentials: bool,
) -> None:
    """Simulate a vote end to end and write its election record."""
    try:
        settings = SimulationSettings(
            ballots, guardians, quorum, missing, spoil, seed, workers or os.cpu_count() or 1,
            credentials,
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
    if credentials:
        click.echo("credentials committee played by the simulation: every cast ballot is "
                   "signed by a key of its signed roll (evote/credentials.json)")
    else:
        click.echo("no credentials committee: the record does not show who may have cast")
    click.echo(f"election record: {result.path}")
