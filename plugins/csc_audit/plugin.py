"""The hook implementations of the csc_audit plugin (its entry point's target)."""

from datetime import date, datetime

from plugins.csc_audit import __version__, report
from plugins.csc_audit.process import CSC_AUDIT
from portal.plugin_api import AuditProcess, PluginInfo, ReportSection, hookimpl


@hookimpl
def portal_plugin_info() -> PluginInfo:
    """Identify the Children's Social Care case file audit."""
    return PluginInfo(
        key="csc_audit",
        name="Children's Social Care case file audit",
        version=__version__,
        description=(
            "The monthly case file audit of Children's Social Care against the 10 practice "
            "standards, each graded with evidence, with an impact and outcomes section and "
            "priority-weighted actions."
        ),
    )


@hookimpl
def portal_audit_process() -> AuditProcess:
    """Describe the case file audit: ten practice standards and the impact for the child."""
    return CSC_AUDIT


@hookimpl
def portal_report_section(month: date, start: datetime, end: datetime) -> ReportSection:
    """Add this plugin's section to the monthly learning report: grades by practice standard."""
    return report.report_section(month, start, end)
