"""The actions pages: "My actions" with the form to complete each open one, and "Awaiting
my sign-off" with the forms to sign off or return, and the team's open actions.

Every form works as a plain POST with a redirect; with htmx the same template's block for
the one action comes back instead of the whole page.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from jinja2_fragments.flask import render_block

from portal.actions import bp, service
from portal.actions.rules import (
    Refusal,
    is_returned,
    refusal_to_complete,
    refusal_to_sign_off,
    sign_off_manager,
)
from portal.audits.access import can_view
from portal.audits.forms import read_text
from portal.audits.service import form_of
from portal.extensions import db
from portal.models import Action, Priority
from portal.permissions import people_below

INDEX = "actions/index.html"
AWAITING = "actions/sign_off.html"


def _htmx() -> bool:
    return bool(request.headers.get("HX-Request"))


def _show() -> str:
    show = request.args.get("show", "all")
    return show if show in service.SHOW_CHOICES else "all"


def _section_titles(actions: Iterable[Action]) -> dict[int, str]:
    """Each action's section title, read from the form version its audit was filled in."""
    forms = {}
    titles = {}
    for action in actions:
        audit = action.audit
        if audit.id not in forms:
            forms[audit.id] = form_of(audit) if audit.form is not None else None
        form = forms[audit.id]
        sections = form.sections if form is not None else ()
        titles[action.id] = next(
            (section.title for section in sections if section.key == action.section_key),
            action.section_key,
        )
    return titles


def _context(actions: list[Action], shown: Iterable[Action] = (), **extra) -> dict:
    """What both pages' action blocks need, for *actions* and any other *shown* ones."""
    every = [*actions, *shown]
    return {
        "actions": actions,
        "today": date.today(),
        "sections": _section_titles(every),
        "viewable": {a.audit_id for a in every if can_view(current_user, a.audit)},
        "priority_label": lambda value: Priority(value).label,
        "is_returned": is_returned,
        "field_errors": {},
        "error_list": [],
        "typed": {},
        **extra,
    }


def _action_or_404(action_id: int) -> Action:
    action = db.session.get(Action, action_id, with_for_update=True)
    if action is None:
        abort(404)
    return action


def _refuse(refusal: Refusal):
    """403 for the wrong person; 409 with the reason for an action in the wrong state.

    htmx does not swap error responses, so an htmx request reloads the page, which shows
    the reason in a banner.
    """
    if refusal.status == 403:
        abort(403)
    if _htmx():
        flash(refusal.message)
        return Response(status=409, headers={"HX-Refresh": "true"})
    page = render_template(
        "actions/conflict.html", title="This action cannot be changed", message=refusal.message
    )
    return page, 409


def _field_error(field_id: str, message: str) -> dict:
    return {
        "field_errors": {field_id: message},
        "error_list": [{"text": message, "href": f"#{field_id}"}],
    }


@bp.route("/")
@login_required
def index():
    """My actions: the issued actions the signed-in user owns, open and returned first."""
    show = _show()
    return render_template(INDEX, **_index_context(show))


def _index_context(show: str, **extra) -> dict:
    return _context(
        service.owned_by(current_user, show),
        title="My actions",
        show=show,
        manages=bool(current_user.managed_teams) or bool(people_below(current_user)),
        **extra,
    )


@bp.post("/<int:action_id>/complete")
@login_required
def complete(action_id: int):
    """The owner marks an open action complete, with evidence of what was done."""
    action = _action_or_404(action_id)
    refusal = refusal_to_complete(current_user, action)
    if refusal:
        return _refuse(refusal)
    show = _show()
    evidence, error = read_text(request.form, "evidence", "Describe what was done")
    if error:
        errors = {**_field_error(f"evidence-{action.id}", error), "typed": {action.id: evidence}}
        if _htmx():  # htmx swaps only 2xx answers: the row comes back with its error
            return render_block(
                INDEX, "action_row", action=action, **_context([action], show=show, **errors)
            )
        return render_template(INDEX, **_index_context(show, **errors)), 400
    service.complete(action, current_user, evidence)
    db.session.commit()
    manager = sign_off_manager(action)
    message = (
        f"The action is marked complete. {manager.name} has been asked to sign it off."
        if manager
        else "The action is marked complete. Nobody is set up to sign it off: tell the QA team."
    )
    if _htmx():
        return render_block(
            INDEX, "action_row", action=action, **_context([action], show=show, message=message)
        )
    flash(message, "success")
    return redirect(url_for("actions.index", show=show))


@bp.route("/sign-off")
@login_required
def awaiting():
    """Awaiting my sign-off, and the open actions of the people who report to me."""
    return render_template(AWAITING, **_awaiting_context())


def _awaiting_context(**extra) -> dict:
    team_actions = service.open_below(current_user, date.today())
    return _context(
        service.awaiting_sign_off(current_user),
        team_actions,
        title="Awaiting my sign-off",
        has_reports=bool(people_below(current_user)),
        team_actions=team_actions,
        **extra,
    )


def _decided(action: Action, message: str):
    """The answer after a sign-off or a return: the action's card (htmx) or a redirect."""
    if _htmx():
        return render_block(
            AWAITING, "sign_off_card", action=action, **_context([action], message=message)
        )
    flash(message, "success")
    return redirect(url_for("actions.awaiting"))


@bp.post("/<int:action_id>/sign-off")
@login_required
def sign_off(action_id: int):
    """The sign-off manager agrees a completed action is done; the audit may close."""
    action = _action_or_404(action_id)
    refusal = refusal_to_sign_off(current_user, action)
    if refusal:
        return _refuse(refusal)
    closed = service.sign_off(action, current_user)
    db.session.commit()
    reference = action.audit.case.reference
    message = f"You signed off {action.owner.name}'s action on {reference}."
    if closed:
        message += f" Every action is now signed off, so the audit of {reference} is closed."
    return _decided(action, message)


@bp.post("/<int:action_id>/return")
@login_required
def send_back(action_id: int):
    """The sign-off manager returns a completed action to its owner, saying why."""
    action = _action_or_404(action_id)
    refusal = refusal_to_sign_off(current_user, action)
    if refusal:
        return _refuse(refusal)
    reason, error = read_text(request.form, "reason", "Say why the action is not complete")
    if error:
        errors = {**_field_error(f"reason-{action.id}", error), "typed": {action.id: reason}}
        if _htmx():  # htmx swaps only 2xx answers: the card comes back with its error
            return render_block(
                AWAITING, "sign_off_card", action=action, **_context([action], **errors)
            )
        return render_template(AWAITING, **_awaiting_context(**errors)), 400
    service.send_back(action, current_user, reason)
    db.session.commit()
    return _decided(action, f"You returned the action to {action.owner.name}.")
