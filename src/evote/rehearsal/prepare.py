"""`evote rehearse prepare`: a rehearsal event on the server's database, and its key ceremony.

Two halves, each through the path a real convention takes:

1. the database (the environment names it, as for `evote event create`): an open event, a
   presidium account, n guardians and N delegates with a voting right, added by
   `people.accounts` (the CSV import's rules) and given passwords by `people.credentials.issue`
   with the server's Argon2id profile. Issuing is timed: it is the same work as
   `evote credentials issue` for N letters. Login names are random, as in a real import;
2. the server's API: the presidium starts the key ceremony, and the n guardians run it, each
   with its own evote-guardian state folder in the rehearsal folder (the guardian client's own
   code, as `evote demo` plays its guardians). Their comparison of the fingerprint, done aloud
   in a convention, is done here by comparing what each guardian's client computed.

The guardians' passphrases are 192 random bits, kept in the credentials file; their state files
are sealed with libsodium's minimum Argon2id cost (as `evote demo` seals its guardians'), since
stretching a random passphrase protects nothing. A real guardian's `decrypt` first spends about a second
opening a state sealed with the full cost; the rehearsal's numbers leave that out.
"""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import Flask

from evote.people.accounts import add_participant, create_event
from evote.people.credentials import issue
from evote.rehearsal import folder as rehearsal_folder
from evote.rehearsal.folder import GuardianSeat, Login, Prepared
from evote.rules.roles import Role
from evote.store.db import get_session
from evote.store.models.event import EventStatus
from evote.store.models.people import Participant

DELEGATION_SIZE = 50
"""Delegates per delegation in the made-up roll (only names; nothing depends on it)."""


def default_slug(now: datetime) -> str:
    return f"rehearsal-{now:%Y%m%d-%H%M%S}"


def _seat_people(
    app: Flask, url: str, slug: str, delegates: int, guardians: int,
    progress: Callable[[int], None], keep: Callable[[Login, list[Login], list[Login], dict[str, Any]], None],
) -> None:
    """The event and its people with fresh credentials, handed to `keep` (which writes them to
    disk) before anything is committed: no password exists only in the database."""
    with app.app_context():
        db = get_session()
        event = create_event(db, slug, f"Rehearsal {slug}", url)
        event.status = EventStatus.OPEN.value
        event.opened_at = datetime.now(UTC)

        def person(role: Role, name: str, email: str, delegation: str = "") -> Participant:
            return add_participant(
                db, event, name=name, email=f"{email}@{slug}.rehearsal.invalid",
                delegation=delegation, roles=frozenset({role}), voting_right=role is Role.DELEGATE,
            )

        people = [person(Role.PRESIDIUM, "Rehearsal presidium", "presidium")]
        people += [person(Role.GUARDIAN, f"Guardian {i}", f"guardian{i}") for i in range(1, guardians + 1)]
        people += [
            person(Role.DELEGATE, f"Delegate {i:04d}", f"delegate{i}",
                   f"Delegation {(i - 1) // DELEGATION_SIZE + 1:02d}")
            for i in range(1, delegates + 1)
        ]  # fmt: skip
        db.flush()
        profile = app.config["PASSWORD_HASH_PROFILE"]
        started, cpu = time.perf_counter(), time.process_time()
        workers = os.cpu_count() or 1  # as `evote credentials issue` by default
        issued = issue(people, profile, url, progress=progress, workers=workers)
        timing = {
            "count": len(issued), "seconds": round(time.perf_counter() - started, 3),
            "cpu_seconds": round(time.process_time() - cpu, 3), "profile": profile,
            "workers": workers,
        }
        logins = [Login(c.login_name, c.password) for c in issued]
        keep(logins[0], logins[1 : 1 + guardians], logins[1 + guardians :], timing)
        db.commit()


def _ceremony(prepared: Prepared, folder: Path) -> str:
    """The presidium starts the ceremony; the guardians' clients run it to the end. Returns the
    fingerprint every guardian computed and confirmed."""
    # the guardian client is a package of its own: needed only here, and checked by
    # require_client with a clear message where it is missing
    from evote.demo.guardians import LocalGuardian, require_client, run_ceremony
    from evote_guardian.connection import Connection

    require_client()
    presidium = Connection(prepared.url, allow_http=True)
    try:
        presidium.login(prepared.presidium.login, prepared.presidium.password)
        presidium.post("/api/ceremony", {"quorum": prepared.quorum})
    finally:
        presidium.close()
    laptops = [
        LocalGuardian(seat.login, seat.password, folder / seat.folder, passphrase=seat.passphrase)
        for seat in prepared.guardians
    ]
    try:
        for laptop in laptops:
            laptop.login(prepared.url)
        return run_ceremony(laptops)
    finally:
        for laptop in laptops:
            if laptop.conn is not None:
                laptop.conn.close()


def prepare(
    app: Flask, url: str, folder: Path, *, delegates: int, guardians: int, quorum: int,
    slug: str | None = None, progress: Callable[[int], None] = lambda _: None,
) -> Prepared:
    """Seat the people, write the credentials file, run the key ceremony; returns what a run
    needs (also in `folder`/credentials.json)."""
    rehearsal_folder.make(folder)
    (folder / rehearsal_folder.GUARDIANS).mkdir(mode=0o700)
    now = datetime.now(UTC)
    slug = slug or default_slug(now)
    prepared: list[Prepared] = []

    def keep(presidium: Login, seated: list[Login], roll: list[Login], timing: dict[str, Any]) -> None:
        seats = [
            GuardianSeat(g.login, g.password, f"{rehearsal_folder.GUARDIANS}/{g.login}",
                         secrets.token_urlsafe(24))
            for g in seated
        ]  # fmt: skip
        found = Prepared(
            url=url, event=slug, presidium=presidium, delegates=roll, guardians=seats,
            quorum=quorum, issuing=timing, created_at=now.isoformat(timespec="seconds"),
        )
        rehearsal_folder.save(folder, found)
        prepared.append(found)

    _seat_people(app, url, slug, delegates, guardians, progress, keep)
    [done] = prepared
    done.fingerprint = _ceremony(done, folder)
    rehearsal_folder.save(folder, done)
    return done
