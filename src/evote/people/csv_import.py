"""Importing participants from a CSV file, all or nothing.

Columns (header row required, order free, names case-insensitive):

=============  ========  ==========================================================
column         required  content
=============  ========  ==========================================================
name           yes       full name as printed on the letter
email          yes       unique per event
delegation     no        e.g. the regional association
roles          yes       one or more of the role names, separated by ``|``, ``,`` or ``;``
groups         no        free labels (quota groups, working groups), same separators
voting_right   yes       yes/no (also ja/nein, true/false, 1/0, x/empty-not-allowed)
=============  ========  ==========================================================

The delimiter may be ``,`` or ``;`` (German spreadsheets save with ``;``); a UTF-8 byte order
mark is accepted. Sizes: a cell holds at most ``MAX_CELL`` characters, and name, email,
delegation and each group at most what the database stores (``accounts.check_sizes``); a NUL
character anywhere refuses the file (no spreadsheet writes one; it is a binary file or an
attack, and PostgreSQL refuses NUL in text). Each of these is reported with its line. Why all or nothing: an organiser who fixes line 214 and imports again must not
get lines 1-213 twice. Every row is checked first, every problem is reported with its line
number, and only a clean file adds anybody.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from evote.people.accounts import (
    InvalidParticipant,
    add_participant,
    check_sizes,
    parse_roles,
    validate,
)
from evote.rules.roles import Role
from evote.store.models.event import Event
from evote.store.models.people import Participant

REQUIRED = ("name", "email", "roles", "voting_right")
OPTIONAL = ("delegation", "groups")
MAX_ROWS = 20_000
MAX_CELL = 1_000
"""Characters in any one cell; far above any real role list, far below the csv module's own
128 KiB field limit (which would otherwise end the file with an exception)."""
_TRUE = {"yes", "ja", "true", "1", "x", "y", "j"}
_FALSE = {"no", "nein", "false", "0", "n"}
_SPLIT = re.compile(r"[|,;]")


@dataclass(frozen=True)
class RowError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


class CsvImportError(ValueError):
    """The file was refused as a whole; ``errors`` lists every problem found."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__("; ".join(str(e) for e in errors[:20]))
        self.errors = errors


@dataclass(frozen=True)
class ParsedRow:
    line: int
    name: str
    email: str
    delegation: str
    roles: frozenset[Role]
    groups: tuple[str, ...]
    voting_right: bool


def _parse_bool(raw: str) -> bool:
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise InvalidParticipant(f"voting_right {raw!r} is not yes or no")


def _reader(text: str) -> csv.DictReader[str]:
    text = text.removeprefix("\ufeff")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    return csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)


def _nul_lines(text: str) -> list[RowError]:
    """One error per line holding a NUL character (physical lines, header = 1)."""
    lines: list[int] = []
    start = text.find("\0")
    while start != -1:
        line = text.count("\n", 0, start) + 1
        if not lines or lines[-1] != line:
            lines.append(line)
        start = text.find("\0", start + 1)
    return [RowError(line, "contains a NUL character (is this a CSV file?)") for line in lines]


def _size_errors(line: int, cells: dict[str, str]) -> list[RowError]:
    return [
        RowError(line, f"{column} has {len(value)} characters; at most {MAX_CELL} are allowed")
        for column, value in cells.items()
        if len(value) > MAX_CELL
    ]


def _header_name(raw: str) -> str:
    name = raw.strip().lower()
    return name if len(name) <= 40 else name[:40] + "…"


def parse(text: str) -> list[ParsedRow]:
    """Read and check every row without touching the database."""
    nul = _nul_lines(text.removeprefix("\ufeff"))
    if nul:
        raise CsvImportError(nul)
    reader = _reader(text)
    try:
        return _parse_rows(reader)
    except csv.Error as exc:
        # the csv module's own refusals (e.g. a field past its 128 KiB limit) end the file
        line = reader.line_num + 1  # the line being read when it failed
        raise CsvImportError([RowError(line, f"unreadable CSV: {exc}")]) from None


def _parse_rows(reader: csv.DictReader[str]) -> list[ParsedRow]:
    header = [_header_name(h) for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED if c not in header]
    unknown = [c for c in header if c not in REQUIRED + OPTIONAL]
    errors: list[RowError] = []
    if missing:
        errors.append(RowError(1, f"missing column(s): {', '.join(missing)}"))
    if unknown:
        errors.append(RowError(1, f"unknown column(s): {', '.join(unknown)}"))
    if errors:
        raise CsvImportError(errors)
    reader.fieldnames = header
    rows: list[ParsedRow] = []
    seen_emails: dict[str, int] = {}
    for record in reader:
        line = reader.line_num
        if len(rows) >= MAX_ROWS:
            raise CsvImportError([RowError(line, f"more than {MAX_ROWS} rows")])
        if None in record:
            errors.append(RowError(line, "more cells than columns"))
            continue
        cells = {k: (v or "").strip() for k, v in record.items()}
        if not any(cells.values()):
            continue  # blank line
        too_long = _size_errors(line, cells)
        if too_long:
            errors.extend(too_long)
            continue
        groups = tuple(g.strip() for g in _SPLIT.split(cells.get("groups", "")) if g.strip())
        try:
            check_sizes(
                name=cells["name"], email=cells["email"], delegation=cells.get("delegation"),
                groups=groups,
            )
            roles = parse_roles(_SPLIT.split(cells["roles"]))
            voting_right = _parse_bool(cells["voting_right"])
            validate(cells["name"], cells["email"], roles, voting_right)
        except InvalidParticipant as exc:
            errors.append(RowError(line, str(exc)))
            continue
        email = cells["email"].lower()
        if email in seen_emails:
            errors.append(RowError(line, f"e-mail {email} also on line {seen_emails[email]}"))
            continue
        seen_emails[email] = line
        rows.append(
            ParsedRow(
                line, cells["name"], email, cells.get("delegation", ""), roles, groups, voting_right
            )
        )
    if errors:
        raise CsvImportError(errors)
    if not rows:
        raise CsvImportError([RowError(2, "the file has no participants")])
    return rows


def import_participants(db: Session, event: Event, text: str) -> list[Participant]:
    """Add every participant of the file to ``event``, or raise :class:`CsvImportError` having
    added nobody. The caller commits."""
    rows = parse(text)
    existing = set(
        db.scalars(select(Participant.email).where(Participant.event_id == event.id)).all()
    )
    clashes = [RowError(r.line, f"e-mail {r.email} is already registered") for r in rows if r.email in existing]
    if clashes:
        raise CsvImportError(clashes)
    added: list[Participant] = []
    for row in rows:
        added.append(
            add_participant(
                db,
                event,
                name=row.name,
                email=row.email,
                delegation=row.delegation,
                roles=row.roles,
                groups=row.groups,
                voting_right=row.voting_right,
            )
        )
        db.flush()
    return added
