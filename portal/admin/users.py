"""Administration of staff accounts: the users list, creating, editing and setting passwords."""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload
from wtforms.validators import ValidationError

from portal.activity import record
from portal.admin import bp
from portal.admin.forms import (
    PasswordForm,
    UserFilterForm,
    UserForm,
    Validator,
    unused,
)
from portal.admin.history import save_change
from portal.auth.methods import portal_password_unused
from portal.auth.passwords import hash_password, password_problem
from portal.extensions import db
from portal.models import Agency, Role, Team, User, UserRole
from portal.notify import notify
from portal.permissions import roles_required

PER_PAGE = 50


def person_label(person: User | None) -> str | None:
    """How the activity history names a person: name and email address, or None."""
    return f"{person.name} ({person.email})" if person is not None else None


def user_snapshot(user: User) -> dict[str, Any]:
    """The fields of *user* the activity history keeps, in readable form (never the password)."""
    return {
        "name": user.name,
        "email": user.email,
        "job_title": user.job_title,
        "team": user.team.name if user.team else None,
        "agency": user.agency.name if user.agency else None,
        "line_manager": person_label(user.line_manager),
        "roles": sorted(role.label for role in user.roles),
        "active": user.active,
    }


def _no_line_management_loop(user: User | None) -> Validator:
    """A validator refusing a line manager that is *user* or reports to *user*."""

    def check(form: UserForm, field) -> None:
        if user is None or field.data is None:
            return
        if field.data == user.id:
            raise ValidationError("A person cannot be their own line manager")
        manager = db.session.get(User, field.data)
        person, seen = manager, set()
        while person is not None and person.id not in seen:
            if person.line_manager_id == user.id:
                raise ValidationError(
                    f"{manager.name} reports to {user.name}, directly or further up, "
                    f"so {user.name} cannot report to them"
                )
            seen.add(person.id)
            person = person.line_manager

    return check


def _keeps_own_roles(user: User | None) -> Validator:
    """A validator refusing any change to the signed-in admin's own roles (separation of
    duties: an administrator cannot make themselves QA lead, nor drop their own admin role)."""

    def check(form: UserForm, field) -> None:
        if user is None or user.id != current_user.id:
            return
        if set(field.data) != {role.value for role in user.roles}:
            raise ValidationError("You cannot change your own roles; ask another administrator")

    return check


def tell_of_new_roles(user: User, before: set[Role]) -> None:
    """Notify *user* that their roles changed from *before* (nothing when they did not)."""
    granted, removed = user.roles - before, before - user.roles
    if not granted and not removed:
        return
    lines = [f"You now have the role {role.label}." for role in sorted(granted)]
    lines += [f"You no longer have the role {role.label}." for role in sorted(removed)]
    lines.append(f"Changed by {current_user.name}. If you did not expect this, tell your manager.")
    notify([user], "Your roles in the portal have changed", "\n".join(lines))


def _keeps_own_account_active(user: User | None) -> Validator:
    """A validator refusing to deactivate the signed-in admin's own account."""

    def check(form: UserForm, field) -> None:
        if user is not None and user.id == current_user.id and not field.data:
            raise ValidationError("You cannot deactivate your own account")

    return check


def _user_rules(user: User | None) -> dict[str, list[Validator]]:
    return {
        "email": [
            unused(User.email, user.id if user else None, "Another account uses this email address")
        ],
        "line_manager_id": [_no_line_management_loop(user)],
        "roles": [_keeps_own_roles(user)],
        "active": [_keeps_own_account_active(user)],
    }


def _apply(form: UserForm, user: User) -> None:
    """Copy the form's values onto *user* (looking the related records up first)."""
    team = db.session.get(Team, form.team_id.data) if form.team_id.data else None
    agency = db.session.get(Agency, form.agency_id.data) if form.agency_id.data else None
    manager = db.session.get(User, form.line_manager_id.data) if form.line_manager_id.data else None
    user.name = form.name.data
    user.email = form.email.data
    user.job_title = form.job_title.data or ""
    user.team, user.agency, user.line_manager = team, agency, manager
    user.set_roles({Role(value) for value in form.roles.data})
    user.active = form.active.data


def _strong_enough(form: PasswordForm, field) -> None:
    """A validator refusing a password that :func:`password_problem` finds too weak."""
    problem = password_problem(field.data)
    if problem:
        raise ValidationError(problem)


def _render_form(form: UserForm, user: User | None, title: str):
    status = 400 if form.errors else 200
    unused = user and portal_password_unused(current_app.config, user.email)
    page = render_template(
        "admin/user_form.html", form=form, user=user, title=title, password_unused=unused
    )
    return page, status


@bp.route("/users")
@roles_required(Role.ADMIN)
def users():
    """Every account, filtered by name or email text and by role, 50 a page."""
    filters = UserFilterForm(formdata=request.args)
    query = (
        select(User)
        .options(selectinload(User.role_rows), selectinload(User.team))
        .order_by(User.name, User.email)
    )
    if filters.q.data:
        query = query.where(
            or_(
                User.name.icontains(filters.q.data, autoescape=True),
                User.email.icontains(filters.q.data, autoescape=True),
            )
        )
    role = filters.role.data if filters.role.data in {role.value for role in Role} else None
    if role:
        holders = select(UserRole.user_id).where(UserRole.role == role)
        query = query.where(User.id.in_(holders))
    page = db.paginate(query, per_page=PER_PAGE, max_per_page=PER_PAGE)
    args = {key: value for key, value in (("q", filters.q.data), ("role", role)) if value}
    return render_template(
        "admin/users.html", title="Users", filters=filters, page=page, filter_args=args
    )


@bp.route("/users/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def new_user():
    """Create an account; a password is set afterwards on its own page."""
    form = UserForm()
    if form.validate_on_submit(extra_validators=_user_rules(None)):
        user = User()
        _apply(form, user)
        db.session.add(user)
        db.session.flush()
        tell_of_new_roles(user, set())
        summary = f"Created the account of {user.name}"
        save_change("created", "user", user.id, summary, {}, user_snapshot(user))
        unused = portal_password_unused(current_app.config, user.email)
        then = f"{user.name} {unused}." if unused else "Set a password so they can sign in."
        flash(f"Account created for {user.name}. {then}", "success")
        return redirect(url_for("admin.edit_user", user_id=user.id))
    return _render_form(form, None, "Add a user")


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def edit_user(user_id: int):
    """Change someone's details, roles, line manager and whether their account is active."""
    user = db.get_or_404(User, user_id)
    form = UserForm(obj=user)
    if form.validate_on_submit(extra_validators=_user_rules(user)):
        before, roles_before = user_snapshot(user), set(user.roles)
        _apply(form, user)
        tell_of_new_roles(user, roles_before)
        summary = f"Changed the account of {user.name}"
        if save_change("changed", "user", user.id, summary, before, user_snapshot(user)):
            flash(f"The changes to {user.name}'s account are saved.", "success")
        else:
            flash(f"Nothing was changed for {user.name}.", "info")
        return redirect(url_for("admin.users"))
    return _render_form(form, user, f"Edit {user.name}")


@bp.route("/users/<int:user_id>/password", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def set_password(user_id: int):
    """Give someone a new password; the history records that it was set, never what to.

    When a portal password would not sign them in (the council's directory checks
    passwords, or portal passwords are off for them) the page says so instead, and a POST
    is refused (400) with that message and changes nothing.
    """
    user = db.get_or_404(User, user_id)
    title = f"Set a password for {user.name}"
    unused = portal_password_unused(current_app.config, user.email)
    if unused:
        refused = request.method == "POST"
        page = render_template(
            "admin/password.html",
            user=user,
            title=f"Error: {title}" if refused else title,
            heading=title,
            unused=f"{user.name} {unused}. A password set here would not be used.",
            refused=refused,
        )
        return page, 400 if refused else 200
    form = PasswordForm()
    if form.validate_on_submit(extra_validators={"password": [_strong_enough]}):
        user.password_hash = hash_password(form.password.data)
        record(
            "password set",
            "user",
            user.id,
            actor_id=current_user.id,
            summary=f"Set a new password for {user.name}",
        )
        db.session.commit()
        flash(f"A new password is set for {user.name}.", "success")
        return redirect(url_for("admin.edit_user", user_id=user.id))
    status = 400 if form.errors else 200
    page = render_template("admin/password.html", form=form, user=user, title=title, heading=title)
    return page, status
