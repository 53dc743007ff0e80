"""The thematic_review plugin's part of the annual summary: the reviews held in the
financial year, the cases they looked at, and the family conversations captured."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import case, func, select

from plugins.thematic_review.models import Conversation, Review, ReviewCase
from portal.plugin_api import ReportSection, ReportTable, db


def annual_section(start: date, end: date) -> ReportSection:
    """Reviews held (by their first day) and endorsed, their cases, and the family
    conversations captured in ``[start, end)``, with and without consent. Two statements."""
    reviews, endorsed, cases = db.session.execute(
        select(
            func.count(func.distinct(Review.id)),
            func.count(func.distinct(case((Review.endorsed_at.is_not(None), Review.id)))),
            func.count(ReviewCase.id),
        )
        .select_from(Review)
        .outerjoin(ReviewCase, ReviewCase.review_id == Review.id)
        .where(Review.first_day >= start, Review.first_day < end)
    ).one()
    moments = (datetime.combine(start, time()), datetime.combine(end, time()))
    conversations = dict(
        db.session.execute(
            select(Conversation.consent, func.count(Conversation.id))
            .where(Conversation.captured_at >= moments[0], Conversation.captured_at < moments[1])
            .group_by(Conversation.consent)
        ).all()
    )
    given = conversations.get("given", 0)
    return ReportSection(
        key="thematic_review",
        title="Thematic reviews and family conversations",
        summary=(
            f"{reviews} thematic review{'s' if reviews != 1 else ''} held, looking at {cases} "
            f"cases; {given} families gave their views in a conversation."
        ),
        tables=(
            ReportTable(
                title="Thematic reviews",
                head=("Thematic reviews", "Number"),
                rows=(("Held", reviews), ("Report endorsed", endorsed), ("Cases reviewed", cases)),
            ),
            ReportTable(
                title="Family conversations",
                head=("Family conversations", "Number"),
                rows=(
                    ("Consent given, views captured", given),
                    ("Consent refused", conversations.get("refused", 0)),
                ),
            ),
        ),
        data={
            "reviews": reviews,
            "endorsed": endorsed,
            "cases": cases,
            "conversations": conversations,
        },
    )
