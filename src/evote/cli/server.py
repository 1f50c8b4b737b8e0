"""``evote db`` (schema migrations) and ``evote serve`` (gunicorn)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click
from flask import Flask
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from evote.cli.people import command_app
from evote.store import migrations
from evote.store.db import get_engine, own_sqlite_file, sqlite_file
from evote.webapp import secret_key

GUNICORN_CONF = Path(__file__).parents[1] / "webapp" / "gunicorn.conf.py"


@click.group("db")
def db_group() -> None:
    """Database schema."""


def _sqlite_folder_ready(app: Flask) -> None:
    """Make sure a SQLite database's folder exists before SQLite is asked to open the file.

    The instance folder is evote's own (``EVOTE_INSTANCE_PATH``), so it is created, private
    (mode 700). Any other missing folder came from ``EVOTE_DATABASE_URL``: the command says which
    folder to create rather than guess at a typo.
    """
    url = app.config["DATABASE_URL"]
    path = sqlite_file(url)
    if path is None or path.parent.is_dir():
        return
    folder = path.parent.absolute()
    if folder == Path(app.instance_path).absolute():
        folder.mkdir(parents=True, mode=0o700)
        own_sqlite_file(url)
        click.echo(f"created the instance folder {folder}", err=True)
        return
    raise click.ClickException(
        f"the SQLite database {path} is in a folder that does not exist: {folder}. Create it "
        f"(mkdir -p {folder}) or set EVOTE_DATABASE_URL to another place; nothing was changed."
    )


def _unreachable(app: Flask, error: OperationalError) -> click.ClickException:
    url = make_url(app.config["DATABASE_URL"]).render_as_string(hide_password=True)
    reason = str(error.orig or error).strip().splitlines()[0][:300]
    return click.ClickException(f"cannot open the database {url}: {reason}")


@db_group.command("upgrade")
@click.option("--revision", default="head", show_default=True)
def db_upgrade(revision: str) -> None:
    """Create or upgrade the schema with the Alembic migrations (safe to run on every deploy).

    A SQLite database in the instance folder gets the folder created first.
    """
    app = command_app()
    _sqlite_folder_ready(app)
    try:
        migrations.upgrade(get_engine(app), revision)
        reached = migrations.current(get_engine(app))
    except OperationalError as error:
        raise _unreachable(app, error) from None
    click.echo(f"database at revision {reached}")


@db_group.command("current")
def db_current() -> None:
    """Print the schema's current revision."""
    app = command_app()
    if (path := sqlite_file(app.config["DATABASE_URL"])) and not path.exists():
        click.echo("empty (no database file yet: run `evote db upgrade`)")
        return
    try:
        click.echo(migrations.current(get_engine(app)) or "empty")
    except OperationalError as error:
        raise _unreachable(app, error) from None


def gunicorn_argv(bind: str | None, workers: int | None, config: Path) -> list[str]:
    """The command line ``evote serve`` runs; separate so a test can check it without forking."""
    argv = [sys.executable, "-m", "gunicorn", "--config", str(config)]
    if bind:
        argv += ["--bind", bind]
    if workers:
        argv += ["--workers", str(workers)]
    argv.append("evote.webapp.app:create_app()")
    return argv


@click.command("serve")
@click.option("--bind", default=None, help="host:port (default from the config: 127.0.0.1:8000)")
@click.option("--workers", type=int, default=None, help="number of worker processes")
@click.option(
    "--config",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=GUNICORN_CONF,
    show_default=True,
    help="gunicorn config file",
)
@click.option(
    "--live-streams",
    type=click.IntRange(min=1),
    default=None,
    help="live pages per worker (default 400); each worker gets 32 threads more for the API",
)
def serve_command(
    bind: str | None, workers: int | None, config: Path, live_streams: int | None
) -> None:
    """Run the server under gunicorn (see docs/deployment.md). Run `evote db upgrade` first."""
    key = os.environ.get("EVOTE_SECRET_KEY")
    if key:  # say so here, once, rather than in every worker that fails to boot
        try:
            secret_key.check(key, "EVOTE_SECRET_KEY")
        except secret_key.WeakSecretKey as exc:
            raise click.ClickException(str(exc)) from None
    if live_streams:
        # read by gunicorn.conf.py, which sizes the thread pool from it
        os.environ["EVOTE_LIVE_STREAMS"] = str(live_streams)
        os.environ.pop("EVOTE_THREADS", None)
    argv = gunicorn_argv(bind, workers, config)
    os.execv(argv[0], argv)
