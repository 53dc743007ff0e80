"""The plugin's background job: every Monday, tell the QA lead how many of the S.47 audits
submitted in the week before found a child who was not seen within the timescale."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from portal.plugin_api import (
    LONDON,
    Audit,
    AuditAnswer,
    Role,
    ScheduledJob,
    User,
    UserRole,
    db,
    notify,
    submitted_between,
)
from sqlalchemy import and_, func, select

from s47_example.grading import ENQUIRY, SEEN_IN_TIME
from s47_example.process import S47_AUDIT


def _utc_midnight(day: date) -> datetime:
    """The start of *day* in the UK, as the naive UTC datetime the database keeps."""
    return datetime.combine(day, time(), LONDON).astimezone(UTC).replace(tzinfo=None)


def seen_late_or_not_at_all(start: datetime, end: datetime) -> tuple[int, int]:
    """The S.47 audits submitted in ``[start, end)``, and how many of them found a child
    who was seen late or not at all. One query."""
    late = and_(
        AuditAnswer.section_key == ENQUIRY,
        AuditAnswer.field_key == "child_seen",
        AuditAnswer.value != "",
        AuditAnswer.value != SEEN_IN_TIME,
    )
    audits, flagged = db.session.execute(
        select(func.count(func.distinct(Audit.id)), func.count(AuditAnswer.audit_id))
        .outerjoin(AuditAnswer, and_(AuditAnswer.audit_id == Audit.id, late))
        .where(Audit.process_key == S47_AUDIT.key, submitted_between(start, end))
    ).one()
    return int(audits), int(flagged)


def weekly_digest(today: date) -> str:
    """Count the week before *today*; notify the QA leads when a child was not seen in time."""
    start, end = _utc_midnight(today - timedelta(days=7)), _utc_midnight(today)
    audits, flagged = seen_late_or_not_at_all(start, end)
    if flagged:
        leads = db.session.scalars(
            select(User).join(UserRole).where(UserRole.role == Role.QA_LEAD.value, User.active)
        )
        notify(
            leads,
            "S.47 audits: children not seen within the timescale",
            f"{flagged} of the {audits} S.47 enquiry audits submitted in the last week found "
            "a child who was not seen within the timescale the strategy discussion set.",
            "/audits/",
        )
    return (
        f"{audits} S.47 audit{'' if audits == 1 else 's'} submitted in the week before; "
        f"{flagged} found a child not seen within the timescale"
    )


WEEKLY_DIGEST = ScheduledJob(
    id="s47_example.weekly_digest",
    description=(
        "Every Monday, tell the QA lead how many S.47 audits of the week before found a child "
        "not seen within the timescale."
    ),
    cron={"day_of_week": "mon", "hour": 8, "minute": 0},
    run=weekly_digest,
    period=lambda today: f"{today:%G-W%V}",
)
