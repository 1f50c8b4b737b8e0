"""`evote committee`: the server's side of the credentials committee (docs/credentials.md).

    evote committee set-key SLUG KEY          the committee's public key (from evote-credentials init)
    evote committee export-roll SLUG FILE     the voting delegates, for the committee to issue to
    evote committee upload SLUG FILE          the committee's signed upload file
    evote committee status SLUG               key, slots, batches (no names, no keys)

The same as the admin API; run by whoever operates the server.  None of it can make a
credential: the committee's key and the codes stay on the committee's machine.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from evote.cli.people import _event, command_app
from evote.eligibility import committee
from evote.store.clock import current_clock
from evote.store.db import get_session
from evote.voting.outcomes import Refused


@click.group("committee")
def committee_group() -> None:
    """The credentials committee's key, roll export and uploads."""


@committee_group.command("set-key")
@click.argument("slug")
@click.argument("key")
def set_key(slug: str, key: str) -> None:
    """Set the committee's public key of event SLUG ("none" clears it before any upload)."""
    with command_app().app_context():
        db = get_session()
        event = _event(slug)
        try:
            committee.set_committee_key(db, event, None if key == "none" else key.strip().lower())
        except Refused as exc:
            raise click.ClickException(exc.message) from None
        db.commit()
        click.echo(f"committee key of {slug}: {event.committee_key or 'none'}")


@committee_group.command("export-roll")
@click.argument("slug")
@click.argument("out", type=click.Path(path_type=Path, dir_okay=False))
def export_roll(slug: str, out: Path) -> None:
    """Write the roll of voting delegates of SLUG to OUT for the committee."""
    with command_app().app_context():
        roll = committee.export_roll(get_session(), _event(slug))
    out.write_text(json.dumps(roll, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    click.echo(f"{len(roll['delegates'])} voting delegates written to {out}")


@committee_group.command("upload")
@click.argument("slug")
@click.argument("upload_file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
def upload(slug: str, upload_file: Path) -> None:
    """Check and store the committee's upload file; nothing is stored if any check fails."""
    try:
        document = json.loads(upload_file.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise click.ClickException(f"{upload_file}: not JSON ({exc})") from None
    with command_app().app_context():
        db = get_session()
        event = _event(slug)
        try:
            header = committee.accept_upload(db, event, document, current_clock().now())
            db.commit()
        except Refused as exc:
            db.rollback()
            raise click.ClickException(f"{exc.code}: {exc.message}") from None
        click.echo(f"stored batch {header.batch} ({header.kind}) for "
                   f"{len(header.participants)} participant(s), slots {header.slots[0]}-"
                   f"{header.slots[-1]}")


@committee_group.command("status")
@click.argument("slug")
def status(slug: str) -> None:
    """The committee's status for SLUG, as JSON."""
    with command_app().app_context():
        click.echo(json.dumps(committee.status(get_session(), _event(slug)), indent=1))
