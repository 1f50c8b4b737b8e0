"""The ceremony fingerprint: its exact encoding, what changes it, and the signed confirmation."""

from __future__ import annotations

import base64
from dataclasses import replace
from hashlib import sha256

import pytest

from evote.crypto.ceremony import GuardianPublicKey, GuardianSecret
from evote.crypto.errors import InvalidElement, InvalidProof
from evote.crypto.fingerprint import (
    FingerprintConfirmation,
    ceremony_digest,
    display,
    normalize,
    same_fingerprint,
)
from evote.crypto.group import ElementModQ, g_pow_p


def secrets_of(n: int, k: int) -> list[GuardianSecret]:
    return [
        GuardianSecret.generate(f"guardian-{i}", i, k, bytes([40 + i]) * 32)
        for i in range(1, n + 1)
    ]


def records_of(n: int, k: int) -> list[GuardianPublicKey]:
    return [s.public_key() for s in secrets_of(n, k)]


def test_digest_is_the_documented_byte_string() -> None:
    """docs/guardians.md spells the encoding out; this rebuilds it from that text alone."""
    records = records_of(3, 2)

    def u32(x: int) -> bytes:
        return x.to_bytes(4, "big")

    data = b"evote/ceremony-fingerprint/1\x00" + u32(3) + u32(2)
    for r in records:
        data += u32(r.sequence_order) + u32(len(r.guardian_id)) + r.guardian_id.encode()
        data += int(r.election_public_key).to_bytes(512, "big") + u32(2)
        data += b"".join(int(c).to_bytes(512, "big") for c in r.election_commitments)
    assert ceremony_digest(3, 2, records) == sha256(data).digest()
    assert ceremony_digest(3, 2, list(reversed(records))) == sha256(data).digest()


def test_every_key_commitment_id_n_and_k_counts() -> None:
    records = records_of(3, 2)
    base = ceremony_digest(3, 2, records)
    swapped = GuardianSecret.generate("guardian-2", 2, 2, b"the server's own key, 32 bytes!!")
    swapped_record = swapped.public_key()
    assert swapped_record != records[1]
    variants = [
        ceremony_digest(3, 2, [records[0], swapped_record, records[2]]),
        ceremony_digest(3, 2, [records[0], replace(records[1], guardian_id="guardian-x"), records[2]]),
        ceremony_digest(3, 2, [records[0], replace(records[1], sequence_order=4), records[2]]),
        ceremony_digest(
            3, 2,
            [records[0], replace(records[1], election_commitments=(
                records[1].election_commitments[0], g_pow_p(ElementModQ.of(5)))), records[2]],
        ),
        ceremony_digest(4, 2, records),
        ceremony_digest(3, 3, records),
        ceremony_digest(3, 2, records[:2]),
    ]
    assert base not in variants and len(set(variants)) == len(variants)


def test_display_is_six_groups_of_four_crockford_digits() -> None:
    digest = bytes(range(32))
    shown = display(digest)
    # RFC 4648 base 32 of the same 15 bytes, re-spelled in Crockford's alphabet digit by digit.
    rfc = base64.b32encode(digest[:15]).decode()
    crockford = "".join(
        "0123456789ABCDEFGHJKMNPQRSTVWXYZ"["ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".index(ch)]
        for ch in rfc
    )
    assert shown == "-".join(crockford[i : i + 4] for i in range(0, 24, 4))
    assert [len(g) for g in shown.split("-")] == [4] * 6
    assert display(ceremony_digest(3, 2, records_of(3, 2))) != shown


def test_typed_fingerprints_forgive_case_spaces_and_look_alikes() -> None:
    digest = bytes(range(32))
    shown = display(digest)
    assert same_fingerprint(shown.lower().replace("-", " "), digest)
    assert normalize(" " + shown.replace("0", "o").replace("1", "l") + " ") == shown
    assert not same_fingerprint(shown[:-1] + ("A" if shown[-1] != "A" else "B"), digest)
    assert not same_fingerprint(shown[:-5], digest)


def test_confirmation_is_bound_to_the_guardian_and_its_fingerprint() -> None:
    secrets = secrets_of(2, 2)
    records = [s.public_key() for s in secrets]
    digest = ceremony_digest(2, 2, records)
    confirmation = FingerprintConfirmation.sign(secrets[0], digest, ElementModQ.of(12345))
    confirmation.verify(records[0], digest)
    assert FingerprintConfirmation.from_json(confirmation.to_json()) == confirmation
    other = bytes(32)
    with pytest.raises(InvalidProof, match="confirmed fingerprint"):
        confirmation.verify(records[0], other)
    # Re-labelled with another digest, or in another guardian's name: the signature fails.
    with pytest.raises(InvalidProof, match="does not verify"):
        replace(confirmation, fingerprint=other).verify(records[0], other)
    with pytest.raises(InvalidProof, match="does not verify"):
        replace(confirmation, guardian_id="guardian-2").verify(records[1], digest)
    with pytest.raises(InvalidProof, match="does not verify"):
        replace(confirmation, response=confirmation.response + ElementModQ.of(1)).verify(
            records[0], digest
        )
    with pytest.raises(InvalidProof, match="another guardian"):
        confirmation.verify(records[1], digest)


def test_confirmation_json_is_strict() -> None:
    secret = secrets_of(1, 1)[0]
    good = FingerprintConfirmation.sign(secret, bytes(range(200, 232)), ElementModQ.of(7)).to_json()
    for bad in ({**good, "fingerprint": good["fingerprint"].upper()},
                {**good, "fingerprint": good["fingerprint"][:-2]},
                {**good, "challenge": "xyz"},
                {k: v for k, v in good.items() if k != "response"}):  # fmt: skip
        with pytest.raises(InvalidElement):
            FingerprintConfirmation.from_json(bad)
    with pytest.raises(ValueError):
        FingerprintConfirmation.sign(secret, bytes(32), ElementModQ.of(0))


def test_the_verifiers_own_implementation_agrees() -> None:
    """evote-verify computes D, the words and the signature check with code of its own."""
    from gmpy2 import mpz

    theirs = pytest.importorskip("evote_verify.ceremony", reason="pip install -e ./verifier")
    fingerprint_digest, signature_problem, spoken = (
        theirs.fingerprint_digest, theirs.signature_problem, theirs.spoken
    )
    GuardianKey = pytest.importorskip("evote_verify.decryption").GuardianKey

    secrets = secrets_of(3, 2)
    records = [s.public_key() for s in secrets]
    keys = [
        GuardianKey(r.guardian_id, r.sequence_order, mpz(int(r.election_public_key)),
                    tuple(mpz(int(c)) for c in r.election_commitments))
        for r in records
    ]  # fmt: skip
    digest = ceremony_digest(3, 2, records)
    assert fingerprint_digest(3, 2, keys) == digest and spoken(digest) == display(digest)
    signed = FingerprintConfirmation.sign(secrets[1], digest, ElementModQ.of(424242)).to_json()
    assert signature_problem(keys[1].key, digest, signed) == ""
    assert "does not verify" in signature_problem(keys[0].key, digest, signed)
    assert "does not verify" in signature_problem(keys[1].key, bytes(32), signed)
