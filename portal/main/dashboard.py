"""The panels of the home page: what this user has to do, decided by their roles.

Each panel counts with aggregate SQL and shows at most :data:`PANEL_ROWS` rows (the soonest
due or the longest waiting) with a "See all" link to the filtered list, so a home page
sends the same statements whatever the years of data behind it.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from flask import current_app, url_for
from markupsafe import Markup
from sqlalchemy import Select, and_, case, func, select
from sqlalchemy.orm import joinedload

from portal.actions import queries as action_queries
from portal.actions.rules import is_returned
from portal.actions.service import brief
from portal.concerns.service import OVERSIGHT_ROLES, RESPONDER_ROLES
from portal.concerns.urgency import urgency
from portal.extensions import db
from portal.hookspecs import DashboardPanel
from portal.main import leaders
from portal.main.leaders import PANEL_ROWS
from portal.main.oversight import UNFINISHED_AUDITS
from portal.models import (
    Action,
    ActionStatus,
    Audit,
    AuditAuditor,
    AuditStatus,
    Case,
    Role,
    SafeguardingConcern,
    User,
)
from portal.permissions import managed_team_ids
from portal.plugins import plugin_host
from portal.timeutil import to_london, today_london

OPEN_AUDIT_STATUSES = UNFINISHED_AUDITS
MANAGER_ROLES = (
    Role.TEAM_MANAGER,
    Role.SERVICE_MANAGER,
    Role.HEAD_OF_SERVICE,
    Role.ASSISTANT_DIRECTOR,
)
#: The leaders who see how their services are doing (the QA lead sees every service).
SENIOR_ROLES = (
    Role.ASSISTANT_DIRECTOR,
    Role.HEAD_OF_SERVICE,
    Role.SERVICE_MANAGER,
    Role.MASH_HEAD_OF_SERVICE,
)


Panel = DashboardPanel


def _process_name(key: str) -> str:
    return plugin_host().process_name(key)


def link(text: str, href: str) -> Markup:
    """A table cell holding a link (the text is escaped)."""
    return Markup('<a class="govuk-link" href="{}">{}</a>').format(href, text)


def _plural(count: int, singular: str, plural: str) -> str:
    return f"{count:,} {singular if count == 1 else plural}"


def _audit_rows(audits: list[Audit]) -> list[list[str]]:
    today = today_london()
    return [
        [
            link(audit.case.reference, url_for("audits.show", audit_id=audit.id)),
            _process_name(audit.process_key),
            AuditStatus(audit.status).label,
            leaders.due_text(audit, today),
        ]
        for audit in audits
    ]


def _audits_panel(title: str, empty_text: str, query: Select, nouns: tuple[str, str]) -> Panel:
    count, audits = leaders.soonest_audits(query)
    more = count > len(audits)
    counted = _plural(count, *nouns)
    return Panel(
        title=title,
        empty_text=empty_text,
        head=["Case", "Audit", "Status", "Due"],
        rows=_audit_rows(audits),
        summary=f"The {len(audits)} due soonest of {counted}." if more else "",
        link=(url_for("audits.index"), f"See all {counted}") if more else None,
    )


def _audits_to_complete(user: User) -> Panel:
    query = (
        select(Audit)
        .join(Case, Case.id == Audit.case_id)
        .join(AuditAuditor, AuditAuditor.audit_id == Audit.id)
        .where(AuditAuditor.user_id == user.id, Audit.status.in_(OPEN_AUDIT_STATUSES))
    )
    return _audits_panel(
        "Audits to complete",
        "You have no audits to complete.",
        query,
        ("audit to complete", "audits to complete"),
    )


def _audits_of_my_cases(user: User) -> Panel:
    query = (
        select(Audit)
        .join(Case, Case.id == Audit.case_id)
        .where(Case.allocated_worker_id == user.id, Audit.status != AuditStatus.CLOSED.value)
    )
    return _audits_panel(
        "Audits of your cases",
        "None of your cases is being audited at the moment.",
        query,
        ("audit of your cases", "audits of your cases"),
    )


def _case_records() -> Panel:
    count = db.session.scalar(
        select(func.count()).select_from(Case).where(Case.closed_on.is_(None))
    )
    return Panel(
        title="Case records",
        empty_text="No cases have been imported yet. Import the export from the case system.",
        summary=f"{count} open cases are in the portal. {leaders.case_import_summary()}"
        if count
        else "",
        link=(url_for("cases.import_cases"), "Import cases"),
    )


def _audit_tools() -> Panel:
    host = plugin_host()
    enabled = len(host.enabled_keys())
    installed = len(host.installed)
    return Panel(
        title="Audit tools",
        empty_text="No audit tools are installed.",
        summary=f"{enabled} of {installed} audit tools are enabled." if installed else "",
        link=(url_for("admin.plugins"), "Manage audit tools"),
    )


def _concerns_to_answer(user: User, team_ids: Collection[int] | None = None) -> Select:
    """The open concerns *user* answers or oversees (``portal.concerns.service.can_respond``
    for a whole list): every one for the safeguarding unit and the QA lead; for a head of
    service, those about the cases of the teams in their management chain (*team_ids*,
    read here when not given), where they are a senior manager."""
    query = select(SafeguardingConcern).where(SafeguardingConcern.responded_at.is_(None))
    if user.has_role(*OVERSIGHT_ROLES):
        return query
    teams = managed_team_ids(user) if team_ids is None else team_ids
    cases = select(Case.id).where(Case.team_id.in_(sorted(teams)))
    return query.where(SafeguardingConcern.case_id.in_(cases))


def _safeguarding_concerns(user: User, team_ids: Collection[int], today: date) -> Panel:
    query = _concerns_to_answer(user, team_ids)
    count = db.session.scalar(query.with_only_columns(func.count(SafeguardingConcern.id))) or 0
    concerns = db.session.scalars(
        query.options(
            joinedload(SafeguardingConcern.case), joinedload(SafeguardingConcern.raised_by)
        )
        .order_by(SafeguardingConcern.raised_at, SafeguardingConcern.id)
        .limit(PANEL_ROWS)
    ).all()
    answers = user.has_role(*RESPONDER_ROLES)
    return Panel(
        title="Safeguarding concerns awaiting a response",
        empty_text="There are no open safeguarding concerns.",
        head=["Case", "Raised", "By", "Urgency"],
        rows=[
            [
                link(concern.case.reference, url_for("concerns.show", concern_id=concern.id)),
                to_london(concern.raised_at).strftime("%-d %B %Y at %H:%M"),
                concern.raised_by.name,
                _urgency_tag(concern, today),
            ]
            for concern in concerns
        ],
        link=(
            url_for("concerns.index", status="open"),
            f"{'Respond to' if answers else 'See'} the {count} open "
            f"{'concern' if count == 1 else 'concerns'}",
        )
        if count
        else (url_for("concerns.index"), "See the safeguarding concerns"),
    )


def _urgency_tag(concern: SafeguardingConcern, today: date) -> Markup:
    flag = urgency(concern.raised_at, concern.responded_at, today)
    if flag is None:
        return Markup("")
    return Markup('<strong class="govuk-tag govuk-tag--{}">{}</strong>').format(
        flag.colour, flag.label
    )


def _action_counts(user: User, today: date) -> tuple[int, int, int]:
    """How many issued actions *user* owns, how many are open, how many of those are
    overdue: one aggregate statement on ``ix_actions_owner_id_status_due_on``."""
    is_open = Action.status == ActionStatus.OPEN.value
    late = and_(is_open, Action.due_on < today)
    issued, still_open, overdue = db.session.execute(
        select(
            func.count(Action.id),
            func.coalesce(func.sum(case((is_open, 1), else_=0)), 0),
            func.coalesce(func.sum(case((late, 1), else_=0)), 0),
        ).where(Action.owner_id == user.id, Action.status.in_(action_queries.ISSUED))
    ).one()
    return issued, still_open, overdue


def _my_actions(user: User, still_open: int, overdue: int, today: date) -> Panel:
    soonest = db.session.scalars(
        action_queries.listed()
        .where(Action.owner_id == user.id, Action.status == ActionStatus.OPEN.value)
        .order_by(Action.due_on.is_(None), Action.due_on, Action.id)
        .limit(PANEL_ROWS)
    ).all()
    rows = []
    for action in soonest:
        status = "Returned" if is_returned(action) else "Open"
        rows.append(
            [
                action.audit.case.reference,
                brief(action),
                action.due_on.strftime("%-d %B %Y") if action.due_on else "No date",
                f"{status}, overdue" if action.is_overdue(today) else status,
            ]
        )
    summary = ""
    if still_open:
        summary = Markup("You have {}.").format(_plural(still_open, "open action", "open actions"))
        if overdue:
            overdue_link = link(
                _plural(overdue, "is overdue", "are overdue"),
                url_for("actions.index", status="open", overdue="1"),
            )
            summary = Markup("You have {}: {}.").format(
                _plural(still_open, "open action", "open actions"), overdue_link
            )
    return Panel(
        title="Your actions",
        empty_text="You have no open actions.",
        head=["Case", "Action", "Due", "Status"],
        rows=rows,
        summary=summary,
        link=(
            url_for("actions.index", status="open"),
            f"See all {_plural(still_open, 'open action', 'open actions')}",
        )
        if still_open
        else (url_for("actions.index"), "See all your actions"),
    )


def _actions_to_sign_off(count: int) -> Panel:
    return Panel(
        title="Actions awaiting your sign-off",
        empty_text="No actions are waiting for your sign-off.",
        summary=(
            f"{count:,} {'action is' if count == 1 else 'actions are'} waiting for your sign-off."
            if count
            else ""
        ),
        link=(
            url_for("actions.awaiting"),
            "Sign off your team's actions" if count else "See your team's actions",
        ),
    )


def dashboard_for(user: User) -> list[Panel]:
    """The panels *user* should see, most pressing first: what needs them, then how their
    part of the service is doing (:mod:`portal.main.leaders`)."""
    today = today_london()
    reach = action_queries.reach_of(user)
    panels = [_audits_to_complete(user)]
    if user.has_role(*RESPONDER_ROLES, Role.QA_LEAD):
        panels.insert(0, _safeguarding_concerns(user, reach.teams, today))
    if user.has_role(Role.QA_LEAD):
        panels += [
            leaders.moderation_panel(),
            leaders.selection_panel(today),
            leaders.overdue_by_tool_panel(today),
        ]
    if user.has_role(Role.QA_ADMIN):
        panels[:0] = [leaders.selection_panel(today), leaders.audits_to_chase_panel(today)]
    issued, still_open, overdue = _action_counts(user, today)
    if issued:
        panels.append(_my_actions(user, still_open, overdue, today))
    waiting = action_queries.count_awaiting(reach)
    if waiting or user.has_role(*MANAGER_ROLES):
        panels.append(_actions_to_sign_off(waiting))
    if user.has_role(Role.SOCIAL_WORKER, Role.EARLY_HELP_WORKER):
        panels.append(_audits_of_my_cases(user))
    if user.has_role(Role.QA_LEAD):
        panels.append(leaders.services_panel("How each service is doing", None, today))
    elif user.has_role(*SENIOR_ROLES):
        panels.append(leaders.services_panel("How your services are doing", reach.teams, today))
    elif user.has_role(Role.TEAM_MANAGER):
        panels += [
            leaders.teams_panel(reach.teams, today),
            leaders.team_audits_panel(reach.teams, today),
        ]
    if user.has_role(Role.ADMIN, Role.QA_ADMIN):
        panels.append(_case_records())
    if user.has_role(Role.ADMIN):
        panels.append(_audit_tools())
    return panels + plugin_panels(user)


def plugin_panels(user: User) -> list[Panel]:
    """The enabled plugins' panels for *user* (``portal_dashboard_panels``), after the core's."""
    panels = []
    for key, call in plugin_host().implementations("portal_dashboard_panels"):
        for panel in call(user=user) or []:
            if isinstance(panel, DashboardPanel):
                panels.append(panel)
            else:
                current_app.logger.error("plugin %r: a dashboard panel that is not one", key)
    return panels
