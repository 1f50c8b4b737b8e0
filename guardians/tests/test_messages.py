"""Issue 12, item 6: everything the guardian client says exists in German and English.

The catalogue test fails for a key with one language missing or with placeholders that differ
between the two (a German line that forgot `{vote}` would raise at the worst moment); the CLI
tests read a server refusal in each language, translated by its stable code, and an unknown
code shown as the server sent it.
"""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from click.testing import CliRunner

from evote_guardian import cli
from evote_guardian.connection import ServerError
from evote_guardian.messages import LANGS, MESSAGES, language, say
from evote_guardian.server_errors import SERVER_ERRORS

SOURCES = Path(cli.__file__).parent


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("catalogue", [MESSAGES, SERVER_ERRORS], ids=["messages", "server"])
def test_every_key_has_both_languages_with_the_same_placeholders(
    catalogue: dict[str, dict[str, str]],
) -> None:
    for key, texts in catalogue.items():
        assert set(texts) == set(LANGS), key
        assert all(texts[lang].strip() for lang in LANGS), key
        assert _fields(texts["de"]) == _fields(texts["en"]), key


def test_every_key_the_client_uses_is_in_the_catalogue() -> None:
    """A key named in the code but missing here would fail only when that line is printed."""
    used: set[str] = set()
    for path in SOURCES.glob("*.py"):
        used |= set(re.findall(r"\b(?:say|echo|Problem|Mismatch|Cancelled|Error|Url)\(\s*"
                               r"\"([a-z_]+\.[a-z_]+)\"", path.read_text()))  # fmt: skip
        used |= set(re.findall(r"\"([a-z]+\.[a-z_]+)\" if ", path.read_text()))
        used |= set(re.findall(r" else \"([a-z]+\.[a-z_]+)\"", path.read_text()))
    assert len(used) > 40
    assert used <= set(MESSAGES), used - set(MESSAGES)


def test_the_language_follows_option_env_then_locale_german_by_default() -> None:
    assert language({}) == "de"
    assert language({"LANG": "C.UTF-8"}) == "de"
    assert language({"LANG": "en_GB.UTF-8"}) == "en"
    assert language({"LANG": "en_GB.UTF-8", "LC_MESSAGES": "de_DE.UTF-8"}) == "de"
    assert language({"LC_ALL": "en_US.UTF-8", "LC_MESSAGES": "de_DE.UTF-8"}) == "en"
    assert language({"EVOTE_GUARDIAN_LANG": "de", "LC_ALL": "en_US.UTF-8"}) == "de"
    assert language({"EVOTE_GUARDIAN_LANG": "fr", "LANG": "en_US"}) == "en"


def test_a_message_is_its_english_text_and_renders_german() -> None:
    line = say("decrypt.compensated", missing="guardian-4")
    assert line == "sent a compensated share for absent guardian guardian-4"
    assert line.render("de") == "einen Ersatzanteil für die abwesende Treuhänder:in guardian-4 gesendet"


class _Refusing:
    """A resumed session whose server refuses every request with one code."""

    def __init__(self, code: str) -> None:
        self.code = code

    def get(self, path: str) -> object:
        raise ServerError(403, self.code, "You hold no seat in this key ceremony (server text).")


def _status(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: str, *lang: str) -> str:
    monkeypatch.setattr(cli.Connection, "resume", classmethod(lambda _c, _d: _Refusing(code)))
    env = {"LANG": "C.UTF-8", "LC_ALL": "", "LC_MESSAGES": "", "EVOTE_GUARDIAN_LANG": ""}
    result = CliRunner().invoke(cli.main, ["--state-dir", str(tmp_path), *lang, "status"], env=env)
    assert result.exit_code == 1, result.output
    return result.output


def test_a_german_refusal_by_its_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = _status(tmp_path, monkeypatch, "not_in_ceremony")  # no choice: German
    assert "Fehler: der Server lehnt ab: Du hast keinen Platz in dieser Schlüsselzeremonie." in out
    assert "(not_in_ceremony)" in out and "server text" not in out
    assert out == _status(tmp_path, monkeypatch, "not_in_ceremony", "--lang", "de")


def test_an_english_refusal_by_its_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = _status(tmp_path, monkeypatch, "not_in_ceremony", "--lang", "en")
    assert "Error: the server refused: You hold no seat in this key ceremony. (not_in_ceremony)" in out
    assert "server text" not in out


def test_an_unknown_code_is_shown_with_the_servers_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = _status(tmp_path, monkeypatch, "brand_new_code")
    assert "der Server lehnt ab (Code brand_new_code, HTTP 403): You hold no seat" in out
    out = _status(tmp_path, monkeypatch, "brand_new_code", "--lang", "en")
    assert "the server refused (code brand_new_code, HTTP 403): You hold no seat" in out


def test_the_clients_own_refusals_in_both_languages(tmp_path: Path) -> None:
    args = ["--state-dir", str(tmp_path), "login", "http://vote.example.org",
            "--login", "x", "--password", "y"]  # fmt: skip
    de = CliRunner().invoke(cli.main, ["--lang", "de", *args])
    en = CliRunner().invoke(cli.main, ["--lang", "en", *args])
    assert de.exit_code == en.exit_code == 1
    assert "Fehler: unverschlüsseltes http wird abgelehnt" in de.output
    assert "Error: plain http is refused" in en.output
    before = CliRunner().invoke(cli.main, ["--state-dir", str(tmp_path), "--lang", "de", "status"])
    assert "nicht angemeldet: zuerst `evote-guardian login` ausführen" in before.output


def test_status_lines_in_both_languages() -> None:
    """`status` names a guardian's key with a value called `key`: it must not clash."""
    view = {"ceremony": {
        "state": "complete", "quorum": 2, "number_of_guardians": 3, "fingerprint": "ABCD",
        "guardians": [{"guardian_id": "guardian-1", "name": "Ada", "public_key_posted": True,
                       "fingerprint_confirmed": True, "backups_sent": 2, "backups_expected": 2,
                       "backups_verified": 1, "challenges_raised": ["guardian-2"],
                       "answers_owed": []}]},
        "decryptions": [{"vote_id": 4, "title": "Antrag", "state": "closed", "direct_shares": [],
                         "compensated_needed": {"guardian-3": ["guardian-1"]}}]}  # fmt: skip
    for lang, expected in (
        ("de", "  guardian-1 (Ada): Schlüssel ja, Fingerabdruck bestätigt, Sicherungen gesendet "
               "2/2, geprüft 1/2, beanstandet ['guardian-2']"),
        ("en", "  guardian-1 (Ada): key yes, fingerprint confirmed, backups sent 2/2, verified "
               "1/2, challenged ['guardian-2']"),
    ):  # fmt: skip
        runner = CliRunner()
        with runner.isolation() as (out, _err, _):
            cli._print_status(cli.Guardian(Path("."), lang), view)  # type: ignore[arg-type]
        text = out.getvalue().decode()
        assert expected in text.splitlines(), text
        assert ("Anteile von niemandem" if lang == "de" else "shares from nobody") in text


def test_a_failure_made_from_plain_text_keeps_it() -> None:
    """Callers outside the client (the demo's tests) raise these with their own words."""
    from evote_guardian.decryption import TallyMismatch

    assert TallyMismatch("x y").render("de") == str(TallyMismatch("x y")) == "x y"
    assert TallyMismatch("decrypt.no_ceremony").render("de").startswith("die Schlüsselzeremonie")
    with pytest.raises(KeyError):
        TallyMismatch("decrypt.no_such_key", vote=1)
