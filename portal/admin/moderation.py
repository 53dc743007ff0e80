"""The share of each audit tool's audits that the QA lead moderates (administrators)."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from portal.admin import bp
from portal.extensions import db
from portal.models import ModerationShare, Role
from portal.moderation.service import set_share
from portal.permissions import roles_required
from portal.plugins import plugin_host


def _rows() -> list[dict]:
    """Each enabled process's share: the administrator's setting, else its own (one
    statement for the settings, however many processes)."""
    settings = {row.process_key: row.share for row in db.session.scalars(select(ModerationShare))}
    return [
        {
            "key": process.key,
            "title": process.title,
            "default": process.moderation_share,
            "share": settings.get(process.key, process.moderation_share),
            "changed": process.key in settings,
        }
        for process in plugin_host().enabled_processes()
    ]


@bp.route("/moderation")
@roles_required(Role.ADMIN)
def moderation_shares(errors: dict | None = None, status: int = 200):
    """Each enabled audit tool's moderation share, with a form to change it."""
    return render_template(
        "admin/moderation.html", title="Moderation shares", rows=_rows(), errors=errors or {}
    ), status


@bp.post("/moderation/<key>")
@roles_required(Role.ADMIN)
def set_moderation_share(key: str):
    """Set the percentage of *key*'s submitted audits that go to moderation."""
    if plugin_host().process(key) is None:
        abort(404)
    text = request.form.get("percent", "").strip().rstrip("%")
    try:
        set_share(key, float(text) / 100, current_user)
    except ValueError:
        message = "Enter a percentage from 1 to 100, for example 25"
        return moderation_shares({key: message}, 400)
    db.session.commit()
    flash(f"The moderation share of {plugin_host().process(key).title} is {text}%.", "success")
    return redirect(url_for("admin.moderation_shares"))
