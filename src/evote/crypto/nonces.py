"""Deterministic nonce sequences, exactly as electionguard 1.4.0's `Nonces`.

Every nonce on a ballot (contest nonce ξ, selection nonce, proof seeds) is derived from one
master nonce through these sequences, so a voter who keeps the master nonce can re-derive
and open every ciphertext (the Benaloh challenge), and a test can reproduce a ballot the
package encrypted.  The rules:

- the sequence's seed is `seed` itself, or H(seed, *headers) when headers are given;
- item i is H(seed', i), or H(seed', i, *headers) for `get_with_headers`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import overload

from .group import ElementModP, ElementModQ
from .hash import hash_elems


class Nonces:
    """An unbounded, indexable sequence of elements of Z_q derived from a seed."""

    __slots__ = ("_seed",)

    def __init__(self, seed: ElementModQ, *headers: str | ElementModP | ElementModQ) -> None:
        self._seed = hash_elems(seed, *headers) if headers else seed

    @overload
    def __getitem__(self, index: int) -> ElementModQ: ...

    @overload
    def __getitem__(self, index: slice) -> list[ElementModQ]: ...

    def __getitem__(self, index: int | slice) -> ElementModQ | list[ElementModQ]:
        if isinstance(index, int):
            return self.get_with_headers(index)
        if not isinstance(index.stop, int):
            raise TypeError("a slice of Nonces needs an end")
        return [self[i] for i in range(index.start or 0, index.stop, index.step or 1)]

    def __iter__(self) -> Iterator[ElementModQ]:
        i = 0
        while True:
            yield self[i]
            i += 1

    def get_with_headers(self, index: int, *headers: str) -> ElementModQ:
        if index < 0:
            raise TypeError("Nonces have no negative indices")
        return hash_elems(self._seed, index, *headers)
