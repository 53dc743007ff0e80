"""The values the plugin hooks take and return (owned by :mod:`portal.hookspecs`).

Plain dataclasses with no import from the rest of the portal, so that the hook
specifications sit below everything that calls the hooks: ``portal.hookspecs`` imports
these, and ``portal.reports.sections`` and ``portal.scheduling.jobs`` re-export the ones
they are about. A plugin imports them from ``portal.plugin_api``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class PluginInfo:
    """Who a plugin is: its key (used everywhere), display name, version and description.

    *requires_api*, when given, is the version of ``portal.plugin_api`` the plugin was
    written for, as ``"1.1"`` or ``(1, 1)``: the portal loads the plugin only when its API
    has the same major number and at least that minor number.
    """

    key: str
    name: str
    version: str
    description: str
    requires_api: str | tuple[int, int] | None = None


@dataclass(frozen=True)
class NavItem:
    """An item of the main menu: its text and the endpoint of one of the plugin's pages."""

    label: str
    endpoint: str


@dataclass
class DashboardPanel:
    """One box of the home page: a heading, a table (or a sentence when empty) and a link.

    A table cell is text, or ``markupsafe.Markup`` for a link (escape what goes in it).
    """

    title: str
    empty_text: str
    head: list[str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)
    link: tuple[str, str] | None = None
    summary: str = ""


@dataclass(frozen=True)
class ScheduleEntry:
    """A line on the thematic schedule: what happens in *month*, with a link to it."""

    month: date
    text: str
    href: str = ""


#: What a table cell of a report section may hold: text or a number (None for empty).
Cell = str | int | float | None


@dataclass(frozen=True)
class ReportTable:
    """A table of a report section: a title, the column headings and the rows."""

    title: str
    head: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


@dataclass(frozen=True)
class ReportSection:
    """One section of a learning report.

    *key* is the plugin's key (or the core section's name), *summary* one sentence saying
    what the section found, *tables* what the page and the PDF, CSV and Excel exports show,
    and *data* a JSON-ready dict, exported under ``sections[key]`` in the JSON.
    """

    key: str
    title: str
    summary: str
    tables: tuple[ReportTable, ...] = ()
    data: dict[str, Any] = field(default_factory=dict)


def the_day(today: date) -> str:
    """The period of a daily job: the ISO date, ``2027-01-04``."""
    return today.isoformat()


@dataclass(frozen=True)
class ScheduledJob:
    """A background job: when it runs, and what it does for a given day.

    *id* is ``core.<name>`` for the core's jobs and ``<plugin key>.<name>`` for a plugin's.
    *cron* holds the keyword arguments of APScheduler's ``CronTrigger`` in UK time, such as
    ``{"hour": 6, "minute": 30}``. *run* does the work for the day it is given, in an
    application context, and returns a one-line result for the administrators; the
    caller commits. *period* names what a run covers (by default the day); the job runs
    at most once for each period.
    """

    id: str
    description: str
    cron: dict[str, int | str]
    run: Callable[[date], str]
    period: Callable[[date], str] = field(default=the_day)


@dataclass(frozen=True)
class CirculatedReport:
    """A report that carries the QA lead's commentary, is approved by the assistant director
    and circulated by email as an anonymised PDF (see ``portal.circulation``).

    *kind* names the report (a plugin's starts with its key and a dot); a period is the text
    the report's URL uses for it (``2026-11``, ``2026-Q3``). The callables:

    - ``parse_period(text, today)``: the period in its canonical form; ``ValueError`` with a
      message for a period that does not exist or has not begun;
    - ``title(period)``: ``Quarterly thematic review report: July to September 2026``;
    - ``is_over(period, today)``: True once the period has ended (approval waits for it);
    - ``page_url(period)``: the report's page;
    - ``pdf(period, today)``: the PDF to circulate, which names no child and no case
      (it shows the approved commentary; needs a request context);
    - ``approved(period)``: called when the commentary is approved, to drop a stored copy
      of the report that does not show it yet (optional).
    """

    kind: str
    parse_period: Callable[[str, date], str]
    title: Callable[[str], str]
    is_over: Callable[[str, date], bool]
    page_url: Callable[[str], str]
    pdf: Callable[[str, date], bytes]
    approved: Callable[[str], None] | None = None
