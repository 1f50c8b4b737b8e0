"""Set-up for the web pages' tests: the vote helpers (guardians played in-process) and the
browser harness on the path."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "votes"))
sys.path.insert(0, str(Path(__file__).parent))  # browser_harness
