"""The guardian's secrets at rest: one file, sealed with a key derived from a passphrase.

Argon2id (libsodium's, through pynacl) stretches the passphrase so that a stolen laptop
does not yield the polynomial to a dictionary attack; XSalsa20-Poly1305 (SecretBox)
authenticates the whole file, so a tampered state is refused rather than half-read.
Losing the file makes the guardian absent, which the quorum tolerates; it never makes a
vote leak, because nothing in it decrypts a single ballot on its own.

File layout (JSON, UTF-8): {"version": 1, "type": "evote-guardian-state", "kdf":
"argon2id", "opslimit": int, "memlimit": int, "salt": hex, "box": hex}.  The box
holds the state as canonical JSON (sorted keys, no spaces).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import nacl.exceptions
import nacl.pwhash
import nacl.secret
import nacl.utils

from evote_guardian.messages import Told

FILE_TYPE = "evote-guardian-state"
VERSION = 1

# libsodium's "moderate" preset: about 0.5-1 s and 256 MiB on a laptop, once per command.
OPSLIMIT = nacl.pwhash.argon2id.OPSLIMIT_MODERATE
MEMLIMIT = nacl.pwhash.argon2id.MEMLIMIT_MODERATE


class StateFileError(Told):
    """The state file is missing, not ours, or does not open with this passphrase."""


def _key(passphrase: str, salt: bytes, opslimit: int, memlimit: int) -> bytes:
    if not passphrase:
        raise StateFileError("state.empty_passphrase")
    return nacl.pwhash.argon2id.kdf(
        nacl.secret.SecretBox.KEY_SIZE,
        passphrase.encode("utf-8"),
        salt,
        opslimit=opslimit,
        memlimit=memlimit,
    )


def seal(state: dict[str, Any], passphrase: str, *, opslimit: int = OPSLIMIT,
         memlimit: int = MEMLIMIT, salt: bytes | None = None) -> bytes:
    """The bytes of a state file; `salt` is only for tests that need reproducibility."""
    salt = salt or nacl.utils.random(nacl.pwhash.argon2id.SALTBYTES)
    box = nacl.secret.SecretBox(_key(passphrase, salt, opslimit, memlimit))
    plain = json.dumps(state, sort_keys=True, separators=(",", ":")).encode("utf-8")
    envelope = {
        "version": VERSION,
        "type": FILE_TYPE,
        "kdf": "argon2id",
        "opslimit": opslimit,
        "memlimit": memlimit,
        "salt": salt.hex(),
        "box": box.encrypt(plain).hex(),
    }
    return json.dumps(envelope, indent=1).encode("utf-8")


def unseal(data: bytes, passphrase: str) -> dict[str, Any]:
    try:
        envelope = json.loads(data)
        if envelope.get("type") != FILE_TYPE or envelope.get("version") != VERSION:
            raise StateFileError("state.unknown_version")
        key = _key(passphrase, bytes.fromhex(envelope["salt"]),
                   int(envelope["opslimit"]), int(envelope["memlimit"]))
        plain = nacl.secret.SecretBox(key).decrypt(bytes.fromhex(envelope["box"]))
    except nacl.exceptions.CryptoError:
        raise StateFileError("state.wrong_passphrase") from None
    except (ValueError, KeyError, TypeError) as exc:
        raise StateFileError("state.damaged", reason=str(exc)) from None
    return json.loads(plain)


def save(path: Path, state: dict[str, Any], passphrase: str, **limits: int) -> None:
    """Write atomically with owner-only permissions, so a crash never leaves half a key."""
    data = seal(state, passphrase, **limits)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def load(path: Path, passphrase: str) -> dict[str, Any]:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise StateFileError("state.missing", path=str(path)) from None
    return unseal(data, passphrase)
