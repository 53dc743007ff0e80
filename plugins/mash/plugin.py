"""The hook implementations of the mash plugin (its entry point's target)."""

from datetime import date, datetime

from plugins.mash import __version__, panels, report
from plugins.mash.process import MASH_AUDIT
from portal.plugin_api import (
    AuditProcess,
    DashboardPanel,
    PluginInfo,
    ReportSection,
    User,
    hookimpl,
    today_london,
)


@hookimpl
def portal_plugin_info() -> PluginInfo:
    """Identify the MASH audit."""
    return PluginInfo(
        key="mash",
        name="MASH audit",
        version=__version__,
        description=(
            "The audit of MASH contacts by Children's Social Care, Early Help and Police "
            "auditors: quality of contact, the MASH episode and contact management, completed "
            "within 15 working days."
        ),
    )


@hookimpl
def portal_audit_process() -> AuditProcess:
    """Describe the MASH audit: three graded sections and a reflective interview."""
    return MASH_AUDIT


@hookimpl
def portal_report_section(month: date, start: datetime, end: datetime) -> ReportSection:
    """Add the MASH section to the learning report: agencies, timeliness, grades."""
    return report.report_section(month, start, end)


@hookimpl
def portal_dashboard_panels(user: User) -> list[DashboardPanel]:
    """Show the MASH head of service this month's MASH audits by agency against the quota."""
    return panels.dashboard_panels(user, today_london())
