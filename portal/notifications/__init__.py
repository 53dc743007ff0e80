"""The signed-in user's notifications: the list, marking them read, the unread count."""

from flask import Blueprint

bp = Blueprint("notifications", __name__, url_prefix="/notifications")

from portal.notifications import views  # noqa: E402,F401  (views attach themselves to bp)
