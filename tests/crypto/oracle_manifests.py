"""Hash manifests with Microsoft's electionguard 1.4.0 (run under .oracle's Python 3.10).

Reads a JSON list of manifests on stdin; prints, per manifest, the package's normalized JSON,
its manifest hash and every contest's selections incl. placeholders with their hashes.
"""

from __future__ import annotations

import json
import logging
import sys

from electionguard.manifest import InternalManifest, Manifest
from electionguard.serialize import from_raw, to_raw

logging.disable(logging.CRITICAL)


def main() -> None:
    out = []
    for data in json.load(sys.stdin):
        manifest = from_raw(Manifest, json.dumps(data))
        internal = InternalManifest(manifest)
        out.append(
            {
                "valid": manifest.is_valid(),
                "normalized": json.loads(to_raw(manifest)),
                "manifest_hash": manifest.crypto_hash().to_hex(),
                "contests": [
                    [c.crypto_hash().to_hex()]
                    + [
                        [s.object_id, s.sequence_order, s.crypto_hash().to_hex()]
                        for s in c.ballot_selections + c.placeholder_selections
                    ]
                    for c in internal.contests
                ],
            }
        )
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
