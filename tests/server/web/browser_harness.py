"""What every Chromium test of the pages needs before it can run: Debian's Chromium, Node and
the npm packages that drive it. One place, so a test file states only its own case."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).parents[3]
CHROMIUM = os.environ.get("EVOTE_CHROMIUM", "/usr/bin/chromium")
NODE = shutil.which("node")


def missing() -> str | None:
    """Why the browser tests cannot run here, or None. CI installs all of it (.ci/run)."""
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    if NODE is None:
        return "node is not installed"
    for package in ("playwright-core", "axe-core"):
        if not (REPO / "web" / "node_modules" / package).exists():
            return f"{package} is not installed (npm ci --prefix web)"
    return None


needs_chromium = pytest.mark.skipif(missing() is not None, reason=missing() or "")
