"""Login rate limit, per account and per client address, kept in the database.

Why the database: gunicorn runs several workers, possibly on several servers; a counter in
process memory would give each worker its own allowance. The database is already shared, and a
login is rare enough that one indexed count per attempt costs nothing. Only failures are
recorded; a successful login clears the account's failures (not the address's, since many
delegates may share one venue's address — hence the higher per-address limit).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from evote.store.models.people import LoginFailure


@dataclass(frozen=True)
class Limits:
    window: timedelta
    per_account: int
    per_ip: int


def _count(db: Session, scope: str, key: str, since: datetime) -> int:
    stmt = select(func.count()).where(
        LoginFailure.scope == scope, LoginFailure.key == key, LoginFailure.at > since
    )
    return db.scalar(stmt) or 0


def retry_after(db: Session, limits: Limits, account: str, ip: str, now: datetime) -> int | None:
    """Seconds the caller must wait, or ``None`` if a login attempt is allowed now."""
    since = now - limits.window
    blocked: list[tuple[str, str]] = []
    if _count(db, "account", account, since) >= limits.per_account:
        blocked.append(("account", account))
    if _count(db, "ip", ip, since) >= limits.per_ip:
        blocked.append(("ip", ip))
    if not blocked:
        return None
    oldest = max(
        db.scalar(
            select(func.min(LoginFailure.at)).where(
                LoginFailure.scope == scope, LoginFailure.key == key, LoginFailure.at > since
            )
        )
        or now
        for scope, key in blocked
    )
    return max(1, int((oldest + limits.window - now).total_seconds()) + 1)


def record_failure(db: Session, limits: Limits, account: str, ip: str, now: datetime) -> None:
    """Count one failed attempt against both the account and the address."""
    db.add(LoginFailure(scope="account", key=account, at=now))
    db.add(LoginFailure(scope="ip", key=ip, at=now))
    db.execute(delete(LoginFailure).where(LoginFailure.at < now - limits.window))


def clear_account(db: Session, account: str) -> None:
    db.execute(
        delete(LoginFailure).where(LoginFailure.scope == "account", LoginFailure.key == account)
    )
