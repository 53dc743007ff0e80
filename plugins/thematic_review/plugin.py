"""The hook implementations of the thematic_review plugin (its entry point's target)."""

from datetime import date, datetime

# models (the tables) and the modules that add their routes to the blueprint are imported
# for what importing them does.
from plugins.thematic_review import (  # noqa: F401
    __version__,
    annual,
    history,
    models,
    report,
    retention,
    views_family,
)
from plugins.thematic_review.blueprint import bp
from plugins.thematic_review.process import THEMATIC_REVIEW
from plugins.thematic_review.views import (  # noqa: F401
    cases,
    discussion,
    pairs,
    panels,
    plan,
    reviews,
)
from plugins.thematic_review.views import report as report_pages  # noqa: F401
from plugins.thematic_review.views.quarterly import QUARTERLY
from portal.plugin_api import (
    AuditProcess,
    DashboardPanel,
    NavItem,
    PluginInfo,
    ReportSection,
    ScheduleEntry,
    User,
    hookimpl,
)


@hookimpl
def portal_plugin_info() -> PluginInfo:
    """Identify the Thematic practice review."""
    return PluginInfo(
        key="thematic_review",
        name="Thematic practice review",
        version=__version__,
        description=(
            "The quarterly qualitative review of a theme: at least 12 cases reviewed in "
            "pairs, a discussion with each social worker and a conversation with each family, "
            "with a report and a SMART action plan."
        ),
    )


@hookimpl
def portal_blueprints() -> list:
    """The review pages and the family conversation pages."""
    return [bp]


@hookimpl
def portal_audit_process() -> AuditProcess:
    """The case review each pair of auditors fills in."""
    return THEMATIC_REVIEW


@hookimpl
def portal_navigation(user: User) -> list[NavItem]:
    """The menu item "Thematic reviews" for the QA lead, the safeguarding unit, the reviews'
    members, and those who monitor the rolling action plan or own an action of it."""
    return panels.navigation(user)


@hookimpl
def portal_dashboard_panels(user: User) -> list[DashboardPanel]:
    """Reviews to finish (QA lead), reports to endorse (safeguarding unit), a member's
    reviews, an owner's actions."""
    return panels.dashboard_panels(user) + views_family.dashboard_panels(user)


@hookimpl
def portal_schedule_entries(start: date, end: date) -> list[ScheduleEntry]:
    """Each review on the thematic schedule, in the month of its first day."""
    return panels.schedule_entries(start, end)


@hookimpl
def portal_annual_summary_section(start: date, end: date) -> ReportSection:
    """The year's reviews, their cases and the family conversations."""
    return annual.annual_section(start, end)


@hookimpl
def portal_report_section(month: date, start: datetime, end: datetime) -> ReportSection:
    """Reviews held, cases reviewed, family feedback and replies, and the rolling plan."""
    return report.report_section(month, start, end)


@hookimpl
def portal_history_readable(user: User, object_type: str, object_ids: frozenset[str]):
    """The review entries of the activity history *user* may read: the review's own rule."""
    return history.readable(user, object_type, object_ids)


@hookimpl
def portal_circulated_reports() -> list:
    """The quarterly report of the thematic reviews, circulated to the staff development
    workshops with the QA lead's commentary."""
    return [QUARTERLY]


@hookimpl
def portal_erase_case_records(case_ids: list[int]) -> dict[str, int]:
    """Erase the family conversations and discussions of cases the retention rule reached."""
    return retention.erase_case_records(case_ids)
