"""The thematic_review plugin's section of the monthly learning report.

It summarises, for the month: the reviews held (a review counts in the month of its first
day) and their cases, the case reviews submitted, the family conversations captured and the
replies sent to families, and the rolling action plan as it stood at the month's end (or
today, for the current month): done, open, and of the open ones, overdue. Every figure is an
aggregate query over the plugin's tables.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import case, func, select

from plugins.thematic_review.models import Conversation, PlanItem, Reply, Review, ReviewCase
from plugins.thematic_review.process import THEMATIC_REVIEW
from portal.plugin_api import ReportSection, ReportTable, db, submitted_audits, today_london


def _next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def _plural(count: int, word: str, words: str = "") -> str:
    return f"{count} {word if count == 1 else words or word + 's'}"


def reviews_held(month: date) -> list[tuple[str, date, int, bool]]:
    """The reviews whose first day falls in *month*: theme, first day, cases, endorsed."""
    rows = db.session.execute(
        select(
            Review.theme,
            Review.first_day,
            func.count(ReviewCase.id),
            Review.endorsed_at.is_not(None),
        )
        .outerjoin(ReviewCase, ReviewCase.review_id == Review.id)
        .where(Review.first_day >= month, Review.first_day < _next_month(month))
        .group_by(Review.id, Review.theme, Review.first_day, Review.endorsed_at)
        .order_by(Review.first_day, Review.id)
    ).all()
    return [(theme, first_day, count, bool(endorsed)) for theme, first_day, count, endorsed in rows]


def family_feedback(start: datetime, end: datetime) -> dict[str, int]:
    """Family conversations captured in ``[start, end)`` by consent, and replies sent."""
    by_consent = dict(
        db.session.execute(
            select(Conversation.consent, func.count(Conversation.id))
            .where(Conversation.captured_at >= start, Conversation.captured_at < end)
            .group_by(Conversation.consent)
        ).all()
    )
    replies = db.session.scalar(
        select(func.count(Reply.id)).where(
            Reply.sent_on >= start.date(), Reply.sent_on < end.date()
        )
    )
    return {
        "conversations": sum(by_consent.values()),
        "consents": by_consent.get("given", 0),
        "refusals": by_consent.get("refused", 0),
        "replies_sent": replies or 0,
    }


def plan_progress(end: datetime, as_of: date) -> dict[str, int]:
    """The rolling action plan as it stood at *end*: items done by then, still open, and the
    open ones past their due date on *as_of*."""
    done_by_end = PlanItem.completed_at.is_not(None) & (PlanItem.completed_at < end)
    done, still_open, overdue = db.session.execute(
        select(
            func.coalesce(func.sum(case((done_by_end, 1), else_=0)), 0),
            func.coalesce(func.sum(case((done_by_end, 0), else_=1)), 0),
            func.coalesce(
                func.sum(case((~done_by_end & (PlanItem.due_on < as_of), 1), else_=0)), 0
            ),
        ).where(PlanItem.created_at < end)
    ).one()
    return {"done": int(done), "open": int(still_open), "overdue": int(overdue)}


def report_section(month: date, start: datetime, end: datetime) -> ReportSection:
    """The thematic reviews of ``[start, end)``, family feedback, and the rolling plan."""
    as_of = min(today_london(), end.date() - timedelta(days=1))
    held = reviews_held(month)
    cases = sum(count for _, _, count, _ in held)
    submitted = submitted_audits(THEMATIC_REVIEW.key, start, end)
    family = family_feedback(start, end)
    plan = plan_progress(end, as_of)
    summary = (
        f"{_plural(len(held), 'thematic review')} held in {month:%B %Y}, with "
        f"{_plural(cases, 'case')}; {_plural(submitted, 'case review')} submitted; "
        f"{_plural(family['conversations'], 'family conversation')} captured and "
        f"{_plural(family['replies_sent'], 'reply', 'replies')} sent. The rolling action plan has "
        f"{plan['done']} done and {plan['open']} open, {plan['overdue']} of them overdue."
    )
    return ReportSection(
        key=THEMATIC_REVIEW.key,
        title="Thematic practice reviews",
        summary=summary,
        tables=(
            ReportTable(
                title=f"Reviews held, {month:%B %Y}",
                head=("Theme", "First day", "Cases", "Report endorsed"),
                rows=tuple(
                    (theme, f"{first_day:%-d %B %Y}", count, "Yes" if endorsed else "No")
                    for theme, first_day, count, endorsed in held
                ),
            ),
            ReportTable(
                title=f"Case reviews and family feedback, {month:%B %Y}",
                head=("Measure", "Number"),
                rows=(
                    ("Cases in the reviews held", cases),
                    ("Case reviews submitted", submitted),
                    ("Family conversations captured", family["conversations"]),
                    ("Families who consented", family["consents"]),
                    ("Families who declined", family["refusals"]),
                    ("Written replies sent to families", family["replies_sent"]),
                ),
            ),
            ReportTable(
                title=f"Rolling action plan on {as_of:%-d %B %Y}",
                head=("Items", "Number"),
                rows=(
                    ("Done", plan["done"]),
                    ("Open", plan["open"]),
                    ("Open and overdue", plan["overdue"]),
                ),
            ),
        ),
        data={
            "reviews_held": [
                {
                    "theme": theme,
                    "first_day": first_day.isoformat(),
                    "cases": count,
                    "endorsed": endorsed,
                }
                for theme, first_day, count, endorsed in held
            ],
            "cases_in_reviews": cases,
            "case_reviews_submitted": submitted,
            "family_feedback": family,
            "action_plan": {**plan, "as_of": as_of.isoformat()},
        },
    )
