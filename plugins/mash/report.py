"""The mash plugin's section of the monthly learning report: audits by the auditor's agency
against the monthly quota, completion within the due rule's working days, and grades by
section."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import distinct, func, select

from plugins.mash.process import AUDITS_PER_AGENCY, KEY_AGENCIES, MASH_AUDIT
from portal.plugin_api import (
    Agency,
    Audit,
    AuditAuditor,
    ReportSection,
    ReportTable,
    add_working_days,
    db,
    grade_table,
    grades_by_section,
    in_words,
    section_grades,
    submitted_between,
    to_london,
)

UNKNOWN_AGENCY = "UNKNOWN"


def audits_by_agency(start: datetime, end: datetime) -> dict[str, tuple[str, int]]:
    """MASH audits submitted in ``[start, end)`` by the agency of their auditors when
    allocated: ``{agency code: (agency name, audits)}``, the key agencies first (even with
    none). A joint audit counts once for each agency among its auditors."""
    rows = db.session.execute(
        select(
            AuditAuditor.agency_code,
            Agency.name,
            func.count(distinct(AuditAuditor.audit_id)),
        )
        .join(Audit, Audit.id == AuditAuditor.audit_id)
        .outerjoin(Agency, Agency.code == AuditAuditor.agency_code)
        .where(Audit.process_key == MASH_AUDIT.key, submitted_between(start, end))
        .group_by(AuditAuditor.agency_code, Agency.name)
        .order_by(AuditAuditor.agency_code)
    )
    result = {code: (name, 0) for code, name in KEY_AGENCIES}
    for code, name, count in rows:
        key = code or UNKNOWN_AGENCY
        result[key] = (dict(KEY_AGENCIES).get(key) or name or "Agency not recorded", count)
    return result


def timeliness(start: datetime, end: datetime) -> tuple[int, int]:
    """The MASH audits submitted in ``[start, end)``, and how many of them were submitted
    within the due rule's working days (15) of allocation, by the UK calendar."""
    pairs = db.session.execute(
        select(Audit.allocated_on, Audit.submitted_at).where(
            Audit.process_key == MASH_AUDIT.key, submitted_between(start, end)
        )
    ).all()
    days = MASH_AUDIT.due.working_days
    on_time = sum(
        1
        for allocated_on, submitted_at in pairs
        if to_london(submitted_at).date() <= add_working_days(allocated_on, days)
    )
    return len(pairs), on_time


def report_section(month: date, start: datetime, end: datetime) -> ReportSection:
    """The MASH audits submitted in ``[start, end)``: by agency, on time, and their grades."""
    graded = MASH_AUDIT.form.graded_sections
    counts = grades_by_section((s.key for s in graded), section_grades(MASH_AUDIT.key, start, end))
    agencies = audits_by_agency(start, end)
    audits, on_time = timeliness(start, end)
    days = MASH_AUDIT.due.working_days
    share = round(on_time / audits, 4) if audits else 0.0
    key_codes = {code for code, _ in KEY_AGENCIES}
    short = [
        name
        for code, (name, count) in agencies.items()
        if code in key_codes and count < AUDITS_PER_AGENCY
    ]
    summary = (
        f"{audits} MASH audit{'' if audits == 1 else 's'} submitted in {month:%B %Y}; "
        f"{on_time} within {days} working days of allocation ({round(share * 100)}%)."
    )
    if short:
        summary += f" Fewer than {AUDITS_PER_AGENCY} from {in_words(short)}."
    return ReportSection(
        key=MASH_AUDIT.key,
        title="MASH audits",
        summary=summary,
        tables=(
            ReportTable(
                title=f"Audits by the auditor's agency, {month:%B %Y}",
                head=("Agency", "Audits", f"At least {AUDITS_PER_AGENCY} a month"),
                rows=tuple(
                    (
                        name,
                        count,
                        ("Yes" if count >= AUDITS_PER_AGENCY else "No")
                        if code in key_codes
                        else "",
                    )
                    for code, (name, count) in agencies.items()
                ),
            ),
            ReportTable(
                title=f"Completed within {days} working days of allocation",
                head=("Audits", "Count"),
                rows=(
                    ("Submitted", audits),
                    (f"Within {days} working days", on_time),
                    (f"After {days} working days", audits - on_time),
                    (f"Share within {days} working days (%)", round(share * 100, 1)),
                ),
            ),
            grade_table(
                f"Grades by section, {month:%B %Y}", ((s.key, s.title) for s in graded), counts
            ),
        ),
        data={
            "audits": audits,
            "by_agency": {code: count for code, (_, count) in agencies.items()},
            "within_working_days": on_time,
            "within_working_days_share": share,
            "grades_by_section": counts,
        },
    )
