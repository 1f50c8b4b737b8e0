"""The committee's state at rest: one file sealed with a passphrase, beside a public summary.

Whoever holds the committee's signing key can put keys on the roll, so the key is kept only
sealed: Argon2id (libsodium's "moderate" cost, ≈ 1 s and 256 MiB per command) stretches the
passphrase, XSalsa20-Poly1305 authenticates and encrypts the whole state.  The state also holds
which participant has which public keys, which the server must never see (it would link
delegates to ballots), so it is sealed for that reason too.

Files in the committee's folder:
    committee.sealed   the state (JSON envelope: kdf limits, salt, box), mode 0600
    committee.json     the public summary: event, committee key, derivation, slots, batches

`EVOTE_CREDENTIALS_KDF=min` selects libsodium's minimum cost, and the minimum PBKDF2 count for
codes goes down to 1,000: for tests only, obeyed only while pytest runs (a variable copied onto
the committee's laptop must not weaken a real seal); otherwise ignored with a warning.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import nacl.exceptions
import nacl.pwhash
import nacl.secret
import nacl.utils

from evote_credentials.committee import Committee
from evote_credentials.derivation import MIN_ITERATIONS

SEALED, SUMMARY = "committee.sealed", "committee.json"
FILE_TYPE, VERSION = "evote-credentials-state", 1
KDF_ENV = "EVOTE_CREDENTIALS_KDF"
TEST_MARKER_ENV = "PYTEST_CURRENT_TEST"
TEST_MIN_ITERATIONS = 1_000

_warned = False


class VaultError(Exception):
    """No state here, not ours, or not opened by this passphrase."""


def _testing() -> bool:
    global _warned
    if os.environ.get(KDF_ENV) != "min":
        return False
    if os.environ.get(TEST_MARKER_ENV):
        return True
    if not _warned:
        _warned = True
        print(f"evote-credentials: {KDF_ENV}=min is for tests only and is ignored.",
              file=sys.stderr)
    return False


def limits() -> tuple[int, int]:
    if _testing():
        return nacl.pwhash.argon2id.OPSLIMIT_MIN, nacl.pwhash.argon2id.MEMLIMIT_MIN
    return nacl.pwhash.argon2id.OPSLIMIT_MODERATE, nacl.pwhash.argon2id.MEMLIMIT_MODERATE


def iterations_floor() -> int:
    """The fewest PBKDF2 iterations `init` accepts for the codes."""
    return TEST_MIN_ITERATIONS if _testing() else MIN_ITERATIONS


def _box(passphrase: str, salt: bytes, opslimit: int, memlimit: int) -> nacl.secret.SecretBox:
    if len(passphrase) < 8:
        raise VaultError("the passphrase must have at least 8 characters")
    key = nacl.pwhash.argon2id.kdf(nacl.secret.SecretBox.KEY_SIZE, passphrase.encode(), salt,
                                   opslimit=opslimit, memlimit=memlimit)
    return nacl.secret.SecretBox(key)


def _write(path: Path, data: bytes, mode: int) -> None:
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def save(folder: Path, committee: Committee, passphrase: str) -> None:
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    opslimit, memlimit = limits()
    salt = nacl.utils.random(nacl.pwhash.argon2id.SALTBYTES)
    plain = json.dumps(committee.to_state(), sort_keys=True, separators=(",", ":")).encode()
    envelope = {
        "type": FILE_TYPE, "version": VERSION, "kdf": "argon2id", "opslimit": opslimit,
        "memlimit": memlimit, "salt": salt.hex(),
        "box": _box(passphrase, salt, opslimit, memlimit).encrypt(plain).hex(),
    }
    _write(folder / SEALED, json.dumps(envelope, indent=1).encode(), 0o600)
    summary = json.dumps(committee.public_summary(), indent=1, ensure_ascii=False) + "\n"
    _write(folder / SUMMARY, summary.encode(), 0o644)


def exists(folder: Path) -> bool:
    return (folder / SEALED).exists()


def load(folder: Path, passphrase: str) -> Committee:
    try:
        envelope: dict[str, Any] = json.loads((folder / SEALED).read_bytes())
    except FileNotFoundError:
        raise VaultError(f"no committee state in {folder} (run `evote-credentials init`)") from None
    except ValueError as exc:
        raise VaultError(f"{folder / SEALED} is damaged: {exc}") from None
    if envelope.get("type") != FILE_TYPE or envelope.get("version") != VERSION:
        raise VaultError(f"{folder / SEALED} is not a committee state of a known version")
    try:
        box = _box(passphrase, bytes.fromhex(envelope["salt"]), int(envelope["opslimit"]),
                   int(envelope["memlimit"]))
        plain = box.decrypt(bytes.fromhex(envelope["box"]))
    except nacl.exceptions.CryptoError:
        raise VaultError("wrong passphrase, or the state was altered") from None
    except (KeyError, ValueError, TypeError) as exc:
        raise VaultError(f"{folder / SEALED} is damaged: {exc}") from None
    return Committee.from_state(json.loads(plain))
