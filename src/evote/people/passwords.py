"""Passwords: generated, hashed with Argon2id, verified in constant work.

Why generated and not chosen: delegates get a letter; a random password from an unambiguous
alphabet (no 0/O, 1/l/I) is easy to type from paper and long enough (12 symbols from 31 ≈ 59
bits) that, with Argon2id and the login rate limit, guessing is hopeless.
"""

from __future__ import annotations

import os
import secrets
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed

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


def hash_passwords(
    passwords: Sequence[str], profile: str, workers: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[str]:
    """The hashes of `passwords`, in their order, computed on `workers` threads (default:
    every core).

    Why threads: libargon2 computes one hash on one core (its lanes run one after another), and
    argon2-cffi releases the GIL while it hashes, so threads use every core without the start-up
    and pickling of processes. At most one hash per core runs at a time in any case
    (`_HASHING_SLOTS`), so a server issuing letters during logins stays within its memory.
    `progress(1)` is called on the caller's thread after each hash, in the order they finish (a
    progress bar's `update`). If one hash fails, the hashes not yet started are dropped and the
    error is raised: the caller has changed nothing yet.
    """
    workers = max(1, min(workers or os.cpu_count() or 1, len(passwords) or 1))
    if workers == 1:
        hashes = []
        for password in passwords:
            hashes.append(hash_password(password, profile))
            if progress is not None:
                progress(1)
        return hashes
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="argon2")
    try:
        futures = [pool.submit(hash_password, password, profile) for password in passwords]
        for done in as_completed(futures):
            done.result()
            if progress is not None:
                progress(1)
        return [f.result() for f in futures]
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


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
