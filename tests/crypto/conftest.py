"""Shared fixtures of the crypto tests: the `eg e2e` sample record, when this machine has it."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

SAMPLE = Path(os.environ.get("EVOTE_EG_SAMPLE", "/work/oracle/samples/rec"))


class SampleRecord:
    """An election record unpacked from Microsoft's `eg e2e` (electionguard 1.4.0)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def load(self, relative: str) -> Any:
        return json.loads((self.root / relative).read_text())

    def glob(self, pattern: str) -> list[Any]:
        return [json.loads(p.read_text()) for p in sorted(self.root.glob(pattern))]


@pytest.fixture(scope="session")
def sample_record() -> SampleRecord:
    if not (SAMPLE / "context.json").is_file():
        pytest.skip(f"no electionguard sample record at {SAMPLE} (set EVOTE_EG_SAMPLE)")
    return SampleRecord(SAMPLE)
