"""The notifications page: newest first, 50 a page, all or unread; opening one marks it read."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect
from jinja2_fragments.flask import render_block
from sqlalchemy import func, select, update
from wtforms import SelectChoice, SelectField

from portal.extensions import db
from portal.listfilters import chosen
from portal.models import Notification, User
from portal.notifications import bp
from portal.paging import paginate, wants_fragment
from portal.timeutil import utcnow

RESULTS_ID = "notification-results"


def unread_count(user: User) -> int:
    """How many of *user*'s notifications are not yet read."""
    return db.session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
    )


def _safe_target(link: str) -> str:
    """The notification's link when it is a path in the portal, else the notifications page."""
    if link.startswith("/") and not link.startswith("//") and "\\" not in link:
        return link
    return url_for("notifications.index")


class NotificationFilterForm(FlaskForm):
    """The list's one filter, read from the query string (no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    show = SelectField(
        "Show",
        widget=GovSelect(),
        choices=[SelectChoice("", "All notifications"), SelectChoice("unread", "Not read yet")],
        validate_choice=False,
    )


@bp.route("/")
@login_required
def index():
    """The signed-in user's notifications, newest first, 50 a page; unread only if asked."""
    form = NotificationFilterForm(formdata=request.args)
    query = select(Notification).where(Notification.user_id == current_user.id)
    unread_only = chosen(form.show) == "unread"
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    page = paginate(query.order_by(Notification.created_at.desc(), Notification.id.desc()))
    context = {
        "title": "Notifications",
        "filters": form,
        "unread_only": unread_only,
        "page": page,
        "unread": unread_count(current_user),
    }
    if wants_fragment(RESULTS_ID):
        return render_block("notifications/index.html", "results", **context)
    return render_template("notifications/index.html", **context)


@bp.post("/<int:notification_id>/read")
@login_required
def read(notification_id: int):
    """Mark one of the user's notifications read and go to what it is about."""
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.user_id != current_user.id:
        abort(404)
    if notification.read_at is None:
        notification.read_at = utcnow()
        db.session.commit()
    return redirect(_safe_target(notification.link))


@bp.post("/read-all")
@login_required
def read_all():
    """Mark every unread notification of the user read."""
    db.session.execute(
        update(Notification)
        .where(Notification.user_id == current_user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    db.session.commit()
    flash("All your notifications are marked as read.", "success")
    return redirect(url_for("notifications.index"))
