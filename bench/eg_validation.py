"""Runs under the .oracle Python 3.10: electionguard 1.4.0's own ballot check, timed.

Usage: eg_validation.py RECORD.zip
Loads every submitted ballot with `electionguard.serialize` (not timed), then times
`SubmittedBallot.is_valid_encryption` over all of them on one core, and prints
{"selections": n, "seconds": wall, "cpu_seconds": cpu} as JSON.  Exits 1 if any ballot is refused,
because a rate over refused ballots would mean nothing.
"""

import json
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from electionguard.ballot import SubmittedBallot
from electionguard.election import CiphertextElectionContext
from electionguard.serialize import from_file


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        with zipfile.ZipFile(sys.argv[1]) as z:
            z.extractall(tmp)
        root = Path(tmp)
        context = from_file(CiphertextElectionContext, root / "context.json")
        paths = sorted((root / "submitted_ballots").glob("*.json"))
        ballots = [from_file(SubmittedBallot, p) for p in paths]
    selections = sum(len(c.ballot_selections) for b in ballots for c in b.contests)
    start, cpu_start = time.perf_counter(), time.process_time()
    for b in ballots:
        ok = b.is_valid_encryption(
            context.manifest_hash, context.elgamal_public_key, context.crypto_extended_base_hash
        )
        if not ok:
            print(f"electionguard refused ballot {b.object_id}", file=sys.stderr)
            sys.exit(1)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    print(json.dumps({"selections": selections, "seconds": seconds, "cpu_seconds": cpu}))


if __name__ == "__main__":
    main()
