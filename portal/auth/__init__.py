"""Accounts: signing in and out, the session's idle and absolute limits, loading the user."""

from __future__ import annotations

import time

from flask import Flask, flash, redirect, request, session, url_for
from flask.globals import request_ctx
from flask_login import current_user, logout_user

from portal.auth.sessions import init_flashes, session_is_current, signed_in_too_long
from portal.auth.views import bp
from portal.extensions import db, login_manager
from portal.models import User

#: The only endpoints an anonymous visitor may reach.
PUBLIC_ENDPOINTS = frozenset(
    {"auth.login", "auth.oidc_start", "auth.oidc_callback", "main.healthz", "static"}
)


def init_app(app: Flask) -> None:
    """Register the sign-in pages and the checks every request goes through."""
    app.register_blueprint(bp)
    init_flashes(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Sign in to continue."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        """The session's user, unless the account is inactive or the session was ended."""
        user = db.session.get(User, int(user_id))
        if user is None or not user.active or not session_is_current(user):
            return None
        return user

    @app.before_request
    def require_login():
        """Send anonymous visitors to the sign-in page from every page but the public ones.

        The API (blueprint ``api``) is let through without looking at the session: it
        authenticates each request by its bearer token and answers 401 itself.
        """
        if request.blueprint == "api" or request.endpoint in PUBLIC_ENDPOINTS:
            return None
        if request_ctx.url_adapter is None:
            return None  # a Host not in TRUSTED_HOSTS: the request fails with a 400 anyway
        if current_user.is_authenticated:
            return None
        return login_manager.unauthorized()

    @app.before_request
    def end_idle_session():
        """Sign out a user idle for longer than the idle limit, or signed in for longer
        than the absolute limit (``SESSION_ABSOLUTE_HOURS``) however busy."""
        if request.blueprint == "api" or not current_user.is_authenticated:
            return None
        now = time.time()
        last_seen = session.get("last_seen", now)
        session["last_seen"] = now
        if signed_in_too_long(app):
            message = "You were signed out because you signed in too long ago. Sign in again."
        elif now - last_seen > app.config["SESSION_IDLE_MINUTES"] * 60:
            message = "You were signed out because you had not done anything for a while."
        else:
            return None
        logout_user()
        session.clear()
        flash(message, "info")
        target = url_for("auth.login", next=request.full_path if request.method == "GET" else None)
        if request.headers.get("HX-Request"):
            response = app.response_class(status=204)
            response.headers["HX-Redirect"] = target
            return response
        return redirect(target)
