"""Manifest, context and ballot-encryption vectors (part of make_vectors.py; oracle Python only).

The ballot vector fixes every input the package's `encrypt_ballot` takes (manifest, context,
plaintext ballot, encryption seed, master nonce) and the timestamp, which the package reads
from the clock: the ballot is rebuilt with the package's own `make_ciphertext_ballot` at the
fixed timestamp, so the expected JSON is the package's byte for byte.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from electionguard.ballot import (
    BallotBoxState,
    PlaintextBallot,
    make_ciphertext_ballot,
    make_ciphertext_submitted_ballot,
)
from electionguard.election import make_ciphertext_election_context
from electionguard.elgamal import elgamal_keypair_from_secret
from electionguard.encrypt import EncryptionDevice, encrypt_ballot
from electionguard.manifest import InternalManifest, Manifest
from electionguard.serialize import from_raw

HERE = Path(__file__).resolve().parent
TIMESTAMP = 1_795_600_000
# Contests are listed in ascending sequence order: electionguard 1.4.0 hashes a ballot's
# contests sorted by sequence order but re-checks them in list order, so with any other
# order the package refuses its own ballots.

RICH_MANIFEST: dict[str, Any] = {
    "election_scope_id": "vector-convention",
    "spec_version": "1.0",
    "type": "special",
    "start_date": "2026-11-28T09:00:00+01:00",
    "end_date": "2026-11-28T18:30:15.250000Z",
    "geopolitical_units": [
        {
            "object_id": "convention",
            "name": "Convention",
            "type": "other",
            "contact_information": {
                "address_line": ["Hall 1", "Berlin"],
                "email": [{"annotation": "office", "value": "office@example.org"}],
                "phone": None,
                "name": "Presidium",
            },
        },
        {"object_id": "region-north", "name": "North", "type": "county"},
    ],
    "parties": [
        {"object_id": "greens", "name": {"text": [{"value": "Grüne", "language": "de"}]},
         "abbreviation": "G", "color": "00FF00"},
    ],
    "candidates": [
        {"object_id": "yes"}, {"object_id": "no"}, {"object_id": "abstain"},
        {"object_id": "ann", "name": {"text": [{"value": "Ann", "language": "en"}]},
         "party_id": "greens"},
        {"object_id": "ben", "is_write_in": False}, {"object_id": "cem"},
        {"object_id": "north-yes"}, {"object_id": "north-no"},
    ],
    "contests": [
        {"object_id": "board", "sequence_order": 0, "electoral_district_id": "convention",
         "vote_variation": "n_of_m", "number_elected": 2, "votes_allowed": 2, "name": "Board",
         "ballot_selections": [
             {"object_id": "board-ann", "sequence_order": 0, "candidate_id": "ann"},
             {"object_id": "board-ben", "sequence_order": 1, "candidate_id": "ben"},
             {"object_id": "board-cem", "sequence_order": 2, "candidate_id": "cem"},
         ],
         "ballot_subtitle": {"text": []}},
        {"object_id": "north-only", "sequence_order": 3, "electoral_district_id": "region-north",
         "vote_variation": "one_of_m", "number_elected": 1, "votes_allowed": 1,
         "name": "Regional question",
         "ballot_selections": [
             {"object_id": "north-yes", "sequence_order": 0, "candidate_id": "north-yes"},
             {"object_id": "north-no", "sequence_order": 1, "candidate_id": "north-no"},
         ]},
        {"object_id": "motion-7", "sequence_order": 7, "electoral_district_id": "convention",
         "vote_variation": "one_of_m", "number_elected": 1, "votes_allowed": 1,
         "name": "Motion 7: Ümlaut",
         "ballot_selections": [
             {"object_id": "motion-7-yes", "sequence_order": 0, "candidate_id": "yes"},
             {"object_id": "motion-7-no", "sequence_order": 1, "candidate_id": "no"},
             {"object_id": "motion-7-abstain", "sequence_order": 5, "candidate_id": "abstain"},
         ],
         "ballot_title": {"text": [{"value": "Antrag 7", "language": "de"}]}},
    ],
    "ballot_styles": [
        {"object_id": "delegate", "geopolitical_unit_ids": ["convention"]},
        {"object_id": "north-delegate", "geopolitical_unit_ids": ["convention", "region-north"],
         "party_ids": ["greens"], "image_uri": "https://example.org/n.png"},
    ],
    "name": {"text": [{"value": "Vector convention", "language": "en"}]},
    "contact_information": {"name": "Org"},
}

PLAINTEXTS: dict[str, dict[str, Any]] = {
    # a full vote, an under-vote with a write-in note, a missing contest (null vote)
    "north": {
        "object_id": "ballot-north-1",
        "style_id": "north-delegate",
        "contests": [
            {"object_id": "motion-7", "ballot_selections": [
                {"object_id": "motion-7-no", "vote": 1}]},
            {"object_id": "board", "ballot_selections": [
                {"object_id": "board-cem", "vote": 1, "write_in": "Cem (written in)"}]},
        ],
    },
    # an over-vote: the package records it and encrypts only placeholders as 1
    "overvote": {
        "object_id": "ballot-over",
        "style_id": "delegate",
        "contests": [
            {"object_id": "motion-7", "ballot_selections": [
                {"object_id": "motion-7-yes", "vote": 1}, {"object_id": "motion-7-no", "vote": 1}]},
            {"object_id": "board", "ballot_selections": [
                {"object_id": "board-ann", "vote": 1}, {"object_id": "board-ben", "vote": 1}]},
        ],
    },
}


def manifest_vectors(write: Callable[..., None], q: Callable[[str], Any], raw: Callable) -> Any:
    manifest = from_raw(Manifest, json.dumps(RICH_MANIFEST))
    internal = InternalManifest(manifest)
    contests = []
    for c in internal.contests:
        contests.append({
            "object_id": c.object_id,
            "crypto_hash": c.crypto_hash().to_hex(),
            "selections": [
                {"object_id": s.object_id, "sequence_order": s.sequence_order,
                 "candidate_id": s.candidate_id, "crypto_hash": s.crypto_hash().to_hex()}
                for s in c.ballot_selections + c.placeholder_selections
            ],
        })
    write("manifest_hashes", {
        "description": "a manifest using most optional fields: the package's normalized JSON, "
        "its hash, and each contest's selections incl. placeholders with their hashes",
        "input": RICH_MANIFEST,
        "normalized": raw(manifest),
        "manifest_hash": manifest.crypto_hash().to_hex(),
        "parts": {
            "geopolitical_units": [g.crypto_hash().to_hex() for g in manifest.geopolitical_units],
            "parties": [p.crypto_hash().to_hex() for p in manifest.parties],
            "candidates": [c.crypto_hash().to_hex() for c in manifest.candidates],
            "ballot_styles": [b.crypto_hash().to_hex() for b in manifest.ballot_styles],
            "name": manifest.name.crypto_hash().to_hex(),
        },
        "contests": contests,
        "styles": {s.object_id: [c.object_id for c in internal.get_contests_for(s.object_id)]
                   for s in manifest.ballot_styles},
        "expected": {"valid": True},
    })
    return manifest, internal


def context_vectors(write: Callable[..., None], q: Callable[[str], Any], manifest: Any) -> Any:
    keypair = elgamal_keypair_from_secret(q("election-secret"))
    commitment_hash = q("commitment-hash")
    context = make_ciphertext_election_context(
        3, 2, keypair.public_key, commitment_hash, manifest.crypto_hash()
    )
    write("context", {
        "description": "make_ciphertext_election_context(3, 2, K, commitment hash, manifest hash)",
        "inputs": {
            "number_of_guardians": 3, "quorum": 2,
            "elgamal_public_key": keypair.public_key.to_hex(),
            "commitment_hash": commitment_hash.to_hex(),
            "manifest_hash": manifest.crypto_hash().to_hex(),
        },
        "context": json.loads(json.dumps(context, default=_encoder)),
        "expected": {"valid": True},
    })
    return keypair, context


def _encoder(obj: Any) -> Any:
    from pydantic.json import pydantic_encoder

    return pydantic_encoder(obj)


def ballot_vectors(write: Callable[..., None], q: Callable[[str], Any], raw: Callable) -> None:
    manifest, internal = manifest_vectors(write, q, raw)
    keypair, context = context_vectors(write, q, manifest)
    device = EncryptionDevice(4242, 7, 99, "vector-room")
    seed = device.get_hash()
    for name, plain in PLAINTEXTS.items():
        ballot = from_raw(PlaintextBallot, json.dumps(plain))
        master = q(f"ballot-master-nonce-{name}")
        encrypted = encrypt_ballot(ballot, internal, context, seed, master, True)
        assert encrypted is not None
        fixed = make_ciphertext_ballot(
            encrypted.object_id, encrypted.style_id, encrypted.manifest_hash, seed,
            encrypted.contests, master, TIMESTAMP,
        )
        assert fixed.is_valid_encryption(
            manifest.crypto_hash(), keypair.public_key, context.crypto_extended_base_hash
        )
        cast = make_ciphertext_submitted_ballot(
            fixed.object_id, fixed.style_id, fixed.manifest_hash, fixed.code_seed,
            fixed.contests, fixed.code, fixed.timestamp, BallotBoxState.CAST,
        )
        write(f"ballot_encryption_{name}", {
            "description": "encrypt_ballot with a fixed master nonce and device seed; the "
            "ciphertext ballot with its nonces (its cast form: every nonce null, state 1)",
            "inputs": {
                "manifest": RICH_MANIFEST,
                "context": json.loads(json.dumps(context, default=_encoder)),
                "plaintext": raw(ballot),
                "device": raw(device),
                "encryption_seed": seed.to_hex(),
                "master_nonce": master.to_hex(),
                "timestamp": TIMESTAMP,
            },
            "ciphertext_ballot": raw(fixed),
            "expected": {"valid": True},
        })
        if name == "north":
            tampered = copy.deepcopy(raw(cast))
            sel = tampered["contests"][0]["ballot_selections"][0]
            sel["proof"]["challenge"], sel["proof"]["proof_zero_challenge"] = (
                sel["proof"]["proof_zero_challenge"], sel["proof"]["challenge"])
            write("ballot_tampered_proof", {
                "description": "the cast ballot above with one selection's challenges swapped",
                "inputs": {"manifest": RICH_MANIFEST,
                           "context": json.loads(json.dumps(context, default=_encoder))},
                "submitted_ballot": tampered,
                "expected": {"valid": False, "error": "InvalidProof"},
            })
