"""The hook implementations of the fostering_oversight plugin (its entry point's target)."""

from datetime import date, datetime

from plugins.fostering_oversight import __version__, demo, report
from plugins.fostering_oversight.process import FOSTERING_OVERSIGHT
from portal.plugin_api import AuditProcess, PluginInfo, ReportSection, hookimpl


@hookimpl
def portal_plugin_info() -> PluginInfo:
    """Identify the management oversight of fostering cases."""
    return PluginInfo(
        key="fostering_oversight",
        name="Fostering management oversight",
        version=__version__,
        description=(
            "Management oversight of fostering households: supervising social worker "
            "visits, unannounced visits, the annual review, training and safer caring, each "
            "graded, and the direction given."
        ),
        requires_api="1.2",  # rules take today (1.1); portal_demo_answers came after 1.1
    )


@hookimpl
def portal_audit_process() -> AuditProcess:
    """Describe the fostering oversight: its form, rules, due date and quota."""
    return FOSTERING_OVERSIGHT


@hookimpl
def portal_report_section(month: date, start: datetime, end: datetime) -> ReportSection:
    """Add the fostering oversight section to the monthly learning report."""
    return report.report_section(month, start, end)


@hookimpl
def portal_demo_answers(grades, day, rng) -> dict[str, dict[str, str]]:
    """Answer the demo history's audits in agreement with the grades it drew."""
    return demo.demo_answers(grades, day, rng)
