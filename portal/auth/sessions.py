"""Sessions that can be ended: a per-user session version, an absolute lifetime, and flash
messages kept on the server rather than in the (signed, readable) session cookie.

The session cookie holds the user's id, the session version they signed in with, when
they signed in and when they were last seen, the CSRF token and, while messages wait for
the next page, a random key: never a name or a case reference.
"""

from __future__ import annotations

import secrets
import time
from datetime import timedelta

from flask import Flask, session
from flask_login import current_user, login_user
from sqlalchemy import delete, event, insert, inspect, select
from sqlalchemy.orm import Session

from portal.extensions import db
from portal.models import FlashMessage, User
from portal.timeutil import utcnow

VERSION_KEY = "session_version"
SIGNED_IN_KEY = "signed_in_at"
FLASH_KEY = "_flash_key"
#: How this session was signed in: "password" or "oidc" (single sign-on).
SIGNED_IN_WITH_KEY = "signed_in_with"
#: Messages nobody came back to read are deleted after this long.
FLASH_KEPT_FOR = timedelta(days=1)
#: Changing any of these ends every session of the account.
ENDS_SESSIONS = ("password_hash", "active", "role_rows")


def start_session(user: User) -> None:
    """Sign *user* in with a fresh session that remembers their session version."""
    session.clear()
    login_user(user)
    session.permanent = True
    now = time.time()
    session[VERSION_KEY] = user.session_version
    session[SIGNED_IN_KEY] = now
    session["last_seen"] = now


def session_is_current(user: User) -> bool:
    """True when this request's session was started at *user*'s current session version."""
    return session.get(VERSION_KEY) == user.session_version


def keep_this_session(user: User) -> None:
    """After *user* changed their own password: end their other sessions, keep this one."""
    session[VERSION_KEY] = user.session_version


def end_every_session(user: User) -> None:
    """End every session of *user*, on every device (signing out does this)."""
    user.session_version = (user.session_version or 0) + 1


def signed_in_too_long(app: Flask) -> bool:
    """True when this session began longer ago than ``SESSION_ABSOLUTE_HOURS``."""
    signed_in_at = session.get(SIGNED_IN_KEY)
    limit = app.config["SESSION_ABSOLUTE_HOURS"] * 3600
    return not isinstance(signed_in_at, int | float) or time.time() - signed_in_at > limit


@event.listens_for(Session, "before_flush")
def _end_sessions_on_account_changes(db_session: Session, _context, _instances) -> None:
    """Raise the session version of every account whose password, active flag or roles
    change, wherever the change is made (administration pages, commands, plugins)."""
    for instance in db_session.dirty:
        if not isinstance(instance, User):
            continue
        state = inspect(instance)
        if any(state.attrs[name].history.has_changes() for name in ENDS_SESSIONS):
            instance.session_version = (instance.session_version or 0) + 1


def init_flashes(app: Flask) -> None:
    """Keep a signed-in person's flash messages on the server, under a key in their session."""

    @app.before_request
    def bring_back_flashes():
        key = session.get(FLASH_KEY)
        if not key:
            return None
        if not current_user.is_authenticated:  # signed out meanwhile: they are not theirs now
            session.pop(FLASH_KEY)
            return None
        rows = db.session.execute(
            select(FlashMessage.category, FlashMessage.message)
            .where(FlashMessage.key == key)
            .order_by(FlashMessage.id)
        ).all()
        db.session.execute(delete(FlashMessage).where(FlashMessage.key == key))
        db.session.commit()
        session.pop(FLASH_KEY)
        session["_flashes"] = [*session.get("_flashes", []), *(tuple(row) for row in rows)]
        return None

    @app.after_request
    def put_flashes_away(response):
        flashes = session.get("_flashes")
        if not flashes or not current_user.is_authenticated:
            return response
        key = secrets.token_urlsafe(32)
        # Whatever the view left uncommitted is rolled back at the end of the request
        # anyway; doing it now frees the database (SQLite's write lock) for the messages.
        db.session.rollback()
        db.session.execute(
            delete(FlashMessage).where(FlashMessage.created_at < utcnow() - FLASH_KEPT_FOR)
        )
        db.session.execute(
            insert(FlashMessage),
            [{"key": key, "category": category, "message": text} for category, text in flashes],
        )
        db.session.commit()
        session.pop("_flashes")
        session[FLASH_KEY] = key
        return response
