"""`evote`: one command-line entry point; each subcommand lives in the module that owns it.

This file only names them.  To add a command, write a `click.Command` in your module and add
"module:attribute" to `COMMANDS`.  Commands are imported when they are run (or listed in
--help), so `evote simulate` never loads Flask and a broken module breaks only its own command.
"""

from __future__ import annotations

import importlib

import click

COMMANDS: dict[str, str] = {
    "simulate": "evote.simulation.election:simulate_command",
    "demo": "evote.demo.command:demo_command",
    "event": "evote.cli.people:event_group",
    "participants": "evote.cli.people:participants_group",
    "credentials": "evote.cli.people:credentials_group",
    "committee": "evote.cli.committee:committee_group",
    "db": "evote.cli.server:db_group",
    "serve": "evote.cli.server:serve_command",
    "rehearse": "evote.rehearsal.command:rehearse_group",
    "audit": "evote.cli.audit:audit_group",
    "minutes": "evote.cli.minutes:minutes_command",
    "studio-link": "evote.cli.studio:studio_link_command",
    "projector-link": "evote.cli.projector:projector_link_command",
}


class _LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMANDS, *super().list_commands(ctx)})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return super().get_command(ctx, cmd_name)
        module_name, _, attribute = target.partition(":")
        command = getattr(importlib.import_module(module_name), attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{target} is not a click command")
        return command


@click.group(cls=_LazyGroup)
@click.version_option(package_name="evote")
def main() -> None:
    """evote: end-to-end verifiable voting for online party conventions."""
