"""Records made by Microsoft's electionguard 1.4.0: tally.json and spoiled ballots verify here,
and their totals re-derive from encrypted_tally.json and the shares (direct or recovered)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from evote.crypto.ceremony import GuardianPublicKey
from evote.crypto.compensation import LagrangeCoefficients
from evote.crypto.decrypt import (
    PlaintextTally,
    decrypt_with_shares,
    manifest_selections,
    verify_plaintext_tally,
)
from evote.crypto.decryption_share import DecryptionShare
from evote.crypto.errors import InvalidProof, InvalidShare
from evote.crypto.group import ElementModQ
from evote.crypto.manifest import Manifest
from evote.crypto.record_fields import ciphertext_from_json
from evote.crypto.tally import CiphertextTally

CAST, SPOILED = 1, 2


def _setup(sample: Any) -> tuple[list[GuardianPublicKey], ElementModQ, dict[str, Any]]:
    records = [GuardianPublicKey.from_json(d) for d in sample.glob("guardians/*.json")]
    q_bar = ElementModQ.from_hex(sample.load("context.json")["crypto_extended_base_hash"])
    encrypted = CiphertextTally.from_json(sample.load("encrypted_tally.json")).ciphertexts()
    return records, q_bar, encrypted


def _shares_of(
    plain: PlaintextTally, records: list[GuardianPublicKey]
) -> dict[str, DecryptionShare]:
    """Regroup the shares embedded in a plaintext tally per guardian, as guardians sent them."""
    return {
        r.guardian_id: DecryptionShare(
            plain.object_id,
            r.guardian_id,
            r.election_public_key,
            {
                cid: {
                    sid: next(s for s in sel.shares if s.guardian_id == r.guardian_id)
                    for sid, sel in sels.items()
                }
                for cid, sels in plain.contests.items()
            },
        )
        for r in records
    }


def test_sample_tally_verifies_and_rederives(sample_record: Any) -> None:
    records, q_bar, encrypted = _setup(sample_record)
    doc = sample_record.load("tally.json")
    plain = PlaintextTally.from_json(doc)
    assert plain.to_json() == doc
    verify_plaintext_tally(plain, encrypted, records, q_bar)
    cast = [b for b in sample_record.glob("submitted_ballots/*.json") if b["state"] == CAST]
    ours = decrypt_with_shares(
        plain.object_id, encrypted, _shares_of(plain, records), records, q_bar, bound=len(cast)
    )
    assert ours.to_json() == doc


def test_tampered_sample_is_refused_naming_guardian_and_selection(sample_record: Any) -> None:
    records, q_bar, encrypted = _setup(sample_record)
    doc = copy.deepcopy(sample_record.load("tally.json"))
    contest = next(iter(doc["contests"].values()))
    sid, selection = next(iter(contest["selections"].items()))
    first, second = selection["shares"][0], selection["shares"][1]
    first["proof"]["response"], second["proof"]["response"] = (
        second["proof"]["response"],
        first["proof"]["response"],
    )
    with pytest.raises(InvalidProof, match=f"guardian {first['guardian_id']}, selection {sid}"):
        verify_plaintext_tally(PlaintextTally.from_json(doc), encrypted, records, q_bar)
    doc = copy.deepcopy(sample_record.load("tally.json"))
    next(iter(doc["contests"].values()))["selections"].pop(sid)
    with pytest.raises(InvalidShare, match="other selections"):
        verify_plaintext_tally(PlaintextTally.from_json(doc), encrypted, records, q_bar)


def test_sample_recovered_shares_are_checked(absent_record: Any) -> None:
    records, q_bar, encrypted = _setup(absent_record)
    doc = copy.deepcopy(absent_record.load("tally.json"))
    recovered = [
        (sid, s)
        for c in doc["contests"].values()
        for sid, sel in c["selections"].items()
        for s in sel["shares"]
        if s["recovered_parts"]
    ]
    assert recovered, "guardian 3 was absent: its shares must be recovered"
    sid, share = recovered[0]
    part_id, part = next(iter(share["recovered_parts"].items()))
    part["share"], share["share"] = share["share"], part["share"]
    with pytest.raises(
        InvalidProof,
        match=f"guardian {share['guardian_id']}, selection {sid}, part from guardian {part_id}",
    ):
        verify_plaintext_tally(PlaintextTally.from_json(doc), encrypted, records, q_bar)


def test_sample_spoiled_ballot_verifies_without_placeholders(sample_record: Any) -> None:
    records, q_bar, _ = _setup(sample_record)
    real = manifest_selections(Manifest.from_json(sample_record.load("manifest.json")))
    spoiled = [b for b in sample_record.glob("submitted_ballots/*.json") if b["state"] == SPOILED]
    assert spoiled, "both records spoil a ballot"
    for ballot in spoiled:
        ciphertexts = {
            c["object_id"]: {
                s["object_id"]: ciphertext_from_json(s["ciphertext"], "ballot")
                for s in c["ballot_selections"]
            }
            for c in ballot["contests"]
        }
        doc = sample_record.load(f"spoiled_ballots/spoiled_ballot_{ballot['object_id']}.json")
        plain = PlaintextTally.from_json(doc)
        assert plain.to_json() == doc
        verify_plaintext_tally(plain, ciphertexts, records, q_bar, selections=real)
        ours = decrypt_with_shares(
            plain.object_id,
            ciphertexts,
            _shares_of(plain, records),
            records,
            q_bar,
            bound=1,
            selections=real,
        )
        assert ours.to_json() == doc
        with pytest.raises(InvalidShare, match="other selections"):
            verify_plaintext_tally(
                plain, ciphertexts, records, q_bar
            )  # placeholders are not reported


def test_sample_lagrange_coefficients(sample_record: Any) -> None:
    """Known answer: coefficients.json holds w_ℓ for exactly the guardians that were present."""
    records, _, _ = _setup(sample_record)
    doc = sample_record.load("coefficients.json")
    present = [r for r in records if r.guardian_id in doc["coefficients"]]
    assert LagrangeCoefficients.for_guardians(present).to_json() == doc
    assert LagrangeCoefficients.from_json(doc).to_json() == doc
