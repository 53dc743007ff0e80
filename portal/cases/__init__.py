"""Cases: the list a user may see, a case's page, and importing the case system's export."""

from flask import Blueprint

bp = Blueprint("cases", __name__, url_prefix="/cases")

from portal.cases import views  # noqa: E402,F401  (views attach themselves to bp)
