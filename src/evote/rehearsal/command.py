"""`evote rehearse prepare URL --delegates N` once, then `evote rehearse URL --delegates N`.

`evote rehearse URL ...` is short for `evote rehearse run URL ...`: a first argument that is
not a subcommand's name is taken as the URL of a run.

Exit status of a run: 0 every goal met, 3 the run finished but some goal was missed (the table
says which; the JSON has every number), 1 the run could not be done (the message says why).
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path
from typing import Any

import click

from evote.rehearsal.folder import FolderError
from evote.rehearsal.http import check_server_url
from evote.rehearsal.presidium import RehearsalError

GOAL_MISSED = 3
MAX_DELEGATES = 5000


class _RunByDefault(click.Group):
    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["run", *args]
        return super().parse_args(ctx, args)


def _url(_ctx: click.Context, _param: click.Parameter, value: str) -> str:
    try:
        return check_server_url(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@click.group("rehearse", cls=_RunByDefault)
def rehearse_group() -> None:
    """Rehearse a vote with N simulated delegates: real logins, live pages, encrypted ballots.

    `evote rehearse prepare URL --delegates N` once (on a machine with the server's database),
    then `evote rehearse URL --delegates N` for each run. See docs/deployment.md.
    """


@rehearse_group.command("prepare")
@click.argument("url", callback=_url)
@click.option("--delegates", type=click.IntRange(1, MAX_DELEGATES), required=True,
              help="Delegates to seat (a run may use fewer).")
@click.option("--folder", type=click.Path(file_okay=False, path_type=Path),
              default=Path("rehearsal"), show_default=True,
              help="A new or empty folder for the credentials and the guardians' state.")
@click.option("--slug", default=None, help="Event name (default: rehearsal-<date>-<time>).")
@click.option("--guardians", type=click.IntRange(2, 20), default=5, show_default=True)
@click.option("--quorum", type=click.IntRange(2, 20), default=3, show_default=True)
def prepare_command(
    url: str, delegates: int, folder: Path, slug: str | None, guardians: int, quorum: int
) -> None:
    """Create a rehearsal event on the server's database (EVOTE_DATABASE_URL, as for `evote
    event create`) with N delegates, a presidium and guardians; issue every credential; run the
    guardians' key ceremony against the server at URL. Writes FOLDER/credentials.json (mode 600)."""
    # loaded when the command runs, so `evote --help` and the other commands start quickly
    from evote.cli.people import command_app
    from evote.rehearsal.prepare import prepare

    if quorum > guardians:
        raise click.BadParameter(f"quorum {quorum} is more than the {guardians} guardians",
                                 param_hint="--quorum")
    app = command_app()
    with click.progressbar(length=delegates + guardians + 1, label="issuing credentials",
                           file=sys.stderr, show_eta=True) as bar:
        try:
            done = prepare(app, url, folder, delegates=delegates, guardians=guardians,
                           quorum=quorum, slug=slug, progress=bar.update)
        except (FolderError, ValueError) as exc:
            raise click.ClickException(str(exc)) from None
    issuing = done.issuing
    click.echo(
        f"event {done.event} on {url}: {delegates} delegates, a presidium, {guardians} guardians "
        f"({quorum} of {guardians}); {issuing['count']} credentials issued in "
        f"{issuing['seconds']:.1f} s ({issuing['profile']}); key ceremony fingerprint "
        f"{done.fingerprint}\ncredentials: {folder / 'credentials.json'} (mode 600). "
        f"Next: evote rehearse {url} --delegates {delegates} --folder {folder}"
    )


@rehearse_group.command("run")
@click.argument("url", callback=_url)
@click.option("--delegates", type=click.IntRange(1, MAX_DELEGATES), required=True)
@click.option("--folder", type=click.Path(file_okay=False, path_type=Path),
              default=Path("rehearsal"), show_default=True, help="What `prepare` wrote.")
@click.option("--countdown", type=click.IntRange(10, 3600), default=60, show_default=True,
              help="Seconds the vote is open.")
@click.option("--json", "json_path", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Also write the report as JSON here.")
@click.option("--present", type=int, default=None,
              help="Guardians who decrypt (default: the quorum; the others are compensated for).")
@click.option("--resend", type=click.FloatRange(0, 1), default=0.05, show_default=True,
              help="Share of delegates who send their ballot twice.")
@click.option("--encrypt-workers", type=click.IntRange(1, 64), default=None,
              help="Processes encrypting ballots (default: the cores of this machine).")
@click.option("--timeout", type=click.FloatRange(1, 3600), default=600, show_default=True,
              help="Seconds one request may take.")
@click.option("--guardian-wait", type=click.IntRange(1, 3600), default=300, show_default=True,
              help="Seconds the guardians keep trying to decrypt (evote-guardian decrypt --wait).")
def run_command(
    url: str, delegates: int, folder: Path, countdown: int, json_path: Path | None,
    present: int | None, resend: float, encrypt_workers: int | None, timeout: float,
    guardian_wait: int,
) -> None:
    """Play one vote with N delegates against URL and print the table (goals, pass/fail)."""
    # loaded when the command runs, so `evote --help` and the other commands start quickly
    from evote.rehearsal.report import table
    from evote.rehearsal.run import Settings, load_prepared, rehearse

    settings = Settings(
        url=url, folder=folder, delegates=delegates, countdown=countdown, present=present,
        resend=resend, encrypt_workers=encrypt_workers or os.cpu_count() or 1, timeout=timeout,
        guardian_wait=guardian_wait,
    )
    try:
        prepared = load_prepared(settings)
        result: dict[str, Any] = asyncio.run(
            rehearse(settings, prepared, lambda line: click.echo(line, err=True))
        )
    except (FolderError, RehearsalError) as exc:
        raise click.ClickException(str(exc)) from None
    text = json.dumps(result, indent=1)
    report_path = Path(result["record"]["path"]).with_name("report.json")
    report_path.write_text(text)
    if json_path is not None:
        json_path.write_text(text)
    click.echo(table(result))
    if not result["passed"]:
        sys.exit(GOAL_MISSED)
