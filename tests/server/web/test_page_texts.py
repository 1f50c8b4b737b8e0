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


# --- the server's refusals, by code -------------------------------------------------------------

SRC = REPO / "src" / "evote"
PAGES_API = [SRC / "webapp" / "api" / f"{m}.py" for m in (
    "auth", "ballots", "votes", "tally", "stage", "agenda", "attendance", "live", "ceremony", "common",
)]
"""The API behind the pages of delegates, presidium and guardians (login, delegate page, console,
projector, board, key ceremony and tally). Motions and speakers translate their refusals in their
own packages; support and admin have their own texts (texts_staff)."""
DOMAINS = [SRC / "voting", SRC / "guardianship", SRC / "people" / "login.py",
           SRC / "people" / "attendance.py", SRC / "eligibility" / "casting.py",
           SRC / "webapp" / "csrf.py", SRC / "webapp" / "permissions.py"]
# fail(409, "code", ...), Refused(422, "code", ...), VoteError("code", ...), code = "code",
# {"error": "code", ...}: every way the code base names a refusal's code.
REFUSAL = re.compile(r"""\(\s*(?:status\s*=\s*)?[45]\d\d\s*,\s*(?:code\s*=\s*)?"([a-z][a-z_0-9]+)"\s*,""")
NAMED = re.compile(r"""(?:Error|Refused)\(\s*"([a-z][a-z_0-9]+)"\s*,""")
ATTRIBUTE = re.compile(r"""^\s+code(?:\s*:\s*str)?\s*=\s*"([a-z_]+)"\s*$""", re.M)
BODY = re.compile(r""""error"\s*:\s*"([a-z_]+)\"""")
HTTP = ("bad_request", "not_found", "method_not_allowed", "request_entity_too_large",
        "too_many_requests", "internal_server_error", "service_unavailable")
"""app.py's JSON for werkzeug's own errors: the status's name as code."""


def _refusal_codes() -> dict[str, set[str]]:
    files: list[Path] = []
    for place in PAGES_API + DOMAINS:
        files += [place] if place.is_file() else sorted(place.rglob("*.py"))
    codes: dict[str, set[str]] = {code: {"app.py"} for code in HTTP}
    for path in files:
        text = path.read_text()
        for pattern in (REFUSAL, NAMED, ATTRIBUTE, BODY):
            for code in pattern.findall(text):
                codes.setdefault(code, set()).add(path.name)
    return codes


def test_the_scan_finds_the_refusals() -> None:
    codes = _refusal_codes()
    assert {"another_vote_open", "vote_closed", "already_voted", "bad_credentials", "csrf_failed",
            "invalid_ballot", "no_election_key", "not_in_ceremony", "checkin_refused"} <= set(codes)


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_every_refusal_a_page_can_show_is_translated(lang: str) -> None:
    missing = {code: sorted(where) for code, where in _refusal_codes().items()
               if f"error.{code}" not in i18n.MESSAGES[lang]}
    assert missing == {}, f"refusal codes without an error.<code> text in {lang}: {missing}"


def test_every_login_refusal_has_its_sentence() -> None:
    from evote.people import login

    refusals = [c for c in vars(login).values()
                if isinstance(c, type) and issubclass(c, login.LoginRefused)]
    assert len(refusals) >= 3
    for refusal in refusals:
        for lang in i18n.LANGUAGES:
            assert f"login.error.{refusal.code}" in i18n.MESSAGES[lang], (lang, refusal.code)


def test_no_page_script_shows_the_servers_message() -> None:
    """The pages show `error.<code>` (ApiError); the English `message` only goes to the console."""
    for path in sorted((REPO / "web" / "js" / "pages").glob("*.js")):
        text = path.read_text()
        assert "body?.message ||" not in text and "data.message" not in text, path.name
