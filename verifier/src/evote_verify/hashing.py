"""H(...) of the ElectionGuard 1.x specification, as electionguard 1.4.0 computes it.

Every hash in the record (challenges, ballot hashes, tracking codes, base hashes) is this one
function, so it has to match the reference byte for byte:

* SHA-256 over ``"|"`` followed by, for each element, its text and ``"|"``;
* the digest, read big-endian, reduced mod q.

Element texts: a group element (an ``mpz``) is canonical upper-case hex of even length; a ``str``
goes in as it is; a Python ``int`` (a count, an order, a timestamp) is decimal; ``None`` and the
empty list are ``"null"``; a non-empty list is replaced by the hex of its own hash.
Keeping group elements as ``mpz`` and counts as ``int`` is what lets one function tell them apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from hashlib import sha256

from gmpy2 import mpz

from .group import SMALL_PRIME, to_hex


def element_text(x: object) -> str:
    """The text that one element contributes to H."""
    if type(x) is type(mpz(0)):
        return to_hex(x)  # type: ignore[arg-type]
    if isinstance(x, str):
        return x
    if isinstance(x, int):
        return str(x)
    if x is None:
        return "null"
    if isinstance(x, Sequence):
        if not x:
            return "null"
        return to_hex(hash_elems(*x))
    raise TypeError(f"cannot hash a {type(x).__name__}")


def hash_elems(*elements: object) -> mpz:
    """H(elements) mod q, see the module docstring."""
    h = sha256(b"|")
    for x in elements:
        h.update((element_text(x) + "|").encode("utf-8"))
    return mpz(int.from_bytes(h.digest(), "big")) % SMALL_PRIME


def hash_texts(texts: Sequence[str]) -> mpz:
    """H over elements already turned into text; the hot path for ballot proofs."""
    return mpz(int.from_bytes(sha256(("|" + "|".join(texts) + "|").encode("utf-8")).digest(), "big")) % SMALL_PRIME


CIPHERTEXT_KEY_BYTES = 16
_KEY_MASK = (1 << (8 * CIPHERTEXT_KEY_BYTES)) - 1


def ciphertext_key(ciphertext_hash: mpz) -> bytes:
    """A selection ciphertext's key for V25 (weeding): the low 128 bits of its H(α, β).

    H(α, β) is computed anyway for the selection hash (V12). Equal pairs always get equal keys;
    for an honest ballot's key to turn up elsewhere would take a second preimage of SHA-256
    truncated to 128 bits.
    """
    return (int(ciphertext_hash) & _KEY_MASK).to_bytes(CIPHERTEXT_KEY_BYTES, "big")
