"""``evote event``, ``evote participants``, ``evote credentials``: setting up a convention.

Each command works on the app named by the environment (``EVOTE_DATABASE_URL`` ...), or on the
Flask app passed as ``obj`` when invoked from tests.
"""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime
from pathlib import Path

import click
from flask import Flask, current_app
from sqlalchemy import select

from evote import audit
from evote.people.accounts import create_event
from evote.people.credentials import issue
from evote.people.csv_import import CsvImportError, import_participants
from evote.people.letters import render_letters
from evote.people.spreadsheet import tsv_line
from evote.store.db import get_session
from evote.store.models.event import Event, EventStatus
from evote.store.models.people import Participant
from evote.voting import events
from evote.webapp.app import create_app


def command_app() -> Flask:
    """The app a command runs against: the one passed in by a caller, else built from env."""
    ctx = click.get_current_context()
    obj = ctx.find_object(Flask)
    if obj is not None:
        return obj
    return create_app()


def _event(slug: str) -> Event:
    event = get_session().scalars(select(Event).where(Event.slug == slug)).first()
    if event is None:
        raise click.ClickException(f"no event {slug!r} (see `evote event create`)")
    return event


def _parse_quorum(text: str) -> tuple[int, int]:
    try:
        num, den = (int(x) for x in text.split("/"))
    except ValueError:
        raise click.BadParameter("write the quorum as a fraction, e.g. 1/2 or 2/3") from None
    return num, den


@click.group("event")
def event_group() -> None:
    """Create, open and close events."""


@event_group.command("create")
@click.argument("slug")
@click.option("--name", required=True, help="Name printed on letters and pages.")
@click.option("--url", "public_url", default="", help="Public base URL, e.g. https://vote.example.org")
@click.option("--quorum", default="1/2", show_default=True, help="Share of voting delegates.")
@click.option(
    "--at-least", is_flag=True, help='Quorum means "at least" the share (default: "more than").'
)
def event_create(slug: str, name: str, public_url: str, quorum: str, at_least: bool) -> None:
    """Create an event SLUG (lower-case letters, digits, dashes)."""
    with command_app().app_context():
        db = get_session()
        try:
            event = create_event(db, slug, name, public_url, _parse_quorum(quorum), not at_least)
        except ValueError as exc:
            raise click.ClickException(str(exc)) from None
        db.commit()
        click.echo(f"created event {event.slug} (id {event.id})")


@event_group.command("list")
def event_list() -> None:
    """List events (tab-separated: slug, status, quorum, name)."""
    with command_app().app_context():
        for event in get_session().scalars(select(Event).order_by(Event.id)):
            rule = f"{'>' if event.quorum_strict else '>='}{event.quorum_numerator}/{event.quorum_denominator}"
            click.echo(tsv_line([event.slug, event.status, rule, event.name]))


@event_group.command("set-quorum")
@click.argument("slug")
@click.argument("quorum")
@click.option("--at-least", is_flag=True, help='"at least" the share (default: "more than").')
def event_set_quorum(slug: str, quorum: str, at_least: bool) -> None:
    """Change the quorum rule of SLUG, e.g. `evote event set-quorum lpt 2/3 --at-least`."""
    num, den = _parse_quorum(quorum)
    if den <= 0 or not 0 <= num <= den:
        raise click.BadParameter("the quorum is a fraction between 0/1 and 1/1")
    with command_app().app_context():
        db = get_session()
        event = _event(slug)
        event.quorum_numerator, event.quorum_denominator = num, den
        event.quorum_strict = not at_least
        db.commit()
        click.echo(f"quorum of {slug}: {'at least' if at_least else 'more than'} {num}/{den}")


def _set_status(slug: str, status: EventStatus) -> None:
    with command_app().app_context():
        db = get_session()
        event = _event(slug)
        event.status = status.value
        now = datetime.now(UTC)
        if status is EventStatus.OPEN:
            event.opened_at = now
        elif status is EventStatus.CLOSED:
            event.closed_at = now
        audit.append(db, event.id, f"event.{status.value}", "event", event.id, {"by": "command"})
        db.commit()
        click.echo(f"event {slug} is {status.value}")


@event_group.command("open")
@click.argument("slug")
def event_open(slug: str) -> None:
    """Open an event: participants can check in."""
    _set_status(slug, EventStatus.OPEN)


@event_group.command("close")
@click.argument("slug")
def event_close(slug: str) -> None:
    """Close an event."""
    _set_status(slug, EventStatus.CLOSED)


@click.group("participants")
def participants_group() -> None:
    """Import and list participants."""


@participants_group.command("import")
@click.argument("slug")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def participants_import(slug: str, csv_file: Path) -> None:
    """Import participants from CSV_FILE (columns: name, email, delegation, roles, groups,
    voting_right). Either every row is imported, or none."""
    try:
        text = csv_file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise click.ClickException(f"{csv_file} is not UTF-8") from None
    with command_app().app_context():
        db = get_session()
        try:
            added = import_participants(db, _event(slug), text)
        except CsvImportError as exc:
            db.rollback()
            lines = "\n".join(f"  {e}" for e in exc.errors)
            raise click.ClickException(f"nothing imported; fix these lines:\n{lines}") from None
        event_id = _event(slug).id
        audit.append(db, event_id, "participant.import", "event", event_id,
                     {"count": len(added), "by": "command"})
        db.commit()
        click.echo(f"imported {len(added)} participants into {slug}")


@participants_group.command("list")
@click.argument("slug")
def participants_list(slug: str) -> None:
    """List participants (tab-separated: login, name, roles, vote/no-vote,
    credentials/no-credentials, checked-in/not-checked-in)."""
    with command_app().app_context():
        event = _event(slug)
        rows = get_session().scalars(
            select(Participant).where(Participant.event_id == event.id).order_by(Participant.id)
        )
        for p in rows:
            roles = ",".join(sorted(r.value for r in p.role_set))
            click.echo(
                tsv_line(
                    [
                        p.login_name,
                        p.name,
                        roles,
                        "vote" if p.voting_right else "no-vote",
                        "credentials" if p.password_hash else "no-credentials",
                        "checked-in" if p.checked_in_at else "not-checked-in",
                    ]
                )
            )


@click.group("credentials")
def credentials_group() -> None:
    """Issue personal credentials and print access letters."""


@credentials_group.command("issue")
@click.argument("slug")
@click.option(
    "--letters",
    "letters_path",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the access letters (PDF) here. The only place the passwords ever appear.",
)
@click.option("--reissue", is_flag=True, help="Also replace existing passwords (logs them out).")
@click.option("--login", "logins", multiple=True, help="Only these login names (repeatable).")
@click.option(
    "--jobs", type=click.IntRange(min=1), default=None,
    help="Passwords hashed at once (default: every core; fewer on a server that is busy).",
)
def credentials_issue(
    slug: str, letters_path: Path, reissue: bool, logins: tuple[str, ...], jobs: int | None
) -> None:
    """Give participants of SLUG a random password and print their letters to a PDF.

    Without --reissue only participants without credentials get one, so running it again after
    importing latecomers prints letters for the latecomers only. The PDF is created with mode 600
    and must not exist yet: it holds passwords and is never regenerated.
    """
    if letters_path.exists():
        raise click.ClickException(f"{letters_path} exists; choose a new file name")
    app = command_app()
    with app.app_context():
        db = get_session()
        event = _event(slug)
        stmt = select(Participant).where(
            Participant.event_id == event.id, Participant.active.is_(True)
        )
        if logins:
            stmt = stmt.where(Participant.login_name.in_(logins))
        if not reissue:
            stmt = stmt.where(Participant.password_hash.is_(None))
        targets = list(db.scalars(stmt.order_by(Participant.delegation, Participant.name)))
        if logins and len(targets) != len(set(logins)):
            found = {p.login_name for p in targets}
            missing = ", ".join(sorted(set(logins) - found))
            raise click.ClickException(f"not found or already issued (use --reissue): {missing}")
        if not targets:
            raise click.ClickException("nobody to issue credentials to")
        cores = min(jobs or os.cpu_count() or 1, len(targets))
        with click.progressbar(
            length=len(targets), file=sys.stderr, show_eta=True, show_pos=True,
            label=f"hashing passwords ({cores} at once)",
        ) as bar:
            issued = issue(
                targets, app.config["PASSWORD_HASH_PROFILE"], current_app.config["PUBLIC_URL"],
                progress=bar.update, workers=cores,
            )
        pdf = render_letters(issued, title=f"{event.name}: access letters")
        fd = os.open(letters_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(pdf)
        audit.append(db, event.id, "credentials.issue", "event", event.id,
                     {"count": len(issued), "reissue": reissue, "by": "command"})
        db.commit()  # only after the letters are safely on disk: no password is ever lost
        if reissue:  # the old passwords' pages stop following (Redis/PostgreSQL broker)
            for participant in targets:
                events.end_streams(participant.event_id, participant.id)
        click.echo(f"issued {len(issued)} credentials; letters in {letters_path}")
