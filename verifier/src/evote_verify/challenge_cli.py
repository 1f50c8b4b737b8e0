"""evote-verify challenge PAYLOAD_OR_FILE: the command line of the Benaloh check.

Exit status: 0 the challenge checks out (and agrees with the record, if one is given);
1 it does not; 2 the payload (or file) cannot be read at all.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from .challenge import (
    ChallengeFailed,
    CheckedChallenge,
    InvalidPayload,
    check_payload,
    compare_with_record,
    decode_payload,
)
from .group import to_hex


def _read(source: str) -> str:
    """A file's text, stdin for "-", else the argument itself (the payload or the link)."""
    if source == "-":
        return sys.stdin.read()
    path = Path(source)
    try:
        is_file = path.is_file()
    except (OSError, ValueError):  # a payload too long, or too odd, to be a file name here
        is_file = False
    if is_file:
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InvalidPayload(f"{source}: cannot be read ({exc})") from None
    return source


def _label(candidates: dict[str, str], selection: dict[str, Any]) -> str:
    """The candidate's name with the selection id (the id is what the tracking code covers)."""
    name, sid = candidates.get(selection.get("candidate_id"), ""), str(selection.get("object_id"))
    return f"{name} ({sid})" if name else sid


def describe(checked: CheckedChallenge, manifest: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """(contest title, chosen names) per contest, names from the manifest's candidates."""
    candidates: dict[str, str] = {}
    for c in manifest.get("candidates") or []:
        texts = (c.get("name") or {}).get("text") or []
        candidates[c.get("object_id")] = texts[0].get("value", "") if texts else ""
    out = []
    for contest in manifest.get("contests") or []:
        votes = checked.choices.get(contest.get("object_id"))
        if votes is None:
            continue
        chosen = [
            _label(candidates, s) for s in contest.get("ballot_selections") or [] if votes.get(s.get("object_id")) == 1
        ]
        out.append((str(contest.get("name") or contest.get("object_id")), chosen))
    return out


def _report(checked: CheckedChallenge, payload: dict[str, Any], problems: list[str] | None) -> dict[str, Any]:
    return {
        "passed": not problems,
        "tracking_code": to_hex(checked.tracking_code),
        "ballot_id": checked.ballot_id,
        "choices": checked.choices,
        "manifest_hash": to_hex(checked.manifest_hash),
        "extended_base_hash": to_hex(checked.extended_base_hash),
        "election_public_key": to_hex(checked.public_key),
        "record_checked": problems is not None,
        "record_problems": problems or [],
        "election": payload["manifest"].get("election_scope_id"),
    }


@click.command()
@click.argument("source", metavar="PAYLOAD_OR_FILE")
@click.option(
    "--record", "record", type=click.Path(), default=None,
    help="Also compare with the published record (directory or zip): same election and manifest, "
    "the ballot spoiled with these ciphertexts, and the guardians' decryption equal to the choice.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def challenge(source: str, record: str | None, as_json: bool) -> None:
    """Check a challenged ballot from its challenge payload, offline.

    PAYLOAD_OR_FILE is the payload text, the check link of the QR code (…/verify#p=…), a file
    holding either, or "-" for stdin. The choice is encrypted again from the revealed master
    nonce; the result must have the tracking code the voting device showed before the delegate
    chose "check".

    Exit status: 0 the challenge checks out; 1 it does not; 2 the payload cannot be read.
    """
    try:
        payload = decode_payload(_read(source))
    except InvalidPayload as exc:
        _fail_unreadable(str(exc), as_json)
    try:
        checked = check_payload(payload)
    except InvalidPayload as exc:
        _fail_unreadable(str(exc), as_json)
    except ChallengeFailed as exc:
        if as_json:
            click.echo(json.dumps({"passed": False, "error": str(exc)}))
        else:
            click.echo(f"✘ {exc}\n\nCHALLENGE FAILED: the device did not encrypt the choice it revealed.")
        sys.exit(1)
    problems = compare_with_record(checked, payload, record) if record else None
    if as_json:
        click.echo(json.dumps(_report(checked, payload, problems), indent=2, ensure_ascii=False))
        sys.exit(1 if problems else 0)
    code = to_hex(checked.tracking_code)
    click.echo(f"Ballot {checked.ballot_id} of vote {payload['manifest'].get('election_scope_id')}")
    click.echo(f"Tracking code {code}")
    click.echo("  (it must be the code the voting device showed before you chose to check)")
    click.echo("Choice the ballot encrypts:")
    for title, chosen in describe(checked, payload["manifest"]):
        click.echo(f"  {title}: {', '.join(chosen) if chosen else '(nothing chosen)'}")
    click.echo(f"Manifest hash      {to_hex(checked.manifest_hash)}")
    click.echo(f"Extended base hash {to_hex(checked.extended_base_hash)}")
    key = to_hex(checked.public_key)
    click.echo(f"Election key K     {key[:16]}…{key[-16:]}")
    if problems is None:
        click.echo("\nCHALLENGE CHECKED: the ballot is an encryption of this choice.")
        click.echo("Compare the choice with yours, and find the code among the challenged ballots of the record.")
        sys.exit(0)
    for p in problems:
        click.echo(f"✘ {p}")
    if problems:
        click.echo("\nCHALLENGE CHECKED, BUT THE RECORD DISAGREES")
        sys.exit(1)
    click.echo("\nCHALLENGE CHECKED, AND THE RECORD AGREES: spoiled ballot, same ciphertexts, decrypted to this choice.")
    sys.exit(0)


def _fail_unreadable(message: str, as_json: bool) -> NoReturn:
    if as_json:
        click.echo(json.dumps({"passed": False, "error": message}))
    else:
        click.echo(f"evote-verify challenge: {message}", err=True)
    sys.exit(2)
