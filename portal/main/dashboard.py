"""The panels of the home page: what this user has to do, decided by their roles."""

from __future__ import annotations

from datetime import date

from flask import current_app, url_for
from markupsafe import Markup
from sqlalchemy import func, select

from portal.actions.rules import is_returned
from portal.actions.service import awaiting_sign_off, brief, owned_by, owns_any
from portal.concerns.service import RESPONDER_ROLES, awaiting_response
from portal.extensions import db
from portal.hookspecs import DashboardPanel
from portal.models import Audit, AuditAuditor, AuditStatus, Case, Role, Team, User
from portal.plugins import plugin_host
from portal.timeutil import to_london

OPEN_AUDIT_STATUSES = (AuditStatus.ALLOCATED.value, AuditStatus.IN_PROGRESS.value)
MANAGER_ROLES = (
    Role.TEAM_MANAGER,
    Role.SERVICE_MANAGER,
    Role.HEAD_OF_SERVICE,
    Role.ASSISTANT_DIRECTOR,
)


Panel = DashboardPanel


def _process_name(key: str) -> str:
    plugin = plugin_host().installed.get(key)
    return plugin.info.name if plugin else key


def link(text: str, href: str) -> Markup:
    """A table cell holding a link (the text is escaped)."""
    return Markup('<a class="govuk-link" href="{}">{}</a>').format(href, text)


def _audit_rows(audits: list[Audit]) -> list[list[str]]:
    return [
        [
            link(audit.case.reference, url_for("audits.show", audit_id=audit.id)),
            _process_name(audit.process_key),
            AuditStatus(audit.status).label,
            audit.due_on.strftime("%-d %B %Y"),
        ]
        for audit in audits
    ]


def _audits_to_complete(user: User) -> Panel:
    audits = db.session.scalars(
        select(Audit)
        .join(AuditAuditor)
        .where(AuditAuditor.user_id == user.id, Audit.status.in_(OPEN_AUDIT_STATUSES))
        .order_by(Audit.due_on)
    ).all()
    return Panel(
        title="Audits to complete",
        empty_text="You have no audits to complete.",
        head=["Case", "Audit", "Status", "Due"],
        rows=_audit_rows(list(audits)),
    )


def _audits_of_my_cases(user: User) -> Panel:
    audits = db.session.scalars(
        select(Audit)
        .join(Case)
        .where(Case.allocated_worker_id == user.id, Audit.status != AuditStatus.CLOSED.value)
        .order_by(Audit.due_on)
    ).all()
    return Panel(
        title="Audits of your cases",
        empty_text="None of your cases is being audited at the moment.",
        head=["Case", "Audit", "Status", "Due"],
        rows=_audit_rows(list(audits)),
    )


def _my_teams(user: User) -> Panel:
    open_cases = (
        select(Case.team_id, func.count().label("open_cases"))
        .where(Case.closed_on.is_(None))
        .group_by(Case.team_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Team.name, func.coalesce(open_cases.c.open_cases, 0))
        .outerjoin(open_cases, open_cases.c.team_id == Team.id)
        .where(Team.manager_id == user.id)
        .order_by(Team.name)
    ).all()
    return Panel(
        title="Teams you manage",
        empty_text="You do not manage a team directly.",
        head=["Team", "Open cases"],
        rows=[[name, str(count)] for name, count in rows],
        link=(url_for("cases.index"), "See your teams' cases"),
    )


def _case_records() -> Panel:
    count = db.session.scalar(
        select(func.count()).select_from(Case).where(Case.closed_on.is_(None))
    )
    return Panel(
        title="Case records",
        empty_text="No cases have been imported yet. Import the export from the case system.",
        summary=f"{count} open cases are in the portal." if count else "",
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


def _safeguarding_concerns(user: User) -> Panel:
    concerns = awaiting_response(user)
    count = len(concerns)
    return Panel(
        title="Safeguarding concerns awaiting a response",
        empty_text="There are no open safeguarding concerns.",
        head=["Case", "Raised", "By"],
        rows=[
            [
                concern.case.reference,
                to_london(concern.raised_at).strftime("%-d %B %Y at %H:%M"),
                concern.raised_by.name,
            ]
            for concern in concerns
        ],
        link=(
            url_for("concerns.index"),
            f"Respond to the {count} open {'concern' if count == 1 else 'concerns'}"
            if count
            else "See the safeguarding concerns",
        ),
    )


def _my_actions(user: User) -> Panel:
    today = date.today()
    rows = []
    for action in owned_by(user, "open"):
        status = "Returned" if is_returned(action) else "Open"
        rows.append(
            [
                action.audit.case.reference,
                brief(action),
                action.due_on.strftime("%-d %B %Y") if action.due_on else "No date",
                f"{status}, overdue" if action.is_overdue(today) else status,
            ]
        )
    return Panel(
        title="Your actions",
        empty_text="You have no open actions.",
        head=["Case", "Action", "Due", "Status"],
        rows=rows,
        link=(url_for("actions.index"), "See all your actions"),
    )


def _actions_to_sign_off(count: int) -> Panel:
    return Panel(
        title="Actions awaiting your sign-off",
        empty_text="No actions are waiting for your sign-off.",
        summary=(
            f"{count} {'action is' if count == 1 else 'actions are'} waiting for your sign-off."
            if count
            else ""
        ),
        link=(
            url_for("actions.awaiting"),
            "Sign off your team's actions" if count else "See your team's actions",
        ),
    )


def dashboard_for(user: User) -> list[Panel]:
    """The panels *user* should see, most pressing first."""
    panels = [_audits_to_complete(user)]
    if user.has_role(*RESPONDER_ROLES):
        panels.insert(0, _safeguarding_concerns(user))
    if owns_any(user):
        panels.append(_my_actions(user))
    waiting = len(awaiting_sign_off(user))
    if waiting or user.has_role(*MANAGER_ROLES):
        panels.append(_actions_to_sign_off(waiting))
    if user.has_role(Role.SOCIAL_WORKER, Role.EARLY_HELP_WORKER):
        panels.append(_audits_of_my_cases(user))
    if user.has_role(*MANAGER_ROLES):
        panels.append(_my_teams(user))
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
