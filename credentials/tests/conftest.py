"""The committee's tests run with the cheap seal and few PBKDF2 iterations (`vault` obeys
EVOTE_CREDENTIALS_KDF=min only while pytest runs)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def cheap_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVOTE_CREDENTIALS_KDF", "min")
