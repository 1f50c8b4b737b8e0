"""`evote rehearse URL --delegates N`: one whole vote, played end to end against a server.

The phases, in order, each timed:

1. the presidium logs in and checks the event is ready; the encryption pool starts;
2. the login rush: all N delegates log in and check in at once, and each opens its live page
   as soon as it is in; the run waits until every page has its first snapshot (or a bound);
3. the presidium opens a yes/no/abstain motion with the countdown; every page must learn of
   it, every delegate fetches the vote, encrypts a real ballot and casts it (5 % twice);
4. the present guardians start `evote-guardian decrypt --wait` as separate processes shortly
   before the countdown ends (they wait for the close, as guardians ready at their laptops);
   the countdown ends on the server's clock; every page must see `vote_closed`; the guardians
   check, decrypt and stand in for the absent ones until the result;
5. the record is downloaded and checked by `evote-verify`; every receipt's tracking code must
   be among its cast ballots, nothing else may be, and the totals must be the delegates' choices.

Then the delegates' pages are closed and the report is built (`rehearsal.report`).
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from evote.rehearsal import encryption, guardians, metrics, record_check, report
from evote.rehearsal import folder as rehearsal_folder
from evote.rehearsal.delegate import Delegate, Shared, assign_resends
from evote.rehearsal.folder import Prepared
from evote.rehearsal.http import Server
from evote.rehearsal.presidium import Presidium, RehearsalError, server_seconds


@dataclass
class Settings:
    url: str
    folder: Path
    delegates: int
    countdown: int = 60
    present: int | None = None
    """Guardians who decrypt (default: the quorum); the others are absent."""
    resend: float = 0.05
    encrypt_workers: int = 2
    timeout: float = 600.0
    """Seconds one request may take (a login at the back of a 1,000-person queue waits)."""
    guardian_wait: int = guardians.WAIT_SECONDS
    """How long the guardians keep at it (`evote-guardian decrypt --wait`)."""
    ready_timeout: float | None = None
    """How long to wait for every live page before opening the vote (default: grows with N)."""


def _errors(delegates: list[Delegate]) -> list[dict[str, Any]]:
    """Problems grouped by their first words, most frequent first."""
    counts: Counter[str] = Counter()
    first: dict[str, str] = {}
    for d in delegates:
        for e in d.log.errors:
            key = re.sub(r"[0-9a-fA-F]{6,}|\d+", "#", e)[:60]
            counts[key] += 1
            first.setdefault(key, e)
    return [{"count": n, "first": first[k]} for k, n in counts.most_common()]


def _enough_open_files(delegates: int) -> None:
    """Each delegate holds two sockets (requests, live page): raise the soft limit of open
    files to the hard one if needed (a common default is 1,024), or say why the run cannot go."""
    try:
        import resource
    except ImportError:  # not on POSIX: nothing to raise
        return
    need = 2 * delegates + 256
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < need:
        if hard != resource.RLIM_INFINITY and hard < need:
            raise RehearsalError(
                f"{delegates} delegates need about {need} open files; this shell allows "
                f"{hard} (raise it with `ulimit -n {need}`)"
            )
        resource.setrlimit(resource.RLIMIT_NOFILE, (need, hard))


async def _arrive_and_follow(d: Delegate, arrived: list[Delegate]) -> None:
    if await d.arrive():
        arrived.append(d)
        await d.follow()


async def rehearse(settings: Settings, prepared: Prepared, say: Callable[[str], None]) -> dict[str, Any]:
    n = settings.delegates
    _enough_open_files(n)
    machine_start = report.machine()
    started_at = datetime.now(UTC)
    run_dir = rehearsal_folder.run_folder(settings.folder, started_at.strftime("%Y%m%dT%H%M%SZ"))
    server = Server.from_url(settings.url)
    present = prepared.guardians[: settings.present or prepared.quorum]
    presidium = Presidium(server, prepared.presidium, settings.timeout)
    await presidium.login()
    await presidium.check_ready()

    executor = encryption.pool(settings.encrypt_workers)
    shared = Shared(executor, timeout=settings.timeout)
    marks = assign_resends(n, settings.resend)
    delegates = [Delegate(i, prepared.delegates[i], server, shared, marks[i]) for i in range(n)]
    arrived: list[Delegate] = []
    tasks: list[asyncio.Task[None]] = []
    try:
        # 2. the login rush, each page opened as soon as its delegate is in
        say(f"login rush: {n} delegates log in, check in and open their live page ...")
        rush_start = time.time()
        tasks = [asyncio.create_task(_arrive_and_follow(d, arrived)) for d in delegates]
        ready_timeout = settings.ready_timeout or 120 + n * 0.5
        deadline = time.monotonic() + ready_timeout
        while time.monotonic() < deadline:
            pending = [d for d in delegates if not d.page_ready.is_set() and not d.log.errors]
            if not pending or all(t.done() for t in tasks):
                break
            await asyncio.sleep(0.2)
        arrived_times = [d.log.arrived_at for d in delegates if d.log.arrived_at is not None]
        rush_seconds = (max(arrived_times) - rush_start) if arrived_times else None
        held = sum(d.page_ready.is_set() for d in delegates)
        say(f"  {len(arrived_times)} in after {rush_seconds or 0:.1f} s; {held} live pages open")
        await asyncio.sleep(1.0)  # the pages' first snapshots are in; let the server settle

        # 3. the vote
        offset, rtt = await presidium.clock_offset()
        title = f"Rehearsal motion {started_at:%H:%M:%S} ({n} delegates)"
        opened, open_sent = await presidium.open_motion(title, settings.countdown)
        vote_id = int(opened["id"])
        shared.vote_id = vote_id
        closes_at = server_seconds(opened["closes_at"]) - offset
        shared.closes_at = closes_at
        say(f"vote {vote_id} open; countdown {settings.countdown} s")

        # 4. the guardians get ready shortly before the close (`decrypt --wait` waits for it,
        # as guardians at their laptops would), after the casting rush; then the close
        lead = min(guardians.READY_BEFORE_CLOSE, settings.countdown / 3)
        await asyncio.sleep(max(0.0, closes_at - lead - time.time()))
        say(f"{len(present)} of {len(prepared.guardians)} guardians start `decrypt --wait` "
            f"{lead:.0f} s before the close ...")
        decrypting = asyncio.create_task(
            guardians.decrypt(present, settings.folder, vote_id, settings.guardian_wait))
        await asyncio.sleep(max(0.0, closes_at - time.time()))
        result_seen = asyncio.create_task(presidium.wait_result(vote_id))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(shared.first_closed.wait(), timeout=10)
        if not shared.first_closed.is_set():  # no page heard it: the presidium looks
            await presidium.wait_closed(vote_id)
        say("vote closed; the guardians decrypt ...")
        runs = await decrypting
        try:
            result_at = await asyncio.wait_for(result_seen, timeout=15)
        except TimeoutError:
            result_at = None
        page_result = [t for d in delegates if (t := d.log.result_seen.get(vote_id)) is not None]
        decrypted_at = min([*page_result, *([result_at] if result_at else [])], default=None)
        await asyncio.sleep(1.0)  # late pages: anything that arrives now still counts (as late)

        # 5. the record
        result = await presidium.result(vote_id) if result_at else {}
        say("checking the record with evote-verify ...")
        record_path = run_dir / "record.zip"
        codes: list[str] = []
        verification = None
        if result_at:
            record_path.write_bytes(await presidium.record(vote_id))
            codes = record_check.cast_codes(record_path.read_bytes())
            verification = await record_check.verify(record_path)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for d in delegates:
            d.close()
        presidium.close()
        executor.shutdown(wait=False, cancel_futures=True)

    logs = [d.log for d in delegates]
    tally = metrics.tally(logs, codes)
    totals = (result.get("totals") or {}).get("motion", {})
    expected = {c: tally.expected_totals.get(c, 0) for c in encryption.CHOICES}
    attempts = [a for log in logs for a in log.attempts]
    encrypted = [log.encrypted_at for log in logs if log.encrypted_at is not None]
    receipts = [
        a.sent_at + a.seconds for log in logs for a in log.attempts if a.outcome in ("200", "201")
    ]
    r: dict[str, Any] = {
        "tool": "evote rehearse",
        "started_at": started_at.isoformat(timespec="seconds"),
        "server": settings.url,
        "event": prepared.event,
        "delegates": n,
        "countdown": settings.countdown,
        "encrypt_workers": settings.encrypt_workers,
        "machine": machine_start,
        "machine_end": report.machine(),
        "issuing": prepared.issuing,
        "login_rush": {
            "arrived": len(arrived_times),
            "seconds": None if rush_seconds is None else round(rush_seconds, 3),
            "per_second": len(arrived_times) / rush_seconds if rush_seconds else 0.0,
            "login": metrics.spread(
                log.login_seconds for log in logs if log.login_seconds is not None
            ),
        },
        "pages": {
            "held": held,
            "ready_after": metrics.spread(
                log.page_ready_at - rush_start for log in logs if log.page_ready_at
            ),
            "refused_503": sum(log.refused for log in logs),
            "reconnects": sum(log.reconnects for log in logs),
        },
        "vote": {
            "id": vote_id, "title": title, "opens_at": opened.get("opens_at"),
            "closes_at": opened["closes_at"], "clock_offset": round(offset, 4),
            "clock_rtt": round(rtt, 4),
        },
        "opened": metrics.delays(logs, "opened", vote_id, open_sent),
        "cast": {
            "latency": metrics.spread(a.seconds for a in attempts),
            "first_attempt": metrics.spread(log.attempts[0].seconds for log in logs if log.attempts),
            "outcomes": dict(Counter(a.outcome.split(":")[0] for a in attempts)),
            "resenders": sum(1 for log in logs if log.resend),
            "resend_same_receipt": sum(
                1 for log in logs if log.resend and log.resend_receipt is not None
                and log.resend_receipt == log.receipt
            ),
            "encrypted_all_after": round(max(encrypted) - open_sent, 3) if encrypted else None,
            "receipts_all_after": round(max(receipts) - open_sent, 3) if receipts else None,
        },
        "closed": metrics.delays(logs, "closed", vote_id, closes_at),
        "decrypted": {
            "seconds": None if decrypted_at is None else round(decrypted_at - closes_at, 3),
            "present": len(present),
            "guardians": len(prepared.guardians),
            "processes": [run.to_json() for run in runs],
            "result_on_pages": metrics.delays(logs, "result", vote_id, closes_at),
        },
        "record": {
            "path": str(record_path),
            "verified": bool(verification and verification.passed),
            "verify_seconds": verification.seconds if verification else None,
            "verifier": verification.to_json() if verification else None,
            "tally": tally.to_json(),
            "totals": totals,
            "totals_match": bool(totals) and totals == expected,
        },
        "errors": _errors(delegates),
        "moments": {  # this machine's clock (time.time()), to line up with other measurements
            "rush_start": rush_start, "open_sent": open_sent, "closes_at": closes_at,
            "decrypted_at": decrypted_at,
        },
    }
    r["goals"] = report.goals(r)
    r["passed"] = all(g["passed"] for g in r["goals"])
    return r


def load_prepared(settings: Settings) -> Prepared:
    """The folder's credentials, checked against the URL and the number of delegates asked for."""
    prepared = rehearsal_folder.load(settings.folder)
    if prepared.url.rstrip("/") != settings.url.rstrip("/"):
        raise RehearsalError(
            f"{settings.folder} was prepared for {prepared.url}, not {settings.url} (the "
            "guardians' sessions belong to that address)"
        )
    if settings.delegates > len(prepared.delegates):
        raise RehearsalError(
            f"--delegates {settings.delegates}: {settings.folder} has only "
            f"{len(prepared.delegates)} delegates; prepare a larger rehearsal"
        )
    if settings.present is not None and not prepared.quorum <= settings.present <= len(prepared.guardians):
        raise RehearsalError(
            f"--present {settings.present}: between the quorum {prepared.quorum} and "
            f"{len(prepared.guardians)} guardians"
        )
    return prepared
