"""Case pages."""

from flask import render_template
from flask_login import login_required

from portal.cases import bp
from portal.models import Role
from portal.permissions import roles_required


@bp.route("/")
@login_required
def index():
    """The cases the signed-in user may see."""
    return render_template("cases/index.html", title="Cases")


@bp.route("/import", methods=["GET", "POST"])
@roles_required(Role.ADMIN, Role.QA_ADMIN)
def import_cases():
    """Upload the case system's CSV export."""
    return render_template("cases/import.html", title="Import cases")
