"""Ask Microsoft's electionguard 1.4.0 about ballots evote made (run under .oracle's Python 3.10).

Reads {"manifest", "context", "ballots"} as JSON on stdin; for each ballot prints whether the
package's own loader reproduces its JSON exactly and whether the package's own
`is_valid_encryption` accepts it, as one JSON object on stdout.
"""

from __future__ import annotations

import json
import logging
import sys

from electionguard.ballot import SubmittedBallot
from electionguard.election import CiphertextElectionContext
from electionguard.manifest import Manifest
from electionguard.serialize import from_raw, to_raw

logging.disable(logging.CRITICAL)


def main() -> None:
    data = json.load(sys.stdin)
    manifest = from_raw(Manifest, json.dumps(data["manifest"]))
    context = from_raw(CiphertextElectionContext, json.dumps(data["context"]))
    out = {"manifest_hash": manifest.crypto_hash().to_hex(), "same_json": [], "valid": []}
    for ballot_json in data["ballots"]:
        ballot = from_raw(SubmittedBallot, json.dumps(ballot_json))
        out["same_json"].append(json.loads(to_raw(ballot)) == ballot_json)
        out["valid"].append(
            ballot.is_valid_encryption(
                manifest.crypto_hash(),
                context.elgamal_public_key,
                context.crypto_extended_base_hash,
            )
        )
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
