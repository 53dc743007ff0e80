"""The API's page for staff (``/api/docs``): what it offers and how to use a token in
Power BI. It is an ordinary portal page, for signed-in users, outside the token-only API."""

from flask import Blueprint, render_template, url_for
from flask_login import login_required

from portal.api.views import PAGE_SIZE
from portal.reports import REPORT_ROLES

bp = Blueprint("api_docs", __name__, url_prefix="/api")


@bp.get("/docs")
@login_required
def docs():
    """How to read the portal's data from a BI tool with an API token."""
    return render_template(
        "api/docs.html",
        title="Using the portal’s data in Power BI",
        base_url=url_for("api.audits", _external=True).rsplit("/", 1)[0],
        report_roles=REPORT_ROLES,
        page_size=PAGE_SIZE,
    )
