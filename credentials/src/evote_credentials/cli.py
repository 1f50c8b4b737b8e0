"""`evote-credentials`: the credentials committee's commands (docs/credentials.md).

    evote-credentials init  ROLL.json [--votes 100]      committee key, salt; prints the key
    evote-credentials issue ROLL.json                    letters PDF + upload file (batch 0)
    evote-credentials replace ROLL.json ID... --from-vote N   new letters for lost ones
    evote-credentials show                               the public summary

Every command works in one folder (`--dir`, default ~/.evote-credentials) on the committee's own
machine.  Nothing here talks to the server: the roll comes as a file exported by the server's
admin, and the upload file goes back to them (it holds only public keys and signatures).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import click

from evote.record.credentials import CredentialError
from evote_credentials import vault
from evote_credentials.committee import Committee, CommitteeError
from evote_credentials.derivation import DEFAULT_ITERATIONS
from evote_credentials.letters import render_letters
from evote_credentials.roll import DelegateRoll, RollError

DEFAULT_DIR = Path.home() / ".evote-credentials"


def _write_new(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Owner-only, never over an existing file (an old letters PDF is someone's codes)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    except FileExistsError:
        raise click.ClickException(f"{path} already exists; move it away first") from None
    with os.fdopen(fd, "wb") as f:
        f.write(data)


def _roll(path: Path) -> DelegateRoll:
    try:
        return DelegateRoll.read(path)
    except RollError as exc:
        raise click.ClickException(str(exc)) from None


def _open(folder: Path) -> tuple[Committee, str]:
    passphrase = click.prompt("Committee passphrase", hide_input=True, err=True)
    try:
        return vault.load(folder, passphrase), passphrase
    except vault.VaultError as exc:
        raise click.ClickException(str(exc)) from None


def _fingerprint(key: str) -> str:
    """The committee key in groups of four, for reading aloud and the minutes."""
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def _address_warning(public_url: str) -> str:
    """The letters' QR codes carry each code to this address; it came from the server's roll,
    set by its admin or presidium, so the committee checks it itself: a look-alike address
    would hand every scanned code to another site (docs/threat-model.md)."""
    base = public_url.rstrip("/") or "(none: the letters get no QR code address)"
    return (f"The letters' QR codes open {base}/delegate#credential=<code>. Check that this is "
            "the convention's real address before printing: it comes from the server's roll.")


def _finish(folder: Path, committee: Committee, passphrase: str, upload: object, letters: list,
            batch: int, letters_path: Path | None, upload_path: Path | None) -> None:
    letters_path = letters_path or folder / f"letters-batch-{batch}.pdf"
    upload_path = upload_path or folder / f"upload-batch-{batch}.json"
    for path in (letters_path, upload_path):
        if path.exists():
            raise click.ClickException(f"{path} already exists; move it away first")
    _write_new(letters_path, render_letters(letters))
    _write_new(upload_path, json.dumps(upload.to_json(), indent=1).encode(), 0o644)  # type: ignore[attr-defined]
    vault.save(folder, committee, passphrase)
    click.echo(_address_warning(committee.public_url))
    click.echo(f"{len(letters)} letter(s): {letters_path}  (print, seal, then delete this file)")
    click.echo(f"upload for the server (public keys and signatures only): {upload_path}")


@click.group()
@click.version_option(package_name="evote-credentials")
def main() -> None:
    """The credentials committee's tool: voting codes, sealed letters, the signed roll of keys."""


DIR_OPTION = click.option("--dir", "folder", type=click.Path(path_type=Path, file_okay=False),
                          default=DEFAULT_DIR, show_default=True,
                          help="The committee's folder on this machine.")


@main.command()
@click.argument("roll_file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@DIR_OPTION
@click.option("--votes", type=click.IntRange(1, 10_000), default=100, show_default=True,
              help="Votes the event may hold: each gets its own key per delegate.")
@click.option("--kdf-iterations", type=int, default=DEFAULT_ITERATIONS, show_default=True,
              help="PBKDF2-SHA256 iterations from code to keys (browsers repeat them once per login).")
def init(roll_file: Path, folder: Path, votes: int, kdf_iterations: int) -> None:
    """Make the committee's key and the event's salt; print the key to configure and publish."""
    if vault.exists(folder):
        raise click.ClickException(f"{folder} already holds a committee; use another --dir")
    floor = vault.iterations_floor()
    if kdf_iterations < floor:
        raise click.ClickException(f"at least {floor} iterations")
    roll = _roll(roll_file)
    passphrase = click.prompt("New committee passphrase (at least 8 characters)",
                              hide_input=True, confirmation_prompt=True, err=True)
    committee = Committee.create(roll.event, roll.event_name, roll.public_url,
                                 iterations=kdf_iterations, slots=votes)
    try:
        vault.save(folder, committee, passphrase)
    except vault.VaultError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Committee for {roll.event_name} ({roll.event}), {votes} vote slots.")
    click.echo("Committee key (configure on the server: evote committee set-key; read it into "
               "the minutes):")
    click.echo(f"  {committee.public_key}")
    click.echo(f"  {_fingerprint(committee.public_key)}")
    click.echo(_address_warning(committee.public_url))


@main.command()
@click.argument("roll_file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@DIR_OPTION
@click.option("--letters", "letters_path", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--upload", "upload_path", type=click.Path(path_type=Path, dir_okay=False))
def issue(roll_file: Path, folder: Path, letters_path: Path | None,
          upload_path: Path | None) -> None:
    """Batch 0: a code for every delegate on the roll, their letters and the upload file."""
    roll = _roll(roll_file)
    committee, passphrase = _open(folder)
    try:
        upload, letters = committee.issue(roll)
    except (CommitteeError, CredentialError) as exc:
        raise click.ClickException(str(exc)) from None
    _finish(folder, committee, passphrase, upload, letters, 0, letters_path, upload_path)


@main.command()
@click.argument("roll_file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.argument("participant_ids", type=int, nargs=-1, required=True)
@DIR_OPTION
@click.option("--from-vote", "from_slot", type=click.IntRange(1), required=True,
              help="The next vote the server will open (`next_slot` of `evote committee status`).")
@click.option("--batch", type=click.IntRange(1), default=None,
              help="Make this batch again (after the server refused it); default: the next one.")
@click.option("--letters", "letters_path", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--upload", "upload_path", type=click.Path(path_type=Path, dir_okay=False))
def replace(roll_file: Path, participant_ids: tuple[int, ...], folder: Path, from_slot: int,
            batch: int | None, letters_path: Path | None, upload_path: Path | None) -> None:
    """New codes for lost letters: the old keys are revoked from vote FROM_VOTE on."""
    roll = _roll(roll_file)
    try:
        delegates = [roll.find(pid) for pid in participant_ids]
    except RollError as exc:
        raise click.ClickException(str(exc)) from None
    committee, passphrase = _open(folder)
    try:
        upload, letters = committee.replace(delegates, from_slot, batch)
    except (CommitteeError, CredentialError) as exc:
        raise click.ClickException(str(exc)) from None
    number = upload.header().batch
    _finish(folder, committee, passphrase, upload, letters, number, letters_path, upload_path)


@main.command()
@DIR_OPTION
def show(folder: Path) -> None:
    """The public summary (no passphrase needed): committee key, derivation, batches."""
    try:
        summary = json.loads((folder / vault.SUMMARY).read_text())
    except FileNotFoundError:
        raise click.ClickException(f"no committee in {folder}") from None
    click.echo(json.dumps(summary, indent=1, ensure_ascii=False))
    click.echo(f"committee key: {_fingerprint(summary['committee_key'])}")
