"""The hook implementations of the supervision_quality plugin (its entry point's target)."""

from datetime import date, datetime

from plugins.supervision_quality import __version__, report
from plugins.supervision_quality.process import SUPERVISION_QUALITY_AUDIT
from portal.plugin_api import AuditProcess, PluginInfo, ReportSection, hookimpl


@hookimpl
def portal_plugin_info() -> PluginInfo:
    """Identify the quality of supervision audit."""
    return PluginInfo(
        key="supervision_quality",
        name="Quality of supervision audit",
        version=__version__,
        description=(
            "The monthly audit by service managers of the supervision recorded on a "
            "Children's Social Care case: frequency against the policy, reflective "
            "discussion, the child's voice, actions and timescales, and management direction."
        ),
        requires_api="1.1",  # the plugin API it was written for: rules take today
    )


@hookimpl
def portal_audit_process() -> AuditProcess:
    """Describe the quality of supervision audit: five graded sections and feedback."""
    return SUPERVISION_QUALITY_AUDIT


@hookimpl
def portal_report_section(month: date, start: datetime, end: datetime) -> ReportSection:
    """Add the quality of supervision section to the learning report."""
    return report.report_section(month, start, end)
