"""Administration pages for users, roles, teams and services."""

from flask import render_template

from portal.admin import bp
from portal.models import Role
from portal.permissions import roles_required


@bp.route("/")
@roles_required(Role.ADMIN)
def index():
    """The administration home page."""
    return render_template("admin/index.html", title="Administration")
