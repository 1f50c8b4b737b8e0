"""Ballot validation speed: evote batched (1 and N processes), evote plain, electionguard 1.4.0.

    python -m bench.validation [--ballots 100] [--workers N] [--weight-bits 64]
                               [--ballots-from evote|eg]

All three check the SAME ballots, from one record, in the same run:
  - electionguard: `SubmittedBallot.is_valid_encryption` in the .oracle venv (one process);
  - evote plain: the same claims, one powmod at a time (`SequentialChecker`);
  - evote batched: `BatchChecker` through `CheckPool`, in 1 and in N processes.
By default evote encrypts the ballots itself, so electionguard accepting them is a conformance
check as well; `--ballots-from eg` uses a record from Microsoft's `eg e2e` instead.
Single-process rates are per CPU-second (`time.process_time`), so other work on a shared
machine does not distort the ratios; the N-process rate is per wall-clock second (best of 3)
and only means something on an otherwise idle machine.  Rates are selections per second,
placeholders included (each carries a proof).  Both sides start from parsed ballots and
recompute every hash; evote also checks the ballot against the manifest (style, order,
placeholders, tracking code), which the package does not.
The goal: batched (1 process) ≥ 20× electionguard.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import subprocess
import time
from pathlib import Path

from evote.crypto.batch import DEFAULT_WEIGHT_BITS
from evote.crypto.equations import SequentialChecker
from evote.voting.check_pool import CheckPool

from .ballot_claims import Record, load_record, selection_count
from .record import ORACLE_PYTHON, election_record, evote_record

HERE = Path(__file__).resolve().parent


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def plain_seconds(record: Record) -> float:
    """CPU seconds of this process."""
    claims_of = record.claims_of()
    start = time.process_time()
    for ballot in record.ballots:
        SequentialChecker().check(claims_of(ballot))
    return time.process_time() - start


def batched_seconds(record: Record, workers: int, weight_bits: int, repeats: int = 3) -> float:
    """CPU seconds of this process for one worker (no pool), wall seconds for a pool."""
    clock = time.process_time if workers == 1 else time.perf_counter
    claims_of = record.claims_of()
    with CheckPool(workers, [record.context.elgamal_public_key], weight_bits=weight_bits) as pool:
        best = float("inf")
        for _ in range(repeats):
            start = clock()
            verdicts = pool.check_many(record.ballots, claims_of, secrets.token_bytes(32))
            best = min(best, clock() - start)
            bad = [v for v in verdicts if v is not None]
            if bad:
                raise SystemExit(f"evote refused a ballot electionguard made: {bad[0]}")
    return best


def electionguard_seconds(record_path: Path) -> tuple[float, int]:
    out = subprocess.run(
        [str(ORACLE_PYTHON), str(HERE / "eg_validation.py"), str(record_path)],
        check=True,
        capture_output=True,
        text=True,
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    return result["cpu_seconds"], result["selections"]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.validation")
    parser.add_argument("--ballots", type=int, default=100)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--weight-bits", type=int, default=DEFAULT_WEIGHT_BITS)
    parser.add_argument("--skip-electionguard", action="store_true")
    parser.add_argument(
        "--ballots-from",
        choices=("evote", "eg"),
        default="evote",
        help="who encrypts the ballots: evote's encrypt_ballot or electionguard's `eg e2e`",
    )
    args = parser.parse_args(argv)

    make = evote_record if args.ballots_from == "evote" else election_record
    record_path = make(args.ballots)
    record = load_record(record_path)
    n = sum(selection_count(b) for b in record.ballots)
    print(
        f"== ballot validation: {len(record.ballots)} ballots encrypted by {args.ballots_from}, "
        f"{n} selections (placeholders included)"
    )
    print(
        f"machine: {os.cpu_count()} cores (nproc), {cpu_model()}; weights {args.weight_bits} bits"
    )
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"load average at start: {load} (wall-clock rates need an idle machine)")

    rates: dict[str, float] = {}
    if not ORACLE_PYTHON.exists():
        print("no .oracle venv (electionguard 1.4.0): its rate is left out")
    elif not args.skip_electionguard:
        eg_s, eg_n = electionguard_seconds(record_path)
        if eg_n != n:
            raise SystemExit(f"electionguard counted {eg_n} selections, evote {n}")
        rates["electionguard 1.4.0 (1 process)"] = n / eg_s
    rates["evote plain, one powmod at a time (1 process)"] = n / plain_seconds(record)
    rates["evote batched (1 process)"] = n / batched_seconds(record, 1, args.weight_bits)
    if args.weight_bits != 128:
        rates["evote batched, 128-bit weights (1 process)"] = n / batched_seconds(record, 1, 128)
    if args.workers > 1:
        key = f"evote batched ({args.workers} processes, wall clock)"
        rates[key] = n / batched_seconds(record, args.workers, args.weight_bits)

    for name, rate in rates.items():
        print(f"{name:56s} {rate:9.1f} selections/s")
    base_name = "electionguard 1.4.0 (1 process)"
    plain_name = "evote plain, one powmod at a time (1 process)"
    for name, rate in rates.items():
        if name != base_name and base_name in rates:
            print(f"ratio {name} / electionguard: {rate / rates[base_name]:6.1f}x")
    for name, rate in rates.items():
        if name.startswith("evote batched"):
            print(f"ratio {name} / evote plain: {rate / rates[plain_name]:6.1f}x")


if __name__ == "__main__":
    main()
