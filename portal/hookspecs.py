"""Every hook a plugin may implement, with the dataclasses the hooks return.

Each hook takes keyword arguments only. A plugin's implementation may accept fewer
arguments than the specification (pluggy passes only those it names), so arguments
may be added to a hook later but never removed. Each hook is documented, with an
example, in ``docs/plugin-hooks.md``; a test fails when one is not.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

import pluggy

from portal.audits.definition import AuditProcess

if TYPE_CHECKING:
    from portal.reports.sections import ReportSection
    from portal.scheduling.jobs import ScheduledJob

hookspec = pluggy.HookspecMarker("portal")
hookimpl = pluggy.HookimplMarker("portal")


@dataclass(frozen=True)
class PluginInfo:
    """Who a plugin is: its key (used everywhere), display name, version and description."""

    key: str
    name: str
    version: str
    description: str


@hookspec
def portal_plugin_info() -> PluginInfo:
    """Describe the plugin: its key, name, version and a one-paragraph description.

    Called once for each installed plugin when the application starts, whether the
    plugin is enabled or not. Every plugin must implement it, and the key it returns
    must be the plugin's entry-point name and package name. The result is checked at
    start-up; a malformed one stops the portal with a message naming the plugin.
    """


@hookspec
def portal_audit_process() -> AuditProcess:
    """Describe the audit process this plugin adds: its form, grades and rules.

    Called once for each installed plugin when the application starts; a plugin that
    adds no audit process does not implement it. The process's key must be the plugin's
    key. The result is checked at start-up (unique section and question keys, known
    question kinds, a grade scale, a positive due rule, known case types); a malformed
    one stops the portal with a message naming the plugin. The core renders the form,
    stores the answers with the form's version, and runs the lifecycle, actions and
    notifications; the plugin's ``suggest_judgement`` and ``actions_required`` functions
    are called with the form and the answers whenever an auditor saves or submits.
    """


@hookspec
def portal_scheduled_jobs() -> list[ScheduledJob]:
    """Add background jobs: a list of ``portal.scheduling.jobs.ScheduledJob``.

    Called when the scheduler starts (for every installed plugin, so that a plugin enabled
    later needs no restart), and whenever the jobs are listed or one is run (enabled
    plugins only: a disabled plugin's jobs do not run). Each job's id must start with the
    plugin's key and a dot (``s47_audit.weekly_digest``); a job that breaks the rule is refused
    with a message naming the plugin. The core runs each job at most once per period, in
    an application context, and commits what it did.
    """


@hookspec
def portal_report_section(month: date, start: datetime, end: datetime) -> ReportSection | None:
    """Add a section to the monthly learning report: a ``portal.reports.sections.ReportSection``.

    Called once per report (the page, each download, the ``report monthly`` command) for
    each enabled plugin, with *month* (the first day of the month reported on) and the
    naive UTC range ``[start, end)`` it covers; a disabled plugin adds nothing. Return None
    to add nothing this month. The section's key must be the plugin's key; its tables are
    shown on the page and exported to PDF, CSV and Excel, its data is exported to the JSON
    under ``sections[key]``. A malformed result, or an exception, leaves the plugin's
    section out and is logged with the plugin's key: the report never breaks for a plugin.
    """
