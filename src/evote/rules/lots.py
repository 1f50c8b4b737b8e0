"""Drawing lots from a public, reproducible seed (Losentscheid).

When a tie at the last seat is broken by lot, anyone must be able to redo the draw. The seed is
made from two things nobody controls alone: the SHA-256 of the vote's published record (fixed
before anyone knew which value the presidium would announce) and a value the presidium
announces to the hall after the result (a number called out, the top card of a shuffled deck).

Bytes, so other implementations agree (docs/elections.md):

    seed  = SHA-256( "evote/lot/v1" 0x00 || record_sha256 (32 bytes) || UTF-8(announced) )
    pool  = the tied candidates' names, sorted by Unicode code point
    for i = 0, 1, …, k-1:
        n_i = int( SHA-256(seed || uint32_be(i)) ) mod len(pool)    (big-endian integer)
        drawn_i = pool.pop(n_i)

The modulo bias of a 256-bit number over a handful of names is below 2^-250.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

DOMAIN = b"evote/lot/v1\x00"


def seed(record_sha256: bytes, announced: str) -> bytes:
    if len(record_sha256) != 32:
        raise ValueError("record_sha256 is the 32-byte SHA-256 of the record")
    if not announced.strip():
        raise ValueError("the presidium's announced value must not be empty")
    return hashlib.sha256(DOMAIN + record_sha256 + announced.encode("utf-8")).digest()


def draw(seed_bytes: bytes, candidates: Sequence[str], k: int) -> tuple[str, ...]:
    """k names drawn from `candidates` (order of the input does not matter)."""
    if len(set(candidates)) != len(candidates):
        raise ValueError("candidate names must be distinct")
    if not 1 <= k <= len(candidates):
        raise ValueError("draw at least one and at most all of the candidates")
    pool = sorted(candidates)
    drawn = []
    for i in range(k):
        digest = hashlib.sha256(seed_bytes + i.to_bytes(4, "big")).digest()
        drawn.append(pool.pop(int.from_bytes(digest, "big") % len(pool)))
    return tuple(drawn)
