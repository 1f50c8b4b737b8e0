"""Credentials: issued once, printed on letters, never stored in clear; reissue by support."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from pathlib import Path

import pytest
import segno
from click.testing import Result
from flask import Flask
from pypdf import PdfReader
from server_helpers import Api, Person
from sqlalchemy import select, text

from evote.rules.roles import Role
from evote.store.db import Base, get_engine, get_session
from evote.store.models.people import Participant

PEOPLE = """name,email,delegation,roles,groups,voting_right
Anna Becker,anna@example.org,KV Nord,delegate,,yes
Ben Costa,ben@example.org,KV Süd,guest_delegate,,no
Clara Diaz,clara@example.org,KV Ost,presidium|delegate,,yes
"""


@pytest.fixture
def imported(cli: Callable[..., Result], tmp_path: Path) -> None:
    created = cli("event", "create", "lpt", "--name", "Landesparteitag", "--url", "https://lpt.example.org/")
    assert created.exit_code == 0, created.output
    path = tmp_path / "people.csv"
    path.write_text(PEOPLE, encoding="utf-8")
    assert cli("participants", "import", "lpt", str(path)).exit_code == 0


def _letters(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def _password_on(page: str) -> str:
    match = re.search(r"Passwort / Password\s*([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})", page)
    assert match, page
    return match.group(1)


def _login_on(page: str) -> str:
    match = re.search(r"Login\s*([a-z2-9]{8})", page)
    assert match, page
    return match.group(1)


def _database_text(app: Flask) -> str:
    """Every cell of every table, as text: what an attacker with a database dump sees."""
    chunks: list[str] = []
    with app.app_context(), get_engine(app).connect() as conn:
        for table in Base.metadata.sorted_tables:
            for row in conn.execute(table.select()):
                chunks.extend(str(v) for v in row)
    return "\n".join(chunks)


def test_issue_prints_one_page_per_participant_and_passwords_work(
    app: Flask, cli: Callable[..., Result], imported: None, tmp_path: Path, new_api: Callable[[], Api]
) -> None:
    letters = tmp_path / "letters.pdf"
    result = cli("credentials", "issue", "lpt", "--letters", str(letters))
    assert result.exit_code == 0, result.output
    assert "issued 3" in result.output
    assert "hashing passwords" in result.output  # the progress bar, on stderr
    assert letters.stat().st_mode & 0o777 == 0o600
    pages = _letters(letters)
    assert len(pages) == 3
    names = ["Anna Becker", "Clara Diaz", "Ben Costa"]  # KV Nord, KV Ost, KV Süd
    for page, name in zip(pages, names, strict=True):  # ordered by delegation, then name
        assert name in page and "Landesparteitag" in page
        assert "https://lpt.example.org/login" in page
    # every printed password logs its participant in
    for page in pages:
        browser = new_api()
        resp = browser.post("/api/auth/login", {"login": _login_on(page), "password": _password_on(page)})
        assert resp.status_code == 200
    # the passwords appear nowhere in the database
    dump = _database_text(app)
    for page in pages:
        assert _password_on(page) not in dump
    assert not any(_password_on(p) in result.output for p in pages)  # not on the terminal either


def test_letter_qr_code_holds_the_login_url_only(
    cli: Callable[..., Result], imported: None, tmp_path: Path
) -> None:
    """The page's QR code is drawn as one rectangle per dark module: compare with segno's
    encoding of the login URL (with the login name, without the password)."""
    letters = tmp_path / "letters.pdf"
    assert cli("credentials", "issue", "lpt", "--letters", str(letters)).exit_code == 0
    reader = PdfReader(letters)
    page = reader.pages[0]
    login = _login_on(page.extract_text())
    content = page.get_contents()
    assert content is not None
    rectangles = content.get_data().decode("latin-1").count(" re ")
    expected = segno.make(f"https://lpt.example.org/login?u={login}", error="m", micro=False)
    dark = sum(sum(1 for cell in row if cell) for row in expected.matrix)
    assert rectangles == dark


def test_issue_again_only_for_newcomers_and_reissue_on_request(
    app: Flask, cli: Callable[..., Result], imported: None, tmp_path: Path
) -> None:
    assert cli("credentials", "issue", "lpt", "--letters", str(tmp_path / "a.pdf")).exit_code == 0
    nobody = cli("credentials", "issue", "lpt", "--letters", str(tmp_path / "b.pdf"))
    assert nobody.exit_code != 0 and "nobody" in nobody.output
    assert not (tmp_path / "b.pdf").exists()
    exists = cli("credentials", "issue", "lpt", "--letters", str(tmp_path / "a.pdf"), "--reissue")
    assert exists.exit_code != 0 and "exists" in exists.output
    anna_login = _login_on(_letters(tmp_path / "a.pdf")[0])
    again = cli(
        "credentials", "issue", "lpt", "--letters", str(tmp_path / "c.pdf"), "--reissue",
        "--login", anna_login,
    )
    assert again.exit_code == 0, again.output
    assert len(_letters(tmp_path / "c.pdf")) == 1
    with app.app_context():
        anna = get_session().scalars(select(Participant).where(Participant.login_name == anna_login)).one()
        assert anna.credential_version == 2


def test_support_reissues_a_delegates_password(
    app: Flask, logged_in: Callable[..., Api], person: Callable[..., Person], new_api: Callable[[], Api],
    caplog: pytest.LogCaptureFixture,
) -> None:
    support = logged_in(Role.SUPPORT)
    delegate = person(Role.DELEGATE)
    old_session = new_api()
    old_session.login(delegate)
    caplog.set_level(logging.DEBUG)
    resp = support.post(f"/api/support/participants/{delegate.id}/credentials")
    assert resp.status_code == 200
    new_password = resp.get_json()["password"]
    assert new_password != delegate.password
    # the old session and the old password stop working; the new one works
    assert old_session.get("/api/me").status_code == 401
    fresh = new_api()
    old = fresh.post("/api/auth/login", {"login": delegate.login_name, "password": delegate.password})
    assert old.status_code == 401
    ok = fresh.post("/api/auth/login", {"login": delegate.login_name, "password": new_password})
    assert ok.status_code == 200
    assert new_password not in _database_text(app)
    assert "reissued credentials" in caplog.text  # the reset is logged ...
    assert new_password not in caplog.text  # ... without the password


@pytest.mark.parametrize("staff", [Role.PRESIDIUM, Role.GUARDIAN, Role.ADMIN, Role.SUPPORT, Role.TECHNICIAN])
def test_support_cannot_take_over_staff_accounts(
    logged_in: Callable[..., Api], person: Callable[..., Person], staff: Role
) -> None:
    support = logged_in(Role.SUPPORT)
    target = person(staff, Role.DELEGATE) if staff is Role.PRESIDIUM else person(staff)
    resp = support.post(f"/api/support/participants/{target.id}/credentials")
    assert resp.status_code == 403 and resp.get_json()["error"] == "staff_account"
    admin = logged_in(Role.ADMIN)
    assert admin.post(f"/api/support/participants/{target.id}/credentials").status_code == 200


def test_support_sees_check_in_state_but_nothing_about_votes(
    logged_in: Callable[..., Api], person: Callable[..., Person]
) -> None:
    support = logged_in(Role.SUPPORT)
    delegate = person(Role.DELEGATE, checked_in=True, name="Ida Jansen")
    found = support.get("/api/support/participants?q=jansen").get_json()["participants"]
    assert [p["id"] for p in found] == [delegate.id]
    assert found[0]["checked_in"] is True
    assert set(found[0]) == {
        "id", "name", "email", "delegation", "login_name", "roles", "groups", "voting_right",
        "active", "has_credentials", "credentials_issued_at", "checked_in", "checked_in_at",
        "reissue_requested_at",
    }
    assert support.get(f"/api/support/participants/{delegate.id}").get_json()["name"] == "Ida Jansen"
    assert support.get("/api/support/participants/999999").status_code == 404


def test_staff_of_one_event_cannot_reach_another_events_people(
    app: Flask, logged_in: Callable[..., Api]
) -> None:
    from server_helpers import make_event, make_person

    other_event = make_event(app, "other")
    stranger = make_person(app, other_event, [Role.DELEGATE])
    support = logged_in(Role.SUPPORT)
    assert support.get(f"/api/support/participants/{stranger.id}").status_code == 404
    assert support.post(f"/api/support/participants/{stranger.id}/credentials").status_code == 404


def test_password_hashes_are_argon2id_for_everyone(
    app: Flask, cli: Callable[..., Result], imported: None, tmp_path: Path
) -> None:
    assert cli("credentials", "issue", "lpt", "--letters", str(tmp_path / "a.pdf")).exit_code == 0
    with app.app_context():
        hashes = get_session().execute(text("SELECT password_hash FROM participants")).scalars().all()
    assert len(hashes) == 3 and all(h.startswith("$argon2id$") for h in hashes)
