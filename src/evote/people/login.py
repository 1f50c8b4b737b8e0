"""One login attempt, the same for the JSON API and the HTML form.

Order matters: the attempt claims its turn from the throttle (`ratelimit.claim`, counted as a
failure of both the account and the address and committed) before the password is checked, so
a throttled attacker learns nothing even when they finally guess right, and parallel attempts
cannot all slip under the limit; success takes the count back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from evote import audit
from evote.people import ratelimit
from evote.people.passwords import verify_password
from evote.rules.roles import Role
from evote.store.clock import current_clock
from evote.store.models.people import Participant


class LoginRefused(Exception):
    """Base of the two refusals; ``code`` is the API's error code."""

    code = "login_refused"


class BadCredentials(LoginRefused):
    code = "bad_credentials"

    def __init__(self) -> None:
        super().__init__("Login name or password is wrong.")


class RateLimited(LoginRefused):
    code = "rate_limited"

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"Too many failed logins. Try again in {retry_after} seconds.")
        # a wait, not a lockout: the right password works once it has passed
        self.retry_after = retry_after


@dataclass(frozen=True)
class LoginSettings:
    limits: ratelimit.Limits
    hash_profile: str

    @classmethod
    def from_app(cls) -> LoginSettings:
        cfg = current_app.config
        return cls(
            ratelimit.Limits(
                window=timedelta(seconds=cfg["LOGIN_RATE_WINDOW_SECONDS"]),
                per_account=cfg["LOGIN_FREE_FAILURES_PER_ACCOUNT"],
                per_ip=cfg["LOGIN_FREE_FAILURES_PER_IP"],
                max_delay=cfg["LOGIN_MAX_DELAY_SECONDS"],
            ),
            cfg["PASSWORD_HASH_PROFILE"],
        )


ATTENDEE_ROLES = frozenset({Role.DELEGATE, Role.GUEST_DELEGATE})
"""Roles whose logins are not audited: a delegate's login is their own business, not staff's."""


def attempt_login(
    db: Session,
    settings: LoginSettings,
    login_name: str,
    password: str,
    client_ip: str,
    now: datetime | None = None,
) -> Participant:
    """The participant these credentials belong to, or raise; commits the failure count."""
    now = now or current_clock().now()
    login_name = login_name.strip().lower()[:64]
    password = password[:200]
    try:
        ratelimit.claim(db, settings.limits, login_name, client_ip, now)
    except ratelimit.Throttled as exc:
        raise RateLimited(exc.retry_after) from None
    participant = db.scalars(
        select(Participant).where(Participant.login_name == login_name)
    ).first()
    stored = participant.password_hash if participant is not None and participant.active else None
    # End the read's transaction before hashing, so its pooled connection goes back first: the
    # hash waits for a core (one hash per core per process) and then takes ~0.15 s, and in a
    # login rush hundreds of logins wait so. Each holding a connection meanwhile drained the
    # worker's pool, and every other request of that worker (check-ins, logins) failed with a
    # 500 after the pool's 30 s timeout (found by `evote rehearse` at 100 delegates). Nothing
    # is pending here (the claim committed), and objects stay loaded (expire_on_commit=False).
    db.commit()
    # Always hash, also for unknown names (against a dummy): equal work, equal timing.
    matches = verify_password(stored, password, settings.hash_profile)
    if participant is None or not matches:
        raise BadCredentials()  # already counted by the claim
    ratelimit.succeeded(db, login_name, client_ip)
    roles = participant.role_set
    if roles - ATTENDEE_ROLES:  # staff logins are audited, delegates' are not (docs/audit.md)
        audit.append(db, participant.event_id, "staff.login", "participant", participant.id,
                     actor=audit.actor_of(participant.id, roles), now=now)
    db.commit()
    return participant
