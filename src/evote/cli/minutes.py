"""``evote minutes EVENT --pdf FILE --csv DIR``: the convention's minutes (Protokoll)."""

from __future__ import annotations

from pathlib import Path

import click

from evote.cli.people import _event, command_app
from evote.minutes import collect
from evote.minutes.pdf import render
from evote.minutes.tables import csv_files
from evote.minutes.words import LANGUAGES
from evote.store.clock import current_clock
from evote.store.db import get_session
from evote.webapp.api.minutes import record_fingerprint


@click.command("minutes")
@click.argument("slug")
@click.option("--pdf", "pdf", type=click.Path(dir_okay=False, path_type=Path), help="Write the PDF here.")
@click.option("--csv", "csv_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Write agenda.csv, votes.csv, motions.csv, speakers.csv into this folder.")
@click.option("--lang", type=click.Choice(LANGUAGES), default="de", show_default=True)
def minutes_command(slug: str, pdf: Path | None, csv_dir: Path | None, lang: str) -> None:
    """Make the minutes of event SLUG: agenda with times, attendance and result of each vote,
    the fingerprint of each record, motions and speakers."""
    if pdf is None and csv_dir is None:
        raise click.UsageError("say where to write: --pdf FILE and/or --csv DIR")
    app = command_app()
    with app.app_context():
        event = _event(slug)
        minutes = collect(get_session(), event, lang, record_fingerprint, current_clock().now())
        if pdf is not None:
            pdf.write_bytes(render(minutes))
            click.echo(f"wrote {pdf}")
        if csv_dir is not None:
            csv_dir.mkdir(parents=True, exist_ok=True)
            files = csv_files(minutes)
            for name, text in files.items():
                (csv_dir / name).write_text(text, encoding="utf-8")
            click.echo(f"wrote {len(files)} CSV files to {csv_dir}")
