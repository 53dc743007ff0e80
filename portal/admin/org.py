"""Administration of the organisation: the roles page, teams and services."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from portal.admin import bp
from portal.admin.forms import ServiceForm, TeamForm, unused
from portal.admin.history import save_change
from portal.admin.users import person_label
from portal.extensions import db
from portal.models import Role, Service, Team, User, UserRole
from portal.permissions import roles_required

#: How many holders of a role the roles page names before linking to the full list.
NAMED_HOLDERS = 10


def team_snapshot(team: Team) -> dict[str, Any]:
    """The fields of *team* the activity history keeps, in readable form."""
    return {
        "name": team.name,
        "service": team.service.name if team.service else None,
        "manager": person_label(team.manager),
    }


def service_snapshot(service: Service) -> dict[str, Any]:
    """The fields of *service* the activity history keeps."""
    return {"code": service.code, "name": service.name}


def _save(verb: str, object_type: str, obj: Team | Service, before: dict, after: dict) -> bool:
    """Record a creation or a change in the activity history and commit; False if none."""
    summary = f"{verb.capitalize()} the {object_type} {obj.name}"
    return save_change(verb, object_type, obj.id, summary, before, after)


@bp.route("/roles")
@roles_required(Role.ADMIN)
def roles():
    """Every role: what it is for and who holds it."""
    holders: dict[str, list[User]] = {role.value: [] for role in Role}
    rows = db.session.execute(
        select(UserRole.role, User)
        .join(User, User.id == UserRole.user_id)
        .order_by(User.name, User.email)
    )
    for role_value, user in rows:
        holders.setdefault(role_value, []).append(user)
    return render_template(
        "admin/roles.html",
        title="Roles",
        roles=list(Role),
        holders=holders,
        named_holders=NAMED_HOLDERS,
    )


@bp.route("/teams")
@roles_required(Role.ADMIN)
def teams():
    """Every team with its service, manager and number of members (counted in SQL)."""
    members = (
        select(User.team_id, func.count(User.id).label("members")).group_by(User.team_id).subquery()
    )
    rows = db.session.execute(
        select(Team, func.coalesce(members.c.members, 0))
        .outerjoin(members, members.c.team_id == Team.id)
        .options(selectinload(Team.service), selectinload(Team.manager))
        .order_by(Team.name)
    )
    return render_template("admin/teams.html", title="Teams", teams=rows.all())


def _apply_team(form: TeamForm, team: Team) -> None:
    """Copy the form's values onto *team* (looking the related records up first)."""
    service = db.session.get(Service, form.service_id.data)
    manager = db.session.get(User, form.manager_id.data) if form.manager_id.data else None
    team.name, team.service, team.manager = form.name.data, service, manager


def _team_rules(team: Team | None) -> dict:
    own_id = team.id if team else None
    return {"name": [unused(Team.name, own_id, "There is already a team with this name")]}


def _render_team_form(form: TeamForm, team: Team | None, title: str):
    status = 400 if form.errors else 200
    return render_template("admin/team_form.html", form=form, team=team, title=title), status


@bp.route("/teams/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def new_team():
    """Create a team inside a service."""
    form = TeamForm()
    if form.validate_on_submit(extra_validators=_team_rules(None)):
        team = Team()
        _apply_team(form, team)
        db.session.add(team)
        db.session.flush()
        _save("created", "team", team, {}, team_snapshot(team))
        flash(f"The team {team.name} is created.", "success")
        return redirect(url_for("admin.teams"))
    return _render_team_form(form, None, "Add a team")


@bp.route("/teams/<int:team_id>", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def edit_team(team_id: int):
    """Rename a team, move it to another service or change its manager."""
    team = db.get_or_404(Team, team_id)
    form = TeamForm(obj=team)
    if form.validate_on_submit(extra_validators=_team_rules(team)):
        before = team_snapshot(team)
        _apply_team(form, team)
        if _save("changed", "team", team, before, team_snapshot(team)):
            flash(f"The changes to {team.name} are saved.", "success")
        else:
            flash(f"Nothing was changed for {team.name}.", "info")
        return redirect(url_for("admin.teams"))
    return _render_team_form(form, team, f"Edit {team.name}")


@bp.route("/services")
@roles_required(Role.ADMIN)
def services():
    """Every service with its code and its teams."""
    rows = db.session.scalars(
        select(Service).options(selectinload(Service.teams)).order_by(Service.name)
    )
    return render_template("admin/services.html", title="Services", services=rows.all())


def _service_rules(service: Service | None) -> dict:
    own_id = service.id if service else None
    return {
        "code": [unused(Service.code, own_id, "There is already a service with this code")],
        "name": [unused(Service.name, own_id, "There is already a service with this name")],
    }


def _render_service_form(form: ServiceForm, service: Service | None, title: str):
    status = 400 if form.errors else 200
    context = {"form": form, "service": service, "title": title}
    return render_template("admin/service_form.html", **context), status


@bp.route("/services/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def new_service():
    """Create a service."""
    form = ServiceForm()
    if form.validate_on_submit(extra_validators=_service_rules(None)):
        service = Service(code=form.code.data, name=form.name.data)
        db.session.add(service)
        db.session.flush()
        _save("created", "service", service, {}, service_snapshot(service))
        flash(f"The service {service.name} is created.", "success")
        return redirect(url_for("admin.services"))
    return _render_service_form(form, None, "Add a service")


@bp.route("/services/<int:service_id>", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def edit_service(service_id: int):
    """Change a service's code or name."""
    service = db.get_or_404(Service, service_id)
    form = ServiceForm(obj=service)
    if form.validate_on_submit(extra_validators=_service_rules(service)):
        before = service_snapshot(service)
        service.code, service.name = form.code.data, form.name.data
        if _save("changed", "service", service, before, service_snapshot(service)):
            flash(f"The changes to {service.name} are saved.", "success")
        else:
            flash(f"Nothing was changed for {service.name}.", "info")
        return redirect(url_for("admin.services"))
    return _render_service_form(form, service, f"Edit {service.name}")
