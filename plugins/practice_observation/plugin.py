"""The hook implementations of the practice_observation plugin (its entry point's target)."""

from datetime import date, datetime

# models (the table) is imported for what importing it does.
from plugins.practice_observation import __version__, models, panels, report, retention  # noqa: F401
from plugins.practice_observation.process import PRACTICE_OBSERVATION
from plugins.practice_observation.views import bp
from portal.plugin_api import (
    AuditProcess,
    DashboardPanel,
    PluginInfo,
    ReportSection,
    User,
    hookimpl,
)


@hookimpl
def portal_plugin_info() -> PluginInfo:
    """Identify the observation of practice."""
    return PluginInfo(
        key="practice_observation",
        name="Observation of practice",
        version=__version__,
        description=(
            "A manager observes a practitioner's visit to a family: the observer's graded "
            "record, the family's view of the visit, and the practitioner's own reflection."
        ),
        requires_api="1.2",  # rules take today (1.1); portal_erase_case_records came after 1.1
    )


@hookimpl
def portal_audit_process() -> AuditProcess:
    """Describe the observer's record: the visit, five graded sections, the family's view
    and the feedback."""
    return PRACTICE_OBSERVATION


@hookimpl
def portal_blueprints() -> list:
    """The practitioner's reflection page."""
    return [bp]


@hookimpl
def portal_dashboard_panels(user: User) -> list[DashboardPanel]:
    """A social worker's observations of their practice, those waiting for their
    reflection first."""
    return panels.dashboard_panels(user)


@hookimpl
def portal_report_section(month: date, start: datetime, end: datetime) -> ReportSection:
    """Grades, the families' views and the practitioners' reflections."""
    return report.report_section(month, start, end)


@hookimpl
def portal_erase_case_records(case_ids: list[int]) -> dict[str, int]:
    """Erase the reflections on observations of cases the retention rule reached."""
    return retention.erase_case_records(case_ids)
