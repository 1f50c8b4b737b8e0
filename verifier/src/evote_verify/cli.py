"""evote-verify RECORD, and evote-verify challenge PAYLOAD_OR_FILE: the command line.

Exit status: 0 every check holds (warnings, such as a quorum of one, do not change it), 1 some
check failed or the record is incomplete, 2 the record cannot be read at all.

evote-verify --receipt FILE RECORD checks one delegate's signed receipt (or complaint file)
against the record instead: 0 the ballot is in the record as signed, 1 the server dropped (or
altered) a ballot it had signed for, 2 the record or FILE cannot be read, 3 FILE is not a
valid receipt of this vote (forged, damaged, or for another vote or key).

``challenge`` is a subcommand only as the first argument, so ``evote-verify record.zip`` keeps
working as it always has (a record folder named "challenge" is ``./challenge``).
"""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from . import __version__, proofs
from .challenge_cli import challenge
from .receipt import UnreadableReceipt, Verdict, check_receipt, load_claim
from .record import Record, UnreadableRecord
from .report import CHECK_NAMES, Report
from .verify import verify

MARK = {"ok": "✔", "warning": "⚠", "failed": "✘", "incomplete": "✘", "skipped": "–", "pending": "?"}


def _render(rep: Report, out: Any) -> None:
    for cid, t in rep.checks.items():
        counts = f"{t.checked - t.failed}/{t.checked}" if t.checked else ""
        note = f"  ({t.status}: {t.note})" if t.note else ""
        click.echo(f"{MARK[t.status]} {cid:<4} {CHECK_NAMES[cid]:<55} {counts}{note}", file=out)
    if rep.fingerprint is not None:
        click.echo(f"\nKey ceremony fingerprint (recomputed from guardians/): {rep.fingerprint}", file=out)
    c = rep.credentials
    if c is not None:
        click.echo(
            f"\nVoting credentials (V23): {c.roll_size} keys on the roll of vote slot {c.slot}, signed by the "
            f"credentials committee's key {c.committee_key}; {c.revoked} revoked; {c.cast} cast ballots, "
            f"{c.signed} with a valid signature. Compare the roll size with the number of credentialed "
            "delegates the committee reported, and the key with the one it published.",
            file=out,
        )
    elif rep.checks["V23"].status == "skipped":
        click.echo(f"\nVoting credentials (V23): {rep.checks['V23'].note}.", file=out)
    if rep.audit_close is not None:
        click.echo(
            f"\nAudit log (V28): unbroken up to the vote's close; its head then: {rep.audit_close}. "
            "Compare it with the minutes and with the log the organisers publish.",
            file=out,
        )
    if rep.failures:
        click.echo("\nFailures:", file=out)
        for f in rep.failures:
            click.echo(f"  [{f.check}] {f.where}: {f.what}", file=out)
    if rep.warnings:
        click.echo("\nWarnings (the record is sound, but read these):", file=out)
        for w in rep.warnings:
            click.echo(f"  [{w.check}] {w.where}: {w.what}", file=out)
    if not rep.passed:
        click.echo("\nRECORD NOT VERIFIED", file=out)
    elif rep.warnings:
        n = sum(t.warned for t in rep.checks.values())
        click.echo(f"\nRECORD VERIFIED, WITH {n} WARNING{'S' if n > 1 else ''} (see above)", file=out)
    else:
        click.echo("\nRECORD VERIFIED", file=out)


class _RecordOrChallenge(click.Command):
    """The record check, unless the first argument is ``challenge``."""

    def main(self, args: Any = None, prog_name: str | None = None, **extra: Any) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        if argv[:1] == ["challenge"]:
            name = f"{prog_name or 'evote-verify'} challenge"
            return challenge.main(argv[1:], prog_name=name, **extra)
        return super().main(argv, prog_name, **extra)


@click.command(
    cls=_RecordOrChallenge,
    epilog="evote-verify challenge PAYLOAD_OR_FILE checks a challenged ballot offline; "
    "see evote-verify challenge --help.",
)
@click.version_option(__version__, prog_name="evote-verify")
@click.argument("record", type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--workers", type=int, default=None, help="Worker processes (default: all cores).")
@click.option(
    "--weight-bits",
    type=click.IntRange(64, 256),
    default=64,
    show_default=True,
    help="Random batch weights' size: a false proof or non-member passes a batch with probability at most 2^(1-bits).",
)
@click.option(
    "--receipt",
    "receipt_file",
    type=click.Path(dir_okay=False),
    default=None,
    help="Instead of the whole record, check this signed receipt or complaint file against it: "
    "is the ballot the server signed for in the record?",
)
def main(record: str, as_json: bool, workers: int | None, weight_bits: int, receipt_file: str | None) -> None:
    """Verify an ElectionGuard 1.x election RECORD (directory or zip).

    Exit status: 0 every check holds (a warning, marked ⚠, does not change it); 1 a check failed
    or the record is incomplete; 2 the record cannot be read.

    With --receipt FILE: 0 the ballot is in the record as the receipt says; 1 the server
    dropped or altered a ballot it signed for; 2 RECORD or FILE cannot be read; 3 FILE is not
    a valid receipt of this vote.
    """
    if receipt_file is not None:
        _receipt(receipt_file, record, as_json)
    proofs.set_weight_bits(weight_bits)
    bar: Any = None
    interactive = sys.stderr.isatty() and not as_json

    def progress(stage: str, done: int, total: int) -> None:
        nonlocal bar
        if not interactive or stage != "ballots":
            return
        if bar is None:
            bar = click.progressbar(length=max(total, 1), label="Checking ballots", file=sys.stderr)
            bar.__enter__()
        bar.update(done - bar.pos)
        if done >= total:
            bar.__exit__(None, None, None)

    try:
        rep = verify(record, workers=workers, progress=progress)
    except UnreadableRecord as exc:
        if as_json:
            click.echo(json.dumps({"passed": False, "error": str(exc)}))
        else:
            click.echo(f"evote-verify: {exc}", err=True)
        sys.exit(2)
    if as_json:
        click.echo(json.dumps(rep.as_dict(), indent=2, ensure_ascii=False))
    else:
        _render(rep, sys.stdout)
    sys.exit(0 if rep.passed else 1)


def _receipt(receipt_file: str, record: str, as_json: bool) -> None:
    try:
        receipt, board = load_claim(receipt_file)
        verdict = check_receipt(receipt, Record(record), board)
    except (UnreadableReceipt, UnreadableRecord) as exc:
        if as_json:
            click.echo(json.dumps({"status": "unreadable", "error": str(exc)}))
        else:
            click.echo(f"evote-verify: {exc}", err=True)
        sys.exit(2)
    if as_json:
        click.echo(json.dumps(verdict.as_dict(), indent=2, ensure_ascii=False))
    else:
        _render_verdict(verdict, sys.stdout)
    sys.exit(verdict.exit_code)


def _render_verdict(v: Verdict, out: Any) -> None:
    r = v.receipt
    click.echo(f"Receipt: {r.get('state')} ballot {r.get('tracking_code')} of vote {r.get('election_scope_id')}", file=out)
    for ok, what in v.steps:
        click.echo(f"{MARK['ok' if ok else 'failed']} {what}", file=out)
    if v.board:
        click.echo(f"  (bulletin board as the delegate fetched it: sha256 {v.board.get('sha256')})", file=out)
    heading = {
        "present": "RECEIPT CONFIRMED",
        "dropped": "SERVER AT FAULT",
        "inconsistent_record": "RECORD INCONSISTENT",
        "invalid": "RECEIPT NOT VALID",
    }
    click.echo(f"\n{heading[v.status]}: {v.message}", file=out)
