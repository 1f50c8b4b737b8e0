"""The election of the ballot vectors, rebuilt in evote's types (shared by ballot tests)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from evote.crypto.ballot import CiphertextBallot, PlaintextBallot, device_hash
from evote.crypto.context import ElectionContext
from evote.crypto.encrypt import encrypt_ballot
from evote.crypto.group import ElementModQ
from evote.crypto.hash import hash_elems
from evote.crypto.internal_manifest import InternalManifest
from evote.crypto.manifest import Manifest

from .vectors import load


def label_q(label: str) -> ElementModQ:
    """make_vectors.py's q(): its fixed 'random' elements, e.g. the election secret."""
    return hash_elems("evote-test-vector", label)


@dataclass(frozen=True)
class VectorElection:
    vector: dict[str, Any]
    internal: InternalManifest
    context: ElectionContext
    seed: ElementModQ
    secret_key: ElementModQ

    @property
    def inputs(self) -> dict[str, Any]:
        return self.vector["inputs"]

    def encrypt(
        self, plaintext: dict[str, Any], master: int = 77, timestamp: int = 1
    ) -> CiphertextBallot:
        return encrypt_ballot(
            PlaintextBallot.from_json(plaintext),
            self.internal,
            self.context,
            self.seed,
            ElementModQ.of(master),
            timestamp,
        )


@cache
def vector_election(name: str = "north") -> VectorElection:
    v = load(f"ballot_encryption_{name}")
    i = v["inputs"]
    d = i["device"]
    return VectorElection(
        v,
        InternalManifest(Manifest.from_json(i["manifest"])),
        ElectionContext.from_json(i["context"]),
        device_hash(d["device_id"], d["session_id"], d["launch_code"], d["location"]),
        label_q("election-secret"),
    )
