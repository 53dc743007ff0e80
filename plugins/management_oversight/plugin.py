"""The hook implementations of the management_oversight plugin (its entry point's target)."""

from datetime import date, datetime

from plugins.management_oversight import __version__, demo, report
from plugins.management_oversight.process import MANAGEMENT_OVERSIGHT
from portal.plugin_api import AuditProcess, PluginInfo, ReportSection, hookimpl


@hookimpl
def portal_plugin_info() -> PluginInfo:
    """Identify the management oversight dip sample."""
    return PluginInfo(
        key="management_oversight",
        name="Management oversight dip sample",
        version=__version__,
        description=(
            "Managers' dip sampling of CIN, CP and CLA cases: visits and seeing the child, "
            "the plan, the records, supervision and drift, each graded, and the direction "
            "given."
        ),
        requires_api="1.2",  # rules take today (1.1); portal_demo_answers came after 1.1
    )


@hookimpl
def portal_audit_process() -> AuditProcess:
    """Describe the dip sample: its form, rules, due date and quota."""
    return MANAGEMENT_OVERSIGHT


@hookimpl
def portal_report_section(month: date, start: datetime, end: datetime) -> ReportSection:
    """Add the dip samples' section to the monthly learning report."""
    return report.report_section(month, start, end)


@hookimpl
def portal_demo_answers(grades, day, rng) -> dict[str, dict[str, str]]:
    """Answer the demo history's audits in agreement with the grades it drew."""
    return demo.demo_answers(grades, day, rng)
