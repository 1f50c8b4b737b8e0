"""``evote projector-link EVENT LOGIN``: the link the hall's projector opens to show /projector
without anyone's personal login (docs/web.md); see ``evote.people.projector_link``."""

from __future__ import annotations

from urllib.parse import urlencode

import click
from sqlalchemy import select

from evote.cli.people import _event, command_app
from evote.people import projector_link
from evote.store.db import get_session
from evote.store.models.people import Participant


@click.command("projector-link")
@click.argument("slug")
@click.argument("login")
@click.option("--base", default="", help="The server's public address (default: EVOTE_PUBLIC_URL).")
def projector_link_command(slug: str, login: str, base: str) -> None:
    """Print the projector link of account LOGIN (a technician with no other role) at event
    SLUG. A new password for that account ends the link."""
    app = command_app()
    with app.app_context():
        event = _event(slug)
        who = get_session().scalars(select(Participant).where(
            Participant.event_id == event.id, Participant.login_name == login)).first()
        if who is None or not projector_link.fits(who.role_set, who.active):
            raise click.ClickException(
                f"{login!r} is no active technician of {slug!r} with only that role: a link on "
                "an unattended projector must not open any other role")
        secret = str(app.config["SECRET_KEY"]).encode()
        query = urlencode({"p": who.id, "token": projector_link.token(secret, who.id, who.credential_version)})
        root = (base or app.config.get("PUBLIC_URL") or "").rstrip("/")
        click.echo(f"{root}/projector/enter?{query}")
