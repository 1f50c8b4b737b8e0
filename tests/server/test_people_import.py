"""Participant import from CSV, through the CLI and the admin API: all rows or none."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from flask import Flask
from server_helpers import Api
from sqlalchemy import func, select

from evote.people.csv_import import CsvImportError, parse
from evote.rules.roles import Role
from evote.store.db import get_session
from evote.store.models.people import Participant

GOOD = """name,email,delegation,roles,groups,voting_right
Anna Becker,anna@example.org,KV Nord,delegate,women,yes
Ben Costa,ben@example.org,KV Süd,guest_delegate,,no
Clara Diaz,clara@example.org,,presidium|guardian|delegate,women|board,ja
Dirk Eck,dirk@example.org,,support,,nein
"""


def _count(app: Flask) -> int:
    with app.app_context():
        return get_session().scalar(select(func.count()).select_from(Participant)) or 0


def test_cli_creates_an_event_and_imports(
    app: Flask, cli: Callable[..., Result], tmp_path: Path
) -> None:
    result = cli("event", "create", "lpt", "--name", "Landesparteitag", "--quorum", "2/3")
    assert result.exit_code == 0, result.output
    path = tmp_path / "people.csv"
    path.write_text(GOOD, encoding="utf-8")
    result = cli("participants", "import", "lpt", str(path))
    assert result.exit_code == 0, result.output
    assert "imported 4" in result.output
    with app.app_context():
        clara = get_session().scalars(select(Participant).where(Participant.email == "clara@example.org")).one()
        assert clara.role_set == {Role.PRESIDIUM, Role.GUARDIAN, Role.DELEGATE}
        assert clara.group_names == ["board", "women"]
        assert clara.voting_right and clara.password_hash is None
        assert clara.event.quorum_numerator == 2 and clara.event.quorum_denominator == 3
    listing = cli("participants", "list", "lpt")
    assert listing.exit_code == 0 and "Clara Diaz" in listing.output


def test_semicolon_file_with_bom_from_a_german_spreadsheet() -> None:
    text = "\ufeffname;email;roles;voting_right\nEva Fuchs;eva@example.org;delegate,presidium;Ja\n"
    [row] = parse(text)
    assert row.roles == {Role.DELEGATE, Role.PRESIDIUM} and row.voting_right


@pytest.mark.parametrize(
    ("bad_line", "message"),
    [
        ("Zoe,zoe@example.org,,chairman,,yes", "unknown role 'chairman'"),
        ("Zoe,zoe@example.org,,guest_delegate,,yes", "a voting right needs the role delegate"),
        ("Zoe,zoe@example.org,,delegate,,maybe", "voting_right 'maybe' is not yes or no"),
        ("Zoe,not-an-address,,delegate,,yes", "e-mail 'not-an-address' is not an address"),
        (",zoe@example.org,,delegate,,yes", "name is empty"),
        ("Zoe,zoe@example.org,,,,no", "no role given"),
        ("Zoe,ANNA@example.org,,delegate,,yes", "e-mail anna@example.org also on line 2"),
        ("Zoe,zoe@example.org,,delegate,,yes,extra", "more cells than columns"),
    ],
)
def test_a_bad_row_refuses_the_whole_file(
    app: Flask, cli: Callable[..., Result], tmp_path: Path, bad_line: str, message: str
) -> None:
    assert cli("event", "create", "lpt", "--name", "LPT").exit_code == 0
    path = tmp_path / "people.csv"
    path.write_text(GOOD + bad_line + "\n", encoding="utf-8")
    result = cli("participants", "import", "lpt", str(path))
    assert result.exit_code != 0
    assert "nothing imported" in result.output
    assert f"line 6: {message}" in result.output
    assert _count(app) == 0


def test_missing_and_unknown_columns_are_named() -> None:
    with pytest.raises(CsvImportError) as info:
        parse("name,mail,roles\nA,a@example.org,delegate\n")
    text = str(info.value)
    assert "missing column(s): email, voting_right" in text
    assert "unknown column(s): mail" in text


def test_reimporting_the_same_people_is_refused(
    app: Flask, cli: Callable[..., Result], tmp_path: Path
) -> None:
    assert cli("event", "create", "lpt", "--name", "LPT").exit_code == 0
    path = tmp_path / "people.csv"
    path.write_text(GOOD, encoding="utf-8")
    assert cli("participants", "import", "lpt", str(path)).exit_code == 0
    again = cli("participants", "import", "lpt", str(path))
    assert again.exit_code != 0 and "already registered" in again.output
    assert _count(app) == 4


def test_import_into_an_unknown_event(cli: Callable[..., Result], tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text(GOOD, encoding="utf-8")
    result = cli("participants", "import", "nope", str(path))
    assert result.exit_code != 0 and "no event 'nope'" in result.output


def test_admin_api_import_and_errors(app: Flask, logged_in: Callable[..., Api]) -> None:
    admin = logged_in(Role.ADMIN)
    before = _count(app)
    bad = admin.post(
        "/api/admin/participants/import",
        data=GOOD + "Zoe,zoe@example.org,,chairman,,yes\n",
        content_type="text/csv",
    )
    assert bad.status_code == 400
    body = bad.get_json()
    assert body["error"] == "invalid_csv"
    assert body["errors"] == [{"line": 6, "message": "unknown role 'chairman' (known: delegate, "
                              "guest_delegate, presidium, guardian, technician, support, admin, "
                              "motions_committee)"}]
    assert _count(app) == before
    good = admin.post("/api/admin/participants/import", data=GOOD, content_type="text/csv")
    assert good.status_code == 201 and good.get_json() == {"imported": 4}
    assert _count(app) == before + 4
    assert admin.post("/api/admin/participants/import", json={}).status_code == 415


def test_admin_creates_edits_and_deactivates(app: Flask, logged_in: Callable[..., Api]) -> None:
    admin = logged_in(Role.ADMIN)
    created = admin.post(
        "/api/admin/participants",
        {"name": "Gil", "email": "gil@example.org", "roles": ["delegate"], "voting_right": True},
    )
    assert created.status_code == 201, created.get_json()
    pid = created.get_json()["id"]
    bad = admin.post(
        "/api/admin/participants",
        {"name": "Hal", "email": "hal@example.org", "roles": ["guest_delegate"], "voting_right": True},
    )
    assert bad.status_code == 400 and bad.get_json()["error"] == "invalid_participant"
    changed = admin.patch(f"/api/admin/participants/{pid}", {"voting_right": False, "groups": ["women"]})
    assert changed.status_code == 200
    assert changed.get_json()["voting_right"] is False and changed.get_json()["groups"] == ["women"]
    assert admin.patch(f"/api/admin/participants/{pid}", {"colour": "red"}).status_code == 400
    assert admin.patch(f"/api/admin/participants/{pid}", {"active": False}).get_json()["active"] is False
    listed = admin.get("/api/admin/participants").get_json()["participants"]
    assert [p["active"] for p in listed if p["id"] == pid] == [False]


def test_admin_cannot_lock_themselves_out(logged_in: Callable[..., Api]) -> None:
    admin = logged_in(Role.ADMIN)
    me = admin.get("/api/me").get_json()["id"]
    assert admin.patch(f"/api/admin/participants/{me}", {"active": False}).status_code == 409
    assert admin.patch(f"/api/admin/participants/{me}", {"roles": ["support"]}).status_code == 409
    assert admin.get("/api/me").status_code == 200


LONG_GROUP = "g" * 101


@pytest.mark.parametrize(
    ("tail", "line", "message"),
    [
        ("Zoe\0,zoe@example.org,,delegate,,yes\n", 6, "contains a NUL character"),
        ("Zoe,zoe@example.org,,delegate,,yes\nYann,y@example.org,,de\0legate,,yes\n", 7,
         "contains a NUL character"),
        ("Z" * 201 + ",zoe@example.org,,delegate,,yes\n", 6,
         "name has 201 characters; at most 200 are allowed"),
        ("Zoe,zoe@example.org," + "K" * 201 + ",delegate,,yes\n", 6,
         "delegation has 201 characters; at most 200 are allowed"),
        (f"Zoe,zoe@example.org,,delegate,women|{LONG_GROUP},yes\n", 6,
         "group name has 101 characters; at most 100 are allowed"),
        ("Zoe,zoe@example.org,,delegate,," + "y" * 1001 + "\n", 6,
         "voting_right has 1001 characters; at most 1000 are allowed"),
        ('Zoe,zoe@example.org,,delegate,"' + "x" * 140_000 + '",yes\n', 6,
         "unreadable CSV: field larger than field limit"),
    ],
    ids=["nul", "nul-later-line", "long-name", "long-delegation", "long-group", "huge-cell",
         "past-csv-module-limit"],
)
def test_oversize_cells_and_nul_are_refused_by_line(
    app: Flask, logged_in: Callable[..., Api], tail: str, line: int, message: str
) -> None:
    """Through the admin API, on the suite's database: PostgreSQL would refuse these values
    itself with an unreadable 500 (too long for the column; NUL in text)."""
    admin = logged_in(Role.ADMIN)
    before = _count(app)
    resp = admin.post(
        "/api/admin/participants/import", data=(GOOD + tail).encode(), content_type="text/csv"
    )
    assert resp.status_code == 400, resp.get_data(as_text=True)[:300]
    body = resp.get_json()
    assert body["error"] == "invalid_csv"
    assert [e["line"] for e in body["errors"]] == [line]
    assert message in body["errors"][0]["message"]
    assert _count(app) == before


def test_cli_import_refuses_a_nul_byte(
    app: Flask, cli: Callable[..., Result], tmp_path: Path
) -> None:
    assert cli("event", "create", "lpt", "--name", "LPT").exit_code == 0
    path = tmp_path / "people.csv"
    path.write_bytes((GOOD + "Zoe,zoe@example.org,,delegate,,ye\0s\n").encode())
    result = cli("participants", "import", "lpt", str(path))
    assert result.exit_code != 0 and "line 6: contains a NUL character" in result.output
    assert _count(app) == 0


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"name": "N" * 201}, "name has 201 characters"),
        ({"email": "e" * 320 + "@example.org"}, "email has 332 characters"),
        ({"delegation": "D" * 201}, "delegation has 201 characters"),
        ({"groups": ["G" * 101]}, "group name has 101 characters"),
    ],
)
def test_admin_api_refuses_text_longer_than_its_column(
    app: Flask, logged_in: Callable[..., Api], body: dict[str, object], message: str
) -> None:
    admin = logged_in(Role.ADMIN)
    base = {"name": "Gil", "email": "gil@example.org", "roles": ["delegate"], "voting_right": True}
    created = admin.post("/api/admin/participants", {**base, **body})
    assert created.status_code == 400 and created.get_json()["error"] == "invalid_participant"
    assert message in created.get_json()["message"]
    me = admin.get("/api/me").get_json()
    changed = admin.patch(f"/api/admin/participants/{me['id']}", body)
    assert changed.status_code == 400 and message in changed.get_json()["message"]
    assert admin.get("/api/me").get_json() == me
