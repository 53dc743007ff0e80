"""Signing in and out."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_user, logout_user
from sqlalchemy import func, select

from portal.activity import record
from portal.auth.forms import LoginForm
from portal.auth.passwords import hash_password, needs_rehash, verify_password
from portal.auth.throttle import FAILED, REFUSED, SUCCEEDED, account_locked_until
from portal.extensions import db
from portal.models import LoginAttempt, User
from portal.timeutil import to_london, utcnow

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """Only follow a ``next`` link that stays on this site."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/"):
            return target
    return url_for("main.dashboard")


def _lock_message(until: datetime) -> str:
    return (
        "Too many failed sign-in attempts. This account is locked until "
        f"{to_london(until):%H:%M}. Try again then, or ask an administrator to help."
    )


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Show the sign-in form and sign a member of staff in."""
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = LoginForm()
    lock_error = None
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        now = utcnow()
        user = db.session.scalar(select(User).where(func.lower(User.email) == email))
        attempt = LoginAttempt(
            at=now,
            email=email,
            user_id=user.id if user else None,
            remote_addr=request.remote_addr or "",
        )
        locked = account_locked_until(email, now, current_app.config)
        if locked is not None:
            attempt.outcome = REFUSED
            lock_error = _lock_message(locked)
        elif user and user.active and verify_password(user.password_hash, form.password.data):
            attempt.outcome = SUCCEEDED
            if needs_rehash(user.password_hash):
                user.password_hash = hash_password(form.password.data)
            user.last_login_at = now
        else:
            if user is None:
                verify_password(None, form.password.data)  # same time as a real check
            attempt.outcome = FAILED
        db.session.add(attempt)
        db.session.commit()
        if attempt.outcome == SUCCEEDED:
            session.clear()
            login_user(user)
            session.permanent = True
            record("signed in", "user", user.id, actor_id=user.id)
            db.session.commit()
            return redirect(_safe_next(request.args.get("next")))
        if attempt.outcome == FAILED:
            locked = account_locked_until(email, now, current_app.config)
            if locked is not None:
                lock_error = _lock_message(locked)
            else:
                form.email.errors.append("Enter a correct email address and password")
        if lock_error:
            form.email.errors.append(lock_error)
    status = 429 if lock_error else (400 if form.errors else 200)
    return render_template("auth/login.html", form=form, title="Sign in"), status


@bp.post("/logout")
def logout():
    """Sign out and forget the session."""
    if current_user.is_authenticated:
        record("signed out", "user", current_user.id, actor_id=current_user.id)
        db.session.commit()
    logout_user()
    session.clear()
    flash("You have signed out.", "success")
    return redirect(url_for("auth.login"))
