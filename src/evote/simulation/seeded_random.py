"""A reproducible byte stream from a seed, for simulations and tests, never for real votes.

The crypto core draws no randomness of its own: every nonce and secret comes in as bytes.
`evote simulate --seed S` passes bytes from this stream, so the same seed gives the same
guardians, ballots and record, byte for byte.  Block i of the stream is
SHAKE-256("evote/seeded-random/v1" ‖ 0x00 ‖ len(seed) as 8 bytes ‖ seed ‖ i as 8 bytes),
64 bytes long; draws take consecutive bytes.  Anyone who knows the seed knows every secret,
which is the point of a simulation and why the real service uses `secrets` instead.
"""

from __future__ import annotations

from hashlib import shake_256

from evote.crypto.group import ElementModQ, random_q_from_bytes

_TAG = b"evote/seeded-random/v1\x00"
_BLOCK = 64


class SeededRandom:
    """Deterministic bytes, integers and elements of Z_q derived from one seed."""

    def __init__(self, seed: bytes | str | int) -> None:
        if isinstance(seed, int):
            seed = str(seed)
        if isinstance(seed, str):
            seed = seed.encode("utf-8")
        self._prefix = _TAG + len(seed).to_bytes(8, "big") + seed
        self._counter = 0
        self._buffer = b""

    def bytes(self, n: int) -> bytes:
        while len(self._buffer) < n:
            block = shake_256(self._prefix + self._counter.to_bytes(8, "big")).digest(_BLOCK)
            self._buffer += block
            self._counter += 1
        out, self._buffer = self._buffer[:n], self._buffer[n:]
        return out

    def below(self, bound: int) -> int:
        """Uniform in [0, bound) by rejection sampling (no modulo bias)."""
        if bound < 1:
            raise ValueError("bound must be positive")
        bits = (bound - 1).bit_length()
        size = max(1, (bits + 7) // 8)
        mask = (1 << bits) - 1
        while True:
            value = int.from_bytes(self.bytes(size), "big") & mask
            if value < bound:
                return value

    def sample(self, population: list[str] | range, k: int) -> list:
        """k distinct items, in random order (a partial Fisher-Yates shuffle)."""
        items = list(population)
        if not 0 <= k <= len(items):
            raise ValueError("sample larger than population")
        for i in range(k):
            j = i + self.below(len(items) - i)
            items[i], items[j] = items[j], items[i]
        return items[:k]

    def element_q(self) -> ElementModQ:
        return random_q_from_bytes(self.bytes(64))

    def hex_id(self, n_bytes: int = 8) -> str:
        return self.bytes(n_bytes).hex()
