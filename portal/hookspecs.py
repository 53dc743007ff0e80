"""Every hook a plugin may implement; the values they return are in
:mod:`portal.hooktypes`, re-exported here.

Each hook takes keyword arguments only. A plugin's implementation may accept fewer
arguments than the specification (pluggy passes only those it names), so arguments
may be added to a hook later but never removed. Each hook is documented, with an
example, in ``docs/plugin-hooks.md``; a test fails when one is not.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING

import pluggy

from portal.audits.definition import AuditProcess, FormDefinition
from portal.hooktypes import (
    CirculatedReport,
    DashboardPanel,
    NavItem,
    PluginInfo,
    ReportSection,
    ScheduledJob,
    ScheduleEntry,
)

if TYPE_CHECKING:
    from random import Random

    from flask import Blueprint

    from portal.models import User

__all__ = [
    "CirculatedReport",
    "DashboardPanel",
    "NavItem",
    "PluginInfo",
    "ReportSection",
    "ScheduleEntry",
    "ScheduledJob",
    "hookimpl",
    "hookspec",
]

hookspec = pluggy.HookspecMarker("portal")
hookimpl = pluggy.HookimplMarker("portal")


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
def portal_audit_processes() -> list[AuditProcess]:
    """The audit processes a plugin defines at run time, from its own tables; each keyed
    ``'<plugin key>.<slug>'``.

    For a plugin whose processes are data, not code (tools built in the browser, say):
    return every process it publishes now, as ``AuditProcess`` values. The key of each is
    the plugin's key, a dot and a slug (a lower-case letter, then lower-case letters,
    digits or underscores), 40 characters at most in all (``myplugin.dip_sample``);
    the part before the first dot always names the plugin, so the pages, the plugin's
    enabled state and its blueprint are found from any of its processes' keys.

    Called inside an application context (the database is there), for every installed
    plugin, enabled or not, at most once per request: the host keeps the answer in ``g``
    until ``forget_processes()`` (from ``portal.plugin_api``) is called, which a plugin
    does after it publishes or retires a process so that the change is seen at once. The
    processes of a disabled plugin are known (its audits still render) but never enabled.
    Each process is checked with ``process_problems`` (from ``portal.plugin_api``) every
    time: one that fails, or repeats a key, is left out and logged with the plugin's key,
    as are all of a plugin's when the hook raises; a page never breaks for it. Check with
    ``process_problems`` before publishing, and keep returning a retired process whose
    audits must still be listed under its title. A run-time process then takes part in
    everything a coded one does: the draw, the form, grading, actions, moderation, the
    reports, exports, the API and the filters.
    """


@hookspec
def portal_scheduled_jobs() -> list[ScheduledJob]:
    """Add background jobs: a list of ``ScheduledJob`` (from ``portal.plugin_api``).

    Called when the scheduler starts (for every installed plugin, so that a plugin enabled
    later needs no restart), and whenever the jobs are listed or one is run (enabled
    plugins only: a disabled plugin's jobs do not run). Each job's id must start with the
    plugin's key and a dot (``s47_audit.weekly_digest``); a job that breaks the rule is refused
    with a message naming the plugin. The core runs each job at most once per period, in
    an application context, and commits what it did.
    """


@hookspec
def portal_report_section(
    month: date, start: datetime, end: datetime
) -> ReportSection | list[ReportSection] | None:
    """Add a section to the monthly learning report: a ``ReportSection``, or a list of them.

    Called each time a report is built, for each enabled plugin, with *month* (the first
    day of the month reported on) and the naive UTC range ``[start, end)`` it covers; a
    disabled plugin adds nothing. A closed month's report is built once and stored, the
    current month's every ``REPORT_LIVE_MINUTES``; every reader sees the section as it is,
    so it holds counts, never a case's reference or free text about a child. Return None
    to add nothing this month. The section's key must be the plugin's key; a plugin with
    several audit processes defined at run time may return a list, one section each, keyed
    with the plugin's key, a dot and a name (the process's key, say), shown in the list's
    order. The tables are shown on the page and exported to PDF, CSV and Excel, the data
    is exported to the JSON under ``sections[key]``. A malformed result, or an exception,
    leaves the plugin's sections out (a malformed section of a list, or one repeating a
    key, leaves out that section) and is logged with the plugin's key: the report never
    breaks for a plugin.
    """


@hookspec
def portal_blueprints() -> list[Blueprint]:
    """Add pages the generic audit form cannot express: a list of Flask blueprints.

    Called once for each installed plugin when the application starts, enabled or not.
    Each blueprint's name must be the plugin's key and its ``url_prefix`` ``/<key>``; its
    templates are found in the plugin's ``templates/<key>/`` folder. While the plugin is
    disabled its pages answer 404; its data is kept. Every page still needs a signed-in
    user (the core checks that before any plugin code runs); each view must check the
    user's role and relation to the case itself (``portal.permissions``).
    """


@hookspec
def portal_navigation(user: User) -> list[NavItem]:
    """Add items to the main menu for *user* (an empty list for someone with no business there).

    Called on every page for each enabled plugin. Each item's endpoint must be one of the
    plugin's own views (``<key>.something``); an item that is not is left out and logged.
    """


@hookspec
def portal_dashboard_panels(user: User) -> list[DashboardPanel]:
    """Add panels to *user*'s home page: what they have to do in this plugin.

    Called when the home page is shown, for each enabled plugin; the panels come after
    the core's. Return an empty list when the plugin has nothing for this person.
    """


@hookspec
def portal_schedule_entries(start: date, end: date) -> list[ScheduleEntry]:
    """Add lines to the thematic schedule for the months from *start* up to *end*.

    Called when the schedule page is shown, for each enabled plugin (a quarterly thematic
    review, say). Entries outside the months shown are ignored.
    """


@hookspec
def portal_history_readable(
    user: User, object_type: str, object_ids: frozenset[str]
) -> set[str] | None:
    """Say which of *object_ids* (of a type the plugin records history about) *user* may open.

    Called when the activity history shows entries of *object_type*, once per type for a
    whole page of entries. Return the ids *user* may open (their entries' free text is
    shown), or None when *object_type* is not the plugin's. An entry nobody answers for
    shows only its date, actor, verb and object.
    """


@hookspec
def portal_demo_answers(
    form: FormDefinition, grades: Mapping[str, str], day: date, rng: Random
) -> dict[str, dict[str, str]] | None:
    """Answer the questions of an audit of the plugin's own process for the demo's history.

    Called by ``flask --app portal seed-demo`` for each audit of the plugin's process that
    the history fills in, after the section grades are drawn: *form* is the audit's form,
    *grades* the grade key given to each graded section, *day* the day the audit is
    answered (no date answered may be after it) and *rng* the history's seeded random
    generator (use it, never another, so that the demo is the same on every run). Only the
    implementation of the plugin whose key is ``form.process_key`` is called. Return
    ``{section key: {question key: value}}`` (an ISO date for a date question, a choice's
    value for a choice) for the questions whose answers must agree with the grades or
    with each other; they replace the core's generic answers, which stay for the others.
    Return None to keep the generic answers.
    """


@hookspec
def portal_annual_summary_section(
    start: date, end: date
) -> ReportSection | list[ReportSection] | None:
    """Add a part to the annual summary of quality assurance activity: a ``ReportSection``,
    or a list of them (one per audit process defined at run time, keyed like the monthly
    report's).

    Called each time the summary of a financial year is shown or printed, for each enabled
    plugin, with the year's first day (1 April) and the first day after it (*end*, the
    range is half-open); a disabled plugin adds nothing. Like the monthly report's
    section, it holds counts (every reader of the summary sees it), its key is the
    plugin's key, and a malformed result or an exception leaves the part out and is
    logged. Return None to add nothing.
    """


@hookspec
def portal_circulated_reports() -> list[CirculatedReport]:
    """Add reports that carry commentary and are circulated: a list of ``CirculatedReport``.

    Called whenever a commentary, approval or circulation page is shown or used, for each
    enabled plugin (a disabled plugin's reports cannot be circulated; their history is kept).
    Each report's ``kind`` must start with the plugin's key and a dot
    (``myplugin.quarterly``); one that does not is left out and logged. The core
    keeps the commentary (drafted by the QA lead, approved by an assistant director other
    than its author once the period is over), the distribution lists and the circulation
    history; the plugin draws the report and its PDF.
    """


@hookspec
def portal_erase_case_records(case_ids: list[int]) -> dict[str, int] | None:
    """Erase the plugin's own records about the closed cases *case_ids* that the retention
    rule has reached: a dict of what was erased, ``{"what": count}``, or None.

    Called by ``flask --app portal retention erase --confirm`` (and the administrator's
    retention page) for every installed plugin, enabled or not (the law's clock does not
    stop when a plugin is switched off), inside the erasure's transaction: add the changes
    to ``db.session`` and do not commit. Erase the free text about the child and family
    (views, notes, letters, names and addresses); keep the rows, dates and coded values
    that the plugin's report sections count, so the reports of past periods stay right.
    The counts (never the text) go into the activity history's entry for the erasure.
    """
