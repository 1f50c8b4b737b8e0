"""What one guardian keeps on its laptop, sealed with its passphrase (see `state_file`).

The sealed state holds the guardian's polynomial (`GuardianSecret`), the points P_j(i) other
guardians sent it (needed to stand in for an absent guardian j), and the public facts it
checked (the ceremony's n, k, every public record, the joint key), so that later the client
can refuse to decrypt under a key it did not help make.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nacl.pwhash

from evote.crypto.ceremony import GuardianPublicKey, GuardianSecret
from evote.crypto.group import ElementModQ
from evote_guardian import state_file

STATE_FILE = "guardian.state"
PASSPHRASE_ENV = "EVOTE_GUARDIAN_PASSPHRASE"
KDF_ENV = "EVOTE_GUARDIAN_KDF"
"""`min` selects libsodium's minimum Argon2id limits: for tests only, never for a real key.
Honoured only under pytest (see `kdf_limits`)."""
TEST_MARKER_ENV = "PYTEST_CURRENT_TEST"
"""Set by pytest while a test runs, and inherited by the processes the test starts."""
MIN_KDF = {
    "opslimit": nacl.pwhash.argon2id.OPSLIMIT_MIN,
    "memlimit": nacl.pwhash.argon2id.MEMLIMIT_MIN,
}
"""libsodium's minimum Argon2id limits: for passphrases that are random keys themselves
(the demo's 192-bit ones) or for tests, never for a passphrase a person chose."""
STATE_VERSION = 1
_warned = False


def kdf_limits() -> dict[str, int]:
    """The Argon2id limits that seal the state: libsodium's defaults (seconds, 256 MiB).

    `EVOTE_GUARDIAN_KDF=min` is obeyed only while pytest runs: the variable, copied from a test
    script or the demo's instructions onto a guardian's laptop, would otherwise seal a real
    polynomial with a passphrase hash that costs an attacker microseconds per guess. Outside
    tests it is ignored, with a warning.
    """
    global _warned
    if os.environ.get(KDF_ENV) == "min":
        if os.environ.get(TEST_MARKER_ENV):
            return dict(MIN_KDF)
        if not _warned:
            _warned = True
            print(
                f"evote-guardian: {KDF_ENV}=min is for tests only and is ignored; the state is "
                "sealed with the full Argon2id cost.",
                file=sys.stderr,
            )
    return {}


@dataclass
class GuardianState:
    server: str
    guardian_id: str
    sequence_order: int
    number_of_guardians: int
    quorum: int
    secret: GuardianSecret
    received: dict[str, ElementModQ] = field(default_factory=dict)
    """P_j(i) from each other guardian j, checked against j's commitments."""
    public_keys: dict[str, GuardianPublicKey] = field(default_factory=dict)
    joint_public_key: str | None = None
    commitment_hash: str | None = None
    ceremony_id: str = ""
    """The server's id of the ceremony this polynomial was drawn for."""
    confirmed_fingerprint: str | None = None
    """D (hex) of the public records the guardian compared aloud and confirmed; backups go only
    to keys with this fingerprint."""

    def to_json(self) -> dict[str, Any]:
        return {
            "version": STATE_VERSION,
            "server": self.server,
            "guardian_id": self.guardian_id,
            "sequence_order": self.sequence_order,
            "number_of_guardians": self.number_of_guardians,
            "quorum": self.quorum,
            "secret": self.secret.to_json(),
            "received": {g: v.to_hex() for g, v in self.received.items()},
            "public_keys": {g: r.to_json() for g, r in self.public_keys.items()},
            "joint_public_key": self.joint_public_key,
            "commitment_hash": self.commitment_hash,
            "ceremony_id": self.ceremony_id,
            "confirmed_fingerprint": self.confirmed_fingerprint,
        }

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> GuardianState:
        if obj.get("version") != STATE_VERSION:
            raise state_file.StateFileError("state.unknown_state_version")
        return cls(
            obj["server"],
            obj["guardian_id"],
            int(obj["sequence_order"]),
            int(obj["number_of_guardians"]),
            int(obj["quorum"]),
            GuardianSecret.from_json(obj["secret"]),
            {g: ElementModQ.from_hex(v) for g, v in obj.get("received", {}).items()},
            {g: GuardianPublicKey.from_json(r) for g, r in obj.get("public_keys", {}).items()},
            obj.get("joint_public_key"),
            obj.get("commitment_hash"),
            str(obj.get("ceremony_id", "")),
            obj.get("confirmed_fingerprint"),
        )

    def record(self) -> GuardianPublicKey:
        return self.secret.public_key()


class Vault:
    """The state directory: opens and re-seals the state with one passphrase per command."""

    def __init__(
        self, state_dir: Path, passphrase: Callable[[], str], kdf: dict[str, int] | None = None
    ) -> None:
        self.state_dir = state_dir
        self._passphrase_source = passphrase
        self._passphrase: str | None = None
        self._kdf = kdf
        """Explicit Argon2id limits (the demo's random passphrases); None: `kdf_limits()`."""

    @property
    def path(self) -> Path:
        return self.state_dir / STATE_FILE

    def exists(self) -> bool:
        return self.path.exists()

    def _pass(self) -> str:
        if self._passphrase is None:
            self._passphrase = self._passphrase_source()
        return self._passphrase

    def load(self) -> GuardianState:
        return GuardianState.from_json(state_file.load(self.path, self._pass()))

    def save(self, state: GuardianState) -> None:
        self.state_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        limits = self._kdf if self._kdf is not None else kdf_limits()
        state_file.save(self.path, state.to_json(), self._pass(), **limits)
