"""The dashboard and /healthz."""

from __future__ import annotations

from flask import current_app, jsonify, render_template
from flask_login import current_user, login_required
from sqlalchemy import func, select, text

from portal.extensions import db
from portal.main import bp
from portal.main.dashboard import dashboard_for


@bp.route("/")
@login_required
def dashboard():
    """What the signed-in user has to do, by role, with empty states that say so."""
    return render_template("main/dashboard.html", title="Home", panels=dashboard_for(current_user))


@bp.route("/healthz")
def healthz():
    """200 with ``{"status": "ok"}`` when the database answers; 503 when it does not."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as error:  # any database failure means "not healthy"
        current_app.logger.warning("health check failed: %s", error)
        db.session.rollback()
        return jsonify(status="error", database="unavailable"), 503
    from portal.models import PluginState

    enabled = db.session.scalar(
        select(func.count()).select_from(PluginState).where(PluginState.enabled)
    )
    return jsonify(status="ok", database="ok", plugins_enabled=enabled)
