"""The actions pages: "My actions" with the form to complete each open one, and "Awaiting
my sign-off" with the forms to sign off or return, and the team's actions.

Each list is filtered from the query string and paginated (``portal.actions.lists``);
htmx asks for a list's results block alone. Every form works as a plain POST with a
redirect that keeps the list's filters and page; with htmx the same template's block for
the one action comes back instead of the whole page.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from jinja2_fragments.flask import render_block

from portal.actions import bp, queries, service
from portal.actions.forms import TeamFilterForm
from portal.actions.lists import action_list, months, section_titles, service_choices
from portal.actions.rules import (
    Refusal,
    is_returned,
    refusal_to_complete,
    refusal_to_sign_off,
    sign_off_manager,
)
from portal.audits.forms import read_text
from portal.extensions import db
from portal.models import Action, Priority, Role
from portal.paging import wants_fragment
from portal.permissions import roles_required
from portal.timeutil import today_london

#: Who may read the actions across services: the QA lead every one, the senior leaders
#: those of the teams in their management chain.
OVERVIEW_ROLES = (
    Role.QA_LEAD,
    Role.ASSISTANT_DIRECTOR,
    Role.HEAD_OF_SERVICE,
    Role.SERVICE_MANAGER,
    Role.MASH_HEAD_OF_SERVICE,
)

INDEX = "actions/index.html"
AWAITING = "actions/sign_off.html"
OVERVIEW = "actions/overview.html"
#: The macros every action block uses, loaded once as a module: importing them in a block
#: that is rendered once per row would build the module again for every row.
PARTS = "actions/_macros.html"
MINE_ID = "my-action-results"
AWAITING_ID = "sign-off-results"
TEAM_ID = "team-results"
OVERVIEW_ID = "overview-results"
TEAM_PREFIX = "team"
#: Actions awaiting sign-off are shown as cards with two forms each: fewer to a page.
CARDS_PER_PAGE = 20


def _htmx() -> bool:
    return bool(request.headers.get("HX-Request"))


def _here(endpoint: str) -> str:
    """The list page *endpoint* with the current query string: its filters and page."""
    return url_for(endpoint, **request.args.to_dict())


def _context(actions: Iterable[Action], reach: queries.Reach, **extra) -> dict:
    """What the action blocks need for *actions*: section titles, which audits link."""
    actions = list(actions)
    return {
        "today": today_london(),
        "sections": section_titles(actions),
        "viewable": queries.viewable(current_user, {a.audit_id for a in actions}, reach),
        "priority_label": lambda value: Priority(value).label,
        "is_returned": is_returned,
        "field_errors": {},
        "error_list": [],
        "typed": {},
        "args": request.args.to_dict(),
        "parts": current_app.jinja_env.get_template(PARTS).module,
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
    """My actions: the issued actions the signed-in user owns, open and returned first,
    filtered and 50 to a page."""
    context = _index_context()
    if wants_fragment(MINE_ID):
        return render_block(INDEX, "results", **context)
    return render_template(INDEX, **context)


def _index_context(**extra) -> dict:
    mine = action_list(
        queries.owned_by(current_user),
        queries.in_list_order,
        results_id=MINE_ID,
        endpoint="actions.index",
        services=service_choices(),
        months=months(),
    )
    return _context(
        mine.page.items,
        queries.reach_of(current_user),
        title="My actions",
        mine=mine,
        manages=queries.manages_anyone(current_user),
        oversees=current_user.has_role(*OVERVIEW_ROLES),
        **extra,
    )


@bp.route("/all")
@roles_required(*OVERVIEW_ROLES)
def overview():
    """Every action across services for the QA lead; a senior leader's are those of their
    services' teams. Filtered (status, overdue, priority, month due, service) and 50 a
    page, overdue first."""
    reach = queries.reach_of(current_user)
    base = queries.issued()
    if not current_user.has_role(Role.QA_LEAD):
        base = base.where(queries.of_teams(reach.teams))
    actions = action_list(
        base,
        lambda query: queries.overdue_first(query, today_london()),
        results_id=OVERVIEW_ID,
        endpoint="actions.overview",
        services=service_choices(),
        months=months(),
    )
    context = _context(
        actions.page.items,
        reach,
        title="Actions across services",
        listing=actions,
        every_team=current_user.has_role(Role.QA_LEAD),
    )
    if wants_fragment(OVERVIEW_ID):
        return render_block(OVERVIEW, "results", **context)
    return render_template(OVERVIEW, **context)


@bp.post("/<int:action_id>/complete")
@login_required
def complete(action_id: int):
    """The owner marks an open action complete, with evidence of what was done."""
    action = _action_or_404(action_id)
    refusal = refusal_to_complete(current_user, action)
    if refusal:
        return _refuse(refusal)
    evidence, error = read_text(request.form, "evidence", "Describe what was done")
    if error:
        errors = {**_field_error(f"evidence-{action.id}", error), "typed": {action.id: evidence}}
        if _htmx():  # htmx swaps only 2xx answers: the row comes back with its error
            reach = queries.reach_of(current_user)
            return render_block(
                INDEX, "action_row", action=action, **_context([action], reach, **errors)
            )
        return render_template(INDEX, **_index_context(**errors)), 400
    service.complete(action, current_user, evidence)
    db.session.commit()
    manager = sign_off_manager(action)
    message = (
        f"The action is marked complete. {manager.name} has been asked to sign it off."
        if manager
        else "The action is marked complete. Nobody is set up to sign it off: tell the QA team."
    )
    if _htmx():
        reach = queries.reach_of(current_user)
        return render_block(
            INDEX, "action_row", action=action, **_context([action], reach, message=message)
        )
    flash(message, "success")
    return redirect(_here("actions.index"))


@bp.route("/sign-off")
@login_required
def awaiting():
    """Awaiting my sign-off, and the actions of the people who report to me: two lists,
    each with its own filters and pages in the one address."""
    context = _awaiting_context()
    for block, results_id in (("awaiting_results", AWAITING_ID), ("team_results", TEAM_ID)):
        if wants_fragment(results_id):
            return render_block(AWAITING, block, **context)
    return render_template(AWAITING, **context)


def _awaiting_context(**extra) -> dict:
    reach = queries.reach_of(current_user)
    services, every_month = service_choices(), months()
    waiting_base = queries.awaiting(reach)
    waiting = action_list(
        waiting_base,
        queries.longest_waiting,
        results_id=AWAITING_ID,
        endpoint="actions.awaiting",
        services=services,
        months=every_month,
        owners=queries.owners_awaiting(reach),
        fixed_status="completed",
        per_page=CARDS_PER_PAGE,
    )
    team = None
    if reach.below:
        team = action_list(
            queries.below(reach),
            lambda query: queries.overdue_first(query, today_london()),
            results_id=TEAM_ID,
            endpoint="actions.awaiting",
            services=services,
            months=every_month,
            owners=queries.names_of(reach.below),
            form_class=TeamFilterForm,
            prefix=TEAM_PREFIX,
        )
    shown = [*waiting.page.items, *(team.page.items if team else ())]
    return _context(
        shown,
        reach,
        title="Awaiting my sign-off",
        waiting=waiting,
        team=team,
        **extra,
    )


def _decided(action: Action, message: str):
    """The answer after a sign-off or a return: the action's card (htmx) or a redirect."""
    if _htmx():
        reach = queries.reach_of(current_user)
        return render_block(
            AWAITING, "sign_off_card", action=action, **_context([action], reach, message=message)
        )
    flash(message, "success")
    return redirect(_here("actions.awaiting"))


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
            reach = queries.reach_of(current_user)
            return render_block(
                AWAITING, "sign_off_card", action=action, **_context([action], reach, **errors)
            )
        return render_template(AWAITING, **_awaiting_context(**errors)), 400
    service.send_back(action, current_user, reason)
    db.session.commit()
    return _decided(action, f"You returned the action to {action.owner.name}.")
