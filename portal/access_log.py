"""The access log: who read what about a child, and every refusal, when and from where.

A view that shows something about a child calls :func:`log_access` (plugins too: it is
part of the public plugin API); every 403 answer and every API answer is logged without
the view doing anything. The entries of a request are written once the view has
answered, in one INSERT, by :func:`write_access_log`. :func:`prune_access_log` (a daily
job) deletes what is older than ``ACCESS_LOG_DAYS``. The activity history (what changed)
is a separate table: the access log records reading.
"""

from __future__ import annotations

from datetime import date, timedelta

from flask import Flask, Response, current_app, g, request
from flask_login import current_user
from sqlalchemy import delete, insert

from portal.extensions import db
from portal.models import AccessLogEntry
from portal.timeutil import utcnow

#: What a reader did: opened a page, printed it, downloaded a file, exported a report.
ACTIONS = ("viewed", "printed", "downloaded", "exported", "api", "refused")


def log_access(
    object_type: str, object_id: object, *, case_id: int | None = None, action: str = "viewed"
) -> None:
    """Log that the signed-in user read *object_type* *object_id* in this request.

    *case_id* is the child's case it is about (so that "who opened this case?" finds it);
    *action* one of :data:`ACTIONS`. Call it from a view, once it has checked access; the
    entry is written after the view answers, and only if it answers 2xx.
    """
    g.setdefault("access_log", []).append(
        {
            "action": action,
            "object_type": object_type,
            "object_id": str(object_id)[:60],
            "case_id": case_id,
        }
    )


def _user_id() -> int | None:
    api_user = g.get("api_user")
    if api_user is not None:
        return api_user.id
    return current_user.id if current_user.is_authenticated else None


def write_access_log(response: Response) -> Response:
    """Write the request's access log entries (and a refusal, for a 403) in one INSERT."""
    entries = g.pop("access_log", []) if response.status_code < 300 else []
    g.pop("access_log", None)
    if response.status_code == 403:
        entries.append(
            {"action": "refused", "object_type": "page", "object_id": "", "case_id": None}
        )
    elif (
        request.blueprint == "api" and g.get("api_user") is not None and response.status_code == 200
    ):
        entries.append(
            {
                "action": "api",
                "object_type": request.endpoint or "api",
                "object_id": "",
                "case_id": None,
            }
        )
    if not entries:
        return response
    common = {
        "at": utcnow(),
        "user_id": _user_id(),
        "path": request.full_path.rstrip("?")[:300],
        "status": response.status_code,
        "remote_addr": (request.remote_addr or "")[:64],
    }
    if db.session.new or db.session.dirty or db.session.deleted:
        db.session.rollback()  # what the view left uncommitted was never to be kept
    db.session.execute(insert(AccessLogEntry), [{**common, **entry} for entry in entries])
    db.session.commit()
    return response


def prune_access_log(today: date) -> str:
    """Delete the entries older than ``ACCESS_LOG_DAYS``; say how many went."""
    days = current_app.config["ACCESS_LOG_DAYS"]
    cutoff = utcnow() - timedelta(days=days)
    gone = db.session.execute(delete(AccessLogEntry).where(AccessLogEntry.at < cutoff)).rowcount
    return f"Deleted {gone} access log entries older than {days} days"


def init_app(app: Flask) -> None:
    """Write the access log after every request."""
    app.after_request(write_access_log)
