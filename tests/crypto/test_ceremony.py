"""Key ceremony: guardian records, their proofs, the joint key, and Microsoft's sample."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from evote.crypto.ceremony import (
    GuardianPublicKey,
    GuardianSecret,
    combine_guardian_keys,
    threshold_problem,
)
from evote.crypto.errors import InvalidElement, InvalidProof, InvalidShare
from evote.crypto.group import ElementModP, ElementModQ, mult_p
from evote.crypto.hash import hash_elems


def guardians(n: int, k: int) -> list[GuardianSecret]:
    return [GuardianSecret.generate(f"g{i}", i, k, bytes([i]) * 32) for i in range(1, n + 1)]


def test_public_record_is_deterministic_and_verifies() -> None:
    secret = guardians(1, 3)[0]
    record = secret.public_key()
    assert record == secret.public_key()
    assert record.quorum == 3
    assert record.election_public_key == secret.election_key_pair.public_key
    record.verify(3)
    assert GuardianPublicKey.from_json(record.to_json()) == record
    with pytest.raises(InvalidShare, match="guardian g1: 3 commitments, the quorum is 2"):
        record.verify(2)


def test_secret_round_trips_and_refuses_other_types() -> None:
    secret = guardians(1, 2)[0]
    assert GuardianSecret.from_json(secret.to_json()) == secret
    with pytest.raises(InvalidElement, match="not a evote/guardian-secret"):
        GuardianSecret.from_json({**secret.to_json(), "type": "something-else"})


def test_forged_commitment_or_proof_is_refused_naming_the_guardian() -> None:
    record = guardians(2, 2)[1].public_key()
    other = guardians(1, 2)[0].public_key()
    # a commitment swapped for another guardian's key, keeping the proofs
    swapped = replace(
        record, election_commitments=(record.election_commitments[0], other.election_commitments[1])
    )
    with pytest.raises(InvalidProof, match="guardian g2: Schnorr proof for commitment K_i1"):
        swapped.verify()
    # a proof whose response is off by one
    bad = replace(
        record.election_proofs[1], response=record.election_proofs[1].response + ElementModQ.of(1)
    )
    with pytest.raises(InvalidProof, match="guardian g2"):
        replace(record, election_proofs=(record.election_proofs[0], bad)).verify()
    with pytest.raises(InvalidShare, match="guardian g2: election public key differs"):
        replace(record, election_public_key=other.election_public_key).verify()


def test_joint_key_is_the_product_and_ceremony_rules_hold() -> None:
    records = [g.public_key() for g in guardians(3, 2)]
    joint = combine_guardian_keys(list(reversed(records)), 3, 2)
    assert joint.joint_public_key == mult_p(*(r.election_public_key for r in records))
    assert joint.commitment_hash == hash_elems([k for r in records for k in r.election_commitments])
    with pytest.raises(InvalidShare, match="2 guardian records, the ceremony has 3"):
        combine_guardian_keys(records[:2], 3, 2)
    twin = replace(records[2], sequence_order=1)
    with pytest.raises(InvalidShare, match="share a sequence order"):
        combine_guardian_keys([records[0], records[1], twin], 3, 2)


def test_sample_joint_key_and_commitment_hash(sample_record: Any) -> None:
    """Known answer: Microsoft's `eg e2e` output, recomputed from its guardians/*.json."""
    docs = sample_record.glob("guardians/*.json")
    context = sample_record.load("context.json")
    records = [GuardianPublicKey.from_json(d) for d in docs]
    assert [r.to_json() for r in records] == docs
    joint = combine_guardian_keys(records, context["number_of_guardians"], context["quorum"])
    assert joint.joint_public_key == ElementModP.from_hex(context["elgamal_public_key"])
    assert joint.commitment_hash == ElementModQ.from_hex(context["commitment_hash"])


def test_a_guardian_replaying_another_guardians_key_is_refused() -> None:
    """The Schnorr challenge H(K, h) names no guardian, so another's key and proofs verify as
    one's own; the copier would then hold a 'share' it cannot use, and could replay the
    original's decryption shares as its own (same statement, same proof)."""
    records = [g.public_key() for g in guardians(3, 2)]
    copier = replace(records[0], guardian_id="g3", sequence_order=3)
    copier.verify(2)  # on its own, the copy verifies
    with pytest.raises(InvalidShare, match="guardians g1 and g3 publish the same commitment"):
        combine_guardian_keys([records[0], records[1], copier], 3, 2)


@pytest.mark.parametrize(
    ("n", "k", "problem"),
    [
        (2, 2, None), (3, 2, None), (5, 3, None), (5, 5, None),
        (3, 1, "at least 2, not 1"), (2, 0, "at least 2, not 0"),
        (1, 1, "at least 2 guardians, not 1"), (0, 0, "at least 2 guardians, not 0"),
        (2, 3, "impossible with 2 guardians"),
    ],
)  # fmt: skip
def test_threshold_needs_two_guardians_and_a_quorum_of_two(
    n: int, k: int, problem: str | None
) -> None:
    found = threshold_problem(n, k)
    assert found is None if problem is None else (found is not None and problem in found)
