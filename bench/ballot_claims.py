"""Submitted ballots from an electionguard 1.4.0 record, read into evote's own types.

The claims come from `evote.crypto.validate.ballot_claims`, the same function the ballot box
runs: it checks more than the package's `is_valid_encryption` (style, manifest order,
placeholders, tracking code), so evote's rates below are, if anything, conservative.
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from evote.crypto.ballot import CiphertextBallot
from evote.crypto.context import ElectionContext
from evote.crypto.equations import Claims
from evote.crypto.internal_manifest import InternalManifest
from evote.crypto.manifest import Manifest
from evote.crypto.validate import ballot_claims


@dataclass(frozen=True, slots=True)
class Record:
    manifest: InternalManifest
    context: ElectionContext
    ballots: list[CiphertextBallot]
    """Submitted ballots in file-name order."""

    def claims_of(self) -> partial[Claims]:
        """A picklable ballot → claims function for `CheckPool`."""
        return partial(ballot_claims, manifest=self.manifest, context=self.context)


def load_record(path: Path) -> Record:
    with zipfile.ZipFile(path) as z:
        context = ElectionContext.from_json(json.loads(z.read("context.json")))
        manifest = Manifest.from_json(json.loads(z.read("manifest.json")))
        names = sorted(
            n for n in z.namelist() if n.startswith("submitted_ballots/") and n.endswith(".json")
        )
        ballots = [CiphertextBallot.from_json(json.loads(z.read(n))) for n in names]
    return Record(InternalManifest(manifest), context, ballots)


def selection_count(ballot: CiphertextBallot) -> int:
    """Selections including placeholders: each carries one disjunctive proof."""
    return sum(len(c.ballot_selections) for c in ballot.contests)
