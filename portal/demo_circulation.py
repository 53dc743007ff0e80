"""The demo council's report circulation: the third step of ``flask --app portal seed-demo``.

The QA lead's three distribution lists (with example.org addresses) and her draft
commentary on last month's learning report, waiting for the assistant director's approval.
Safe to run again: a list that exists (by name) and a commentary already written are left
as they are.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from portal.extensions import db
from portal.models import DistributionList, ReportCommentary, User
from portal.reports import CIRCULATION_KIND
from portal.reports.monthly import last_complete_month, month_key

#: The QA lead who keeps the lists and writes the commentary.
QA_LEAD_EMAIL = "qa.lead@council.example"

#: The lists, with their addresses.
LISTS = (
    (
        "Departmental Management Meeting",
        (
            "director.childrens.services@example.org",
            "assistant.director@example.org",
            "head.of.service.csc@example.org",
            "head.of.service.early.help@example.org",
            "principal.social.worker@example.org",
        ),
    ),
    (
        "Safeguarding partnership",
        (
            "partnership.manager@example.org",
            "police.safeguarding.lead@example.org",
            "designated.nurse@example.org",
            "education.safeguarding@example.org",
        ),
    ),
    (
        "Heads of service",
        (
            "head.of.service.csc@example.org",
            "head.of.service.early.help@example.org",
            "head.of.service.front.door@example.org",
        ),
    ),
)

#: Last month's draft commentary.
DRAFT = {
    "key_messages": (
        "Most audits this month were graded good, and the share of outstanding practice "
        "held steady. Assessment teams completed every allocated audit on time."
    ),
    "learning": (
        "Where practice required improvement, plans did not say what would change for the "
        "child or by when. Supervision records rarely showed reflection on the child's "
        "lived experience."
    ),
    "recommendations": (
        "Team managers to use the reflective supervision template from next month.\n"
        "Service managers to review overdue high-priority actions at their monthly "
        "performance meeting."
    ),
}


def seed_circulation(today: date) -> dict[str, int]:
    """Add the lists and the draft commentary the database lacks; commit once. Returns how
    many lists and commentaries were added."""
    qa_lead = db.session.scalar(select(User).where(User.email == QA_LEAD_EMAIL))
    if qa_lead is None:
        return {"lists": 0, "commentaries": 0}
    names = set(db.session.scalars(select(DistributionList.name)))
    lists = [
        DistributionList(name=name, addresses=list(addresses), updated_by_id=qa_lead.id)
        for name, addresses in LISTS
        if name not in names
    ]
    db.session.add_all(lists)
    period = month_key(last_complete_month(today))
    exists = db.session.scalar(
        select(ReportCommentary.id).where(
            ReportCommentary.report_kind == CIRCULATION_KIND, ReportCommentary.period == period
        )
    )
    if exists is None:
        db.session.add(
            ReportCommentary(
                report_kind=CIRCULATION_KIND, period=period, drafted_by_id=qa_lead.id, **DRAFT
            )
        )
    db.session.commit()
    return {"lists": len(lists), "commentaries": 0 if exists else 1}


def describe_circulation(counts: dict[str, int]) -> list[str]:
    """The line ``seed-demo`` prints about the circulation."""
    if not any(counts.values()):
        return ["Nothing to add: the distribution lists and the draft commentary are in place."]
    return [
        f"Added {counts['lists']} distribution lists and {counts['commentaries']} draft "
        "commentary on last month's learning report."
    ]
