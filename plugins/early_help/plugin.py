"""The hook implementations of the early_help plugin (its entry point's target)."""

from datetime import date, datetime

from plugins.early_help import __version__, report
from plugins.early_help.process import EARLY_HELP_AUDIT
from portal.plugin_api import AuditProcess, PluginInfo, ReportSection, hookimpl


@hookimpl
def portal_plugin_info() -> PluginInfo:
    """Identify the Early Help deep-dive audit."""
    return PluginInfo(
        key="early_help",
        name="Early Help deep-dive audit",
        version=__version__,
        description=(
            "The monthly deep-dive audit by Early Help managers of a case from a team they do "
            "not manage: graded sections, a reflective interview with the worker, the child's "
            "and family's views, and corrective actions."
        ),
    )


@hookimpl
def portal_audit_process() -> AuditProcess:
    """Describe the Early Help deep-dive audit: graded sections, interview and views."""
    return EARLY_HELP_AUDIT


@hookimpl
def portal_report_section(month: date, start: datetime, end: datetime) -> ReportSection:
    """Add the Early Help section to the learning report: grades, supervision."""
    return report.report_section(month, start, end)
