"""The hook implementations of the s47_audit plugin (its entry point's target)."""

from datetime import date, datetime

from plugins.s47_audit import __version__, demo, report
from plugins.s47_audit.process import S47_AUDIT
from portal.plugin_api import AuditProcess, PluginInfo, ReportSection, hookimpl


@hookimpl
def portal_plugin_info() -> PluginInfo:
    """Identify the Section 47 enquiry audit."""
    return PluginInfo(
        key="s47_audit",
        name="Section 47 enquiry audit",
        version=__version__,
        description=(
            "The audit of section 47 child protection enquiries by CSC service managers: the "
            "strategy discussion, timeliness, seeing the child, multi-agency information, the "
            "outcome and plan, and management oversight, each graded."
        ),
        requires_api="1.2",  # rules take today (1.1); portal_demo_answers came after 1.1
    )


@hookimpl
def portal_audit_process() -> AuditProcess:
    """Describe the S.47 enquiry audit: its form, rules, due date and quota."""
    return S47_AUDIT


@hookimpl
def portal_report_section(month: date, start: datetime, end: datetime) -> ReportSection:
    """Add the S.47 section to the monthly learning report."""
    return report.report_section(month, start, end)


@hookimpl
def portal_demo_answers(grades, day, rng) -> dict[str, dict[str, str]]:
    """Answer the demo history's audits in agreement with the grades it drew."""
    return demo.demo_answers(grades, day, rng)
