"""Passwords: generated, hashed with Argon2id, verified in constant work.

Why generated and not chosen: delegates get a letter; a random password from an unambiguous
alphabet (no 0/O, 1/l/I) is easy to type from paper and long enough (12 symbols from 31 ≈ 59
bits) that, with Argon2id and the login rate limit, guessing is hopeless.
"""

from __future__ import annotations

import os
import secrets
import threading

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from argon2.profiles import CHEAPEST, RFC_9106_LOW_MEMORY

ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
PASSWORD_GROUPS = 3
GROUP_LENGTH = 4

_PROFILES = {
    # RFC 9106's second recommendation (64 MiB, t=3): the standard choice when memory per login
    # matters, as it does with hundreds of delegates logging in within minutes.
    "rfc9106_low_memory": RFC_9106_LOW_MEMORY,
    # For tests only: still Argon2id, but fast.
    "cheapest": CHEAPEST,
}
_hashers: dict[str, PasswordHasher] = {}

_HASHING_SLOTS = threading.BoundedSemaphore(max(1, os.cpu_count() or 1))
"""Argon2 with the low-memory profile takes 64 MiB per hash. When hundreds of delegates log in
at once, a worker with many threads would otherwise run them all together and exhaust memory;
this caps concurrent hashes per process at the core count (more would not be faster anyway)."""


def hasher(profile: str) -> PasswordHasher:
    """The Argon2id hasher for a named parameter profile (cached: construction is not free)."""
    if profile not in _hashers:
        params = _PROFILES[profile]
        if params.type is not Type.ID:
            raise ValueError("evote stores passwords with Argon2id only")
        _hashers[profile] = PasswordHasher.from_parameters(params)
    return _hashers[profile]


def generate_password() -> str:
    """A fresh random password like ``k7pm-x3qa-r9td``."""
    groups = (
        "".join(secrets.choice(ALPHABET) for _ in range(GROUP_LENGTH))
        for _ in range(PASSWORD_GROUPS)
    )
    return "-".join(groups)


def generate_login_name() -> str:
    """A random login name; random so accounts cannot be enumerated (and locked out) in order."""
    return "".join(secrets.choice(ALPHABET) for _ in range(8))


def hash_password(password: str, profile: str) -> str:
    with _HASHING_SLOTS:
        return hasher(profile).hash(password)


def verify_password(stored_hash: str | None, password: str, profile: str) -> bool:
    """True when ``password`` matches. Unknown accounts are checked against a dummy hash so
    that the response time does not tell whether a login name exists."""
    h = hasher(profile)
    target = stored_hash or _dummy_hash(profile)
    try:
        with _HASHING_SLOTS:
            h.verify(target, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
    return stored_hash is not None


_dummies: dict[str, str] = {}


def _dummy_hash(profile: str) -> str:
    if profile not in _dummies:
        _dummies[profile] = hasher(profile).hash(secrets.token_hex(16))
    return _dummies[profile]
