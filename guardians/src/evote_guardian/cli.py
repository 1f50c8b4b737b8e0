"""`evote-guardian`: a presidium member's key ceremony and decryption, run on their own laptop.

    evote-guardian login https://vote.example.org --login NAME      (asks for the password)
    evote-guardian ceremony [--fingerprint XXXX-…]                  (repeat until complete)
    evote-guardian status
    evote-guardian decrypt VOTE_ID [--wait 300]

Every line it prints is German or English (`--lang`, else EVOTE_GUARDIAN_LANG, else the
locale's LC_ALL/LC_MESSAGES/LANG; German by default: `messages.language`), and the server's
refusals are translated by their stable error code.  The passphrase that seals the state file
is asked for, or read from EVOTE_GUARDIAN_PASSPHRASE (for scripted tests).  The state
directory defaults to ~/.evote-guardian (--state-dir or EVOTE_GUARDIAN_DIR); keep a copy of it:
losing it makes this guardian absent, nothing worse.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from evote.crypto.errors import CryptoError
from evote_guardian.ceremony_steps import advance
from evote_guardian.connection import Connection, ServerError
from evote_guardian.decryption import (
    NOT_YET_CLOSED,
    CheckedVotes,
    VoteCancelled,
    await_close,
    decrypt,
    owes,
)
from evote_guardian.local_state import PASSPHRASE_ENV, Vault
from evote_guardian.messages import LANG_ENV, LANGS, Lang, Told, language, refusal, say, told

WAIT_POLL_SECONDS = 1.0
"""`decrypt --wait`: how often the server's decryption status is read while waiting for the
other guardians (one small GET; the result is out within about this long of the last share)."""


CLOSE_POLL_SECONDS = 0.25
"""`decrypt --wait` before the close: how often the vote's state is read until it closes (the
checking starts at most this long after the close)."""


@dataclass(frozen=True)
class Guardian:
    """What every command gets from the group: where the state lives and the guardian's language."""

    state_dir: Path
    lang: Lang

    def say(self, key: str, /, **params: Any) -> str:
        return say(key, **params).render(self.lang)

    def echo(self, key: str, /, **params: Any) -> None:
        click.echo(self.say(key, **params))


class Refused(click.ClickException):
    """One clear line on stderr with the prefix in the guardian's language, exit status 1."""

    def __init__(self, message: str, lang: Lang) -> None:
        super().__init__(message)
        self.lang = lang

    def show(self, file: Any = None) -> None:
        prefix = "Fehler" if self.lang == "de" else "Error"
        click.echo(f"{prefix}: {self.format_message()}", err=True)


def _passphrase(g: Guardian) -> Callable[[], str]:
    def ask() -> str:
        from_env = os.environ.get(PASSPHRASE_ENV)
        if from_env:
            return from_env
        return str(click.prompt(g.say("prompt.passphrase"), hide_input=True))

    return ask


def _new_passphrase(g: Guardian, vault: Vault) -> None:
    """On first use the passphrase is asked twice, so a typo does not lock the key away."""
    if vault.exists() or os.environ.get(PASSPHRASE_ENV):
        return
    first = click.prompt(g.say("prompt.new_passphrase"), hide_input=True)
    second = click.prompt(g.say("prompt.repeat_passphrase"), hide_input=True)
    if first != second or not first:
        raise Refused(g.say("cli.passphrases_differ"), g.lang)
    vault._passphrase = first


@contextmanager
def _refusals(g: Guardian) -> Iterator[None]:
    """Every expected failure becomes one clear line and exit status 1, never a traceback.

    The server's refusal is shown by its stable code in the guardian's language; the crypto
    core's own CryptoError texts are English only (it has no catalogue), so they come as they are.
    """
    try:
        yield
    except ServerError as exc:
        raise Refused(refusal(exc.code, exc.message, exc.status, g.lang), g.lang) from None
    except Told as exc:
        raise Refused(exc.render(g.lang), g.lang) from None
    except CryptoError as exc:
        raise Refused(str(exc), g.lang) from None
    except FileNotFoundError:
        raise Refused(g.say("cli.not_logged_in"), g.lang) from None
    except ValueError as exc:
        raise Refused(str(exc), g.lang) from None


@click.group()
@click.option(
    "--state-dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="EVOTE_GUARDIAN_DIR",
    default=Path.home() / ".evote-guardian",
    show_default=True,
    help="Where the sealed state and the session live.",
)
@click.option(
    "--lang", type=click.Choice(LANGS), envvar=LANG_ENV, default=None,
    help="de or en; else the locale (LC_ALL, LC_MESSAGES, LANG); German if neither.",
)
@click.pass_context
def main(ctx: click.Context, state_dir: Path, lang: Lang | None) -> None:
    """The evote guardian client: key ceremony and threshold decryption."""
    ctx.obj = Guardian(state_dir, lang or language())


@main.command()
@click.argument("server")
@click.option("--login", "login_name", help="Your login from the access letter (else asked).")
@click.option("--password", envvar="EVOTE_GUARDIAN_PASSWORD",
              help="Asked for if not given; never stored.")
@click.option("--allow-http", is_flag=True,
              help="Allow plain http to a server on this machine (tests, rehearsal).")
@click.pass_obj
def login(
    g: Guardian, server: str, login_name: str | None, password: str | None, allow_http: bool
) -> None:
    """Log in to SERVER and keep the session (not the password) in the state directory."""
    with _refusals(g):
        conn = Connection(server, allow_http=allow_http)  # a bad URL is refused before asking
        if login_name is None:
            login_name = str(click.prompt(g.say("prompt.login")))
        if password is None:
            password = str(click.prompt(g.say("prompt.password"), hide_input=True))
        me = conn.login(login_name, password)
        roles = me.get("roles", [])
        if "guardian" not in roles:
            raise Refused(g.say("cli.not_a_guardian", login=login_name, roles=roles), g.lang)
        conn.save(g.state_dir)
        g.echo("cli.logged_in", server=conn.base_url, name=me.get("name", login_name))


def _ask_for_fingerprint(g: Guardian, given: str | None) -> Callable[[str], str | None]:
    """Show our fingerprint; take what the guardian heard from the others (option or prompt)."""

    def confirm(ours: str) -> str | None:
        g.echo("fp.shown", fingerprint=ours)
        g.echo("fp.instructions")
        if given is not None:
            return given
        try:
            typed = click.prompt(g.say("fp.prompt"), default="", show_default=False)
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
def ceremony(g: Guardian, heard: str | None) -> None:
    """Do every key-ceremony step possible now; run again until it says complete."""
    with _refusals(g):
        conn = Connection.resume(g.state_dir)
        vault = Vault(g.state_dir, _passphrase(g))
        _new_passphrase(g, vault)
        report = advance(conn, vault, _ask_for_fingerprint(g, heard))
        for line in report.done:
            g.echo("ceremony.done", line=told(line, g.lang))
        for line in report.waiting:
            g.echo("ceremony.waiting", line=told(line, g.lang))
        if report.fingerprint is not None:
            confirmed = g.say(
                "ceremony.confirmed" if report.fingerprint_confirmed else "ceremony.not_confirmed"
            )
            g.echo("ceremony.fingerprint", fingerprint=report.fingerprint, confirmed=confirmed)
        g.echo("ceremony.complete" if not report.waiting else "ceremony.again")


@main.command()
@click.pass_obj
def status(g: Guardian) -> None:
    """Show the ceremony's progress and every closed vote's decryption progress."""
    with _refusals(g):
        conn = Connection.resume(g.state_dir)
        view = conn.get("/api/presidium/guardians")
        _print_status(g, view)


def _print_status(g: Guardian, view: dict[str, Any]) -> None:
    c = view.get("ceremony")
    if c is None:
        g.echo("status.no_ceremony")
    else:
        g.echo("status.ceremony", state=c["state"], quorum=c["quorum"], n=c["number_of_guardians"])
        if c.get("fingerprint"):
            g.echo("status.server_fingerprint", fingerprint=c["fingerprint"])
        for one in c["guardians"]:
            line = g.say(
                "status.guardian", guardian=one["guardian_id"], name=one["name"],
                key=g.say("status.yes" if one["public_key_posted"] else "status.no"),
                fingerprint=g.say(
                    "status.fp_confirmed" if one.get("fingerprint_confirmed")
                    else "status.fp_not_confirmed"
                ),
                sent=one["backups_sent"], expected=one["backups_expected"],
                verified=one["backups_verified"],
            )
            if one["challenges_raised"]:
                line += g.say("status.challenged", who=one["challenges_raised"])
            if one["answers_owed"]:
                line += g.say("status.owes", who=one["answers_owed"])
            click.echo(line)
    for d in view.get("decryptions", []):
        g.echo(
            "status.vote", vote=d["vote_id"], title=d["title"], state=d["state"],
            who=", ".join(d["direct_shares"]) or g.say("status.nobody"),
        )
        for missing, owed in d.get("compensated_needed", {}).items():
            if owed:
                g.echo("status.owed", missing=missing, who=", ".join(owed))


@main.command("decrypt")
@click.argument("vote_id", type=int)
@click.option("--wait", "wait_seconds", type=int, default=0,
              help="Keep going until the result is out or this many seconds passed (asks the "
                   "server every second whether it needs more from us). May be started while "
                   "the vote is still open: it waits for the close.")
@click.pass_obj
def decrypt_command(g: Guardian, vote_id: int, wait_seconds: int) -> None:
    """Check and decrypt VOTE_ID's tally: our share, then stand-ins for absent guardians."""
    with _refusals(g):
        conn = Connection.resume(g.state_dir)
        state = Vault(g.state_dir, _passphrase(g)).load()
        deadline = time.monotonic() + wait_seconds
        checked = CheckedVotes(g.state_dir)
        vote = None
        if wait_seconds:  # started before the close: ready when it comes
            found = await_close(conn, vote_id, deadline, CLOSE_POLL_SECONDS, time.monotonic,
                                time.sleep, lambda line: click.echo(told(line, g.lang)))
            if found in NOT_YET_CLOSED:
                raise Refused(g.say("decrypt.still_open", vote=vote_id, state=found,
                                    seconds=wait_seconds), g.lang)  # fmt: skip
        while True:
            try:
                report = decrypt(conn, state, vote_id, checked, vote)
            except VoteCancelled as exc:
                g.echo("decrypt.skipped", reason=exc.render(g.lang))
                return
            vote = report.vote
            for line in report.done:
                g.echo("ceremony.done", line=told(line, g.lang))
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
        g.echo(
            "decrypt.result", vote=vote_id, state=status.get("state"),
            who=", ".join(status.get("direct_shares", [])),
        )
