"""Code → keys, pinned by the vectors the browser's implementation must meet too.

tests/vectors/credentials.json is written from this module's own derivation when
EVOTE_WRITE_VECTORS=1 is set, and otherwise compared with it: the JS test
(web/test/credential.test.js) reads the same file, so Python and the browser cannot drift apart.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import nacl.signing
import pytest

from evote.record.credentials import ballot_message
from evote_credentials.code import new_code
from evote_credentials.derivation import master_secret, public_key, slot_seed

VECTORS = Path(__file__).resolve().parents[2] / "tests" / "vectors" / "credentials.json"
SALT = hashlib.sha256(b"evote credential vectors salt").digest()[:16]
ITERATIONS = 1000


def _fixed_bytes(label: str):  # type: ignore[no-untyped-def]
    counter = 0

    def draw(n: int) -> bytes:
        nonlocal counter
        out = b""
        while len(out) < n:
            out += hashlib.sha256(f"{label}/{counter}".encode()).digest()
            counter += 1
        return out[:n]

    return draw


def build() -> dict:  # type: ignore[type-arg]
    cases = []
    for i, typed_style in enumerate(("as printed", "lower case, spaces", "no dashes")):
        code = new_code(_fixed_bytes(f"evote-vector-code-{i}"))
        typed = {0: code, 1: " " + code.lower().replace("-", " "), 2: code.replace("-", "")}[i]
        master = master_secret(code, SALT, ITERATIONS)
        slots = {
            str(s): {"seed": slot_seed(master, s).hex(), "public_key": public_key(master, s)}
            for s in (0, 1, 2, 57)
        }
        cases.append({"typed": typed, "style": typed_style, "code": code, "master": master.hex(),
                      "slots": slots})
    first = cases[0]
    message = ballot_message("evote-1-vote-3", int("AB" * 32, 16), int("0C" + "7F" * 31, 16))
    seed = bytes.fromhex(first["slots"]["1"]["seed"])
    signature = nacl.signing.SigningKey(seed).sign(message).signature.hex()
    return {
        "version": "evote-credential-vectors/1",
        "about": "made by evote_credentials (credentials/tests/test_derivation.py); "
                 "the browser's web/js/crypto/credential.js must give the same",
        "kdf": {"name": "evote-credential-v1", "iterations": ITERATIONS, "salt": SALT.hex()},
        "cases": cases,
        "ballot_signature": {
            "code": first["code"], "slot": 1, "vote_id": "evote-1-vote-3",
            "manifest_hash": "AB" * 32, "crypto_hash": "0C" + "7F" * 31,
            "message": message.hex(), "public_key": first["slots"]["1"]["public_key"],
            "signature": signature,
        },
        "invalid": [
            {"typed": first["code"][:-1] + ("2" if first["code"][-1] != "2" else "3"),
             "error": "typing mistake"},
            {"typed": "O" + first["code"][1:], "error": "not used"},
            {"typed": first["code"][:11], "error": "20 characters"},
        ],
    }


def test_vectors_file_is_this_derivation() -> None:
    vectors = build()
    if os.environ.get("EVOTE_WRITE_VECTORS") == "1":
        VECTORS.write_text(json.dumps(vectors, indent=1) + "\n")
    assert json.loads(VECTORS.read_text()) == vectors


def test_master_depends_on_code_salt_and_iterations() -> None:
    code = new_code()
    base = master_secret(code, SALT, ITERATIONS)
    assert master_secret(code.lower(), SALT, ITERATIONS) == base
    assert master_secret(new_code(), SALT, ITERATIONS) != base
    assert master_secret(code, bytes(16), ITERATIONS) != base
    assert master_secret(code, SALT, ITERATIONS + 1) != base
    with pytest.raises(ValueError):
        master_secret(code, bytes(15), ITERATIONS)


def test_slots_give_unrelated_keys() -> None:
    master = master_secret(new_code(), SALT, ITERATIONS)
    keys = {public_key(master, s) for s in range(50)}
    assert len(keys) == 50
