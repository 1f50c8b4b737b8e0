"""Tally decryption speed: 1,000 ballots, 3 of 5 guardians present (2 compensated).

    python -m bench.tally [--ballots 1000]

Set-up (not timed): a 5-guardian, quorum-3 key ceremony with evote's own code, backups of
the two absent guardians opened by the three present, and 1,000 ballots over the sample
manifest's seven selections, encrypted with the fixed-base tables (these ballots carry no
proofs: a tally only sums ciphertexts, and ballot proofs are `bench.validation`'s business).

Timed, twice on the same data: summing the cast ballots, the present guardians' shares and
the compensated parts for the absent ones, reconstruction, verification of every share proof
and the discrete logs, i.e. everything between "the vote closed" and "the totals are known".
  - plain: every proof checked one powmod at a time (`SequentialChecker`);
  - fast: all share proofs of the tally checked in one batch (`batch.deferred(BatchChecker)`
    with tables for g and the guardian keys).
The goal is under 10 s; the ratio is fast over plain.
"""

from __future__ import annotations

import argparse
import json
import random
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

from evote.crypto.backup import make_backup, open_backup
from evote.crypto.batch import BatchChecker, deferred
from evote.crypto.ceremony import GuardianPublicKey, GuardianSecret, combine_guardian_keys
from evote.crypto.compensation import (
    LagrangeCoefficients,
    compute_compensated_share,
    reconstruct_share,
)
from evote.crypto.decrypt import PlaintextTally, decrypt_with_shares
from evote.crypto.decryption_share import compute_decryption_share
from evote.crypto.elgamal import ElGamalCiphertext
from evote.crypto.equations import SequentialChecker
from evote.crypto.fastexp import fixed_base, g_pow
from evote.crypto.group import ElementModP, ElementModQ, P
from evote.crypto.hash import hash_elems
from evote.crypto.manifest import Manifest
from evote.crypto.tally import CiphertextTally

from .record import SAMPLE_MANIFEST

N, QUORUM = 5, 3
PRESENT = ("g1", "g3", "g4")
MISSING = ("g2", "g5")
Q_BAR = hash_elems("evote bench", "tally")


@dataclass(frozen=True)
class Selection:
    object_id: str
    ciphertext: ElGamalCiphertext
    is_placeholder_selection: bool = False


@dataclass(frozen=True)
class Contest:
    object_id: str
    ballot_selections: list[Selection]


@dataclass(frozen=True)
class Ballot:
    object_id: str
    contests: list[Contest]
    state: int = 1  # CAST


@dataclass(frozen=True)
class Election:
    secrets: dict[str, GuardianSecret]
    records: list[GuardianPublicKey]
    joint_key: ElementModP
    coordinates: dict[tuple[str, str], ElementModQ]
    """(missing, present) → P_missing(present's sequence order), from the opened backups."""
    manifest: Manifest
    ballots: list[Ballot]
    expected: dict[str, dict[str, int]]


def make_election(ballot_count: int, seed: int = 1) -> Election:
    guardian_secrets = {
        f"g{i}": GuardianSecret.generate(f"g{i}", i, QUORUM, bytes([i, seed]) * 16)
        for i in range(1, N + 1)
    }
    records = [s.public_key() for s in guardian_secrets.values()]
    by_id = {r.guardian_id: r for r in records}
    joint = combine_guardian_keys(records, N, QUORUM).joint_public_key
    coordinates = {}
    for m in MISSING:
        for n, p in enumerate(PRESENT):
            backup = make_backup(guardian_secrets[m], by_id[p], ElementModQ.of(77 + n))
            coordinates[m, p] = open_backup(backup, guardian_secrets[p], by_id[m])
    manifest = Manifest.from_json(json.loads(SAMPLE_MANIFEST.read_text()))
    k_table = fixed_base(joint.value)
    rng = random.Random(seed)
    expected = {
        c.object_id: {s.object_id: 0 for s in c.ballot_selections} for c in manifest.contests
    }
    ballots = []
    for b in range(ballot_count):
        contests = []
        for c in manifest.contests:
            options = [s.object_id for s in c.ballot_selections]
            chosen = set(rng.sample(options, rng.randint(0, c.votes_allowed)))
            selections = []
            for sid in options:
                vote = int(sid in chosen)
                expected[c.object_id][sid] += vote
                nonce = rng.randrange(1, 2**256)
                pad = g_pow(nonce)
                data = k_table.pow(nonce) * g_pow(vote) % P
                selections.append(
                    Selection(sid, ElGamalCiphertext(ElementModP(pad), ElementModP(data)))
                )
            contests.append(Contest(c.object_id, selections))
        ballots.append(Ballot(f"b{b}", contests))
    return Election(guardian_secrets, records, joint, coordinates, manifest, ballots, expected)


def decrypt_tally(election: Election, checker_for: Callable[[], object] | None) -> PlaintextTally:
    """Everything after the vote closes; `checker_for` None means the plain checker."""
    tally = CiphertextTally.for_manifest(election.manifest).add_cast_ballots(election.ballots)
    ciphertexts = tally.ciphertexts()
    by_id = {r.guardian_id: r for r in election.records}
    seed = ElementModQ.of(3)
    shares = {
        g: compute_decryption_share(election.secrets[g], tally.object_id, ciphertexts, Q_BAR, seed)
        for g in PRESENT
    }
    lagrange = LagrangeCoefficients.for_guardians([by_id[g] for g in PRESENT])
    for m in MISSING:
        parts = {
            p: compute_compensated_share(
                election.secrets[p], by_id[p], by_id[m], election.coordinates[m, p],
                tally.object_id, ciphertexts, Q_BAR, ElementModQ.of(5 + n),
            )
            for n, p in enumerate(PRESENT)
        }  # fmt: skip
        shares[m] = reconstruct_share(by_id[m], parts, lagrange)
    bound = len(election.ballots)
    if checker_for is None:
        return decrypt_with_shares(
            tally.object_id, ciphertexts, shares, election.records, Q_BAR,
            bound=bound, checker=SequentialChecker(),
        )  # fmt: skip
    with deferred(checker_for()) as checker:  # type: ignore[arg-type]
        result = decrypt_with_shares(
            tally.object_id, ciphertexts, shares, election.records, Q_BAR,
            bound=bound, checker=checker,
        )  # fmt: skip
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.tally")
    parser.add_argument("--ballots", type=int, default=1000)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    election = make_election(args.ballots)
    print(
        f"== tally decryption: {args.ballots} ballots, {QUORUM} of {N} guardians present "
        f"(set-up {time.perf_counter() - start:.1f} s, not timed)"
    )
    keys = [r.election_public_key for r in election.records]

    def batch() -> BatchChecker:
        return BatchChecker(secrets.token_bytes(32), fixed_bases=keys)

    times = {}
    for name, checker_for in (("plain", None), ("fast", batch)):
        start = time.process_time()
        plaintext = decrypt_tally(election, checker_for)
        times[name] = time.process_time() - start
        if plaintext.totals() != election.expected:
            raise SystemExit(f"{name}: wrong totals {plaintext.totals()}")
        print(f"{name:6s} {times[name]:6.2f} CPU-s   totals right")
    print(f"ratio plain / fast: {times['plain'] / times['fast']:.1f}x   goal: fast < 10 s")


if __name__ == "__main__":
    main()
