"""Every text a page shows has a German and an English entry (issue 12, item 6).

The pages name their texts by key: ``t("key")`` in web/js/pages, ``t['key']`` in the templates.
A key missing from `i18n.MESSAGES` would show as the bare key (``t`` falls back to it), so a
page would show a text nobody wrote in German. The API's refusals are translated by their
stable ``error`` code (``error.<code>``; web/js/pages/common.js, ApiError).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from evote.webapp.pages import i18n
from evote.webapp.permissions import Denial

REPO = Path(__file__).parents[3]
SCRIPT_KEY = re.compile(r"""\bt\(\s*["']([a-z_]+(?:\.[a-z_0-9]+)+)["']""")
TEMPLATE_KEY = re.compile(r"""\bt\[\s*'([a-z_]+(?:\.[a-z_0-9]+)+)'\s*\]""")


def _used() -> dict[str, set[str]]:
    used: dict[str, set[str]] = {}
    for path in sorted((REPO / "web" / "js" / "pages").glob("*.js")):
        for key in SCRIPT_KEY.findall(path.read_text()):
            used.setdefault(key, set()).add(path.name)
    for path in sorted((REPO / "src" / "evote" / "webapp" / "templates").rglob("*.html")):
        for key in TEMPLATE_KEY.findall(path.read_text()):
            used.setdefault(key, set()).add(path.name)
    return used


def test_the_scan_finds_the_pages_texts() -> None:
    used = _used()
    assert {"confirm.title", "vote.closed_before", "cast.lost"} <= set(used)


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_every_text_a_page_names_exists(lang: str) -> None:
    missing = {key: sorted(where) for key, where in _used().items() if key not in i18n.MESSAGES[lang]}
    assert missing == {}, f"texts without a {lang} entry: {missing}"


def test_both_languages_have_the_same_texts() -> None:
    assert sorted(set(i18n.MESSAGES["de"]) ^ set(i18n.MESSAGES["en"])) == []
    for key, german in i18n.MESSAGES["de"].items():
        english = i18n.MESSAGES["en"][key]
        assert german.strip() and english.strip(), key
        assert set(re.findall(r"\{\w+\}", german)) == set(re.findall(r"\{\w+\}", english)), key


def test_every_permission_refusal_is_translated() -> None:
    for denial in Denial:
        for lang in i18n.LANGUAGES:
            assert f"error.{denial.value}" in i18n.MESSAGES[lang], (lang, denial)
