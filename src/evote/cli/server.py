"""``evote db`` (schema migrations) and ``evote serve`` (gunicorn)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from evote.cli.people import command_app
from evote.store import migrations
from evote.store.db import get_engine

GUNICORN_CONF = Path(__file__).parents[1] / "webapp" / "gunicorn.conf.py"


@click.group("db")
def db_group() -> None:
    """Database schema."""


@db_group.command("upgrade")
@click.option("--revision", default="head", show_default=True)
def db_upgrade(revision: str) -> None:
    """Create or upgrade the schema with the Alembic migrations (safe to run on every deploy)."""
    app = command_app()
    migrations.upgrade(get_engine(app), revision)
    click.echo(f"database at revision {migrations.current(get_engine(app))}")


@db_group.command("current")
def db_current() -> None:
    """Print the schema's current revision."""
    click.echo(migrations.current(get_engine(command_app())) or "empty")


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
    if live_streams:
        # read by gunicorn.conf.py, which sizes the thread pool from it
        os.environ["EVOTE_LIVE_STREAMS"] = str(live_streams)
        os.environ.pop("EVOTE_THREADS", None)
    argv = gunicorn_argv(bind, workers, config)
    os.execv(argv[0], argv)
