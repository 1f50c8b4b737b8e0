"""`hash_elems`, exactly as ElectionGuard 1.x (electionguard 1.4.0) computes it.

Every hash in a ballot, the context and the proofs' Fiat-Shamir challenges goes through
here, so one byte of difference breaks conformance with Microsoft's code.  The rules:
SHA-256 over "|" and then, for each element, its text followed by "|"; the digest, read
big-endian, is reduced mod q.  An element's text is
  - group elements: `int_to_hex` (upper case, even length, no padding to the modulus);
  - objects with `crypto_hash()`: the hex of that hash;
  - strings: themselves; ints (bools too, as Python does): `str(x)`;
  - None and empty sequences: "null";
  - non-empty sequences: the hex of `hash_elems(*seq)`.
"""

from __future__ import annotations

from collections.abc import Iterable
from hashlib import sha256
from typing import Protocol, runtime_checkable

from gmpy2 import mpz

from .group import ElementModP, ElementModQ, Q, int_to_hex


@runtime_checkable
class CryptoHashable(Protocol):
    def crypto_hash(self) -> ElementModQ: ...


def _text(x: object) -> str:
    if isinstance(x, (ElementModP, ElementModQ)):
        return int_to_hex(x.value)
    # str and int before the Protocol test: a runtime-checkable isinstance is ~10 µs, and
    # ballot validation hashes thousands of names (no str or int has a crypto_hash)
    if isinstance(x, str):
        return x
    if isinstance(x, int):
        return str(x)
    if isinstance(x, CryptoHashable):
        return int_to_hex(x.crypto_hash().value)
    if not x:
        return "null"
    if isinstance(x, Iterable):
        return int_to_hex(hash_elems(*x).value)
    return str(x)


def hash_elems(*elements: object) -> ElementModQ:
    h = sha256(b"|")
    for x in elements:
        h.update((_text(x) + "|").encode("utf-8"))
    return ElementModQ(mpz(int.from_bytes(h.digest(), "big")) % Q)
