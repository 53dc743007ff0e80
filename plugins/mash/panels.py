"""The mash plugin's panel on the MASH head of service's home page: this month's MASH audits
by the auditor's agency against the monthly quota of each key agency, and how many of them
are overdue."""

from __future__ import annotations

from datetime import date, timedelta

from flask import url_for
from sqlalchemy import case, func, select

from plugins.mash.process import AUDITS_PER_AGENCY, KEY_AGENCIES, MASH_AUDIT
from portal.plugin_api import (
    Agency,
    Audit,
    AuditAuditor,
    AuditStatus,
    DashboardPanel,
    Role,
    User,
    db,
)

#: Audit statuses in which an audit past its due date is overdue.
UNFINISHED = ("allocated", "in_progress")


def audits_this_month(today: date) -> dict[str, tuple[str, int, int]]:
    """The MASH audits allocated in *today*'s month (not cancelled) by the agency of their
    auditors when allocated: ``{agency code: (agency name, audits, overdue on today)}``,
    the key agencies first (even with none). One grouped statement; a joint audit counts
    once for each agency among its auditors. An audit confirmed ahead for next month is
    next month's."""
    first = today.replace(day=1)
    following = (first + timedelta(days=31)).replace(day=1)
    late = case((Audit.status.in_(UNFINISHED) & (Audit.due_on < today), 1), else_=0)
    rows = db.session.execute(
        select(
            AuditAuditor.agency_code,
            Agency.name,
            func.count(func.distinct(AuditAuditor.audit_id)),
            func.coalesce(func.sum(late), 0),
        )
        .join(Audit, Audit.id == AuditAuditor.audit_id)
        .outerjoin(Agency, Agency.code == AuditAuditor.agency_code)
        .where(
            Audit.process_key == MASH_AUDIT.key,
            Audit.allocated_on >= first,
            Audit.allocated_on < following,
            Audit.status != AuditStatus.CANCELLED,
        )
        .group_by(AuditAuditor.agency_code, Agency.name)
        .order_by(AuditAuditor.agency_code)
    )
    found = {code: (name, 0, 0) for code, name in KEY_AGENCIES}
    for code, name, count, overdue in rows:
        key = code or "UNKNOWN"
        found[key] = (dict(KEY_AGENCIES).get(key) or name or "Agency not recorded", count, overdue)
    return found


def _quota_cell(code: str, count: int) -> str:
    if code not in dict(KEY_AGENCIES):
        return "No quota"
    short = AUDITS_PER_AGENCY - count
    return "Met" if short <= 0 else f"{short} short of {AUDITS_PER_AGENCY}"


def dashboard_panels(user: User, today: date) -> list[DashboardPanel]:
    """The MASH head of service's panel (nothing for anyone else)."""
    if not user.has_role(Role.MASH_HEAD_OF_SERVICE):
        return []
    agencies = audits_this_month(today)
    overdue = sum(late for _name, _count, late in agencies.values())
    rows = [
        [name, str(count), _quota_cell(code, count), str(late)]
        for code, (name, count, late) in agencies.items()
    ]
    return [
        DashboardPanel(
            title=f"MASH audits in {today:%B %Y}",
            empty_text="",
            head=[
                "Auditor's agency",
                "Audits allocated",
                f"Quota ({AUDITS_PER_AGENCY})",
                "Overdue",
            ],
            rows=rows,
            summary=f"{overdue} MASH {'audit is' if overdue == 1 else 'audits are'} overdue."
            if overdue
            else "No MASH audit is overdue.",
            link=(url_for("audits.index", tool=MASH_AUDIT.key), "See the MASH audits"),
        )
    ]
