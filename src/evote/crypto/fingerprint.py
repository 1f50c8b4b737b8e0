"""The key ceremony's fingerprint, and each guardian's signed confirmation of it.

A guardian checks the other guardians' public records only *as the server shows them*.  A
server that shows guardian A a key of its own in place of guardian B's would receive A's backup
for B encrypted to that key, open it, and with enough such backups learn every secret.  So
before any backup leaves a laptop, every guardian's client hashes all n public records it sees
into a short fingerprint, the guardians read theirs aloud, and each confirms only when all of
them are equal: equal fingerprints mean equal views of the ceremony (docs/guardians.md).

Encoding (docs/guardians.md, "The fingerprint"), with u32 a 4-byte big-endian integer and
E(x) an element of Z_p as 512 bytes big-endian:

    D = SHA-256( "evote/ceremony-fingerprint/1" ‖ 0x00 ‖ u32(n) ‖ u32(k)
                 ‖ for each guardian by increasing sequence order:
                     u32(i) ‖ u32(len(id)) ‖ id (UTF-8) ‖ E(K_i)
                     ‖ u32(number of commitments) ‖ E(K_i0) ‖ … ‖ E(K_i,k-1) )

and the fingerprint read aloud is the first 120 bits of D in 24 Crockford base-32 digits,
grouped by four with "-".  The confirmation is a Schnorr signature on D with the guardian's
secret s_i = a_i0 under K_i: c = SHA-256("evote/ceremony-confirmation/1" ‖ 0x00 ‖ E(K_i) ‖
E(h) ‖ D) mod q with h = g^r, u = r + c·s_i mod q; it binds the confirmation to the
fingerprint the guardian's own client computed, so nobody but that guardian can confirm
another fingerprint in its name, and anyone can check it in the published record.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from hashlib import sha256
from typing import Any

from gmpy2 import mpz

from .ceremony import GuardianPublicKey, GuardianSecret
from .errors import InvalidElement, InvalidProof
from .group import ElementModP, ElementModQ, P, Q, a_plus_bc_q, g_pow_p
from .record_fields import q_field, text_field

FINGERPRINT_TAG = b"evote/ceremony-fingerprint/1"
CONFIRMATION_TAG = b"evote/ceremony-confirmation/1"
ELEMENT_BYTES = 512
"""p < 2^4096: every element of Z_p fits in 512 bytes."""
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
"""Crockford's base 32: no I, L, O or U, so nothing read aloud is mistaken for another digit."""
DIGITS = 24
GROUP = 4
_TYPO = str.maketrans({"O": "0", "I": "1", "L": "1"})


def _u32(value: int) -> bytes:
    return value.to_bytes(4, "big")


def _element(value: ElementModP) -> bytes:
    return int(value.value).to_bytes(ELEMENT_BYTES, "big")


def ceremony_digest(
    number_of_guardians: int, quorum: int, records: Sequence[GuardianPublicKey]
) -> bytes:
    """D: SHA-256 over n, k and every record's id, order, key and commitments, in order.

    Proofs are left out: they only show the commitments are well made, which every client
    checks; what must be the same for everyone is which keys backups are encrypted to and
    which commitments they are checked against.
    """
    h = sha256(FINGERPRINT_TAG + b"\x00" + _u32(number_of_guardians) + _u32(quorum))
    for record in sorted(records, key=lambda r: r.sequence_order):
        name = record.guardian_id.encode("utf-8")
        h.update(_u32(record.sequence_order) + _u32(len(name)) + name)
        h.update(_element(record.election_public_key))
        h.update(_u32(len(record.election_commitments)))
        for commitment in record.election_commitments:
            h.update(_element(commitment))
    return h.digest()


def display(digest: bytes) -> str:
    """The fingerprint people read aloud: 24 base-32 digits of D's first 120 bits, by four."""
    number = int.from_bytes(digest[:15], "big")
    digits = "".join(ALPHABET[(number >> (5 * i)) & 31] for i in reversed(range(DIGITS)))
    return "-".join(digits[i : i + GROUP] for i in range(0, DIGITS, GROUP))


def normalize(typed: str) -> str:
    """What a person typed, in `display`'s spelling: case, spaces, dashes and O/I/L forgiven."""
    compact = re.sub(r"[\s\-_.]", "", typed).upper().translate(_TYPO)
    return "-".join(compact[i : i + GROUP] for i in range(0, len(compact), GROUP))


def same_fingerprint(typed: str, digest: bytes) -> bool:
    return normalize(typed) == display(digest)


def _challenge(public_key: ElementModP, commitment: ElementModP, digest: bytes) -> ElementModQ:
    h = sha256(CONFIRMATION_TAG + b"\x00" + _element(public_key) + _element(commitment) + digest)
    return ElementModQ(mpz(int.from_bytes(h.digest(), "big")) % Q)


@dataclass(frozen=True, slots=True)
class FingerprintConfirmation:
    """Guardian i's signed "my fingerprint is D, and the others read out the same"."""

    guardian_id: str
    fingerprint: bytes
    """D, the full 32-byte digest (the spoken fingerprint is its first 120 bits)."""
    challenge: ElementModQ
    response: ElementModQ

    @classmethod
    def sign(cls, secret: GuardianSecret, digest: bytes, nonce: ElementModQ) -> FingerprintConfirmation:
        """Sign D with s_i; `nonce` is r, fresh and secret (the client draws it with `secrets`)."""
        if nonce.value == 0:
            raise ValueError("the signature nonce must not be 0")
        keypair = secret.election_key_pair
        c = _challenge(keypair.public_key, g_pow_p(nonce), digest)
        return cls(secret.guardian_id, digest, c, a_plus_bc_q(nonce, keypair.secret_key, c))

    def verify(self, record: GuardianPublicKey, digest: bytes) -> None:
        """Raise `InvalidProof` unless this is `record`'s guardian's signature on `digest`."""
        who = f"guardian {self.guardian_id}"
        if record.guardian_id != self.guardian_id:
            raise InvalidProof(f"{who}: the confirmation is checked against another guardian")
        if self.fingerprint != digest:
            raise InvalidProof(
                f"{who} confirmed fingerprint {display(self.fingerprint)}, not {display(digest)}"
            )
        key = record.election_public_key
        # h = g^u · K^(q-c): for K in the subgroup this is g^u / K^c, the signer's commitment.
        h = ElementModP(g_pow_p(self.response).value * key.pow(Q - self.challenge.value).value % P)
        if _challenge(key, h, digest) != self.challenge:
            raise InvalidProof(f"{who}: the signature on the fingerprint does not verify")

    def to_json(self) -> dict[str, Any]:
        return {
            "guardian_id": self.guardian_id,
            "fingerprint": self.fingerprint.hex(),
            "challenge": self.challenge.to_hex(),
            "response": self.response.to_hex(),
        }

    @classmethod
    def from_json(cls, obj: object) -> FingerprintConfirmation:
        where = "fingerprint confirmation"
        guardian_id = text_field(obj, "guardian_id", where)
        where = f"guardian {guardian_id}'s fingerprint confirmation"
        return cls(
            guardian_id,
            digest_from_hex(text_field(obj, "fingerprint", where), where),
            q_field(obj, "challenge", where),
            q_field(obj, "response", where),
        )


def digest_from_hex(text: str, where: str) -> bytes:
    """D as 64 lower-case hex digits, the one spelling the API and the record use."""
    if not re.fullmatch(r"[0-9a-f]{64}", text):
        raise InvalidElement(f"{where}: the fingerprint must be 64 lower-case hex digits")
    return bytes.fromhex(text)
