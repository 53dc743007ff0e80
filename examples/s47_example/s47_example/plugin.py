"""The hook implementations of the s47_example plugin: the target of its entry point.

The portal imports this module when it starts and calls the functions marked with
``@hookimpl``; their names must be the names of the hooks of the plugin API
(docs/plugin-hooks.md), and ``portal.plugin_api`` gives the marker and the values they return.
"""

from __future__ import annotations

from datetime import date, datetime

from flask import Blueprint
from portal.plugin_api import (
    AuditProcess,
    NavItem,
    PluginInfo,
    ReportSection,
    ScheduledJob,
    User,
    hookimpl,
)

from s47_example import __version__, jobs, report, views
from s47_example.process import S47_AUDIT


@hookimpl
def portal_plugin_info() -> PluginInfo:
    """Identify the Section 47 enquiry audit."""
    return PluginInfo(
        key="s47_example",
        name="Section 47 enquiry audit (tutorial example)",
        version=__version__,
        description=(
            "The audit of section 47 child protection enquiries: the strategy discussion, "
            "the enquiry (seeing the child within the timescale, consent, information "
            "gathering), the outcome and plan, and management oversight, each graded."
        ),
        requires_api="1.1",  # the plugin API it was written for: rules may take today
    )


@hookimpl
def portal_audit_process() -> AuditProcess:
    """Describe the S.47 enquiry audit: its form, rules, due date, quota and moderation."""
    return S47_AUDIT


@hookimpl
def portal_scheduled_jobs() -> list[ScheduledJob]:
    """Add the Monday digest of children not seen within the timescale."""
    return [jobs.WEEKLY_DIGEST]


@hookimpl
def portal_report_section(month: date, start: datetime, end: datetime) -> ReportSection:
    """Add the S.47 section to the monthly learning report."""
    return report.report_section(month, start, end)


@hookimpl
def portal_blueprints() -> list[Blueprint]:
    """Add the plugin's pages: the children not seen within the timescale."""
    return [views.bp]


@hookimpl
def portal_navigation(user: User) -> list[NavItem]:
    """Add the pages to the menu of the QA lead and the safeguarding unit."""
    return views.navigation(user)
