"""Microsoft's `eg e2e` sample: its tally.json and spoiled ballot verify here, totals re-derive."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from evote.crypto.ceremony import GuardianPublicKey
from evote.crypto.decrypt import (
    PlaintextTally,
    decrypt_with_shares,
    verify_plaintext_tally,
)
from evote.crypto.decryption_share import DecryptionShare
from evote.crypto.errors import InvalidProof, InvalidShare
from evote.crypto.group import ElementModQ
from evote.crypto.record_fields import ciphertext_from_json
from evote.crypto.tally import CiphertextTally


def _setup(sample: Any) -> tuple[list[GuardianPublicKey], ElementModQ]:
    records = [GuardianPublicKey.from_json(d) for d in sample.glob("guardians/*.json")]
    q_bar = ElementModQ.from_hex(sample.load("context.json")["crypto_extended_base_hash"])
    return records, q_bar


def _shares_of(
    plain: PlaintextTally, records: list[GuardianPublicKey]
) -> dict[str, DecryptionShare]:
    """Regroup the shares embedded in a plaintext tally per guardian, as guardians sent them."""
    shares: dict[str, DecryptionShare] = {}
    for r in records:
        contests = {
            cid: {
                sid: next(s for s in sel.shares if s.guardian_id == r.guardian_id)
                for sid, sel in sels.items()
            }
            for cid, sels in plain.contests.items()
        }
        shares[r.guardian_id] = DecryptionShare(
            plain.object_id, r.guardian_id, r.election_public_key, contests
        )
    return shares


def test_sample_tally_verifies_and_rederives(sample_record: Any) -> None:
    records, q_bar = _setup(sample_record)
    doc = sample_record.load("tally.json")
    ciphertexts = CiphertextTally.from_json(
        sample_record.load("encrypted_tally.json")
    ).ciphertexts()
    plain = PlaintextTally.from_json(doc)
    assert plain.to_json() == doc
    verify_plaintext_tally(plain, ciphertexts, records, q_bar)
    ours = decrypt_with_shares(
        plain.object_id, ciphertexts, _shares_of(plain, records), records, q_bar, bound=100
    )
    assert ours.to_json() == doc
    assert (
        sum(ours.totals()["motion-1"].values())
        == len(sample_record.glob("submitted_ballots/*.json")) - 1
    )


def test_tampered_sample_share_is_refused_naming_guardian(sample_record: Any) -> None:
    records, q_bar = _setup(sample_record)
    ciphertexts = CiphertextTally.from_json(
        sample_record.load("encrypted_tally.json")
    ).ciphertexts()
    doc = copy.deepcopy(sample_record.load("tally.json"))
    shares = doc["contests"]["executive"]["selections"]["bob-sel"]["shares"]
    shares[1]["proof"]["response"], shares[2]["proof"]["response"] = (
        shares[2]["proof"]["response"],
        shares[1]["proof"]["response"],
    )
    with pytest.raises(
        InvalidProof, match=f"guardian {shares[1]['guardian_id']}, selection bob-sel"
    ):
        verify_plaintext_tally(PlaintextTally.from_json(doc), ciphertexts, records, q_bar)
    doc = copy.deepcopy(sample_record.load("tally.json"))
    doc["contests"]["executive"]["selections"].pop("dave-sel")
    with pytest.raises(InvalidShare, match="other selections"):
        verify_plaintext_tally(PlaintextTally.from_json(doc), ciphertexts, records, q_bar)


def test_sample_spoiled_ballot_verifies_without_placeholders(sample_record: Any) -> None:
    records, q_bar = _setup(sample_record)
    manifest = sample_record.load("manifest.json")
    real = {
        c["object_id"]: [s["object_id"] for s in c["ballot_selections"]]
        for c in manifest["contests"]
    }
    spoiled = [b for b in sample_record.glob("submitted_ballots/*.json") if b["state"] == 2]
    assert spoiled, "the sample has a spoiled (challenged) ballot"
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
