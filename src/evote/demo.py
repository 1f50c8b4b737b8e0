"""`evote demo`: until the convention server runs, a small simulated vote and its record.

The server engineers replace `demo_command` with one that starts the service; nothing else
refers to it, so the swap is one function.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import click

from .simulate import SimulationSettings, run_simulation


@click.command("demo")
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help="Where to write the record (default: a new temporary directory).",
)
def demo_command(out: Path | None) -> None:
    """Run a small simulated vote (8 ballots, 3 guardians, one absent) and show its record."""
    if out is None:
        out = Path(tempfile.mkdtemp(prefix="evote-demo-")) / "record.zip"
    settings = SimulationSettings(ballots=8, guardians=3, quorum=2, missing=1, spoil=1, seed="demo")
    result = run_simulation(settings, out)
    click.echo(result.summary())
    click.echo(f"election record: {result.path}")
