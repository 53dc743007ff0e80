"""The annual summary of quality assurance activity (Appendix 2 of the framework): for one
financial year (April to March), the audits completed by audit tool and service with their
grades, moderation and how often the moderator agreed, the actions created, completed and
signed off, the learning themes followed up, and a part from each enabled plugin
(``portal_annual_summary_section``: the thematic reviews and family conversations, say).

Four aggregate statements, plus the plugins' own, whatever the year's size.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import case, func, or_, select

from portal.audits.definition import OFSTED_GRADES
from portal.extensions import db
from portal.models import Audit, Case, LearningFollowUp, Moderation, Service, Team
from portal.plugins import plugin_host
from portal.reports import queries
from portal.reports.sections import ReportSection, ReportTable, sections_from

HOOK = "portal_annual_summary_section"
#: The month a financial year starts in.
FIRST_MONTH = 4
YEAR_PATTERN = re.compile(r"^\d{4}$")
EARLIEST_YEAR = 2000


class AnnualYearError(ValueError):
    """A year that cannot be summarised; the message says why, for the person who asked."""


@dataclass(frozen=True)
class FinancialYear:
    """The financial year starting on 1 April of *start_year*."""

    start_year: int

    @property
    def start(self) -> date:
        """1 April of the year."""
        return date(self.start_year, FIRST_MONTH, 1)

    @property
    def end(self) -> date:
        """1 April of the next year (the range is half-open)."""
        return date(self.start_year + 1, FIRST_MONTH, 1)

    @property
    def label(self) -> str:
        """``April 2026 to March 2027``."""
        return f"April {self.start_year} to March {self.start_year + 1}"


def year_of(day: date) -> FinancialYear:
    """The financial year *day* falls in."""
    return FinancialYear(day.year if day.month >= FIRST_MONTH else day.year - 1)


def parse_year(text: str, today: date) -> FinancialYear:
    """The financial year starting in the year written ``YYYY``: not after *today*'s."""
    if not YEAR_PATTERN.match(text.strip()):
        raise AnnualYearError(
            f"Enter the year the financial year starts in, for example {year_of(today).start_year}"
        )
    year = FinancialYear(int(text.strip()))
    if year.start > today:
        raise AnnualYearError(
            f"The year from April {year.start_year} has not started: choose "
            f"{year_of(today).start_year} or an earlier year"
        )
    if year.start_year < EARLIEST_YEAR:
        raise AnnualYearError(f"Choose {EARLIEST_YEAR} or a later year")
    return year


def _moment(day: date) -> datetime:
    return datetime(day.year, day.month, day.day)


def build_annual_summary(year: FinancialYear, today: date) -> dict[str, Any]:
    """The summary of *year* as it stands on *today* (to date, for the current year)."""
    start, end = _moment(year.start), _moment(year.end)
    grade_keys = [grade.key for grade in OFSTED_GRADES]
    host = plugin_host()
    audits = db.session.execute(
        select(Audit.process_key, Service.name, Audit.record_grade, func.count(Audit.id))
        .join(Case, Audit.case_id == Case.id)
        .join(Team, Case.team_id == Team.id)
        .join(Service, Team.service_id == Service.id)
        .where(queries.submitted_between(start, end))
        .group_by(Audit.process_key, Service.name, Audit.record_grade)
    ).all()
    moderated, agreed = db.session.execute(
        select(
            func.count(Moderation.audit_id),
            func.coalesce(
                func.sum(
                    case((Moderation.auditor_grade == Moderation.moderated_grade, 1), else_=0)
                ),
                0,
            ),
        ).where(Moderation.moderated_at >= start, Moderation.moderated_at < end)
    ).one()
    actions = {event: 0 for event in queries.ACTION_EVENTS}
    for (event, _year, _month), count in queries.action_counts(start, end).items():
        actions[event] += count
    raised, closed = db.session.execute(
        select(
            func.coalesce(
                func.sum(
                    case(
                        (
                            (LearningFollowUp.created_at >= start)
                            & (LearningFollowUp.created_at < end),
                            1,
                        ),
                        else_=0,
                    )
                ),
                0,
            ),
            func.coalesce(
                func.sum(
                    case(
                        (
                            (LearningFollowUp.closed_at >= start)
                            & (LearningFollowUp.closed_at < end),
                            1,
                        ),
                        else_=0,
                    )
                ),
                0,
            ),
        ).where(or_(LearningFollowUp.created_at < end, LearningFollowUp.closed_at < end))
    ).one()

    by_tool: dict[str, dict[str, Any]] = {}
    services: set[str] = set()
    for process_key, service, grade, count in audits:
        process = host.process(process_key)
        tool = by_tool.setdefault(
            process_key,
            {
                "title": process.title if process else process_key,
                "services": {},
                "grades": dict.fromkeys(grade_keys, 0),
                "total": 0,
            },
        )
        tool["services"][service] = tool["services"].get(service, 0) + count
        if grade in tool["grades"]:
            tool["grades"][grade] += count
        tool["total"] += count
        services.add(service)
    return {
        "year": year.start_year,
        "label": year.label,
        "as_of": min(today, date(year.start_year + 1, 3, 31)).isoformat(),
        "audits": dict(sorted(by_tool.items(), key=lambda item: item[1]["title"])),
        "services": sorted(services),
        "grade_labels": {grade.key: grade.label for grade in OFSTED_GRADES},
        "moderation": {"moderated": int(moderated), "agreed": int(agreed)},
        "actions": actions,
        "learning_followups": {"raised": int(raised), "closed": int(closed)},
        "plugin_sections": annual_plugin_sections(year.start, year.end),
    }


def annual_plugin_sections(start: date, end: date) -> list[ReportSection]:
    """The enabled plugins' parts of the annual summary, by key; a malformed part, or an
    exception, is left out and logged (the summary never breaks for a plugin)."""
    return sections_from(HOOK, start=start, end=end)


def _share(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "none"


def annual_sections(summary: dict[str, Any]) -> list[ReportSection]:
    """The summary's sections in their fixed order, then the plugins'."""
    tools = summary["audits"]
    services = summary["services"]
    labels = summary["grade_labels"]
    total = sum(tool["total"] for tool in tools.values())
    good = sum(tool["grades"]["outstanding"] + tool["grades"]["good"] for tool in tools.values())
    moderation = summary["moderation"]
    actions = summary["actions"]
    followups = summary["learning_followups"]
    return [
        ReportSection(
            key="annual-audits",
            title="Audits completed",
            summary=(
                f"{total} audit{'s' if total != 1 else ''} completed with {len(tools)} audit "
                f"tool{'s' if len(tools) != 1 else ''}; {_share(good, total)} graded Good or "
                "Outstanding."
            ),
            tables=(
                ReportTable(
                    title="Audits completed, by audit tool and service",
                    head=("Audit tool", *services, "Total"),
                    rows=tuple(
                        (
                            tool["title"],
                            *(tool["services"].get(service, 0) for service in services),
                            tool["total"],
                        )
                        for tool in tools.values()
                    ),
                ),
                ReportTable(
                    title="Grades, by audit tool",
                    head=("Audit tool", *labels.values()),
                    rows=tuple(
                        (tool["title"], *(tool["grades"][key] for key in labels))
                        for tool in tools.values()
                    ),
                ),
            ),
        ),
        ReportSection(
            key="annual-moderation",
            title="Moderation",
            summary=(
                f"{moderation['moderated']} audits moderated; the moderator agreed with the "
                f"auditor's grade in {_share(moderation['agreed'], moderation['moderated'])} "
                "of them."
            ),
            tables=(
                ReportTable(
                    title="Moderation",
                    head=("Moderation", "Audits"),
                    rows=(
                        ("Moderated", moderation["moderated"]),
                        ("Grade agreed", moderation["agreed"]),
                        ("Grade changed", moderation["moderated"] - moderation["agreed"]),
                    ),
                ),
            ),
        ),
        ReportSection(
            key="annual-actions",
            title="Actions and learning",
            summary=(
                f"{actions['created']} actions created, {actions['completed']} completed and "
                f"{actions['signed_off']} signed off; {followups['raised']} learning themes "
                f"given an owner and {followups['closed']} closed."
            ),
            tables=(
                ReportTable(
                    title="Actions",
                    head=("Actions", "Number"),
                    rows=(
                        ("Created", actions["created"]),
                        ("Completed", actions["completed"]),
                        ("Signed off", actions["signed_off"]),
                    ),
                ),
                ReportTable(
                    title="Learning followed up",
                    head=("Learning themes", "Number"),
                    rows=(
                        ("Given an owner", followups["raised"]),
                        ("Closed", followups["closed"]),
                    ),
                ),
            ),
        ),
        *summary["plugin_sections"],
    ]
