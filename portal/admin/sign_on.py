"""The roles single sign-on grants from the directory's groups (administrators).

Each row says: members of this group (as the provider's groups claim names it) hold this
role, and join this team when they have none. At each single sign-on the person's roles
from groups are set again (:func:`portal.auth.oidc.sync_group_roles`); roles set by hand on
the user's page are never changed by it.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.admin import bp
from portal.admin.forms import SignOnGroupForm
from portal.admin.history import save_change
from portal.extensions import db
from portal.models import Role, SignOnGroupRole, Team
from portal.permissions import roles_required


def _snapshot(mapping: SignOnGroupRole) -> dict:
    return {
        "group": mapping.group,
        "role": Role(mapping.role).label,
        "team": mapping.team.name if mapping.team else None,
    }


@bp.route("/sign-on-groups", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def sign_on_groups():
    """Every group-to-role row, and the form adding one."""
    form = SignOnGroupForm()
    if form.validate_on_submit():
        taken = db.session.scalar(
            select(SignOnGroupRole.id).where(
                SignOnGroupRole.group == form.group.data, SignOnGroupRole.role == form.role.data
            )
        )
        if taken is not None:
            form.group.errors.append("This group already grants this role")
        else:
            mapping = SignOnGroupRole(
                group=form.group.data,
                role=form.role.data,
                team=db.session.get(Team, form.team_id.data) if form.team_id.data else None,
            )
            db.session.add(mapping)
            db.session.flush()
            summary = f"Single sign-on grants {Role(mapping.role).label} to group {mapping.group}"
            save_change("created", "sign-on group", mapping.id, summary, {}, _snapshot(mapping))
            flash(
                f"Members of {mapping.group} now get the role {Role(mapping.role).label}.",
                "success",
            )
            return redirect(url_for("admin.sign_on_groups"))
    mappings = db.session.scalars(
        select(SignOnGroupRole)
        .options(selectinload(SignOnGroupRole.team))
        .order_by(SignOnGroupRole.group, SignOnGroupRole.role)
    ).all()
    page = render_template(
        "admin/sign_on_groups.html",
        title="Roles from sign-on groups",
        form=form,
        mappings=mappings,
        role_labels={role.value: role.label for role in Role},
    )
    return page, 400 if form.errors else 200


@bp.post("/sign-on-groups/<int:mapping_id>/remove")
@roles_required(Role.ADMIN)
def remove_sign_on_group(mapping_id: int):
    """Stop granting a role to a group (holders lose it at their next single sign-on)."""
    mapping = db.session.get(SignOnGroupRole, mapping_id)
    if mapping is None:
        abort(404)
    before = _snapshot(mapping)
    db.session.delete(mapping)
    summary = f"Single sign-on no longer grants {before['role']} to group {before['group']}"
    save_change("deleted", "sign-on group", mapping_id, summary, before, {})
    flash(f"Members of {before['group']} no longer get the role {before['role']}.", "success")
    return redirect(url_for("admin.sign_on_groups"))
