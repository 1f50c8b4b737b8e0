"""`evote demo`: a whole demo convention on this machine, on SQLite, in one process.

It sets up an open event with delegates, a guest, presidium, support, admin and technician
(`evote.demo.convention`); serves the app from a thread (`evote.demo.local_server`); has three
guardians, played by the real `evote-guardian` code with keys made on this machine
(`evote.demo.guardians`), run the key ceremony through the HTTP API; plays the credentials
committee with the real `evote-credentials` code (`evote.demo.committee`), so every ballot must
be signed with a delegate's voting code; creates one draft motion;
prints the URL and every login once (`evote.demo.output`); and serves until Ctrl-C, while two
of the guardians decrypt each vote that closes.
"""

from __future__ import annotations

import signal
import socket
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
from flask import Flask

from evote.demo.committee import (
    CommitteeToolMissing,
    DemoCommittee,
    require_committee_tool,
    seat_committee,
)
from evote.demo.convention import (
    QUORUM,
    Login,
    create_schema,
    demo_config,
    draft_motion,
    presidium_of,
    seat_people,
    start_ceremony,
)
from evote.demo.guardians import (
    AutoDecrypt,
    GuardianClientMissing,
    LocalGuardian,
    require_client,
    run_ceremony,
)
from evote.demo.local_server import NoFreePort, ServerThread, bind, quiet_request_log, url_host
from evote.demo.output import summary
from evote.rules.roles import Role
from evote.webapp.app import create_app

PORT_TRIES = 50
HOSTS = ("127.0.0.1", "localhost", "::1", "0.0.0.0", "::")
"""Where the demo may listen: this machine, or every interface (the loopback included)."""


@dataclass
class Demo:
    """A demo convention that is set up and served (the server thread is running)."""

    url: str
    instance: Path
    app: Flask
    server: ServerThread
    logins: list[Login]
    guardians: list[LocalGuardian]
    vote_id: int
    committee: DemoCommittee | None

    def auto_decrypt(self, report: Callable[[str], None] = click.echo) -> AutoDecrypt:
        """The thread that has the first `QUORUM` guardians decrypt every vote that closes."""
        return AutoDecrypt(self.guardians[:QUORUM], report)

    def summary(self) -> str:
        return summary(self.url, self.instance, self.logins, self.vote_id, self.guardians,
                       self.committee)


def set_up(
    instance: Path, sock: socket.socket, host: str, config: dict[str, Any] | None = None,
    say: Callable[[str], None] = click.echo, committee: bool = True,
) -> Demo:
    """Everything before serving for people: schema, people, server, ceremony, draft motion.

    `sock` is already bound, so the URL (printed on letters and kept by the guardians) is known
    before the app exists.  `config` overrides settings (a test's clock); `committee=False`
    leaves the credentials committee out (bench/delegate_page.py's baseline).  On failure the
    server is stopped again and the socket closed.
    """
    url = f"http://{url_host(host)}:{sock.getsockname()[1]}"
    server: ServerThread | None = None
    try:
        app = create_app({**demo_config(instance, url), **(config or {})})
        create_schema(app)
        logins = seat_people(app, url)
        server = ServerThread(app, sock).start()
        guardians = [
            LocalGuardian(x.seat.login_name, x.password, instance / "guardians" / x.seat.login_name)
            for x in logins if Role.GUARDIAN in x.seat.roles
        ]  # fmt: skip
        for guardian in guardians:
            guardian.login(url)
        presidium = presidium_of(app, logins)
        start_ceremony(presidium)
        say(f"Key ceremony: {len(guardians)} guardians at work through the API ...")
        fingerprint = run_ceremony(guardians)
        say(
            f"Key ceremony complete. Fingerprint {fingerprint}: compared automatically between "
            f"the demo's {len(guardians)} guardians (in a convention each guardian reads it "
            "aloud and confirms it on their own laptop before any backup is sent)."
        )
        seated = seat_committee(app, logins, instance) if committee else None
        if seated is not None:
            say(f"Credentials committee: played on this machine; {len(seated.codes)} voting "
                f"codes issued, their public keys uploaded signed by key {seated.public_key}.")
        vote = draft_motion(presidium)
    except BaseException:
        if server is not None:
            server.stop()
        else:
            sock.close()
        raise
    return Demo(url, instance, app, server, logins, guardians, int(vote["id"]), seated)


def _instance(folder: Path | None) -> Path:
    if folder is None:
        return Path(tempfile.mkdtemp(prefix="evote-demo-"))
    if folder.exists() and any(folder.iterdir()):
        raise click.ClickException(
            f"{folder} is not empty; the demo starts a fresh convention in a new or empty "
            "folder (its guardians' passphrases live only in the process that made them)"
        )
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _wait_for_signal() -> None:
    """Block until SIGINT or SIGTERM (a person presses Ctrl-C; a test terminates the demo)."""
    stop = threading.Event()

    def handle(_sig: int, _frame: object) -> None:
        stop.set()

    previous = {s: signal.signal(s, handle) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        while not stop.wait(0.5):
            pass
    finally:
        for s, h in previous.items():
            signal.signal(s, h)


@click.command("demo")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=int, default=None, help="Port (default: 5000, or the next free one).")
@click.option("--instance", "instance_dir", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="A new or empty folder for the demo (default: a fresh temp dir).")
@click.option("--no-serve", is_flag=True,
              help="Set everything up, print the logins, and exit (for tests).")
def demo_command(host: str, port: int | None, instance_dir: Path | None, no_serve: bool) -> None:
    """Start a demo convention on SQLite and print its URL and logins."""
    try:
        require_client()
        require_committee_tool()
    except (GuardianClientMissing, CommitteeToolMissing) as exc:
        raise click.ClickException(str(exc)) from None
    if host not in HOSTS:
        raise click.ClickException(
            f"--host {host}: use 127.0.0.1 (this machine) or 0.0.0.0 (every interface). The "
            "demo's guardians reach the server over the loopback, since the guardian client "
            "refuses plain http to any other host."
        )
    try:
        sock = bind(host, port or 5000, tries=1 if port else PORT_TRIES)
    except NoFreePort as exc:
        raise click.ClickException(str(exc)) from None
    try:
        instance = _instance(instance_dir)
    except BaseException:
        sock.close()
        raise
    quiet_request_log()
    click.echo(f"Setting up the demo convention in {instance} ...")
    demo = set_up(instance, sock, host)
    click.echo(demo.summary())
    if no_serve:
        demo.server.stop()
        return
    if host in ("0.0.0.0", "::"):
        click.echo(
            "\nListening on every interface. Other machines reach it over plain http, where\n"
            "browsers withhold WebCrypto, which the ballot needs: vote from this machine, or\n"
            "put a TLS proxy in front."
        )
    click.echo("\nServing until Ctrl-C.")
    decryptor = demo.auto_decrypt()
    decryptor.start()
    try:
        _wait_for_signal()
    finally:
        click.echo(f"Stopping the demo. Its folder stays: {instance}")
        decryptor.stop()
        demo.server.stop()
