"""The notifications page: newest first, 50 a page; opening one marks it read."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, select, update

from portal.extensions import db
from portal.models import Notification, User
from portal.notifications import bp
from portal.timeutil import utcnow

PER_PAGE = 50


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


@bp.route("/")
@login_required
def index():
    """The signed-in user's notifications, newest first, 50 a page."""
    query = (
        select(Notification)
        .where(Notification.user_id == current_user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )
    page = db.paginate(query, per_page=PER_PAGE, max_per_page=PER_PAGE)
    return render_template(
        "notifications/index.html",
        title="Notifications",
        page=page,
        unread=unread_count(current_user),
    )


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
