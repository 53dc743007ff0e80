"""The monthly learning report (section 6 of the framework): for a month, and cumulatively
over the twelve months up to it, the audits completed per service, the grades, the actions
and their weighted progress, examples of outstanding practice, the learning themes, and a
section from each enabled plugin.

:func:`build_monthly_report` returns the report as a dict: the keys of :data:`JSON_KEYS`
are the JSON export, as they are; ``plugin_sections`` holds the plugins'
:class:`~portal.reports.sections.ReportSection` objects for the page and the other
exports. :func:`report_sections` turns it into the report's sections in their fixed order.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from typing import Any

from portal.audits.definition import INADEQUATE, OFSTED_GRADES
from portal.learning import service as followups
from portal.models import LearningArea
from portal.plugins import plugin_host
from portal.reports import queries
from portal.reports.equality import build_equality, equality_section
from portal.reports.sections import ReportSection, ReportTable, plugin_sections
from portal.timeutil import first_of_month, to_london
from portal.wording import in_words, was_or_were

#: How many months the cumulative figures and the trend cover, the report's month included.
TREND_MONTHS = 12
#: How many examples of outstanding practice the report shows.
OUTSTANDING_SHOWN = 10
#: The grade key an audit without a grade of record is counted under.
NOT_GRADED = "not_graded"
#: The keys of the report that make its JSON export.
JSON_KEYS = (
    "month",
    "as_of",
    "audits_completed",
    "grade_distribution",
    "actions",
    "outstanding_examples",
    "outstanding_total",
    "learning_themes",
    "learning_followups",
    "equality",
    "reaudits",
    "sections",
    "trend",
    "cumulative",
    "labels",
)
MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")
FIRST_MONTH = date(2000, 1, 1)


class ReportMonthError(ValueError):
    """A month that cannot be reported on; the message says why, for the person who asked."""


def add_months(month: date, count: int) -> date:
    """The first day of the month *count* months after *month*'s (before, when negative)."""
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def last_complete_month(today: date) -> date:
    """The first day of the month before *today*'s: the default month of the report."""
    return add_months(today, -1)


def parse_month(text: str, today: date) -> date:
    """The first day of the month written ``YYYY-MM``, which must not be after *today*'s."""
    match = MONTH_PATTERN.match(text.strip())
    try:
        if not match:
            raise ValueError(text)
        month = first_of_month(int(match.group(1)), int(match.group(2)))
    except ValueError:
        raise ReportMonthError(f"Enter the month as YYYY-MM, for example {today:%Y-%m}") from None
    if month > today.replace(day=1):
        raise ReportMonthError(
            f"{month:%B %Y} is in the future: choose {today:%B %Y} or an earlier month"
        )
    if month < FIRST_MONTH:
        raise ReportMonthError(f"Choose {FIRST_MONTH:%B %Y} or a later month")
    return month


def month_key(month: date) -> str:
    """The month as ``YYYY-MM``, as the JSON and the URLs write it."""
    return f"{month:%Y-%m}"


def month_from_key(key: str) -> date:
    """The first day of the month ``YYYY-MM``."""
    return datetime.strptime(key, "%Y-%m").date()


def grade_label(key: str) -> str:
    """The grade *key* as staff read it."""
    labels = {grade.key: grade.label for grade in OFSTED_GRADES}
    labels[NOT_GRADED] = "Not graded"
    return labels.get(key, key.replace("_", " ").capitalize())


def _moment(month: date) -> datetime:
    return datetime(month.year, month.month, 1)


def _progress(signed_off: int, raised: int) -> float:
    return round(signed_off / raised, 4) if raised else 0.0


def build_monthly_report(month: date, today: date) -> dict[str, Any]:
    """The learning report of *month* (any day of it), as it stands on *today*.

    Overdue actions are judged on the last day of the month, or on *today* for the
    current month. Nine aggregate queries, plus the enabled plugins' own.
    """
    month = month.replace(day=1)
    first = add_months(month, 1 - TREND_MONTHS)
    months = [add_months(first, index) for index in range(TREND_MONTHS)]
    start, end, window_start = _moment(month), _moment(add_months(month, 1)), _moment(first)
    as_of = min(today, add_months(month, 1) - timedelta(days=1))

    services = queries.service_names()
    counts = queries.audit_counts(window_start, end)
    events = queries.action_counts(window_start, end)
    position = queries.action_position(window_start, end, as_of)
    learning = queries.learning_counts(window_start, start, end)
    examples = queries.outstanding_examples(start, end, OUTSTANDING_SHOWN)
    followed_up, followed_up_total = followups.reported(start, end)
    reaudits = queries.reaudit_counts(start, end)

    grade_keys = [grade.key for grade in OFSTED_GRADES]
    grade_keys += sorted({c.grade or NOT_GRADED for c in counts} - set(grade_keys))
    by_month: dict[tuple[int, int], list[queries.AuditCount]] = defaultdict(list)
    for count in counts:
        by_month[count.year, count.month].append(count)

    trend = []
    for each in months:
        rows = by_month[each.year, each.month]
        grades = dict.fromkeys(grade_keys, 0)
        per_service = dict.fromkeys(services, 0)
        for row in rows:
            grades[row.grade or NOT_GRADED] += row.count
            per_service[row.service] += row.count
        trend.append(
            {
                "month": month_key(each),
                "completed": sum(row.count for row in rows),
                "grades": grades,
                "services": per_service,
                "actions": {
                    event: events.get((event, each.year, each.month), 0)
                    for event in queries.ACTION_EVENTS
                },
            }
        )
    this_month = trend[-1]

    def summed(part: str) -> dict[str, int]:
        """The twelve months' counts of *part* ("services", "grades", "actions") added up."""
        totals: dict[str, int] = defaultdict(int)
        for entry in trend:
            for key, value in entry[part].items():
                totals[key] += value
        return dict(totals)

    host = plugin_host()
    sections = plugin_sections(month, start, end)
    return {
        "month": month_key(month),
        "as_of": as_of.isoformat(),
        "audits_completed": this_month["services"],
        "grade_distribution": this_month["grades"],
        "actions": {
            **this_month["actions"],
            "overdue": position.overdue,
            "weighted_progress": _progress(position.signed_off, position.raised),
        },
        "outstanding_examples": [
            {
                "audit_id": example.audit_id,
                "case_reference": example.case_reference,
                "process_key": example.process_key,
                "process_title": _process_title(host, example.process_key),
                "service": example.service,
                "submitted_on": to_london(example.submitted_at).date().isoformat(),
                "summary": example.summary,
                "cleared_for_sharing": example.cleared_for_sharing,
            }
            for example in examples
        ],
        "outstanding_total": this_month["grades"]["outstanding"],
        "learning_themes": {
            area.value: learning.get(area.value, (0, 0))[0] for area in LearningArea
        },
        "learning_followups": {
            "total": followed_up_total,
            "items": [
                {
                    "area": item.area,
                    "month": month_key(item.month),
                    "owner": item.owner,
                    "learning": item.learning,
                    "closed_on": item.closed_on.isoformat() if item.closed_on else None,
                    "changes": item.changes,
                    "latest_change": item.latest_change,
                    "latest_on": item.latest_on.isoformat() if item.latest_on else None,
                }
                for item in followed_up
            ],
        },
        "equality": build_equality(
            host.all_processes(),
            month_key(month),
            month_key(first),
            window_start,
            end,
        ),
        "reaudits": [
            {
                "process_key": item.process_key,
                "process_title": _process_title(host, item.process_key),
                "previous_grade": INADEQUATE.key,
                "grade": item.grade or NOT_GRADED,
                "audits": item.audits,
            }
            for item in reaudits
        ],
        "sections": {section.key: section.data for section in sections},
        "trend": trend,
        "cumulative": {
            "from": month_key(first),
            "to": month_key(month),
            "audits_completed": summed("services"),
            "grade_distribution": summed("grades"),
            "actions": {
                **summed("actions"),
                "overdue": position.overdue,
                "weighted_progress": _progress(position.window_signed_off, position.window_raised),
            },
            "learning_themes": {
                area.value: learning.get(area.value, (0, 0))[1] for area in LearningArea
            },
        },
        "labels": {
            "grades": {key: grade_label(key) for key in grade_keys},
            "learning_areas": {area.value: area.label for area in LearningArea},
        },
        "plugin_sections": sections,
    }


def _process_title(host, key: str) -> str:
    """The title of the process *key*; the key itself once its plugin is uninstalled."""
    process = host.process(key)
    return process.title if process else key


def json_document(report: dict[str, Any]) -> dict[str, Any]:
    """The part of *report* that is its JSON export (with ``snapshot``, when and how it
    was built, once it is served from a stored snapshot)."""
    # a report stored before a key existed (the equality part, say) goes without it
    document = {key: report[key] for key in JSON_KEYS if key in report}
    if report.get("commentary"):
        document["commentary"] = report["commentary"].as_json()
    if "snapshot" in report:
        document["snapshot"] = {k: v for k, v in report["snapshot"].items() if k != "line"}
    return document


# The report's own sections ------------------------------------------------------------


def plural(count: int, singular: str, many: str | None = None) -> str:
    """``1 audit``, ``2 audits``."""
    return f"{count} {singular if count == 1 else many or singular + 's'}"


def percent(fraction: float) -> str:
    """A share as a whole percentage: ``0.75`` is ``75%``."""
    return f"{round(fraction * 100)}%"


def _share(count: int, total: int) -> float:
    return round(100 * count / total, 1) if total else 0.0


def _long(key: str) -> str:
    return f"{month_from_key(key):%B %Y}"


def report_sections(report: dict[str, Any]) -> list[ReportSection]:
    """Every section of *report* in its fixed order: audits completed, grades, actions,
    outstanding practice, learning themes, learning followed up, equality of access and
    re-audits of cases graded Inadequate (a report stored before one of these existed goes
    without it, re-audits apart, which show none), then each enabled plugin's, by key;
    first the approved commentary, when the report carries it (``commentary``, in its
    exports)."""
    commentary = report.get("commentary")
    followed_up = [_followups_section(report)] if "learning_followups" in report else []
    equality = report.get("equality")
    return [
        *([commentary.as_section()] if commentary else []),
        _audits_section(report),
        _grades_section(report),
        _actions_section(report),
        _outstanding_section(report),
        _learning_section(report),
        *followed_up,
        *(
            [equality_section(equality, f"the {TREND_MONTHS} months to {_long(report['month'])}")]
            if equality
            else []
        ),
        _reaudits_section(report),
        *report["plugin_sections"],
    ]


def _audits_section(report: dict[str, Any]) -> ReportSection:
    name = _long(report["month"])
    by_service = report["audits_completed"]
    total = sum(by_service.values())
    cumulative = report["cumulative"]["audits_completed"]
    services = list(by_service)
    parts = ", ".join(f"{count} in {service}" for service, count in by_service.items() if count)
    summary = f"{plural(total, 'audit')} {was_or_were(total)} completed in {name}"
    summary += f" ({parts})" if parts else ""
    summary += f"; {sum(cumulative.values())} in the last {TREND_MONTHS} months."
    return ReportSection(
        key="audits-completed",
        title="Audits completed",
        summary=summary,
        tables=(
            ReportTable(
                title=f"Audits completed in {name}, by service",
                head=("Service", "Audits"),
                rows=(*((s, by_service[s]) for s in services), ("Total", total)),
            ),
            ReportTable(
                title="Audits completed each month, by service",
                head=("Month", *services, "Total"),
                rows=(
                    *(
                        (
                            _long(entry["month"]),
                            *(entry["services"][s] for s in services),
                            entry["completed"],
                        )
                        for entry in report["trend"]
                    ),
                    (
                        f"Last {TREND_MONTHS} months",
                        *(cumulative[s] for s in services),
                        sum(cumulative.values()),
                    ),
                ),
            ),
        ),
    )


def _distribution_rows(distribution: dict[str, int], labels: dict[str, str]) -> tuple:
    total = sum(distribution.values())
    return (
        *((labels[key], count, _share(count, total)) for key, count in distribution.items()),
        ("Total", total, 100.0 if total else 0.0),
    )


def _grades_section(report: dict[str, Any]) -> ReportSection:
    name = _long(report["month"])
    labels = report["labels"]["grades"]
    distribution = report["grade_distribution"]
    total = sum(distribution.values())
    if total:
        good = distribution.get("outstanding", 0) + distribution.get("good", 0)
        summary = (
            f"Of the {plural(total, 'audit')} completed in {name}, {good} "
            f"({percent(good / total)}) {was_or_were(good)} graded Good or "
            "Outstanding; moderated audits count with the moderator's grade."
        )
    else:
        summary = f"No audits were completed in {name}."
    head = ("Grade", "Audits", "Share (%)")
    return ReportSection(
        key="grades-given",
        title="Grades",
        summary=summary,
        tables=(
            ReportTable(
                title=f"Grades of the audits completed in {name}",
                head=head,
                rows=_distribution_rows(distribution, labels),
            ),
            ReportTable(
                title="Grades each month",
                head=("Month", *labels.values(), "Total"),
                rows=tuple(
                    (
                        _long(entry["month"]),
                        *(entry["grades"][key] for key in labels),
                        entry["completed"],
                    )
                    for entry in report["trend"]
                ),
            ),
            ReportTable(
                title=f"Grades over the last {TREND_MONTHS} months",
                head=head,
                rows=_distribution_rows(report["cumulative"]["grade_distribution"], labels),
            ),
        ),
    )


def _actions_section(report: dict[str, Any]) -> ReportSection:
    name = _long(report["month"])
    month, cumulative = report["actions"], report["cumulative"]["actions"]
    as_of = date.fromisoformat(report["as_of"])
    summary = (
        f"{plural(month['created'], 'action')} created, {month['completed']} completed and "
        f"{month['signed_off']} signed off in {name}; {month['overdue']} overdue on "
        f"{as_of:%-d %B %Y}. Weighted by priority (high 3, medium 2, low 1), "
        f"{percent(month['weighted_progress'])} of the actions created up to the end of "
        "the month are signed off."
    )
    return ReportSection(
        key="action-progress",
        title="Actions",
        summary=summary,
        tables=(
            ReportTable(
                title=f"Actions in {name}",
                head=("Actions", name, f"Last {TREND_MONTHS} months"),
                rows=(
                    ("Created", month["created"], cumulative["created"]),
                    ("Completed", month["completed"], cumulative["completed"]),
                    ("Signed off", month["signed_off"], cumulative["signed_off"]),
                    (f"Overdue on {as_of:%-d %B %Y}", month["overdue"], cumulative["overdue"]),
                    (
                        "Signed off, weighted by priority (%)",
                        _share(month["weighted_progress"], 1),
                        _share(cumulative["weighted_progress"], 1),
                    ),
                ),
            ),
            ReportTable(
                title="Actions each month",
                head=("Month", "Created", "Completed", "Signed off"),
                rows=tuple(
                    (
                        _long(entry["month"]),
                        entry["actions"]["created"],
                        entry["actions"]["completed"],
                        entry["actions"]["signed_off"],
                    )
                    for entry in report["trend"]
                ),
            ),
        ),
    )


def _outstanding_section(report: dict[str, Any]) -> ReportSection:
    name = _long(report["month"])
    examples, total = report["outstanding_examples"], report["outstanding_total"]
    if not total:
        summary = f"No audit completed in {name} was graded Outstanding."
    else:
        summary = (
            f"{plural(total, 'audit')} completed in {name} {was_or_were(total)} graded Outstanding"
        )
        summary += f"; the first {len(examples)} are shown." if total > len(examples) else "."
    return ReportSection(
        key="outstanding-practice",
        title="Outstanding practice",
        summary=summary,
        tables=(
            ReportTable(
                title=f"Audits graded Outstanding in {name}",
                head=("Case", "Audit", "Service", "Submitted", "Auditor's summary"),
                rows=tuple(_example_row(example) for example in examples),
            ),
        ),
    )


#: What an anonymised example shows instead of its case's reference, and of a summary
#: the QA lead has not cleared for sharing.
NOT_SHOWN = "Not shown"
NOT_CLEARED = "Not cleared for sharing"


def _example_row(example: dict[str, Any]) -> tuple:
    """An example of outstanding practice as a table row; an anonymised one (no reference)
    shows neither its case nor its date, and its summary only when cleared for sharing."""
    if example["case_reference"] is None:
        summary = example["summary"] if example["summary"] is not None else NOT_CLEARED
        return (NOT_SHOWN, example["process_title"], example["service"], "", summary)
    return (
        example["case_reference"],
        example["process_title"],
        example["service"],
        f"{date.fromisoformat(example['submitted_on']):%-d %B %Y}",
        example["summary"],
    )


def _learning_section(report: dict[str, Any]) -> ReportSection:
    name = _long(report["month"])
    labels = report["labels"]["learning_areas"]
    themes, cumulative = report["learning_themes"], report["cumulative"]["learning_themes"]
    top = max(themes.values())
    if top:
        areas = in_words(labels[area] for area, count in themes.items() if count == top)
        summary = (
            f"The audits completed in {name} were linked most often to {areas} "
            f"({plural(top, 'audit')})."
        )
    else:
        summary = f"No audit completed in {name} was linked to a learning area."
    return ReportSection(
        key="learning-themes",
        title="Learning themes",
        summary=summary,
        tables=(
            ReportTable(
                title="Audits linked to each learning area",
                head=("Learning area", name, f"Last {TREND_MONTHS} months"),
                rows=tuple((labels[a], themes[a], cumulative[a]) for a in themes),
            ),
        ),
    )


def _followups_section(report: dict[str, Any]) -> ReportSection:
    name = _long(report["month"])
    labels = report["labels"]["learning_areas"]
    followed = report["learning_followups"]
    items, total = followed["items"], followed["total"]
    closed = sum(1 for item in items if item["closed_on"])
    if not total:
        summary = f"No learning theme was being followed up in {name}."
    else:
        summary = (
            f"{plural(total, 'learning theme')} {was_or_were(total)} being "
            f"followed up in {name}; {closed} closed in the month."
        )
        if total > len(items):
            summary += f" The first {len(items)} are shown."

    def status(item: dict[str, Any]) -> str:
        if item["closed_on"]:
            return f"Closed on {date.fromisoformat(item['closed_on']):%-d %B %Y}"
        return "Open"

    def latest(item: dict[str, Any]) -> str:
        if not item["latest_on"]:
            return "Nothing recorded yet"
        return f"{date.fromisoformat(item['latest_on']):%-d %B %Y}: {item['latest_change']}"

    return ReportSection(
        key="learning-followed-up",
        title="Learning followed up",
        summary=summary,
        tables=(
            ReportTable(
                title=f"Learning themes followed up in {name}",
                head=("Learning area", "Month", "Owner", "The learning", "Status", "Latest change"),
                rows=tuple(
                    (
                        labels.get(item["area"], item["area"]),
                        _long(item["month"]),
                        item["owner"],
                        item["learning"],
                        status(item),
                        latest(item),
                    )
                    for item in items
                ),
            ),
        ),
    )


def _reaudit_counts(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """*items* as counts by audit tool and new judgement, by tool, the best judgement
    first (a report stored before re-audits were counted listed each re-audit, with no
    ``audits``: one each)."""
    counts: Counter[tuple[str, str]] = Counter()
    for item in items:
        counts[item["process_title"], item["grade"]] += item.get("audits", 1)
    rank = {grade.key: grade.rank for grade in OFSTED_GRADES}
    return [
        {"process_title": title, "grade": grade, "audits": audits}
        for (title, grade), audits in sorted(
            counts.items(), key=lambda pair: (pair[0][0], -rank.get(pair[0][1], 0), pair[0][1])
        )
    ]


def _reaudits_section(report: dict[str, Any]) -> ReportSection:
    """Before and after: how the audits of the month that followed an Inadequate judgement
    of the same case under the same process were judged, counted by audit tool and new
    judgement (no case is named: the report is widely read; the table stays as long as
    the tools and grades, however many cases were re-audited)."""
    name = _long(report["month"])
    # a report stored before re-audits were reported has none
    counts = _reaudit_counts(report.get("reaudits", []))
    total = sum(item["audits"] for item in counts)
    better = sum(
        item["audits"] for item in counts if item["grade"] not in (INADEQUATE.key, NOT_GRADED)
    )
    if total:
        summary = (
            f"{plural(total, 'audit')} completed in {name} re-audited a case whose "
            f"previous audit was graded Inadequate; {better} of them "
            f"{was_or_were(better)} graded better this time."
        )
    else:
        summary = f"No audit completed in {name} re-audited a case graded Inadequate."
    return ReportSection(
        key="reaudits",
        title="Re-audits of cases graded Inadequate",
        summary=summary,
        tables=(
            ReportTable(
                title=f"Re-audits completed in {name}: the judgement before and after",
                head=("Audit", "Previous judgement", "New judgement", "Audits"),
                rows=tuple(
                    (
                        item["process_title"],
                        grade_label(INADEQUATE.key),
                        grade_label(item["grade"]),
                        item["audits"],
                    )
                    for item in counts
                ),
            ),
        ),
    )
