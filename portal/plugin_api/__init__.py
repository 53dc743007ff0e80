"""The plugin API: everything an audit-process plugin may import from the portal.

A plugin imports from this module only (``from portal.plugin_api import ...``); its tests
may also import ``portal.plugin_api.testing``. Anything not named in ``__all__`` is the
core's own business and may change without notice. ``API_VERSION`` follows semantic
versioning: the major number changes when a name is removed or changes meaning, the minor
number when a name is added. A plugin names the version it needs in
``PluginInfo(requires_api="1.1")``; the portal refuses to load one whose major number
differs from ours or whose minor number is higher.

1.1: a rule of an ``AuditProcess`` may declare a ``today`` parameter;
``AuditProcess.reaudit_inadequate_after_months``; ``PluginInfo.requires_api``;
``today_london``, ``is_working_day``, ``AuditStatus``, ``qa_administrators``,
``grades_given`` (the grades of one audit's answers), ``waiting_for_grades``, ``Cell``;
``Section.filled_after_by`` and ``FILLED_AFTER_BY``; ``AnswerMeasure`` (a process's
outcome and family participation); ``save_answers``, ``submit`` and ``flatten`` (to drive
the engine in a plugin's tests);
the circulation of reports (``CirculatedReport``, ``Commentary``, ``DRAFT_READERS``,
``approved_commentary``, ``commentary_for``, ``redact_case_references``); ``govuk_date``.

1.2: processes defined at run time, from a plugin's own tables: the hook
``portal_audit_processes`` (each keyed ``<plugin key>.<slug>``), ``plugin_key_of`` (the
plugin a process key belongs to), ``process_problems`` (what is wrong with a run-time
process, to check before publishing it), ``forget_processes`` (see a process published in
this request at once) and ``RUNTIME_KEY_MAX``; the hooks ``portal_demo_answers`` (a
plugin answers its own audits of the demo history) and ``portal_erase_case_records`` (a
plugin erases its own records of cases past retention).
"""

from __future__ import annotations

from portal.access_log import log_access
from portal.activity import record
from portal.api_version import API_VERSION
from portal.audits.access import can_view
from portal.audits.answers import flatten, submission_errors
from portal.audits.definition import (
    FILLED_AFTER_BY,
    GOOD,
    INADEQUATE,
    OFSTED_GRADES,
    OUTSTANDING,
    QUESTION_KINDS,
    REQUIRES_IMPROVEMENT,
    AnswerMeasure,
    Answers,
    AuditProcess,
    DueRule,
    FormDefinition,
    Grade,
    Judgement,
    Question,
    Quota,
    Section,
    problems_with,
    sections_graded_for_action,
    waiting_for_grades,
    worst_section_grade,
)
from portal.audits.definition import section_grades as grades_given
from portal.audits.forms import read_text
from portal.audits.service import allocate, save_answers, submit
from portal.circulation import DRAFT_READERS
from portal.circulation.commentary import (
    Commentary,
    approved_commentary,
    redact_case_references,
)
from portal.circulation.commentary import for_reader as commentary_for
from portal.concerns.service import raise_concern, recipients
from portal.downloads import content_disposition
from portal.extensions import db
from portal.hookspecs import (
    CirculatedReport,
    DashboardPanel,
    NavItem,
    PluginInfo,
    ReportSection,
    ScheduledJob,
    ScheduleEntry,
    hookimpl,
)
from portal.hooktypes import Cell, ReportTable
from portal.listfilters import choice_field, chosen
from portal.models import (
    Action,
    ActivityEntry,
    Agency,
    Audit,
    AuditAnswer,
    AuditAuditor,
    AuditStatus,
    Case,
    CaseType,
    Notification,
    Role,
    SafeguardingConcern,
    Service,
    Team,
    User,
    UserRole,
)
from portal.notify import notify
from portal.paging import Page, paginate, wants_fragment
from portal.pdf import html_to_pdf
from portal.permissions import case_or_404, roles_required
from portal.plugins import RUNTIME_KEY_MAX, forget_processes, plugin_key_of, process_problems
from portal.reports.monthly import build_monthly_report, report_sections
from portal.reports.queries import section_grades, submitted_audits, submitted_between
from portal.reports.sections import grade_table, grades_by_section
from portal.scheduling.selection import Auditor, CandidateCase, ThemeFilter, draw, recently_audited
from portal.scheduling.service import (
    SelectionError,
    candidate_cases,
    conflict_for,
    parse_seed,
    qa_administrators,
    run_draw,
    theme_filter,
)
from portal.scheduling.working_days import add_working_days, is_working_day
from portal.timeutil import LONDON, govuk_date, to_london, today_london, utcnow
from portal.urls import database_int
from portal.wording import in_words, is_or_are

__all__ = [
    "API_VERSION",
    "DRAFT_READERS",
    "FILLED_AFTER_BY",
    "GOOD",
    "INADEQUATE",
    "LONDON",
    "OFSTED_GRADES",
    "OUTSTANDING",
    "QUESTION_KINDS",
    "REQUIRES_IMPROVEMENT",
    "RUNTIME_KEY_MAX",
    "Action",
    "ActivityEntry",
    "Agency",
    "AnswerMeasure",
    "Answers",
    "Audit",
    "AuditAnswer",
    "AuditAuditor",
    "AuditProcess",
    "AuditStatus",
    "Auditor",
    "CandidateCase",
    "Case",
    "CaseType",
    "Cell",
    "CirculatedReport",
    "Commentary",
    "DashboardPanel",
    "DueRule",
    "FormDefinition",
    "Grade",
    "Judgement",
    "NavItem",
    "Notification",
    "Page",
    "PluginInfo",
    "Question",
    "Quota",
    "ReportSection",
    "ReportTable",
    "Role",
    "SafeguardingConcern",
    "ScheduleEntry",
    "ScheduledJob",
    "Section",
    "SelectionError",
    "Service",
    "Team",
    "ThemeFilter",
    "User",
    "UserRole",
    "add_working_days",
    "allocate",
    "approved_commentary",
    "build_monthly_report",
    "can_view",
    "candidate_cases",
    "case_or_404",
    "choice_field",
    "chosen",
    "commentary_for",
    "conflict_for",
    "content_disposition",
    "database_int",
    "db",
    "draw",
    "flatten",
    "forget_processes",
    "govuk_date",
    "grade_table",
    "grades_by_section",
    "grades_given",
    "hookimpl",
    "html_to_pdf",
    "in_words",
    "is_or_are",
    "is_working_day",
    "log_access",
    "notify",
    "paginate",
    "parse_seed",
    "plugin_key_of",
    "problems_with",
    "process_problems",
    "qa_administrators",
    "raise_concern",
    "read_text",
    "recently_audited",
    "recipients",
    "record",
    "redact_case_references",
    "report_sections",
    "roles_required",
    "run_draw",
    "save_answers",
    "section_grades",
    "sections_graded_for_action",
    "submission_errors",
    "submit",
    "submitted_audits",
    "submitted_between",
    "theme_filter",
    "to_london",
    "today_london",
    "utcnow",
    "waiting_for_grades",
    "wants_fragment",
    "worst_section_grade",
]
