"""Signing in and out."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, logout_user

from portal.activity import record
from portal.auth import ldap, oidc
from portal.auth.forms import ChangePasswordForm, LoginForm
from portal.auth.methods import DIRECTORY, NONE, password_checked_by
from portal.auth.passwords import hash_password, needs_rehash, verify_password
from portal.auth.sessions import (
    SIGNED_IN_WITH_KEY,
    end_every_session,
    keep_this_session,
    start_session,
)
from portal.auth.throttle import (
    FAILED,
    REFUSED,
    SUCCEEDED,
    account_locked_until,
    begin_attempt,
)
from portal.extensions import db
from portal.models import LoginAttempt, User
from portal.timeutil import to_london, utcnow

bp = Blueprint("auth", __name__)

#: Where to go after a single sign-on (the ``next`` of the sign-in page), kept meanwhile.
NEXT_KEY = "oidc_next"


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


def _password_matches(user: User | None, password: str) -> bool:
    """True when *user* is an active account and *password* is its password.

    The same hashing work is done whatever the account: an unknown or deactivated one is
    checked against a dummy hash, so the answer's timing does not tell which it was.
    """
    usable = user is not None and user.active
    matches = verify_password(user.password_hash if usable else None, password)
    return usable and matches


def _who_signs_in(user: User | None, email: str, password: str) -> User | str | None:
    """The account that *email* and *password* sign in, a message for the page instead
    of the usual one, or None when the details are wrong.

    With ``LDAP_URL`` set the council's directory decides (:func:`portal.auth.ldap.sign_in`)
    and local passwords are not used; otherwise the portal's own password does.
    """
    if ldap.enabled(current_app.config):
        return ldap.sign_in(user, email, password)
    if not _password_matches(user, password):
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def _use_single_sign_on() -> str:
    """The sign-in page's message when portal passwords are off for this person."""
    label = current_app.config["OIDC_BUTTON_LABEL"]
    return f"Passwords for this portal are switched off. Use “{label}” instead."


def _password_answer(user: User | None, email: str, password: str) -> User | str | None:
    """:func:`_who_signs_in`, unless portal passwords are off for *email* (and no
    directory checks passwords): then the message saying so, with no password checked."""
    if password_checked_by(current_app.config, email) == NONE:
        return _use_single_sign_on()
    return _who_signs_in(user, email, password)


def _signed_in(user: User, attempt: LoginAttempt, method: str):
    """Start *user*'s session after a successful sign-in and send them on."""
    attempt.outcome = SUCCEEDED
    attempt.user_id = user.id
    user.last_login_at = attempt.at
    db.session.commit()
    start_session(user)
    session[SIGNED_IN_WITH_KEY] = method
    record("signed in", "user", user.id, actor_id=user.id)
    db.session.commit()


def _login_page(form: LoginForm, status: int, sign_on_error: str | None = None):
    return render_template(
        "auth/login.html",
        form=form,
        title="Error: Sign in" if sign_on_error else "Sign in",
        sign_on_error=sign_on_error,
        oidc_enabled=oidc.enabled(current_app.config),
    ), status


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
        user = begin_attempt(email)  # locks the account until the attempt is recorded
        attempt = LoginAttempt(
            at=now,
            email=email,
            user_id=user.id if user else None,
            remote_addr=request.remote_addr or "",
        )
        locked = account_locked_until(email, now, current_app.config)
        # Recorded as a failure before the password is checked, and committed, so that a
        # burst of parallel attempts can check no more passwords than the limit allows.
        attempt.outcome = REFUSED if locked is not None else FAILED
        db.session.add(attempt)
        db.session.commit()
        if locked is not None:
            lock_error = _lock_message(locked)
        elif isinstance(answer := _password_answer(user, email, form.password.data), str):
            attempt.outcome = REFUSED  # the password was not checked: not a failure
            db.session.commit()
            form.email.errors.append(answer)
        elif answer is not None:
            _signed_in(answer, attempt, "password")
            return redirect(_safe_next(request.args.get("next")))
        else:
            locked = account_locked_until(email, now, current_app.config)
            if locked is not None:
                lock_error = _lock_message(locked)
            else:
                form.email.errors.append("Enter a correct email address and password")
        if lock_error:
            form.email.errors.append(lock_error)
    status = 429 if lock_error else (400 if form.errors else 200)
    return _login_page(form, status)


@bp.get("/auth/oidc/start")
def oidc_start():
    """Send the person to the council's sign-in page (single sign-on)."""
    if not oidc.enabled(current_app.config):
        abort(404)
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    try:
        response = oidc.start()
    except oidc.EXCHANGE_ERRORS as error:
        current_app.logger.error("OIDC: the provider cannot be reached: %s", error)
        return _login_page(LoginForm(), 503, oidc.FAILED)
    session[NEXT_KEY] = _safe_next(request.args.get("next"))
    return response


@bp.get("/auth/oidc/callback")
def oidc_callback():
    """Where the council's sign-in page sends the person back: check the provider's answer
    and sign them in, or say why not."""
    if not oidc.enabled(current_app.config):
        abort(404)
    try:
        claims = oidc.claims_from_callback()
    except oidc.EXCHANGE_ERRORS as error:
        current_app.logger.warning("OIDC: sign-in refused: %s: %s", type(error).__name__, error)
        return _login_page(LoginForm(), 400, oidc.FAILED)
    answer = oidc.find_user(claims)
    email = answer.email if isinstance(answer, User) else str(claims.get("email") or "")
    attempt = LoginAttempt(
        at=utcnow(),
        email=email.lower()[:254],
        user_id=answer.id if isinstance(answer, User) else None,
        remote_addr=request.remote_addr or "",
        outcome=REFUSED,
    )
    db.session.add(attempt)
    if isinstance(answer, str):
        db.session.commit()
        return _login_page(LoginForm(), 403, answer)
    oidc.sync_group_roles(answer, claims)
    answer.oidc_id_token = claims["id_token"]
    next_url = session.get(NEXT_KEY) or url_for("main.dashboard")
    _signed_in(answer, attempt, "oidc")
    return redirect(next_url)


@bp.post("/logout")
def logout():
    """Sign out and forget the session; after a single sign-on, sign out at the provider
    too when it offers that (its ``end_session_endpoint``)."""
    provider_logout = None
    if current_user.is_authenticated:
        id_token = current_user.oidc_id_token
        if session.get(SIGNED_IN_WITH_KEY) == "oidc" and id_token:
            current_user.oidc_id_token = None
            if oidc.enabled(current_app.config):
                provider_logout = oidc.logout_url(id_token)
        end_every_session(current_user)  # a copy of the cookie no longer signs anyone in
        record("signed out", "user", current_user.id, actor_id=current_user.id)
        db.session.commit()
    logout_user()
    session.clear()
    flash("You have signed out.", "success")
    return redirect(provider_logout or url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
def change_password():
    """Let a signed-in person change their own password (the current one is required).

    Every other session of theirs ends; this one goes on. With sign-in against the
    council's directory (``LDAP_URL``) the password is the directory's: the page says to
    change it there; with portal passwords switched off for them (single sign-on only) it
    says there is none to change. Either way a POST is refused (400) with that message and
    changes nothing.
    """
    checked_by = password_checked_by(current_app.config, current_user.email)
    if checked_by == DIRECTORY:
        message = ldap.CHANGE_IN_DIRECTORY
    elif checked_by == NONE:
        label = current_app.config["OIDC_BUTTON_LABEL"]
        message = (
            f"You sign in with “{label}”: this portal's own passwords are switched off, so "
            "there is no password to change here."
        )
    else:
        message = None
    if message:
        refused = request.method == "POST"
        page = render_template(
            "auth/password_directory.html",
            title="Error: Change your password" if refused else "Change your password",
            message=message,
            error=message if refused else None,
        )
        return page, 400 if refused else 200
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not verify_password(current_user.password_hash, form.current.data):
            form.current.errors.append("Your current password is not correct")
        elif form.password.data == form.current.data:
            form.password.errors.append("The new password must be different from the current one")
        else:
            current_user.password_hash = hash_password(form.password.data)
            record("changed their password", "user", current_user.id, actor_id=current_user.id)
            db.session.commit()
            keep_this_session(current_user)
            flash("Your password is changed. You are signed out everywhere else.", "success")
            return redirect(url_for("main.dashboard"))
    status = 400 if form.errors else 200
    return render_template("auth/password.html", form=form, title="Change your password"), status
