"""Safeguarding concerns: raised from an audit (or a plugin's page), sent at once to the
senior manager and the safeguarding unit, and tracked until they respond."""

from flask import Blueprint

bp = Blueprint("concerns", __name__, url_prefix="/concerns")

from portal.concerns import views  # noqa: E402,F401  (views attach themselves to bp)
