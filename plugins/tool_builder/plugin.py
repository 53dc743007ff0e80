"""The hook implementations of the tool_builder plugin (its entry point's target)."""

from datetime import date, datetime

# models (the tables) is imported for what importing it does
from plugins.tool_builder import __version__, models, report, tools  # noqa: F401
from plugins.tool_builder.views import BUILDERS, bp
from portal.plugin_api import AuditProcess, NavItem, PluginInfo, ReportSection, User, hookimpl


@hookimpl
def portal_plugin_info() -> PluginInfo:
    """Identify the tool builder."""
    return PluginInfo(
        key="tool_builder",
        name="Audit tool builder",
        version=__version__,
        description=(
            "Bespoke audit tools the QA lead builds, versions and shares in the browser, "
            "without code: each published tool is an audit process of its own."
        ),
        requires_api="1.2",
    )


@hookimpl
def portal_audit_processes() -> list[AuditProcess]:
    """One audit process per published tool (its latest version), keyed
    ``tool_builder.<slug>``; a retired tool's is marked retired, so it takes no new audits."""
    return tools.published_processes()


@hookimpl
def portal_blueprints() -> list:
    """The QA lead's pages: build, preview, publish, retire, export and import tools."""
    return [bp]


@hookimpl
def portal_navigation(user: User) -> list[NavItem]:
    """The menu item "Audit tools" for the QA lead."""
    if user.has_role(*BUILDERS):
        return [NavItem("Audit tools", "tool_builder.index")]
    return []


@hookimpl
def portal_report_section(month: date, start: datetime, end: datetime) -> list[ReportSection]:
    """A section of the monthly report for each published tool."""
    return report.report_sections(month, start, end)
