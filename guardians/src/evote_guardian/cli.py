"""`evote-guardian`: a presidium member's key ceremony and decryption, run on their own laptop.

    evote-guardian login https://vote.example.org --login NAME      (asks for the password)
    evote-guardian ceremony [--fingerprint XXXX-…]                  (repeat until complete)
    evote-guardian status
    evote-guardian decrypt VOTE_ID [--wait 300]

The passphrase that seals the state file is asked for, or read from EVOTE_GUARDIAN_PASSPHRASE
(for scripted tests).  The state directory defaults to ~/.evote-guardian (--state-dir or
EVOTE_GUARDIAN_DIR); keep a copy of it: losing it makes this guardian absent, nothing worse.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from evote.crypto.errors import CryptoError
from evote_guardian.ceremony_steps import CeremonyProblem, advance
from evote_guardian.connection import Connection, ServerError
from evote_guardian.decryption import (
    NOT_YET_CLOSED,
    CheckedVotes,
    TallyMismatch,
    VoteCancelled,
    await_close,
    decrypt,
    owes,
)
from evote_guardian.local_state import PASSPHRASE_ENV, Vault
from evote_guardian.state_file import StateFileError

WAIT_POLL_SECONDS = 1.0
"""`decrypt --wait`: how often the server's decryption status is read while waiting for the
other guardians (one small GET; the result is out within about this long of the last share)."""


CLOSE_POLL_SECONDS = 0.25
"""`decrypt --wait` before the close: how often the vote's state is read until it closes (the
checking starts at most this long after the close)."""


def _passphrase() -> str:
    from_env = os.environ.get(PASSPHRASE_ENV)
    if from_env:
        return from_env
    return str(click.prompt("Passphrase of the guardian state", hide_input=True))


def _new_passphrase(vault: Vault) -> None:
    """On first use the passphrase is asked twice, so a typo does not lock the key away."""
    if vault.exists() or os.environ.get(PASSPHRASE_ENV):
        return
    first = click.prompt("New passphrase for the guardian state", hide_input=True)
    second = click.prompt("Repeat the passphrase", hide_input=True)
    if first != second or not first:
        raise click.ClickException("the passphrases differ (or are empty)")
    vault._passphrase = first


@contextmanager
def _refusals() -> Iterator[None]:
    """Every expected failure becomes one clear line and exit status 1, never a traceback."""
    try:
        yield
    except ServerError as exc:
        raise click.ClickException(f"the server refused: {exc}") from None
    except (CeremonyProblem, TallyMismatch, StateFileError, CryptoError) as exc:
        raise click.ClickException(str(exc)) from None
    except FileNotFoundError:
        raise click.ClickException("not logged in: run `evote-guardian login` first") from None
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None


@click.group()
@click.option(
    "--state-dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="EVOTE_GUARDIAN_DIR",
    default=Path.home() / ".evote-guardian",
    show_default=True,
    help="Where the sealed state and the session live.",
)
@click.pass_context
def main(ctx: click.Context, state_dir: Path) -> None:
    """The evote guardian client: key ceremony and threshold decryption."""
    ctx.obj = state_dir


@main.command()
@click.argument("server")
@click.option("--login", "login_name", prompt="Login name", help="Your login from the access letter.")
@click.option("--password", prompt=True, hide_input=True, envvar="EVOTE_GUARDIAN_PASSWORD",
              help="Asked for if not given; never stored.")
@click.option("--allow-http", is_flag=True,
              help="Allow plain http to a server on this machine (tests, rehearsal).")
@click.pass_obj
def login(state_dir: Path, server: str, login_name: str, password: str, allow_http: bool) -> None:
    """Log in to SERVER and keep the session (not the password) in the state directory."""
    with _refusals():
        conn = Connection(server, allow_http=allow_http)
        me = conn.login(login_name, password)
        roles = me.get("roles", [])
        if "guardian" not in roles:
            raise click.ClickException(f"{login_name} is not a guardian here (roles: {roles})")
        conn.save(state_dir)
        click.echo(f"Logged in to {conn.base_url} as {me.get('name', login_name)}.")


def _ask_for_fingerprint(given: str | None) -> Callable[[str], str | None]:
    """Show our fingerprint; take what the guardian heard from the others (option or prompt)."""

    def confirm(ours: str) -> str | None:
        click.echo(f"\nFingerprint: {ours}\n")
        click.echo(
            "  Every guardian reads their fingerprint aloud; the presidium shows the server's.\n"
            "  Only if ALL of them are exactly this one, type the fingerprint you heard.\n"
            "  If any differs, type nothing and tell the presidium: no backup is sent before."
        )
        if given is not None:
            return given
        try:
            typed = click.prompt(
                "Fingerprint the others read out (Enter: not yet)", default="", show_default=False
            )
        except click.Abort:  # no terminal to ask (a script): not confirmed, nothing sent
            return None
        return str(typed) or None

    return confirm


@main.command()
@click.option(
    "--fingerprint", "heard", metavar="XXXX-XXXX-…",
    help="The fingerprint the other guardians read out, if you compared it already (else asked).",
)
@click.pass_obj
def ceremony(state_dir: Path, heard: str | None) -> None:
    """Do every key-ceremony step possible now; run again until it says complete."""
    with _refusals():
        conn = Connection.resume(state_dir)
        vault = Vault(state_dir, _passphrase)
        _new_passphrase(vault)
        report = advance(conn, vault, _ask_for_fingerprint(heard))
        for line in report.done:
            click.echo(f"  done: {line}")
        for line in report.waiting:
            click.echo(f"  waiting for: {line}")
        if report.fingerprint is not None:
            confirmed = "confirmed" if report.fingerprint_confirmed else "NOT yet confirmed"
            click.echo(f"Ceremony fingerprint: {report.fingerprint} ({confirmed})")
        click.echo("Ceremony complete." if not report.waiting else "Run `ceremony` again later.")


@main.command()
@click.pass_obj
def status(state_dir: Path) -> None:
    """Show the ceremony's progress and every closed vote's decryption progress."""
    with _refusals():
        conn = Connection.resume(state_dir)
        view = conn.get("/api/presidium/guardians")
        _print_status(view)


def _print_status(view: dict[str, Any]) -> None:
    c = view.get("ceremony")
    if c is None:
        click.echo("No key ceremony has started.")
    else:
        click.echo(f"Key ceremony: {c['state']}, {c['quorum']} of {c['number_of_guardians']}")
        if c.get("fingerprint"):
            click.echo(
                f"  the server's fingerprint: {c['fingerprint']} (compare with the one "
                "`ceremony` shows you; read out yours, never this one)"
            )
        for g in c["guardians"]:
            click.echo(
                f"  {g['guardian_id']} ({g['name']}): key {'yes' if g['public_key_posted'] else 'no'}, "
                f"fingerprint {'confirmed' if g.get('fingerprint_confirmed') else 'not confirmed'}, "
                f"backups sent {g['backups_sent']}/{g['backups_expected']}, "
                f"verified {g['backups_verified']}/{g['backups_expected']}"
                + (f", challenged {g['challenges_raised']}" if g["challenges_raised"] else "")
                + (f", owes answers to {g['answers_owed']}" if g["answers_owed"] else "")
            )
    for d in view.get("decryptions", []):
        click.echo(
            f"Vote {d['vote_id']} ({d['title']}): {d['state']}, shares from "
            f"{', '.join(d['direct_shares']) or 'nobody'}"
        )
        for missing, owed in d.get("compensated_needed", {}).items():
            if owed:
                click.echo(f"  for absent {missing}: still owed by {', '.join(owed)}")


@main.command("decrypt")
@click.argument("vote_id", type=int)
@click.option("--wait", "wait_seconds", type=int, default=0,
              help="Keep going until the result is out or this many seconds passed (asks the "
                   "server every second whether it needs more from us). May be started while "
                   "the vote is still open: it waits for the close.")
@click.pass_obj
def decrypt_command(state_dir: Path, vote_id: int, wait_seconds: int) -> None:
    """Check and decrypt VOTE_ID's tally: our share, then stand-ins for absent guardians."""
    with _refusals():
        conn = Connection.resume(state_dir)
        state = Vault(state_dir, _passphrase).load()
        deadline = time.monotonic() + wait_seconds
        checked = CheckedVotes(state_dir)
        vote = None
        if wait_seconds:  # started before the close: ready when it comes
            found = await_close(conn, vote_id, deadline, CLOSE_POLL_SECONDS, time.monotonic,
                                time.sleep, click.echo)
            if found in NOT_YET_CLOSED:
                raise click.ClickException(
                    f"vote {vote_id} is still {found} after {wait_seconds} s; nothing sent")
        while True:
            try:
                report = decrypt(conn, state, vote_id, checked, vote)
            except VoteCancelled as exc:
                click.echo(f"Skipped: {exc}.")
                return
            vote = report.vote
            for line in report.done:
                click.echo(f"  done: {line}")
            status = report.status
            # Until the server asks something of us (the others' shares arrive), only its cheap
            # status is read; the ballots were fetched and checked once, in the first round.
            while status.get("state") not in ("decrypted", "cancelled") and time.monotonic() < deadline:
                time.sleep(WAIT_POLL_SECONDS)
                status = conn.get(f"/api/votes/{vote_id}/decryption")
                if owes(status, state.guardian_id):
                    break
            if status.get("state") == "decrypted" or time.monotonic() >= deadline:
                break
        click.echo(
            f"Vote {vote_id}: {status.get('state')}; shares from "
            f"{', '.join(status.get('direct_shares', []))}"
        )
