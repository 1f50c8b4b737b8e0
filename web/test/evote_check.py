"""Check a ballot made by evote's browser JavaScript with evote's own server-side core.

Run with the project venv (.venv/bin/python):

    evote_check.py BALLOT CONTEXT MANIFEST

Loads the three JSON files with evote.crypto's readers and runs `validate_ballot`, the
check the API applies to every submitted ballot.  Prints "valid", or the error's class
and message, and exits 0, 1 (rejected) or 3 (evote.crypto has no ballot validation yet).
"""

from __future__ import annotations

import json
import sys


def main() -> int:
    try:
        from evote.crypto.ballot import CiphertextBallot
        from evote.crypto.context import ElectionContext
        from evote.crypto.errors import CryptoError
        from evote.crypto.manifest import Manifest
        from evote.crypto.validate import validate_ballot
    except ImportError as exc:
        print(f"evote.crypto cannot validate ballots yet: {exc}")
        return 3
    ballot_path, context_path, manifest_path = sys.argv[1:4]
    with open(ballot_path, encoding="utf-8") as f:
        ballot = CiphertextBallot.from_json(json.load(f))
    with open(context_path, encoding="utf-8") as f:
        context = ElectionContext.from_json(json.load(f))
    with open(manifest_path, encoding="utf-8") as f:
        manifest = Manifest.from_json(json.load(f))
    try:
        validate_ballot(ballot, manifest, context)
    except CryptoError as exc:
        print(f"{type(exc).__name__}: {exc}")
        return 1
    print("valid")
    return 0


if __name__ == "__main__":
    sys.exit(main())
