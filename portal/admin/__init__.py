"""Administration: users, roles, teams, services, audit tools (plugins) and the activity history.

Every view here is for administrators only.
"""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from portal.admin import plugins, views  # noqa: E402,F401  (views attach themselves to bp)
