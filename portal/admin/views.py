"""The administration home page; the pages for users, roles, teams, services and the
activity history live in their own modules, imported here so that they join the blueprint.
"""

from flask import render_template

from portal.admin import (  # noqa: F401  (their views attach to bp)
    access,
    activity,
    bp,
    jobs,
    moderation,
    org,
    retention,
    sign_on,
    staff,
    tokens,
    users,
)
from portal.models import Role
from portal.permissions import roles_required


@bp.route("/")
@roles_required(Role.ADMIN)
def index():
    """The administration home page."""
    return render_template("admin/index.html", title="Administration")
