"""``evote audit``: check an audit log file on its own, and export an event's log.

`evote audit verify FILE` needs no server and no database: it reads a log exported with
`evote audit export` (type `evote/audit-log`) or the `evote/audit.json` of a vote's record
(type `evote/audit`) and checks the hash chain from the genesis (docs/audit.md).
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import click

from evote.record.audit import AUDIT_TYPE, LOG_TYPE, LOG_VERSION, AuditExtract, check_chain
from evote.record.errors import InvalidRecord
from evote.record.jsonio import canonical_json, parse_json


@click.group("audit")
def audit_group() -> None:
    """The audit log: check it, export it."""


def _entries(document: Any) -> list[Any]:
    if not isinstance(document, dict):
        raise InvalidRecord("an audit log file is a JSON object")
    if document.get("type") == AUDIT_TYPE:
        return list(AuditExtract.from_json(document).entries)  # also checks the marks
    if document.get("type") != LOG_TYPE or document.get("version") != LOG_VERSION:
        raise InvalidRecord(f"expected type {LOG_TYPE} version {LOG_VERSION} or {AUDIT_TYPE}")
    entries = document.get("entries")
    if not isinstance(entries, list):
        raise InvalidRecord("'entries' must be a list")
    return entries


def _read(file: Path) -> bytes:
    """The file's bytes; for a vote's record (a zip), its evote/audit.json."""
    if not zipfile.is_zipfile(file):
        return file.read_bytes()
    with zipfile.ZipFile(file) as archive:
        names = [n for n in archive.namelist() if n == "evote/audit.json" or n.endswith("/evote/audit.json")]
        if len(names) != 1:
            raise InvalidRecord(f"{file.name}: the record has no evote/audit.json")
        return archive.read(names[0])


@audit_group.command("verify")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def verify_command(file: Path) -> None:
    """Check FILE's hash chain (a log file, a record's evote/audit.json, or the record's zip);
    exit 0 if unbroken, 1 naming the first broken entry."""
    try:
        document = parse_json(_read(file), file.name)
        entries = _entries(document)
        head = check_chain(entries)
    except InvalidRecord as exc:
        click.echo(f"AUDIT LOG BROKEN: {exc}", err=True)
        raise SystemExit(1) from None
    click.echo(f"{len(entries)} entries, chain unbroken; head {head}")
    click.echo("AUDIT LOG VERIFIED")


@audit_group.command("export")
@click.argument("slug")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), required=True)
def export_command(slug: str, out: Path) -> None:
    """Write event SLUG's whole audit log to OUT (for `evote audit verify`)."""
    # only `export` needs the app and the database; `evote audit verify` checks a file with
    # the record format alone and starts without Flask or a database driver
    from evote import audit
    from evote.cli.people import _event, command_app
    from evote.store.db import get_session

    with command_app().app_context():
        event = _event(slug)
        entries = audit.entries(get_session(), event.id)
        document = {"type": LOG_TYPE, "version": LOG_VERSION, "event": slug, "entries": entries}
        out.write_bytes(canonical_json(document, str(out)))
        click.echo(f"wrote {len(entries)} entries to {out}")
