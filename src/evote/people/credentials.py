"""Issuing personal credentials: a new random password per participant, hashed at once.

The clear password leaves this module only inside the returned :class:`IssuedCredential`, which
the caller prints on a letter or shows once to a support agent; it is never written anywhere.
A new password bumps ``credential_version``, which ends every session of the old one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlencode

from evote.people.passwords import generate_password, hash_passwords
from evote.store.models.event import Event
from evote.store.models.people import Participant


@dataclass(frozen=True)
class IssuedCredential:
    """What goes on an access letter. Holds the clear password: keep it in memory only."""

    participant_id: int
    name: str
    delegation: str
    login_name: str
    password: str
    login_url: str
    event_name: str


def login_url(event: Event, default_base: str = "") -> str:
    """The address on the letter and in its QR code: the login page with the name pre-filled.

    The password is never put into the URL: URLs end up in browser history and proxy logs.
    """
    base = (event.public_url or default_base or "http://localhost:8000").rstrip("/")
    return f"{base}/login"


def login_url_for(participant: Participant, default_base: str = "") -> str:
    return f"{login_url(participant.event, default_base)}?{urlencode({'u': participant.login_name})}"


def issue(
    participants: Iterable[Participant],
    profile: str,
    default_base: str = "",
    now: datetime | None = None,
    progress: Callable[[int], None] | None = None,
    workers: int | None = None,
) -> list[IssuedCredential]:
    """Give each participant a fresh password. The caller commits the session.

    Each password costs one Argon2id hash (RFC 9106 low-memory: 64 MiB, 3 passes, 4 lanes that
    libargon2 computes one after another on one core), about 0.15 s here, so 1,000 letters take
    minutes on one core: the hashes run on `workers` threads (default: every core;
    `passwords.hash_passwords`) and `progress(1)` is called after each one, for a progress bar.
    Participants are changed only once every hash is done, so a failure changes nobody.
    """
    now = now or datetime.now(UTC)
    people = list(participants)
    passwords = [generate_password() for _ in people]
    hashes = hash_passwords(passwords, profile, workers=workers, progress=progress)
    issued: list[IssuedCredential] = []
    for p, password, password_hash in zip(people, passwords, hashes, strict=True):
        p.password_hash = password_hash
        p.credential_version += 1
        p.credentials_issued_at = now
        issued.append(
            IssuedCredential(
                participant_id=p.id,
                name=p.name,
                delegation=p.delegation,
                login_name=p.login_name,
                password=password,
                login_url=login_url_for(p, default_base),
                event_name=p.event.name,
            )
        )
    return issued
