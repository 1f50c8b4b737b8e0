"""From a voting code to the delegate's Ed25519 keys: the code alone gives every key.

    master  = PBKDF2-HMAC-SHA256(password = the 20 code characters (ASCII, no dashes),
                                 salt = "evote-credential-v1" ‖ 0x00 ‖ event salt (16 bytes),
                                 iterations from the committee's statements, 32 bytes)
    seed_j  = HMAC-SHA256(key = master, "evote-credential-slot-v1" ‖ 0x00 ‖ u32(j))
    key_j   = the Ed25519 key pair of the 32-byte seed seed_j (RFC 8032)

Slot 0 only checks a typed code; slot j ≥ 1 signs the ballot of the event's j-th vote.  Keys
of different slots are unrelated to anyone without the code, so the published records of two
votes cannot be joined on a delegate's key.

Why PBKDF2 and not Argon2id or scrypt: the delegate's browser must derive the same keys, and
WebCrypto offers PBKDF2-SHA256 natively in every browser (fast, constant-time, no code of ours)
but neither Argon2 nor scrypt; a hand-written memory-hard KDF in JavaScript would be slow on
an old phone and one more thing to get wrong.  The code carries ≈ 94 random bits, so the KDF
is not what keeps it from being guessed: it is a margin, and its cost (600,000 iterations by
default, ≈ 0.2 s here, about a second on an old phone, once per login) is the one OWASP
recommends for PBKDF2-SHA256 today.  The same derivation is web/js/crypto/credential.js;
tests/vectors/credentials.json holds vectors both implementations must meet.
"""

from __future__ import annotations

import hashlib
import hmac

import nacl.signing

from evote_credentials.code import compact

KDF_TAG = b"evote-credential-v1\x00"
SLOT_TAG = b"evote-credential-slot-v1\x00"
DEFAULT_ITERATIONS = 600_000
MIN_ITERATIONS = 100_000
"""Below this `evote-credentials init` refuses, except in tests (see vault.kdf_floor)."""


def master_secret(code: str, salt: bytes, iterations: int) -> bytes:
    """The 32-byte secret every slot key comes from; `code` as typed (normalised here)."""
    if len(salt) != 16:
        raise ValueError("the event's salt is 16 bytes")
    if iterations < 1:
        raise ValueError("at least one iteration")
    return hashlib.pbkdf2_hmac("sha256", compact(code).encode("ascii"), KDF_TAG + salt,
                               iterations, 32)


def slot_seed(master: bytes, slot: int) -> bytes:
    if not 0 <= slot < 2**32:
        raise ValueError("slot out of range")
    return hmac.new(master, SLOT_TAG + slot.to_bytes(4, "big"), hashlib.sha256).digest()


def slot_key(master: bytes, slot: int) -> nacl.signing.SigningKey:
    return nacl.signing.SigningKey(slot_seed(master, slot))


def public_key(master: bytes, slot: int) -> str:
    """The slot's public key as evote writes it: 64 lower-case hex digits."""
    return slot_key(master, slot).verify_key.encode().hex()
