"""The voting code on a delegate's letter: 4 groups of 5 characters, the last one a check.

    7KQ3M-XH2PD-9RWAE-TZ4C8

Why this shape: a 70-year-old types it once, on a phone, maybe during a 60-second countdown.
So the alphabet leaves out the characters that are mistaken for each other in print and
handwriting (0 and O, 1, I and L: 31 characters remain, digits 2-9 and 23 letters), input is
forgiving (any case, spaces or dashes anywhere), and a check character catches every single
mistyped character and every swap of two characters before any slow key derivation runs.

Entropy: 19 random characters of 31, ≈ 94 bits, drawn by the committee's CSPRNG; a code is
not a password a person chose, so guessing one is out of reach even without the KDF.

Check character: with v_i the value (index in ALPHABET) of character i = 1 … 20, the code is
valid when Σ i·v_i ≡ 0 (mod 31).  31 is prime and every weight 1 … 20 is non-zero mod 31, so a
changed character changes the sum by i·δ ≢ 0, and swapping characters i and j changes it by
(i − j)(v_j − v_i) ≢ 0 whenever they differ.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
BASE = len(ALPHABET)  # 31, a prime
GROUPS, GROUP_SIZE = 4, 5
LENGTH = GROUPS * GROUP_SIZE
_VALUE = {c: i for i, c in enumerate(ALPHABET)}
_IGNORED = set(" -\t\n\r\u00a0\u2010\u2011\u2012\u2013\u2014")

assert BASE == 31 and len(set(ALPHABET)) == BASE


class CodeError(ValueError):
    """A typed code that cannot be a voting code; the message tells the delegate why."""


def _check_value(values: list[int]) -> int:
    """The value of character 20 that makes Σ i·v_i ≡ 0 (mod 31)."""
    partial = sum(i * v for i, v in enumerate(values, start=1)) % BASE
    return (-partial * pow(LENGTH, -1, BASE)) % BASE


def new_code(random_bytes: Callable[[int], bytes] = secrets.token_bytes) -> str:
    """A fresh code, drawn uniformly (rejection sampling keeps every character equally likely)."""
    values: list[int] = []
    while len(values) < LENGTH - 1:
        for byte in random_bytes(32):
            if byte < BASE * (256 // BASE) and len(values) < LENGTH - 1:
                values.append(byte % BASE)
    values.append(_check_value(values))
    return display("".join(ALPHABET[v] for v in values))


def display(compact: str) -> str:
    return "-".join(compact[i : i + GROUP_SIZE] for i in range(0, LENGTH, GROUP_SIZE))


def parse_code(text: str) -> str:
    """The canonical code (upper case, with dashes) of what a delegate typed, or CodeError."""
    compact = "".join(c for c in text.upper() if c not in _IGNORED)
    for position, c in enumerate(compact, start=1):
        if c not in _VALUE:
            hint = " (0, 1, I, L and O never occur in a code)" if c in "01ILO" else ""
            raise CodeError(f"character {position} ({c!r}) is not used in voting codes{hint}")
    if len(compact) != LENGTH:
        raise CodeError(f"a voting code has {LENGTH} characters, this one {len(compact)}")
    values = [_VALUE[c] for c in compact]
    if sum(i * v for i, v in enumerate(values, start=1)) % BASE:
        raise CodeError("the code has a typing mistake (its check character does not fit)")
    return display(compact)


def compact(code: str) -> str:
    """The 20 characters without dashes: what the key derivation reads."""
    return parse_code(code).replace("-", "")
