"""`evote demo`: a whole demo convention on this machine, on SQLite, in one process.

It sets up an open event with delegates, a guest, presidium, support, admin and technician
(`evote.demo_convention`); serves the app from a thread (`evote.local_server`); has three
guardians, played by the real `evote-guardian` code with keys made on this machine
(`evote.demo_guardians`), run the key ceremony through the HTTP API; creates one draft motion;
prints the URL and every login once; and serves until Ctrl-C, while two of the guardians
decrypt each vote that closes.
"""

from __future__ import annotations

import signal
import tempfile
import threading
from pathlib import Path

import click
from flask import Flask

from evote.demo_convention import (
    DRAFT_MOTION,
    EVENT_NAME,
    QUORUM,
    Login,
    create_schema,
    demo_config,
    draft_motion,
    presidium_of,
    seat_people,
    start_ceremony,
)
from evote.demo_guardians import (
    AutoDecrypt,
    GuardianClientMissing,
    LocalGuardian,
    require_client,
    run_ceremony,
)
from evote.local_server import NoFreePort, ServerThread, bind, quiet_request_log, url_host
from evote.permissions import Role

PORT_TRIES = 50


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


def _build_app(instance: Path, url: str) -> Flask:
    from evote.app import create_app

    return create_app(demo_config(instance, url))


def _guardians(logins: list[Login], instance: Path) -> list[LocalGuardian]:
    return [
        LocalGuardian(x.seat.login_name, x.password, instance / "guardians" / x.seat.login_name)
        for x in logins if Role.GUARDIAN in x.seat.roles
    ]  # fmt: skip


def _print_logins(logins: list[Login]) -> None:
    click.echo("Logins (the passwords are shown only now; the server keeps Argon2id hashes):")
    width = max(len(x.seat.login_name) for x in logins)
    for x in logins:
        who = x.seat.name + (f", {x.seat.delegation}" if x.seat.delegation else "")
        click.echo(f"  {x.seat.login_name:<{width}}  {x.password}  {who}: {x.seat.purpose}")


def _print_summary(url: str, instance: Path, logins: list[Login], vote_id: int,
                   guardians: list[LocalGuardian], serving: bool) -> None:
    echo = click.echo
    echo("")
    echo(f"evote demo: {EVENT_NAME}, open for check-in, at {url}/")
    echo(f"Instance folder (SQLite database, records, guardian states): {instance}")
    echo("")
    _print_logins(logins)
    echo("")
    echo(f"Key ceremony: complete, {QUORUM} of {len(guardians)} guardians needed to decrypt.")
    echo("  THE DEMO MADE ALL THREE GUARDIANS' KEYS ON THIS MACHINE, in sealed state files:")
    for g in guardians:
        echo(f"    {g.state_file}")
    echo("  Their passphrases exist only in this process. In a real convention each presidium")
    echo("  member runs `evote-guardian` on their own laptop, and no machine ever holds more")
    echo("  than one guardian's share of the key.")
    present = guardians[:QUORUM]
    absent = guardians[QUORUM:]
    echo(
        f"  When a vote closes, {' and '.join(g.login_name for g in present)} decrypt it "
        "automatically" + (f" ({', '.join(g.login_name for g in absent)} stays away: "
                           f"{QUORUM} of {len(guardians)} suffice)" if absent else "")
        + ", and the result appears on the projector."
    )
    echo("")
    echo("Try it (one private window or browser profile per person):")
    echo(f"  1. presidium: log in at {url}/login, then {url}/presidium: open vote {vote_id}, "
         f'"{DRAFT_MOTION}"')
    echo(f"  2. delegates: log in at {url}/login, check in, vote at {url}/vote")
    echo(f"  3. projector: {url}/projector; bulletin board: {url}/votes/{vote_id}/board")
    echo(f"  API: {url}/api/openapi.json; health: {url}/api/health")
    if serving:
        echo("")
        echo("Serving until Ctrl-C.")


def _wait_for_signal() -> None:
    """Block until SIGINT or SIGTERM (a test terminates the demo; a person presses Ctrl-C)."""
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
@click.option("--port", type=int, default=None,
              help="Port (default: 5000, or the next free one).")
@click.option("--instance", "instance_dir", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="A new or empty folder for the demo (default: a fresh temp dir).")
@click.option("--no-serve", is_flag=True,
              help="Set everything up, print the logins, and exit (for tests).")
def demo_command(host: str, port: int | None, instance_dir: Path | None, no_serve: bool) -> None:
    """Start a demo convention on SQLite and print its URL and logins."""
    try:
        require_client()
    except GuardianClientMissing as exc:
        raise click.ClickException(str(exc)) from None
    instance = _instance(instance_dir)
    try:
        sock = bind(host, port or 5000, tries=1 if port else PORT_TRIES)
    except NoFreePort as exc:
        raise click.ClickException(str(exc)) from None
    quiet_request_log()
    click.echo(f"Setting up the demo convention in {instance} ...")
    server: ServerThread | None = None
    try:
        url = f"http://{url_host(host)}:{sock.getsockname()[1]}"
        app = _build_app(instance, url)
        create_schema(app)
        logins = seat_people(app, url)
        server = ServerThread(app, sock).start()
        guardians = _guardians(logins, instance)
        for g in guardians:
            g.login(url)
        presidium = presidium_of(app, logins)
        start_ceremony(presidium)
        click.echo("Key ceremony: three guardians at work through the API ...")
        run_ceremony(guardians)
        vote = draft_motion(presidium)
    except BaseException:
        if server is not None:
            server.stop()
        else:
            sock.close()
        raise
    _print_summary(url, instance, logins, int(vote["id"]), guardians, serving=not no_serve)
    if no_serve:
        server.stop()
        return
    decryptor = AutoDecrypt(guardians[:QUORUM], lambda line: click.echo(line))
    decryptor.start()
    try:
        _wait_for_signal()
    finally:
        click.echo("Stopping the demo.")
        decryptor.stop()
        server.stop()
