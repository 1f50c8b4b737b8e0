"""Properties of the proofs: true statements verify, false ones are refused with typed errors."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evote.crypto.chaum_pedersen import (
    ChaumPedersenProof,
    ConstantChaumPedersenProof,
    DisjunctiveChaumPedersenProof,
    make_chaum_pedersen,
    make_constant_chaum_pedersen,
    make_disjunctive_chaum_pedersen,
)
from evote.crypto.elgamal import ElGamalCiphertext, ElGamalKeyPair, elgamal_add, elgamal_encrypt
from evote.crypto.errors import InvalidCiphertext, InvalidElement, InvalidProof
from evote.crypto.group import ElementModP, ElementModQ, P, Q, add_q
from evote.crypto.hashed_elgamal import (
    HashedElGamalCiphertext,
    hashed_elgamal_encrypt,
    pad_message,
    unpad_message,
)
from evote.crypto.schnorr import SchnorrProof, make_schnorr_proof

FEW = settings(max_examples=8, deadline=None)
nonzero_q = st.integers(min_value=2, max_value=int(Q) - 1).map(ElementModQ.of)
KEY = ElGamalKeyPair.from_secret(ElementModQ.of(0xC0FFEE))
QBAR = ElementModQ.of(0xBA5E)
NOT_IN_SUBGROUP = ElementModP(P - 1)
"""p - 1 = -1 has order 2: in range, but outside the order-q subgroup."""


@FEW
@given(nonzero_q, nonzero_q)
def test_schnorr_true_statement_verifies(secret: ElementModQ, nonce: ElementModQ) -> None:
    keypair = ElGamalKeyPair.from_secret(secret)
    proof = make_schnorr_proof(keypair, nonce)
    proof.verify(expected_public_key=keypair.public_key)
    assert SchnorrProof.from_json(proof.to_json()) == proof


def test_schnorr_refuses_changed_response_and_other_key() -> None:
    proof = make_schnorr_proof(KEY, ElementModQ.of(7))
    with pytest.raises(InvalidProof, match="g\\^u = h·K\\^c"):
        replace(proof, response=add_q(proof.response, 1)).verify()
    other = ElGamalKeyPair.from_secret(ElementModQ.of(99)).public_key
    with pytest.raises(InvalidProof, match="different public key"):
        proof.verify(expected_public_key=other)


@FEW
@given(st.sampled_from([0, 1]), nonzero_q, nonzero_q)
def test_disjunctive_true_statement_verifies(
    vote: int, nonce: ElementModQ, seed: ElementModQ
) -> None:
    message = elgamal_encrypt(vote, nonce, KEY.public_key)
    proof = make_disjunctive_chaum_pedersen(message, nonce, KEY.public_key, QBAR, seed, vote)
    proof.verify(message, KEY.public_key, QBAR)
    assert DisjunctiveChaumPedersenProof.from_json(proof.to_json()) == proof


@FEW
@given(st.integers(min_value=2, max_value=5), nonzero_q, st.sampled_from([0, 1]))
def test_disjunctive_refuses_a_selection_that_encrypts_more(
    vote: int, nonce: ElementModQ, claimed: int
) -> None:
    message = elgamal_encrypt(vote, nonce, KEY.public_key)
    proof = make_disjunctive_chaum_pedersen(
        message, nonce, KEY.public_key, QBAR, ElementModQ.of(3), claimed
    )
    with pytest.raises(InvalidProof):
        proof.verify(message, KEY.public_key, QBAR)


def test_disjunctive_refuses_changed_challenge_other_election_and_bad_elements() -> None:
    nonce = ElementModQ.of(12345)
    message = elgamal_encrypt(1, nonce, KEY.public_key)
    proof = make_disjunctive_chaum_pedersen(
        message, nonce, KEY.public_key, QBAR, ElementModQ.of(5), 1
    )
    shifted = replace(
        proof,
        challenge=add_q(proof.challenge, 1),
        proof_one_challenge=add_q(proof.proof_one_challenge, 1),
    )
    with pytest.raises(InvalidProof, match="challenge c is not H"):
        shifted.verify(message, KEY.public_key, QBAR)
    with pytest.raises(InvalidProof, match="c0 \\+ c1"):
        replace(proof, proof_zero_challenge=add_q(proof.proof_zero_challenge, 1)).verify(
            message, KEY.public_key, QBAR
        )
    with pytest.raises(InvalidProof):
        proof.verify(message, KEY.public_key, add_q(QBAR, 1))
    with pytest.raises(InvalidProof):
        replace(proof, proof_one_response=add_q(proof.proof_one_response, 1)).verify(
            message, KEY.public_key, QBAR
        )
    # A pad outside the subgroup: the challenge is recomputed over it, so the proof must be
    # remade for the bad element to reach the membership check.
    bad = ElGamalCiphertext(NOT_IN_SUBGROUP, message.data)
    forged = make_disjunctive_chaum_pedersen(bad, nonce, KEY.public_key, QBAR, ElementModQ.of(5), 1)
    with pytest.raises(InvalidElement, match="ciphertext pad α is not in the order-q subgroup"):
        forged.verify(bad, KEY.public_key, QBAR)


@FEW
@given(st.lists(st.sampled_from([0, 1]), min_size=1, max_size=4), st.integers(0, 2**32))
def test_constant_proof_of_the_sum(votes: list[int], salt: int) -> None:
    nonces = [ElementModQ.of(salt * 31 + i + 2) for i in range(len(votes))]
    messages = [elgamal_encrypt(v, n, KEY.public_key) for v, n in zip(votes, nonces, strict=True)]
    total, aggregate = elgamal_add(messages), add_q(*nonces)
    assert total.decrypt(KEY.secret_key) == sum(votes)  # homomorphism
    proof = make_constant_chaum_pedersen(
        total, sum(votes), aggregate, KEY.public_key, ElementModQ.of(salt + 1), QBAR
    )
    proof.verify(total, KEY.public_key, QBAR)
    assert ConstantChaumPedersenProof.from_json(proof.to_json()) == proof
    over = make_constant_chaum_pedersen(
        total, sum(votes) + 1, aggregate, KEY.public_key, ElementModQ.of(salt + 1), QBAR
    )
    with pytest.raises(InvalidProof, match="g\\^\\(c·L\\)"):
        over.verify(total, KEY.public_key, QBAR)


def test_constant_out_of_range_is_refused_before_any_powmod() -> None:
    message = elgamal_encrypt(1, ElementModQ.of(9), KEY.public_key)
    proof = make_constant_chaum_pedersen(message, 1, ElementModQ.of(9), KEY.public_key, QBAR, QBAR)
    with pytest.raises(InvalidProof, match="out of range"):
        replace(proof, constant=-1).verify(message, KEY.public_key, QBAR)


@FEW
@given(nonzero_q, nonzero_q)
def test_generic_chaum_pedersen_for_a_decryption_share(
    nonce: ElementModQ, seed: ElementModQ
) -> None:
    message = elgamal_encrypt(1, nonce, KEY.public_key)
    share = message.pad.pow(KEY.secret_key)
    proof = make_chaum_pedersen(message, KEY.secret_key, share, seed, QBAR)
    proof.verify(message, KEY.public_key, share, QBAR)
    assert ChaumPedersenProof.from_json(proof.to_json()) == proof
    wrong = share * share
    forged = make_chaum_pedersen(message, KEY.secret_key, wrong, seed, QBAR)
    with pytest.raises(InvalidProof, match="α\\^v = b·M\\^c"):
        forged.verify(message, KEY.public_key, wrong, QBAR)


def test_proof_json_errors_are_typed() -> None:
    proof = make_schnorr_proof(KEY, ElementModQ.of(7)).to_json()
    with pytest.raises(InvalidProof, match="missing field 'challenge'"):
        SchnorrProof.from_json({k: v for k, v in proof.items() if k != "challenge"})
    with pytest.raises(InvalidElement, match="'response'"):
        SchnorrProof.from_json(dict(proof, response="F" * 65))
    with pytest.raises(InvalidElement):
        SchnorrProof.from_json(dict(proof, commitment="not hex"))
    with pytest.raises(InvalidProof, match="usage"):
        SchnorrProof.from_json(dict(proof, usage="Prove selection's value (0 or 1)"))
    with pytest.raises(InvalidProof, match="expected a JSON object"):
        SchnorrProof.from_json([1, 2])


@FEW
@given(st.binary(max_size=510), nonzero_q)
def test_hashed_elgamal_round_trip_and_tamper(message: bytes, nonce: ElementModQ) -> None:
    padded = pad_message(message)
    encrypted = hashed_elgamal_encrypt(padded, nonce, KEY.public_key, QBAR)
    again = HashedElGamalCiphertext.from_json(encrypted.to_json())
    assert unpad_message(again.decrypt(KEY.secret_key, QBAR)) == message
    flipped = format(int(encrypted.data, 16) ^ 1, "X").rjust(len(encrypted.data), "0")
    with pytest.raises(InvalidCiphertext, match="MAC"):
        replace(encrypted, data=flipped).decrypt(KEY.secret_key, QBAR)
    with pytest.raises(InvalidCiphertext, match="MAC"):
        encrypted.decrypt(ElementModQ.of(KEY.secret_key.value + 1), QBAR)
