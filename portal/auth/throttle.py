"""Login throttling: 5 failures on one account within 15 minutes lock it for 15 minutes.

The rule is a pure function of the attempt times so it can be tested with a table.
Parallel attempts are serialised: :func:`begin_attempt` locks the account (the user's row
on PostgreSQL, the database on SQLite) while the attempts are counted and the new one is
recorded as a failure *before* its password is checked, so however many requests arrive at
once, no more than the limit get as far as checking a password.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import LoginAttempt, User

FAILED = "failed"
SUCCEEDED = "succeeded"
REFUSED = "refused"


def locked_until(
    failures: Sequence[datetime],
    now: datetime,
    *,
    max_failures: int,
    window: timedelta,
    lock: timedelta,
) -> datetime | None:
    """When the lock ends, or None when the account is not locked at *now*.

    *failures* are the times of failed attempts since the last successful login. A lock
    starts at the failure that makes *max_failures* within *window*, and lasts *lock*.
    """
    recent: deque[datetime] = deque()
    lock_end: datetime | None = None
    for moment in sorted(failures):
        if lock_end is not None and moment < lock_end:
            continue  # attempts during a lock are refused, never counted as failures
        recent.append(moment)
        while moment - recent[0] > window:
            recent.popleft()
        if len(recent) >= max_failures:
            lock_end = moment + lock
            recent.clear()
    return lock_end if lock_end is not None and now < lock_end else None


def account_locked_until(email: str, now: datetime, config: dict) -> datetime | None:
    """Look up the attempts for *email* and apply :func:`locked_until`."""
    window = timedelta(minutes=config["LOGIN_WINDOW_MINUTES"])
    lock = timedelta(minutes=config["LOGIN_LOCK_MINUTES"])
    since = now - window - lock
    last_success = db.session.scalar(
        select(LoginAttempt.at)
        .where(LoginAttempt.email == email, LoginAttempt.outcome == SUCCEEDED)
        .order_by(LoginAttempt.at.desc())
        .limit(1)
    )
    if last_success is not None and last_success > since:
        since = last_success
    failures = db.session.scalars(
        select(LoginAttempt.at).where(
            LoginAttempt.email == email,
            LoginAttempt.outcome == FAILED,
            LoginAttempt.at > since,
        )
    ).all()
    return locked_until(
        failures, now, max_failures=config["LOGIN_MAX_FAILURES"], window=window, lock=lock
    )


def begin_attempt(email: str) -> User | None:
    """Start the transaction that counts and records one sign-in attempt for *email*.

    Returns the account with that email (or None), locked until the caller commits: its
    row is selected ``FOR UPDATE`` on PostgreSQL; on SQLite, which has no row locks, the
    transaction starts with ``BEGIN IMMEDIATE`` and so holds the database's write lock.
    A second attempt on the same account waits here until the first has been recorded.
    """
    db.session.commit()  # end the request's read transaction; the next one is ours
    connection = db.session.connection()
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    return db.session.scalar(select(User).where(func.lower(User.email) == email).with_for_update())
