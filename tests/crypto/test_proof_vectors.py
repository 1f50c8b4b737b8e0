"""Known answers from Microsoft's electionguard 1.4.0: hash_elems, Nonces, Schnorr, the three
Chaum-Pedersen proofs and hashed ElGamal, reproduced byte for byte and verified (or refused)."""

from __future__ import annotations

from typing import Any

import pytest

from evote.crypto.chaum_pedersen import (
    ChaumPedersenProof,
    ConstantChaumPedersenProof,
    DisjunctiveChaumPedersenProof,
    make_chaum_pedersen,
    make_constant_chaum_pedersen,
    make_disjunctive_chaum_pedersen,
)
from evote.crypto.elgamal import ElGamalKeyPair, elgamal_encrypt
from evote.crypto.hash import hash_elems
from evote.crypto.hashed_elgamal import HashedElGamalCiphertext, hashed_elgamal_encrypt
from evote.crypto.nonces import Nonces
from evote.crypto.schnorr import SchnorrProof, make_schnorr_proof

from .vectors import VECTORS, ciphertext, expected_error, load, p, q


def _element(e: dict[str, Any]) -> object:
    kind, value = next(iter(e.items()))
    if kind == "q":
        return q(value)
    if kind == "p":
        return p(value)
    if kind == "list":
        return [_element(x) for x in value]
    return value


def test_hash_elems_matches_package() -> None:
    for case in load("hash_elems")["cases"]:
        elements = [_element(e) for e in case["elements"]]
        assert hash_elems(*elements).to_hex() == case["hash"], case


def test_nonces_match_package() -> None:
    v = load("nonces")
    seed = q(v["seed"])
    assert [n.to_hex() for n in Nonces(seed)[0:3]] == v["plain"]
    assert [n.to_hex() for n in Nonces(seed, v["header"])[0:3]] == v["with_header"]
    assert Nonces(seed).get_with_headers(5, "x").to_hex() == v["item_5_with_header_x"]
    first_two = Nonces(seed)
    assert [next(iter(first_two)).to_hex()] == v["plain"][:1]


@pytest.mark.parametrize("name", ["schnorr_valid", "schnorr_changed_challenge"])
def test_schnorr_vectors(name: str) -> None:
    v = load(name)
    proof = SchnorrProof.from_json(v["proof"])
    assert proof.to_json() == v["proof"]
    error = expected_error(v)
    if error is None:
        keypair = ElGamalKeyPair.from_secret(q(v["inputs"]["secret_key"]))
        assert make_schnorr_proof(keypair, q(v["inputs"]["nonce"])) == proof
        proof.verify(expected_public_key=keypair.public_key)
    else:
        with pytest.raises(error):
            proof.verify()


@pytest.mark.parametrize("name", ["chaum_pedersen_valid", "chaum_pedersen_wrong_share"])
def test_generic_chaum_pedersen_vectors(name: str) -> None:
    v = load(name)
    i = v["inputs"]
    proof = ChaumPedersenProof.from_json(v["proof"])
    assert proof.to_json() == v["proof"]
    message = ciphertext(i["ciphertext"])
    args = (message, p(i["public_key"]), p(i["partial"]), q(i["extended_base_hash"]))
    error = expected_error(v)
    if error is None:
        made = make_chaum_pedersen(
            message, q(i["secret_key"]), p(i["partial"]), q(i["seed"]), q(i["extended_base_hash"])
        )
        assert made == proof
        proof.verify(*args)
    else:
        with pytest.raises(error):
            proof.verify(*args)


@pytest.mark.parametrize(
    "name", ["disjunctive_0_valid", "disjunctive_1_valid", "disjunctive_2_invalid"]
)
def test_disjunctive_vectors(name: str) -> None:
    v = load(name)
    i = v["inputs"]
    key, qbar = p(i["public_key"]), q(i["extended_base_hash"])
    message = elgamal_encrypt(i["plaintext"], q(i["nonce"]), key)
    assert message == ciphertext(i["ciphertext"])
    proof = DisjunctiveChaumPedersenProof.from_json(v["proof"])
    assert proof.to_json() == v["proof"]
    made = make_disjunctive_chaum_pedersen(
        message, q(i["nonce"]), key, qbar, q(i["seed"]), min(i["plaintext"], 1)
    )
    assert made == proof
    error = expected_error(v)
    if error is None:
        proof.verify(message, key, qbar)
    else:
        with pytest.raises(error):
            proof.verify(message, key, qbar)


@pytest.mark.parametrize("name", ["constant_valid", "constant_wrong_limit"])
def test_constant_vectors(name: str) -> None:
    v = load(name)
    i = v["inputs"]
    key, qbar = p(i["public_key"]), q(i["extended_base_hash"])
    message = ciphertext(i["ciphertext"])
    proof = ConstantChaumPedersenProof.from_json(v["proof"])
    assert proof.to_json() == v["proof"]
    error = expected_error(v)
    if error is None:
        made = make_constant_chaum_pedersen(
            message, i["constant"], q(i["aggregate_nonce"]), key, q(i["seed"]), qbar
        )
        assert made == proof
        proof.verify(message, key, qbar)
    else:
        with pytest.raises(error):
            proof.verify(message, key, qbar)


def test_hashed_elgamal_vector() -> None:
    v = load("hashed_elgamal")
    i = v["inputs"]
    message = bytes.fromhex(i["message"])
    made = hashed_elgamal_encrypt(
        message, q(i["nonce"]), p(i["public_key"]), q(i["encryption_seed"])
    )
    assert made.to_json() == v["ciphertext"]
    read = HashedElGamalCiphertext.from_json(v["ciphertext"])
    assert read.decrypt(q(i["secret_key"]), q(i["encryption_seed"])) == message


COVERED = {
    "hash_elems": "test_hash_elems_matches_package",
    "nonces": "test_nonces_match_package",
    "schnorr_valid": "test_schnorr_vectors",
    "schnorr_changed_challenge": "test_schnorr_vectors",
    "chaum_pedersen_valid": "test_generic_chaum_pedersen_vectors",
    "chaum_pedersen_wrong_share": "test_generic_chaum_pedersen_vectors",
    "disjunctive_0_valid": "test_disjunctive_vectors",
    "disjunctive_1_valid": "test_disjunctive_vectors",
    "disjunctive_2_invalid": "test_disjunctive_vectors",
    "constant_valid": "test_constant_vectors",
    "constant_wrong_limit": "test_constant_vectors",
    "hashed_elgamal": "test_hashed_elgamal_vector",
    "manifest_hashes": "test_manifest.py::test_rich_manifest_vector",
    "context": "test_context.py::test_make_context_matches_the_package",
    "ballot_encryption_north": "test_encrypt.py::test_encryption_reproduces_the_package",
    "ballot_encryption_overvote": "test_encrypt.py::test_encryption_reproduces_the_package",
    "ballot_tampered_proof": "test_validate.py::test_tampered_vector_is_refused",
}


RUN_ELSEWHERE = {"credentials": "credentials/tests/test_derivation.py"}
"""Vectors of other formats in the same folder, and the test that runs them."""


def test_every_vector_is_run_and_declares_its_outcome() -> None:
    """A vector nobody runs is a contract nobody keeps."""
    names = {p.stem for p in VECTORS.glob("*.json")} - set(RUN_ELSEWHERE)
    assert names == set(COVERED)
    for name in names:
        v = load(name)
        assert v["version"] == "evote-vectors/1" and v["scenario"] == name
        assert v["expected"]["valid"] in (True, False)
        assert v["expected"]["valid"] or isinstance(expected_error(v), type)
