"""Hashed ElGamal for byte strings, exactly as electionguard 1.4.0 (its KDF and HMAC).

Exponential ElGamal can only carry small numbers; guardians' key backups (a polynomial
value mod q) and a contest's extended data (write-ins, over-vote notes) need bytes.  The
package encrypts them as:

  α = g^ξ, session key k = H(α, K^ξ)                      (hash_elems, an element of Z_q)
  for 32-byte block i = 1, 2, ...:  key_i = HMAC-SHA256(k, le32(i) ‖ Q ‖ le32(bits))
  data = message ⊕ key_1 ‖ key_2 ‖ ...      (message zero-padded to whole 32-byte blocks)
  mac  = HMAC-SHA256(HMAC-SHA256(k, le32(0) ‖ Q ‖ le32(bits)), α ‖ data)

where Q is the "encryption seed" (the extended base hash Q̄), keys and elements enter as the
bytes of their even-length hex, and `bits` is the padded message length in bits.  data and
mac are written as hex of the number they encode (leading zero bytes dropped), and the
decryptor pads `data` back to 512 bytes before the MAC: so, like the package, only messages
of exactly 512 bytes (see `pad_message`) round-trip.  The MAC is checked before anything is
decrypted, with a constant-time comparison.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from hashlib import sha256
from typing import Any, Self

from .errors import InvalidCiphertext
from .group import ElementModP, ElementModQ, g_pow_p, int_to_hex
from .hash import hash_elems
from .jsonread import JsonObject, read_p, read_str, require_object

BLOCK_SIZE = 32
PADDED_SIZE = 512
"""The package pads every hashed-ElGamal message to 512 bytes (`DataSize.Bytes_512`)."""


def _bytes_of(element: ElementModP | ElementModQ) -> bytes:
    return bytes.fromhex(int_to_hex(element.value))


def _hex_of_bytes(data: bytes) -> str:
    return int_to_hex(int.from_bytes(data, "big"))


def _hmac(key: bytes, message: bytes) -> bytes:
    return hmac.new(key, message, sha256).digest()


def _kdf(session_key: bytes, seed: bytes, bits: int, index: int) -> bytes:
    return _hmac(session_key, index.to_bytes(4, "little") + seed + bits.to_bytes(4, "little"))


def _xor_blocks(data: bytes, session_key: bytes, seed: bytes, bits: int) -> bytes:
    out = bytearray()
    for i in range(0, len(data), BLOCK_SIZE):
        key = _kdf(session_key, seed, bits, i // BLOCK_SIZE + 1)
        out.extend(a ^ b for a, b in zip(data[i : i + BLOCK_SIZE], key, strict=False))
    return bytes(out)


def _pad_to_blocks(message: bytes) -> bytes:
    remainder = len(message) % BLOCK_SIZE
    return message + bytes(BLOCK_SIZE - remainder) if remainder else message


@dataclass(frozen=True, slots=True)
class HashedElGamalCiphertext:
    pad: ElementModP
    """α = g^ξ."""
    data: str
    """The encrypted blocks, as hex."""
    mac: str
    """HMAC over α and the encrypted blocks, as hex."""

    def decrypt_with_product(self, product: ElementModP, encryption_seed: ElementModQ) -> bytes:
        """Decrypt given K^ξ = α^s; raises `InvalidCiphertext` if the MAC does not match."""
        session_key = _bytes_of(hash_elems(self.pad, product))
        seed = _bytes_of(encryption_seed)
        try:
            data = bytes.fromhex(self.data)
        except ValueError:
            raise InvalidCiphertext("hashed ElGamal data is not hex") from None
        if len(data) < PADDED_SIZE:
            data = bytes(PADDED_SIZE - len(data)) + data
        bits = len(_pad_to_blocks(data)) * 8
        mac_key = _kdf(session_key, seed, bits, 0)
        expected = _hex_of_bytes(_hmac(mac_key, _bytes_of(self.pad) + data))
        if not hmac.compare_digest(expected.encode(), self.mac.encode()):
            raise InvalidCiphertext("hashed ElGamal MAC does not match: wrong key or tampered")
        return _xor_blocks(_pad_to_blocks(data), session_key, seed, bits)

    def decrypt(self, secret_key: ElementModQ, encryption_seed: ElementModQ) -> bytes:
        return self.decrypt_with_product(self.pad.pow(secret_key), encryption_seed)

    def to_json(self) -> dict[str, Any]:
        return {"pad": self.pad.to_hex(), "data": self.data, "mac": self.mac}

    @classmethod
    def from_json(cls, data: object, what: str = "hashed ElGamal ciphertext") -> Self:
        """Refuses `data` and `mac` that are not hex of at most 512 and 32 bytes.

        Nothing hashes or proves a contest's extended data, so without these bounds a ballot
        could carry megabytes of arbitrary text into the ballot box and the published record.
        """
        obj = require_object(data, what, InvalidCiphertext)
        return cls(
            read_p(obj, "pad", what, InvalidCiphertext),
            _read_hex(obj, "data", 2 * PADDED_SIZE, what),
            _read_hex(obj, "mac", 2 * BLOCK_SIZE, what),
        )


def _read_hex(obj: JsonObject, key: str, max_digits: int, what: str) -> str:
    text = read_str(obj, key, what, InvalidCiphertext)
    if len(text) > max_digits:
        raise InvalidCiphertext(f"{what}: {key} is longer than {max_digits} hex digits")
    if text.strip("0123456789ABCDEFabcdef"):
        raise InvalidCiphertext(f"{what}: {key} is not hex")
    return text


def hashed_elgamal_encrypt(
    message: bytes,
    nonce: ElementModQ,
    public_key: ElementModP,
    encryption_seed: ElementModQ,
) -> HashedElGamalCiphertext:
    """Encrypt bytes to K with nonce ξ; deterministic given its arguments."""
    if nonce.value == 0:
        raise ValueError("the encryption nonce must not be zero")
    pad = g_pow_p(nonce)
    session_key = _bytes_of(hash_elems(pad, public_key.pow(nonce)))
    seed = _bytes_of(encryption_seed)
    blocks = _pad_to_blocks(message)
    bits = len(blocks) * 8
    data = _xor_blocks(blocks, session_key, seed, bits)
    mac = _hmac(_kdf(session_key, seed, bits, 0), _bytes_of(pad) + data)
    return HashedElGamalCiphertext(pad, _hex_of_bytes(data), _hex_of_bytes(mac))


def pad_message(message: bytes, size: int = PADDED_SIZE) -> bytes:
    """The package's `add_padding`: 2-byte big-endian pad length, message, zero bytes."""
    room = size - 2
    if len(message) > room:
        raise ValueError(f"message of {len(message)} bytes does not fit in {room}")
    padding = room - len(message)
    return padding.to_bytes(2, "big") + message + bytes(padding)


def unpad_message(padded: bytes, size: int = PADDED_SIZE) -> bytes:
    """Inverse of `pad_message`; raises `InvalidCiphertext` on a malformed pad length."""
    if len(padded) != size:
        raise InvalidCiphertext(f"padded message must be {size} bytes, got {len(padded)}")
    padding = int.from_bytes(padded[:2], "big")
    if padding > size - 2:
        raise InvalidCiphertext("padded message has an impossible pad length")
    return padded[2 : size - padding]
