"""Actions after an audit: the owner's list, completing with evidence, signing off, returning."""

from flask import Blueprint

bp = Blueprint("actions", __name__, url_prefix="/actions")

from portal.actions import views  # noqa: E402,F401  (views attach themselves to bp)
