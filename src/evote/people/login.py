"""One login attempt, the same for the JSON API and the HTML form.

Order matters: the rate limit is checked before the password, so a blocked attacker learns
nothing even when they finally guess right; the failure is recorded for both the account and
the address; success clears the account's count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from evote.people import ratelimit
from evote.people.passwords import verify_password
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
                per_account=cfg["LOGIN_MAX_FAILURES_PER_ACCOUNT"],
                per_ip=cfg["LOGIN_MAX_FAILURES_PER_IP"],
            ),
            cfg["PASSWORD_HASH_PROFILE"],
        )


def attempt_login(
    db: Session,
    settings: LoginSettings,
    login_name: str,
    password: str,
    client_ip: str,
    now: datetime | None = None,
) -> Participant:
    """The participant these credentials belong to, or raise; commits the failure count."""
    now = now or datetime.now(UTC)
    login_name = login_name.strip().lower()[:64]
    password = password[:200]
    wait = ratelimit.retry_after(db, settings.limits, login_name, client_ip, now)
    if wait is not None:
        raise RateLimited(wait)
    participant = db.scalars(
        select(Participant).where(Participant.login_name == login_name)
    ).first()
    stored = participant.password_hash if participant is not None and participant.active else None
    # Always hash, also for unknown names (against a dummy): equal work, equal timing.
    matches = verify_password(stored, password, settings.hash_profile)
    if participant is None or not matches:
        ratelimit.record_failure(db, settings.limits, login_name, client_ip, now)
        db.commit()
        raise BadCredentials()
    ratelimit.clear_account(db, login_name)
    db.commit()
    return participant
