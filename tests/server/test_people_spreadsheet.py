"""CSV/TSV output never hands a spreadsheet a formula (CSV injection, OWASP's rule).

Every writer goes through `evote.people.spreadsheet`; the CLI listings are its users today.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from evote.people.spreadsheet import csv_text, safe_cell, tsv_line

SRC = Path(__file__).resolve().parents[2] / "src"


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
        ("+49 30 1234", "'+49 30 1234"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Anna = Becker", "Anna = Becker"),
        ("", ""),
        (None, ""),
        (7, "7"),
    ],
)
def test_safe_cell(cell: object, written: str) -> None:
    assert safe_cell(cell) == written


def test_tsv_line_keeps_its_columns() -> None:
    line = tsv_line(["a\tb", "=c\nd", "-"])
    assert line.split("\t") == ["a b", "'=c d", "'-"]
    assert "\n" not in line


def test_csv_text_makes_every_cell_safe() -> None:
    text = csv_text([["name", "n"], ["=1+1", 3], ['Anna "A", Nord', None]])
    assert text.startswith("\ufeff")
    assert text[1:].split("\r\n") == ["name,n", "'=1+1,3", '"Anna ""A"", Nord",', ""]


def test_cli_listings_neutralise_formulas(
    cli: Callable[..., Result], tmp_path: Path
) -> None:
    assert cli("event", "create", "lpt", "--name", "=cmd|' /C calc'!A0").exit_code == 0
    listing = cli("event", "list").output
    [row] = [r for r in listing.splitlines() if r.startswith("lpt\t")]
    assert row.split("\t")[3] == "'=cmd|' /C calc'!A0"
    people = tmp_path / "people.csv"
    people.write_text(
        "name,email,delegation,roles,voting_right\n"
        '"@SUM(1+1)*cmd|\' /C calc\'!A0",a@example.org,"+KV\tNord",delegate,yes\n'
        "-Ben,b@example.org,,guest_delegate,no\n",
        encoding="utf-8",
    )
    assert cli("participants", "import", "lpt", str(people)).exit_code == 0
    rows = [line.split("\t") for line in cli("participants", "list", "lpt").output.splitlines()]
    assert all(len(r) == 6 for r in rows)
    assert [r[1] for r in rows] == ["'@SUM(1+1)*cmd|' /C calc'!A0", "'-Ben"]
    assert rows[1][3:] == ["no-vote", "no-credentials", "not-checked-in"]
    assert not any(cell[:1] in "=+-@" for r in rows for cell in r if cell)


def test_no_writer_bypasses_the_helper() -> None:
    """A new CSV/TSV writer must use `evote.people.spreadsheet` (or this test learns why)."""
    writers = re.compile(r"csv\.(writer|DictWriter)\(|[\"']\\t[\"']\.join\(")
    offenders = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if path.name != "spreadsheet.py" and writers.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
