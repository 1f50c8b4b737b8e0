"""Ballot validation: the package's ballots pass; every kind of forgery fails, named."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from evote.crypto.ballot import (
    BallotBoxState,
    CiphertextBallot,
    CiphertextBallotSelection,
    ballot_code,
    ballot_crypto_hash,
    contest_crypto_hash,
    selection_crypto_hash,
)
from evote.crypto.batch import BatchChecker
from evote.crypto.chaum_pedersen import (
    make_constant_chaum_pedersen,
    make_disjunctive_chaum_pedersen,
)
from evote.crypto.context import ElectionContext, make_context
from evote.crypto.elgamal import ElGamalCiphertext, elgamal_add, elgamal_encrypt
from evote.crypto.encrypt import encrypt_selection
from evote.crypto.errors import InvalidBallot, InvalidContext, InvalidElement, InvalidProof
from evote.crypto.group import ElementModP, ElementModQ, P, add_q
from evote.crypto.internal_manifest import InternalManifest
from evote.crypto.manifest import Manifest
from evote.crypto.validate import invalid_ballots, validate_ballot, validate_ballots

from .ballot_fixtures import vector_election
from .conftest import SampleRecord
from .vectors import load

E = vector_election()
PLAIN = E.inputs["plaintext"]
K = E.context.elgamal_public_key
QBAR = E.context.crypto_extended_base_hash
BATCH = BatchChecker(b"test-validate-weights", fixed_bases=[K])
"""The batch checker, for the tests that only need a valid ballot to pass (it is faster)."""


def _cast(master: int = 11, ballot_id: str | None = None) -> CiphertextBallot:
    plain = PLAIN if ballot_id is None else dict(PLAIN, object_id=ballot_id)
    return E.encrypt(plain, master).submit(BallotBoxState.CAST)


FULL = E.encrypt(PLAIN, 11)
"""With its nonces, so forgeries can remake the constant proofs."""
CAST = FULL.submit(BallotBoxState.CAST)


def _rehash(ballot: CiphertextBallot) -> CiphertextBallot:
    """Recompute every hash and the code, and (given the selection nonces) remake the contest
    proofs, so that only the forged part of a ballot is wrong; returns the cast form."""
    contests = []
    for c in ballot.contests:
        selections = tuple(
            replace(
                s, crypto_hash=selection_crypto_hash(s.object_id, s.description_hash, s.ciphertext)
            )
            for s in c.ballot_selections
        )
        accumulation = elgamal_add(s.ciphertext for s in selections)
        proof = c.proof
        nonces = [s.nonce for s in selections if s.nonce is not None]
        if len(nonces) == len(selections) and proof is not None:
            proof = make_constant_chaum_pedersen(
                accumulation, proof.constant, add_q(*nonces), K, ElementModQ.of(8), QBAR
            )
        contests.append(
            replace(
                c,
                ballot_selections=selections,
                ciphertext_accumulation=accumulation,
                crypto_hash=contest_crypto_hash(c.object_id, c.description_hash, selections),
                proof=proof,
            )
        )
    crypto_hash = ballot_crypto_hash(ballot.object_id, ballot.manifest_hash, contests)
    return replace(
        ballot,
        contests=tuple(contests),
        crypto_hash=crypto_hash,
        code=ballot_code(ballot.code_seed, ballot.timestamp, crypto_hash),
    ).submit(BallotBoxState.CAST)


def _with_selection(
    ballot: CiphertextBallot, contest: int, index: int, selection: CiphertextBallotSelection
) -> CiphertextBallot:
    c = ballot.contests[contest]
    selections = list(c.ballot_selections)
    selections[index] = selection
    contests = list(ballot.contests)
    contests[contest] = replace(c, ballot_selections=tuple(selections))
    return _rehash(replace(ballot, contests=tuple(contests)))


def test_vector_ballots_validate_and_encrypt_output_too() -> None:
    validate_ballot(CAST, E.internal, E.context)
    validate_ballot(E.encrypt(PLAIN), E.internal, E.context, allow_nonces=True, checker=BATCH)
    for name in ("north", "overvote"):
        v = load(f"ballot_encryption_{name}")
        ballot = CiphertextBallot.from_json(v["ciphertext_ballot"])
        validate_ballot(
            ballot,
            Manifest.from_json(v["inputs"]["manifest"]),
            E.context,
            allow_nonces=True,
            checker=BATCH,
        )


def test_tampered_vector_is_refused() -> None:
    v = load("ballot_tampered_proof")
    ballot = CiphertextBallot.from_json(v["submitted_ballot"])
    with pytest.raises(InvalidProof, match="ballot 'ballot-north-1' contest 'board' selection"):
        validate_ballot(ballot, E.internal, E.context)


def test_a_selection_that_encrypts_two_is_refused() -> None:
    original = FULL.contests[0].ballot_selections[0]
    nonce = ElementModQ.of(4242)
    two = elgamal_encrypt(2, nonce, K)
    proof = make_disjunctive_chaum_pedersen(two, nonce, K, QBAR, ElementModQ.of(1), 1)
    forged = _with_selection(
        FULL, 0, 0, replace(original, ciphertext=two, proof=proof, nonce=nonce)
    )
    with pytest.raises(InvalidProof, match="contest 'board' selection 'board-ann': disjunctive"):
        validate_ballot(forged, E.internal, E.context)


def test_a_contest_over_its_limit_is_refused() -> None:
    """Two 1s in a one-of-m contest: each selection proof is fine, the limit proof is not."""
    contest = CAST.contests[2]  # motion-7, one of m
    description = E.internal.contest("motion-7")
    assert description is not None
    nonce = ElementModQ.of(99)
    votes = [1, 1, 0, 0]  # yes, no, abstain, placeholder
    selections = tuple(
        encrypt_selection(v, d, K, QBAR, nonce, is_placeholder=i >= 3)
        for i, (v, d) in enumerate(zip(votes, description.all_selections, strict=True))
    )
    total = elgamal_add(s.ciphertext for s in selections)
    aggregate = add_q(*[s.nonce for s in selections if s.nonce is not None])
    proof = make_constant_chaum_pedersen(total, 1, aggregate, K, ElementModQ.of(5), QBAR)
    forged_contest = replace(
        contest,
        ballot_selections=tuple(replace(s, nonce=None) for s in selections),
        proof=proof,
    )
    forged = _rehash(replace(CAST, contests=(*CAST.contests[:2], forged_contest)))
    with pytest.raises(InvalidProof, match="contest 'motion-7': constant proof: g\\^\\(c·L\\)"):
        validate_ballot(forged, E.internal, E.context)
    honest_two = replace(
        forged_contest,
        proof=make_constant_chaum_pedersen(total, 2, aggregate, K, ElementModQ.of(5), QBAR),
    )
    forged = _rehash(replace(CAST, contests=(*CAST.contests[:2], honest_two)))
    with pytest.raises(InvalidProof, match="constant proof is for 2 selections, the limit is 1"):
        validate_ballot(forged, E.internal, E.context)


def test_an_element_outside_the_subgroup_is_refused() -> None:
    original = FULL.contests[1].ballot_selections[1]
    nonce = ElementModQ.of(7)
    bad = ElGamalCiphertext(ElementModP(P - 1), elgamal_encrypt(0, nonce, K).data)
    proof = make_disjunctive_chaum_pedersen(bad, nonce, K, QBAR, ElementModQ.of(2), 0)
    forged = _with_selection(
        FULL, 1, 1, replace(original, ciphertext=bad, proof=proof, nonce=nonce)
    )
    with pytest.raises(
        InvalidElement, match="selection 'north-no': disjunctive proof: ciphertext pad α"
    ):
        validate_ballot(forged, E.internal, E.context)
    with pytest.raises(InvalidElement):
        validate_ballot(forged, E.internal, E.context, checker=BatchChecker(b"s" * 32))


def test_a_changed_challenge_is_refused() -> None:
    original = CAST.contests[0].ballot_selections[2]
    assert original.proof is not None
    proof = replace(original.proof, challenge=add_q(original.proof.challenge, 1))
    forged = _with_selection(CAST, 0, 2, replace(original, proof=proof))
    with pytest.raises(InvalidProof, match="selection 'board-cem': disjunctive proof: c0 \\+ c1"):
        validate_ballot(forged, E.internal, E.context)


def test_a_ballot_for_another_vote_is_refused(sample_record: SampleRecord) -> None:
    other_manifest = Manifest.from_json(sample_record.load("manifest.json"))
    other_context = ElectionContext.from_json(sample_record.load("context.json"))
    with pytest.raises(InvalidBallot, match="another manifest"):
        validate_ballot(CAST, other_manifest, other_context)
    with pytest.raises(InvalidContext, match="another manifest"):
        validate_ballot(CAST, E.internal, other_context)
    # Same manifest and key, another key ceremony (commitment hash): every challenge differs.
    c = E.context
    again = make_context(
        c.number_of_guardians, c.quorum, K, add_q(c.commitment_hash, 1), c.manifest_hash
    )
    with pytest.raises(InvalidProof, match="challenge c is not H"):
        validate_ballot(CAST, E.internal, again)


def _drop_placeholder(b: CiphertextBallot) -> CiphertextBallot:
    c = b.contests[0]
    return _rehash(
        replace(
            b, contests=(replace(c, ballot_selections=c.ballot_selections[:-1]), *b.contests[1:])
        )
    )


def _mark_placeholder_real(b: CiphertextBallot) -> CiphertextBallot:
    s = b.contests[0].ballot_selections[-1]
    return _with_selection(
        b, 0, len(b.contests[0].ballot_selections) - 1, replace(s, is_placeholder_selection=False)
    )


@pytest.mark.parametrize(
    ("forge", "error", "message"),
    [
        (
            _drop_placeholder,
            InvalidBallot,
            "has 4 selections, expected 5 \\(2 of them placeholders\\)",
        ),
        (_mark_placeholder_real, InvalidBallot, "is_placeholder_selection"),
        (
            lambda b: _rehash(replace(b, contests=b.contests[::-1])),
            InvalidBallot,
            "are not those of style",
        ),
        (
            lambda b: _rehash(replace(b, contests=b.contests[:2])),
            InvalidBallot,
            "are not those of style",
        ),
        (
            lambda b: replace(b, style_id="delegate"),
            InvalidBallot,
            "are not those of style 'delegate'",
        ),
        (lambda b: replace(b, style_id="ghost"), InvalidBallot, "ballot style 'ghost'"),
        (lambda b: replace(b, code=add_q(b.code, 1)), InvalidBallot, "tracking code"),
        (lambda b: replace(b, timestamp=b.timestamp + 1), InvalidBallot, "tracking code"),
        (lambda b: replace(b, crypto_hash=add_q(b.crypto_hash, 1)), InvalidBallot, "crypto_hash"),
        (lambda b: replace(b, nonce=ElementModQ.of(3)), InvalidBallot, "master nonce"),
        (
            lambda b: replace(
                b,
                contests=(
                    replace(b.contests[0], description_hash=ElementModQ.of(1)),
                    *b.contests[1:],
                ),
            ),
            InvalidBallot,
            "contest 'board': description_hash",
        ),
        (
            lambda b: replace(b, contests=(replace(b.contests[0], proof=None), *b.contests[1:])),
            InvalidProof,
            "no constant proof",
        ),
    ],
)
def test_structural_forgeries_are_refused(forge, error, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(error, match=message):
        validate_ballot(forge(CAST), E.internal, E.context)


def test_a_ballot_with_nonces_is_refused_by_default() -> None:
    with pytest.raises(InvalidBallot, match="nonce"):
        validate_ballot(E.encrypt(PLAIN), E.internal, E.context)


def test_many_ballots_at_once() -> None:
    other = _cast(12, "ballot-2")
    validate_ballots([CAST, other], E.internal, E.context, checker=BATCH)
    with pytest.raises(InvalidBallot, match="appears twice"):
        validate_ballots([CAST, CAST], E.internal, E.context)
    bad = replace(other, object_id="ballot-forged")
    failures = invalid_ballots([CAST, bad], E.internal, E.context, checker=BATCH)
    assert [(i, type(e)) for i, e in failures] == [("ballot-forged", InvalidBallot)]


def test_the_sample_record_validates(sample_record: SampleRecord) -> None:
    internal = InternalManifest(Manifest.from_json(sample_record.load("manifest.json")))
    context = ElectionContext.from_json(sample_record.load("context.json"))
    paths = sorted((sample_record.root / "submitted_ballots").glob("*.json"))
    ballots = [CiphertextBallot.from_json(json.loads(p.read_text())) for p in paths]
    assert {b.state for b in ballots} <= {BallotBoxState.CAST, BallotBoxState.SPOILED}
    validate_ballot(ballots[0], internal, context)  # the sequential reference checker
    batch = BatchChecker(b"sample-record-test", fixed_bases=[context.elgamal_public_key])
    validate_ballots(ballots, internal, context, checker=batch)
