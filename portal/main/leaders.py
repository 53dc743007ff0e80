"""The home page panels of the people who run the framework: how their part of the service
is doing, and what needs them (issue 12, point 1).

- The QA lead: the moderation backlog by audit tool and month, this month's and next
  month's selection, audits overdue by tool, and every service's figures.
- The QA administrator: the month to draw or confirm, the quotas not filled, the overdue
  audits to chase, the last case import.
- The assistant director, heads of service and service managers: their services' figures,
  the learning report one click away.
- Team managers: their teams' figures and the audits of their cases under way.

Each panel's figures come from one grouped statement (:mod:`portal.main.oversight`).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from flask import url_for
from markupsafe import Markup
from sqlalchemy import Select, func, select
from sqlalchemy.orm import contains_eager, selectinload

from portal.extensions import db
from portal.hookspecs import DashboardPanel
from portal.main import oversight
from portal.main.figure_cache import Counted, counted
from portal.main.oversight import AreaFigures
from portal.models import Audit, AuditAuditor, AuditStatus, Case
from portal.plugins import plugin_host
from portal.reports.monthly import add_months, month_key
from portal.timeutil import govuk_date, to_london

#: The most rows a panel shows; the rest are behind its link.
PANEL_ROWS = 5
#: The most months of moderation backlog a panel lists, oldest first.
BACKLOG_ROWS = 10


def _link(text: str, href: str) -> Markup:
    return Markup('<a class="govuk-link" href="{}">{}</a>').format(href, text)


def _plural(count: int, singular: str, plural: str) -> str:
    return f"{count:,} {singular if count == 1 else plural}"


def _tool_name(key: str) -> str:
    return plugin_host().process_name(key)


def _share(part: int, whole: int) -> str:
    """ "4 of 5 (80%)", or "No audits" when there are none."""
    if not whole:
        return "No audits"
    return f"{part:,} of {whole:,} ({round(100 * part / whole)}%)"


def _progress(area: AreaFigures) -> str:
    progress = area.progress
    return "No actions" if progress is None else f"{round(100 * progress)}%"


AREA_HEAD = [
    "Audits this month",
    "Good or better this month",
    f"Good or better, previous {oversight.TREND_MONTHS} months",
    "Open actions",
    "Overdue actions",
    "Actions signed off (weighted by priority)",
    "Open safeguarding concerns",
]


def _overdue_cell(area: AreaFigures, href: str) -> Markup | str:
    count = str(area.overdue_actions)
    return _link(count, href) if area.overdue_actions else count


def _area_rows(areas: list[AreaFigures], overdue_href) -> list[list]:
    return [
        [
            area.name,
            str(area.audits_this_month),
            _share(area.good_this_month, area.audits_this_month),
            _share(area.good_before, area.audits_before),
            str(area.open_actions),
            _overdue_cell(area, overdue_href(area)),
            _progress(area),
            str(area.open_concerns),
        ]
        for area in areas
    ]


def _area_figures(
    by_team: bool, team_ids: Collection[int] | None, today: date
) -> Counted[list[AreaFigures]]:
    """:func:`oversight.area_figures`, counted at most once every
    ``HOME_FIGURES_SECONDS`` for the same teams (:mod:`portal.main.figure_cache`)."""
    scope = (by_team, None if team_ids is None else frozenset(team_ids), today)
    return counted("area figures", scope, lambda: oversight.area_figures(by_team, team_ids, today))


def _figures_summary(areas: Counted[list[AreaFigures]], today: date) -> str:
    """When the figures were counted, and what "good or better" means (with no rows, the
    panel says instead that there is nothing to count)."""
    return (
        f"{today:%B %Y} so far, counted at {to_london(areas.at):%H:%M}. "
        "Good or better: graded Outstanding or Good."
    )


def services_panel(title: str, team_ids: Collection[int] | None, today: date) -> DashboardPanel:
    """Each service's grades this month against the twelve months before, its actions
    (open, overdue, weighted progress) and open concerns; the report one click away.

    *team_ids*: the teams whose cases count (None: every team, for the QA lead)."""
    areas = _area_figures(False, team_ids, today)
    rows = _area_rows(
        areas.value,
        lambda area: url_for("actions.overview", service=area.id, overdue="1"),
    )
    return DashboardPanel(
        title=title,
        empty_text="You oversee no service's teams.",
        head=["Service", *AREA_HEAD],
        rows=rows,
        summary=_figures_summary(areas, today) if rows else "",
        link=(url_for("reports.monthly"), "See the monthly learning report"),
    )


def teams_panel(team_ids: Collection[int], today: date) -> DashboardPanel:
    """A team manager's teams: grades this month against the twelve before, actions and
    open concerns, by team."""
    areas = _area_figures(True, team_ids, today)
    rows = _area_rows(
        areas.value,
        lambda _area: url_for("actions.awaiting", **{"team-status": "open", "team-overdue": "1"}),
    )
    return DashboardPanel(
        title="Your teams",
        empty_text="You do not manage a team directly.",
        head=["Team", *AREA_HEAD],
        rows=rows,
        summary=_figures_summary(areas, today) if rows else "",
        link=(url_for("cases.index"), "See your teams' cases"),
    )


def soonest_audits(query: Select) -> tuple[int, list[Audit]]:
    """How many audits *query* (joined to ``Case``) finds, and the first few due, each with
    its case (two statements, found or not)."""
    count = db.session.scalar(query.with_only_columns(func.count(Audit.id)).order_by(None)) or 0
    audits = db.session.scalars(
        query.options(contains_eager(Audit.case)).order_by(Audit.due_on, Audit.id).limit(PANEL_ROWS)
    ).all()
    return count, list(audits)


def due_text(audit: Audit, today: date) -> str:
    """When *audit* is due, GOV.UK style, marked "(overdue)" when it is still to be
    submitted after its due date."""
    late = audit.status in oversight.UNFINISHED_AUDITS and audit.due_on < today
    return govuk_date(audit.due_on) + (" (overdue)" if late else "")


def team_audits_panel(team_ids: Collection[int], today: date) -> DashboardPanel:
    """The audits of the manager's teams' cases still to finish, the soonest due first
    (two statements): what is due, and by when."""
    query = (
        select(Audit)
        .join(Case, Case.id == Audit.case_id)
        .where(
            Case.team_id.in_(sorted(team_ids)),
            Audit.status.in_(oversight.UNFINISHED_AUDITS),
        )
    )
    count, audits = soonest_audits(query)
    rows = [
        [
            audit.case.reference,
            _tool_name(audit.process_key),
            AuditStatus(audit.status).label,
            due_text(audit, today),
        ]
        for audit in audits
    ]
    return DashboardPanel(
        title="Audits of your teams' cases under way",
        empty_text="None of your teams' cases is being audited at the moment.",
        head=["Case", "Audit", "Status", "Due"],
        rows=rows,
        summary=f"The {len(rows)} due soonest of {_plural(count, 'audit', 'audits')}."
        if count > len(rows)
        else "",
    )


def moderation_panel() -> DashboardPanel:
    """The QA lead's moderation backlog by audit tool and month submitted, oldest first."""
    backlog = oversight.moderation_backlog()
    total = sum(item.count for item in backlog)
    rows = [
        [
            _tool_name(item.process_key),
            f"{item.month:%B %Y}",
            _link(
                _plural(item.count, "audit", "audits"),
                url_for("moderation.index", tool=item.process_key, month=month_key(item.month)),
            ),
        ]
        for item in backlog[:BACKLOG_ROWS]
    ]
    return DashboardPanel(
        title="Audits waiting for moderation",
        empty_text="No audit is waiting for moderation.",
        head=["Audit tool", "Submitted in", "Waiting"],
        rows=rows,
        summary=f"{_plural(total, 'audit is', 'audits are')} waiting, the oldest month first."
        if total
        else "",
        link=(url_for("moderation.index"), "Moderate audits"),
    )


def _selection_state(state: oversight.SelectionState) -> str:
    if state.confirmed:
        return "Confirmed"
    if state.audits and state.draft:
        return f"Drawn; a draft of {state.draft} more to confirm"
    if state.audits:
        return "Drawn"
    if state.draft:
        return "Drawn, not confirmed"
    return "Not drawn"


def _shortfalls(state: oversight.SelectionState) -> str:
    if not state.drawn:
        return ""
    if state.shortfalls is None:
        return "No draw on record"
    if not state.shortfalls:
        return "None"
    return "; ".join(
        f"{item['quota']}: {item['got']} of {item['wanted']}" for item in state.shortfalls
    )


def selection_panel(today: date) -> DashboardPanel:
    """This month's and next month's selection as the schedule shows it: drawn? confirmed?
    how many audits, and the quotas the draw could not fill (two statements)."""
    months = [today.replace(day=1), add_months(today, 1)]
    rows = [
        [
            _link(
                f"{state.month:%B %Y}",
                url_for("scheduling.selection", month=month_key(state.month)),
            ),
            _selection_state(state),
            str(state.audits or state.draft) if state.drawn else "",
            _shortfalls(state),
        ]
        for state in oversight.selection_states(months)
    ]
    return DashboardPanel(
        title="Monthly selection",
        empty_text="",
        head=["Month", "Selection", "Audits", "Quotas not filled"],
        rows=rows,
        link=(url_for("scheduling.index"), "See the schedule"),
    )


def overdue_by_tool_panel(today: date) -> DashboardPanel:
    """How many audits are overdue, by audit tool (one statement)."""
    counts = oversight.overdue_audits_by_tool(today)
    return DashboardPanel(
        title="Overdue audits",
        empty_text="No audit is overdue.",
        head=["Audit tool", "Overdue"],
        rows=[[_tool_name(key), str(count)] for key, count in counts.items()],
        link=(url_for("audits.index"), "See the audits") if counts else None,
    )


def audits_to_chase_panel(today: date) -> DashboardPanel:
    """The QA administrator's overdue audits to chase: how many, and the longest overdue
    with their auditors (two statements)."""
    counts = oversight.overdue_audits_by_tool(today)
    total = sum(counts.values())
    audits = db.session.scalars(
        oversight.overdue_audits(today)
        .join(Case, Case.id == Audit.case_id)
        .options(
            contains_eager(Audit.case),
            selectinload(Audit.auditor_rows).joinedload(AuditAuditor.user),
        )
        .order_by(Audit.due_on, Audit.id)
        .limit(PANEL_ROWS)
    ).all()
    rows = [
        [
            _link(audit.case.reference, url_for("audits.show", audit_id=audit.id)),
            _tool_name(audit.process_key),
            ", ".join(row.user.name for row in audit.auditor_rows) or "Nobody",
            govuk_date(audit.due_on),
        ]
        for audit in audits
    ]
    return DashboardPanel(
        title="Overdue audits to chase",
        empty_text="No audit is overdue.",
        head=["Case", "Audit", "Auditor", "Was due"],
        rows=rows,
        summary=f"The {len(rows)} longest overdue of {_plural(total, 'audit', 'audits')}."
        if total > len(rows)
        else "",
        link=(url_for("audits.index"), "See the audits") if total else None,
    )


def case_import_summary() -> str:
    """When the cases were last imported, and what changed (one statement)."""
    entry = oversight.last_case_import()
    if entry is None:
        return "No case file has been imported yet."
    at = to_london(entry.at)
    return f"Last import: {govuk_date(at)} at {at:%H:%M}, {entry.summary}."
