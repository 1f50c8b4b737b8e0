"""`EVOTE_GUARDIAN_KDF=min` weakens the seal of the guardian's state: only tests may use it.

A variable copied from a test script or a demo's instructions onto a guardian's laptop must not
seal a real polynomial with libsodium's minimum Argon2id cost (microseconds per guess for an
attacker who took the file). Outside pytest it is ignored, with a warning.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from evote_guardian import local_state, state_file
from evote_guardian.local_state import KDF_ENV, MIN_KDF, TEST_MARKER_ENV, Vault, kdf_limits


def test_min_is_honoured_under_pytest(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(KDF_ENV, "min")
    assert kdf_limits() == MIN_KDF


def test_min_is_ignored_outside_tests(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(KDF_ENV, "min")
    monkeypatch.delenv(TEST_MARKER_ENV)
    monkeypatch.setattr(local_state, "_warned", False)
    assert kdf_limits() == {}  # libsodium's moderate preset, the default of state_file.seal
    assert "ignored" in capsys.readouterr().err


def test_a_vault_saved_outside_tests_gets_the_full_cost(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    seen: dict[str, Any] = {}

    def save(path: Path, state: dict[str, Any], passphrase: str, **limits: int) -> None:
        seen.update(limits)  # no real hashing: the moderate preset takes 256 MiB

    monkeypatch.setenv(KDF_ENV, "min")
    monkeypatch.delenv(TEST_MARKER_ENV)
    monkeypatch.setattr(state_file, "save", save)

    class State:
        def to_json(self) -> dict[str, Any]:
            return {}

    Vault(tmp_path, lambda: "pass").save(State())  # type: ignore[arg-type]
    assert seen == {}
    Vault(tmp_path, lambda: "pass", kdf=MIN_KDF).save(State())  # type: ignore[arg-type]
    assert seen == MIN_KDF  # explicit limits (the demo's random passphrases) still apply
