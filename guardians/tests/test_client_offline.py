"""The client's rules that need no server: https only, clear refusals, the sealed state."""

from __future__ import annotations

import json
from pathlib import Path

import nacl.pwhash
import pytest
from click.testing import CliRunner

from evote.crypto.ceremony import GuardianSecret
from evote.crypto.group import ElementModQ
from evote_guardian.ceremony_steps import CeremonyProblem, generate
from evote_guardian.cli import main
from evote_guardian.connection import SESSION_FILE, Connection, check_url
from evote_guardian.local_state import GuardianState, Vault

FAST = {"EVOTE_GUARDIAN_KDF": "min", "EVOTE_GUARDIAN_LANG": "en"}


@pytest.mark.parametrize(
    ("url", "allow_http"),
    [
        ("http://vote.example.org", False),
        ("http://vote.example.org", True),  # the flag is for this machine only
        ("http://127.0.0.1:5000", False),  # and must be given explicitly
        ("ftp://vote.example.org", True),
        ("vote.example.org", False),
    ],
)
def test_plain_http_is_refused_unless_local_and_asked_for(url: str, allow_http: bool) -> None:
    with pytest.raises(ValueError):
        check_url(url, allow_http)


def test_https_and_explicit_local_http_are_allowed() -> None:
    assert check_url("https://vote.example.org/", False) == "https://vote.example.org"
    assert check_url("http://127.0.0.1:5000", True) == "http://127.0.0.1:5000"
    assert check_url("http://localhost:8000/", True) == "http://localhost:8000"


def test_login_refuses_http_without_touching_the_network(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        ["--state-dir", str(tmp_path), "login", "http://vote.example.org",
         "--login", "x", "--password", "y"],
        env=FAST,
    )  # fmt: skip
    assert result.exit_code == 1
    assert "plain http is refused" in result.output
    assert not (tmp_path / SESSION_FILE).exists()


def test_commands_before_login_say_so(tmp_path: Path) -> None:
    for args in (["ceremony"], ["status"], ["decrypt", "1"]):
        result = CliRunner().invoke(main, ["--state-dir", str(tmp_path), *args], env=FAST)
        assert result.exit_code == 1, result.output
        assert "not logged in" in result.output


def test_saved_session_holds_no_password(tmp_path: Path) -> None:
    conn = Connection("https://vote.example.org")
    conn.csrf = "token"
    conn.http.cookies.set("evote_session", "cookie-value", domain="vote.example.org")
    conn.save(tmp_path)
    saved = json.loads((tmp_path / SESSION_FILE).read_text())
    assert saved == {
        "server": "https://vote.example.org", "allow_http": False,
        "cookie": "cookie-value", "csrf": "token",
    }  # fmt: skip
    assert (tmp_path / SESSION_FILE).stat().st_mode & 0o077 == 0
    again = Connection.resume(tmp_path)
    assert again.csrf == "token" and again.http.cookies.get("evote_session") == "cookie-value"


def test_guardian_state_round_trips_sealed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVOTE_GUARDIAN_KDF", "min")
    secret = GuardianSecret.generate("guardian-2", 2, 3, b"s" * 32)
    state = GuardianState(
        "https://vote.example.org", "guardian-2", 2, 5, 3, secret,
        received={"guardian-1": ElementModQ(77)},
        public_keys={"guardian-2": secret.public_key()},
    )
    vault = Vault(tmp_path, lambda: "pass phrase")
    vault.save(state)
    envelope = json.loads(vault.path.read_text())
    assert envelope["opslimit"] == nacl.pwhash.argon2id.OPSLIMIT_MIN
    raw = vault.path.read_text().lower()
    assert secret.polynomial.secret_key.to_hex().lower() not in raw
    loaded = Vault(tmp_path, lambda: "pass phrase").load()
    assert loaded.to_json() == state.to_json()
    from evote_guardian.state_file import StateFileError

    with pytest.raises(StateFileError, match="wrong passphrase"):
        Vault(tmp_path, lambda: "another").load()


class _CeremonyServer:
    """Just `GET /api/ceremony/me` of a ceremony with n guardians and quorum k."""

    base_url = "https://vote.example.org"

    def __init__(self, n: int, k: int) -> None:
        self.me = {"guardian_id": "guardian-1", "sequence_order": 1, "ceremony_id": "c1",
                   "number_of_guardians": n, "quorum": k}  # fmt: skip

    def get(self, path: str) -> dict[str, object]:
        assert path == "/api/ceremony/me"
        return self.me


@pytest.mark.parametrize(
    ("n", "k", "why"),
    [(3, 1, "quorum must be at least 2, not 1"), (1, 1, "at least 2 guardians, not 1")],
)
def test_client_refuses_a_ceremony_below_quorum_two(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, n: int, k: int, why: str
) -> None:
    """With k = 1 each backup the client sends would be its secret itself: it draws nothing."""
    monkeypatch.setenv("EVOTE_GUARDIAN_KDF", "min")
    vault = Vault(tmp_path, lambda: "pass phrase")
    with pytest.raises(CeremonyProblem, match=f"refusing to join this ceremony.*{why}"):
        generate(_CeremonyServer(n, k), vault)  # type: ignore[arg-type]
    assert not vault.exists()
    state = generate(_CeremonyServer(2, 2), vault)  # type: ignore[arg-type]
    assert (state.number_of_guardians, state.quorum) == (2, 2) and vault.exists()
