"""The home page (what the user has to do) and the health check."""

from flask import Blueprint

bp = Blueprint("main", __name__)

from portal.main import views  # noqa: E402,F401  (views attach themselves to bp)
