"""Login throttle: a growing delay per account and per client address, kept in the database.

Why a delay and not a lockout: a lockout after five wrong passwords lets anyone who knows a
delegate's login name keep them out of the convention, and fifty from one address would lock
out a whole venue behind one NAT. A delay slows guessing just as well (the passwords are long
and random), while the right password still works as soon as the delay has passed:
after ``free`` failures within the window, each further failure makes the next attempt wait
``min(2 ** (failures - free), max_delay)`` seconds.

Why the database: gunicorn runs several workers, possibly on several servers; a counter in
process memory would give each its own allowance.

Why counted before the password is checked: checking "under the limit?" and recording the
failure afterwards lets twenty parallel attempts all pass the check before any is recorded.
Here an attempt first *claims* its turn — one transaction that counts it as a failure and
sets the next allowed time, under the row's lock (PostgreSQL) or the database's write lock
(SQLite) — and commits before the slow hash; a success takes the count back. So parallel
attempts are serialised by the database, not by luck.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, delete, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from evote.store.models.people import LoginThrottle

ACCOUNT, ADDRESS = "account", "ip"


@dataclass(frozen=True)
class Limits:
    window: timedelta
    """Failures older than this (since the last one) are forgotten."""
    per_account: int
    """Failures of one login name before delays start."""
    per_ip: int
    """Failures from one address before delays start: far above a venue's size."""
    max_delay: int = 60
    """Seconds; the longest wait, however many failures."""

    def delay(self, failures: int, free: int) -> int:
        """Seconds the next attempt must wait after `failures` failures (`free` without)."""
        if failures <= free:
            return 0
        return min(2 ** min(failures - free, 16), self.max_delay)


class Throttled(Exception):
    """The attempt may not be made yet; `retry_after` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"retry after {retry_after} s")
        self.retry_after = retry_after


def _insert_if_missing(db: Session, scope: str, key: str, now: datetime) -> None:
    """The (scope, key) row with no failures yet, unless it exists; a parallel first attempt
    that inserts it meanwhile is waited for (PostgreSQL) or serialised (SQLite), not an error."""
    dialect = db.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    db.execute(
        insert(LoginThrottle)
        .values(scope=scope, key=key, failures=0, last_at=now, next_at=now)
        .on_conflict_do_nothing(index_elements=["scope", "key"])
    )


def _claim_one(
    db: Session, limits: Limits, scope: str, key: str, free: int, now: datetime
) -> int | None:
    """Count one attempt against (scope, key) if its delay has passed; else the seconds left."""
    _insert_if_missing(db, scope, key, now)
    stale = now - limits.window
    counted = update(LoginThrottle).where(
        LoginThrottle.scope == scope, LoginThrottle.key == key, LoginThrottle.next_at <= now
    ).values(
        failures=case((LoginThrottle.last_at < stale, 1), else_=LoginThrottle.failures + 1),
        last_at=now,
    ).returning(LoginThrottle.failures).execution_options(synchronize_session=False)
    failures = db.execute(counted).scalar_one_or_none()
    if failures is None:
        next_at = db.scalar(
            select(LoginThrottle.next_at).where(
                LoginThrottle.scope == scope, LoginThrottle.key == key
            )
        )
        assert next_at is not None, "the row was inserted above"
        return max(1, math.ceil((next_at - now).total_seconds()))
    wait = limits.delay(failures, free)
    if wait:
        db.execute(
            update(LoginThrottle)
            .where(LoginThrottle.scope == scope, LoginThrottle.key == key)
            .values(next_at=now + timedelta(seconds=wait))
            .execution_options(synchronize_session=False)
        )
    return None


def claim(db: Session, limits: Limits, account: str, ip: str, now: datetime) -> None:
    """Count this attempt as a failure of both the account and the address, and commit;
    raises `Throttled` (nothing counted) while either must still wait."""
    try:
        waits = [
            _claim_one(db, limits, ACCOUNT, account, limits.per_account, now),
            _claim_one(db, limits, ADDRESS, ip, limits.per_ip, now),
        ]
        refused = [w for w in waits if w is not None]
        if refused:
            db.rollback()
            raise Throttled(max(refused))
        db.execute(
            delete(LoginThrottle)
            .where(LoginThrottle.last_at < now - limits.window, LoginThrottle.next_at <= now)
            .execution_options(synchronize_session=False)
        )
        db.commit()
    except BaseException:
        db.rollback()
        raise


def succeeded(db: Session, account: str, ip: str) -> None:
    """The claimed attempt was right: forget the account's failures, and take the address's
    count back (other people at that address may have failed; they still count)."""
    db.execute(
        delete(LoginThrottle)
        .where(LoginThrottle.scope == ACCOUNT, LoginThrottle.key == account)
        .execution_options(synchronize_session=False)
    )
    db.execute(
        update(LoginThrottle)
        .where(LoginThrottle.scope == ADDRESS, LoginThrottle.key == ip, LoginThrottle.failures > 0)
        .values(failures=LoginThrottle.failures - 1)
        .execution_options(synchronize_session=False)
    )
