"""Ballot-level vectors for the browser crypto, made by Microsoft's electionguard 1.4.0.

Run under the oracle interpreter, from the repository root:

    .oracle/bin/python web/test/make_vectors.py

Writes web/test/vectors/:
  known_key_context.json  a one-guardian election context over the sample manifest whose
                          secret key is known (s = H("evote-web-test", "secret")), so tests
                          can decrypt; its hashes are the package's;
  ballot_<name>.json      a plaintext ballot, the master nonce, timestamp and code seed, and
                          the CiphertextBallot the package makes from them: the JS must
                          reproduce it byte for byte.
The sample manifest and context come from `eg e2e` (copied next to this file).  The
package stamps ballots with the wall clock, so the timestamp and the tracking code are
recomputed from a fixed timestamp, exactly as the package would have computed them.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from electionguard.ballot import PlaintextBallot
from electionguard.ballot_code import get_ballot_code
from electionguard.election import (
    CiphertextElectionContext,
    make_ciphertext_election_context,
)
from electionguard.encrypt import encrypt_ballot
from electionguard.group import g_pow_p
from electionguard.hash import hash_elems
from electionguard.manifest import InternalManifest, Manifest
from electionguard.serialize import from_raw, to_raw

logging.disable(logging.CRITICAL)
HERE = Path(__file__).resolve().parent / "vectors"
VERSION = "evote-vectors/1"
TIMESTAMP = 1795607030

PLAINTEXTS: dict[str, dict[str, Any]] = {
    "full": {
        "object_id": "vector-full",
        "style_id": "delegate",
        "contests": [
            {
                "object_id": "motion-1",
                "ballot_selections": [{"object_id": "motion-1-yes-sel", "vote": 1}],
            },
            {
                "object_id": "executive",
                "ballot_selections": [
                    {"object_id": "alice-sel", "vote": 1},
                    {"object_id": "carol-sel", "vote": 1},
                ],
            },
        ],
    },
    "undervote": {
        "object_id": "vector-undervote",
        "style_id": "delegate",
        "contests": [
            {
                "object_id": "motion-1",
                "ballot_selections": [{"object_id": "motion-1-abstain-sel", "vote": 1}],
            },
            {"object_id": "executive", "ballot_selections": [{"object_id": "bob-sel", "vote": 1}]},
        ],
    },
    "blank": {"object_id": "vector-blank", "style_id": "delegate", "contests": []},
}


def read(name: str) -> Any:
    return json.loads((HERE / name).read_text())


def write(name: str, body: dict[str, Any]) -> None:
    (HERE / name).write_text(json.dumps({"version": VERSION, **body}, indent=1) + "\n")


def main() -> None:
    manifest = from_raw(Manifest, json.dumps(read("sample_manifest.json")))
    sample = read("sample_context.json")
    secret = hash_elems("evote-web-test", "secret")
    known_context = make_ciphertext_election_context(
        1,
        1,
        g_pow_p(secret),
        hash_elems("evote-web-test", "commitments"),
        manifest.crypto_hash(),
    )
    known = json.loads(to_raw(known_context))
    write(
        "known_key_context.json",
        {"scenario": "known_key_context", "secret_key": secret.to_hex(), "context": known},
    )

    internal = InternalManifest(manifest)
    context = from_raw(CiphertextElectionContext, json.dumps(sample))
    code_seed = hash_elems("evote-web-test", "code-seed")
    for name, plain in PLAINTEXTS.items():
        master = hash_elems("evote-web-test", "master-nonce", name)
        ballot = encrypt_ballot(
            from_raw(PlaintextBallot, json.dumps(plain)), internal, context, code_seed, nonce=master
        )
        assert ballot is not None
        body = json.loads(to_raw(ballot))
        body["timestamp"] = TIMESTAMP
        body["code"] = get_ballot_code(code_seed, TIMESTAMP, ballot.crypto_hash).to_hex()
        write(
            f"ballot_{name}.json",
            {
                "scenario": f"ballot_{name}",
                "description": "CiphertextBallot made by electionguard 1.4.0 from these inputs "
                "(sample_manifest.json, sample_context.json)",
                "inputs": {
                    "plaintext": plain,
                    "master_nonce": master.to_hex(),
                    "timestamp": TIMESTAMP,
                    "code_seed": code_seed.to_hex(),
                },
                "ballot": body,
                "expected": {"valid": True},
            },
        )


if __name__ == "__main__":
    main()
