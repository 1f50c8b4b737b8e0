"""docs/organisers.md shows the organisers' pages: every picture it names is in the repository,
and the README links the page (issue 13: screenshots of the new pages, linked from the docs)."""

from __future__ import annotations

import re
from pathlib import Path

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_every_screenshot_named_exists_and_the_readme_links_the_page() -> None:
    text = (DOCS / "organisers.md").read_text(encoding="utf-8")
    pictures = re.findall(r"!\[[^\]]+\]\((screenshots/[^)]+\.png)\)", text)
    assert {Path(p).stem for p in pictures} >= {
        "console", "console-close-now", "presence", "ceremony", "support", "admin",
        "admin-import-error",
    }
    missing = [p for p in pictures if not (DOCS / p).is_file()]
    assert missing == []
    assert "docs/organisers.md" in (DOCS.parent / "README.md").read_text(encoding="utf-8")
