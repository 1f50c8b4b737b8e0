"""Creating events and participants: the one code path used by the CLI, the CSV import and the
admin API, so every way in applies the same rules."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from evote.people.passwords import generate_login_name
from evote.rules.roles import Role
from evote.store.models.event import Event
from evote.store.models.people import Participant, ParticipantGroup, ParticipantRole

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


class InvalidParticipant(ValueError):
    """A participant's data breaks a rule; the message says which, for a human to fix."""


MAX_NAME = 200
MAX_EMAIL = 320
MAX_DELEGATION = 200
MAX_GROUP = 100
"""Lengths the database stores (store/models/people.py); PostgreSQL refuses longer text with an
error no one could read, so every way in checks them first (`check_sizes`)."""


def check_sizes(
    *,
    name: str | None = None,
    email: str | None = None,
    delegation: str | None = None,
    groups: Iterable[str] = (),
) -> None:
    """Refuse text longer than its column, naming the field and both lengths."""
    for what, value, limit in (
        ("name", name, MAX_NAME), ("email", email, MAX_EMAIL),
        ("delegation", delegation, MAX_DELEGATION),
        *(("group name", g, MAX_GROUP) for g in groups),
    ):
        if value is not None and len(value.strip()) > limit:
            raise InvalidParticipant(
                f"{what} has {len(value.strip())} characters; at most {limit} are allowed"
            )


def create_event(
    db: Session,
    slug: str,
    name: str,
    public_url: str = "",
    quorum: tuple[int, int] = (1, 2),
    quorum_strict: bool = True,
) -> Event:
    if not SLUG_RE.match(slug):
        raise ValueError("slug: lower-case letters, digits and dashes, at most 64 characters")
    if db.scalars(select(Event).where(Event.slug == slug)).first() is not None:
        raise ValueError(f"an event {slug!r} already exists")
    num, den = quorum
    if den <= 0 or not 0 <= num <= den:
        raise ValueError("quorum must be a fraction between 0/1 and 1/1")
    event = Event(
        slug=slug,
        name=name,
        public_url=public_url,
        quorum_numerator=num,
        quorum_denominator=den,
        quorum_strict=quorum_strict,
        created_at=datetime.now(UTC),
    )
    db.add(event)
    db.flush()
    return event


def parse_roles(values: Iterable[str]) -> frozenset[Role]:
    roles: set[Role] = set()
    for raw in values:
        value = raw.strip().lower().replace(" ", "_").replace("-", "_")
        if not value:
            continue
        try:
            roles.add(Role(value))
        except ValueError:
            known = ", ".join(r.value for r in Role)
            raise InvalidParticipant(f"unknown role {raw.strip()!r} (known: {known})") from None
    return frozenset(roles)


def validate(name: str, email: str, roles: frozenset[Role], voting_right: bool) -> None:
    """Rules every participant obeys, wherever they come from."""
    if not name.strip():
        raise InvalidParticipant("name is empty")
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email.strip()):
        raise InvalidParticipant(f"e-mail {email!r} is not an address")
    if not roles:
        raise InvalidParticipant("no role given")
    if voting_right and Role.DELEGATE not in roles:
        raise InvalidParticipant("a voting right needs the role delegate")
    if Role.DELEGATE in roles and Role.GUEST_DELEGATE in roles:
        raise InvalidParticipant("delegate and guest_delegate exclude each other")


def unused_login_name(db: Session, taken: set[str]) -> str:
    """A random login name not in the database nor in ``taken`` (names chosen in this batch)."""
    while True:
        name = generate_login_name()
        if name in taken:
            continue
        if db.scalars(select(Participant.id).where(Participant.login_name == name)).first() is None:
            taken.add(name)
            return name


def add_participant(
    db: Session,
    event: Event,
    *,
    name: str,
    email: str,
    delegation: str = "",
    roles: frozenset[Role],
    groups: Iterable[str] = (),
    voting_right: bool,
    login_name: str | None = None,
) -> Participant:
    """Validate and add one participant (without credentials). The caller commits."""
    groups = list(groups)
    check_sizes(name=name, email=email, delegation=delegation, groups=groups)
    validate(name, email, roles, voting_right)
    email = email.strip().lower()
    existing = db.scalars(
        select(Participant.id).where(Participant.event_id == event.id, Participant.email == email)
    ).first()
    if existing is not None:
        raise InvalidParticipant(f"e-mail {email} is already registered at this event")
    participant = Participant(
        event_id=event.id,
        event=event,
        name=name.strip(),
        email=email,
        delegation=delegation.strip(),
        voting_right=voting_right,
        login_name=login_name or unused_login_name(db, set()),
        created_at=datetime.now(UTC),
        credential_version=0,
        active=True,
    )
    participant.roles = [ParticipantRole(role=r.value) for r in sorted(roles)]
    participant.groups = [
        ParticipantGroup(name=g.strip()) for g in sorted({g.strip() for g in groups if g.strip()})
    ]
    db.add(participant)
    return participant
