"""What the plugin adds to the portal's own pages (the hooks in ``plugin`` call these): the
menu item, the home page's panels about reviews and their actions, and the reviews on the
thematic schedule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import url_for
from markupsafe import Markup
from sqlalchemy import ColumnElement, Select, case, func, select
from sqlalchemy.orm import joinedload

from plugins.thematic_review import access, plan, reviews
from plugins.thematic_review.access import membership
from plugins.thematic_review.models import PlanItem, Review, ReviewCase
from plugins.thematic_review.review_report import case_review_left
from plugins.thematic_review.reviews import MINIMUM_CASES, Status
from plugins.thematic_review.views.shared import link
from portal.plugin_api import (
    Audit,
    AuditAuditor,
    Case,
    DashboardPanel,
    NavItem,
    ScheduleEntry,
    User,
    db,
    today_london,
)


def navigation(user: User) -> list[NavItem]:
    """The menu item "Thematic reviews" for the QA lead, the safeguarding unit, the members of
    any review, those who monitor the rolling action plan and the owners of its actions."""
    if (
        user.has_role(*access.PLAN_READERS)
        or reviews.is_member_of_any(user)
        or access.can_read_plan(user)
    ):
        return [NavItem("Thematic reviews", "thematic_review.index")]
    return []


#: The most rows a panel shows; the rest are behind its link.
PANEL_ROWS = 5


def _review_link(review: Review) -> Markup:
    return link(url_for("thematic_review.review_page", review_id=review.id), review.theme)


def _plural(count: int, singular: str, plural: str) -> str:
    return f"{count:,} {singular if count == 1 else plural}"


def _first_few(query: Select, *order) -> tuple[int, list]:
    """How many rows *query* finds and the first few in *order*: two statements, found
    or not, so that a home page sends the same statements whatever the data."""
    entity = query.column_descriptions[0]["entity"]
    count = db.session.scalar(query.with_only_columns(func.count(entity.id)).order_by(None))
    return count or 0, list(db.session.scalars(query.order_by(*order).limit(PANEL_ROWS)))


def _unfinished(user: User) -> Select:
    """The reviews *user* may see that are not endorsed yet."""
    query = select(Review).where(Review.status != Status.ENDORSED.value)
    return query if user.has_role(*access.OVERSIGHT) else query.where(membership(user))


@dataclass(frozen=True)
class Tally:
    """A review's cases: how many, how many without a pair, whose case review is not
    submitted, and whose discussion with the social worker is not recorded."""

    cases: int = 0
    unpaired: int = 0
    reviews_left: int = 0
    discussions_left: int = 0


def _case_tallies(found: list[Review]) -> dict[int, Tally]:
    """Each of *found*'s :class:`Tally` (one statement, even for no review)."""

    def counted(condition) -> ColumnElement[int]:
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    rows = db.session.execute(
        select(
            ReviewCase.review_id,
            func.count(ReviewCase.id),
            counted(ReviewCase.audit_id.is_(None)),
            counted(case_review_left()),
            counted(ReviewCase.worker_attended.is_(None)),
        )
        .outerjoin(Audit, ReviewCase.audit_id == Audit.id)
        .where(ReviewCase.review_id.in_([review.id for review in found]))
        .group_by(ReviewCase.review_id)
    )
    return {review_id: Tally(*counts) for review_id, *counts in rows}


def _left_before_endorsement(review: Review, tally: Tally, today: date) -> str:
    """The first of what :func:`review_report.endorsement_problems` would still refuse
    for a started review, as its next step; empty when the report can be endorsed."""
    if tally.reviews_left:
        return f"Case reviews: {tally.cases - tally.reviews_left} of {tally.cases} submitted"
    if tally.discussions_left:
        done = tally.cases - tally.discussions_left
        return f"Record the discussions with the social workers: {done} of {tally.cases}"
    if reviews.last_day(review) >= today:
        return f"Hold the review on {reviews.dates_in_words(review)}"
    if not (review.findings and review.recommendations):
        return "Write the report"
    return ""


def _next_step(review: Review, tally: Tally, today: date) -> str:
    if tally.cases < MINIMUM_CASES:
        return f"Add cases: {tally.cases} of at least {MINIMUM_CASES}"
    if tally.unpaired:
        return f"Pair the auditors of {tally.unpaired} case{'' if tally.unpaired == 1 else 's'}"
    if reviews.status_of(review) is Status.PLANNING:
        return "Start the review"
    return (
        _left_before_endorsement(review, tally, today)
        or "Ready for the safeguarding unit to endorse the report"
    )


def _to_finish(user: User) -> DashboardPanel:
    count, found = _first_few(_unfinished(user), Review.first_day, Review.id)
    tallies = _case_tallies(found)
    today = today_london()
    return DashboardPanel(
        "Thematic reviews to finish",
        "No thematic review is being planned or under way.",
        ["Review", "Dates", "Next step"],
        [
            [
                _review_link(r),
                reviews.dates_in_words(r),
                _next_step(r, tallies.get(r.id, Tally()), today),
            ]
            for r in found
        ],
        link=(url_for("thematic_review.new_review"), "Set up a thematic review"),
        summary=f"The {len(found)} earliest of {_plural(count, 'review', 'reviews')}."
        if count > len(found)
        else "",
    )


def _to_endorse(user: User) -> list[DashboardPanel]:
    """The written reports of reviews under way, each saying whether it can be endorsed
    yet and, if not, what is left."""
    written = _unfinished(user).where(
        Review.status == Status.UNDER_WAY.value,
        Review.findings != "",
        Review.recommendations != "",
    )
    count, found = _first_few(
        written.options(joinedload(Review.qa_lead)), Review.first_day, Review.id
    )
    if not count:
        return []
    tallies = _case_tallies(found)
    today = today_london()
    left = {r.id: _left_before_endorsement(r, tallies.get(r.id, Tally()), today) for r in found}
    return [
        DashboardPanel(
            "Thematic review reports to endorse",
            "",
            ["Review", "Dates", "QA lead", "Can it be endorsed?"],
            [
                [
                    _review_link(r),
                    reviews.dates_in_words(r),
                    r.qa_lead.name,
                    f"Not yet: {left[r.id]}" if left[r.id] else "Yes",
                ]
                for r in found
            ],
            summary=f"{_plural(count, 'report is', 'reports are')} waiting for endorsement."
            if count > len(found)
            else "",
            link=(url_for("thematic_review.index"), "See every review")
            if count > len(found)
            else None,
        )
    ]


def _cases_paired_with(user: User, found: list[Review]) -> dict[int, list[str]]:
    """The references of the cases *user* reviews in a pair, by review (one statement, even
    for no review)."""
    rows = db.session.execute(
        select(ReviewCase.review_id, Case.reference)
        .join(Case, Case.id == ReviewCase.case_id)
        .join(AuditAuditor, AuditAuditor.audit_id == ReviewCase.audit_id)
        .where(
            AuditAuditor.user_id == user.id,
            ReviewCase.review_id.in_([review.id for review in found]),
        )
        .order_by(ReviewCase.id)
    )
    paired: dict[int, list[str]] = {}
    for review_id, reference in rows:
        paired.setdefault(review_id, []).append(reference)
    return paired


def _members_reviews(user: User) -> list[DashboardPanel]:
    count, found = _first_few(
        _unfinished(user).where(membership(user)), Review.first_day, Review.id
    )
    paired = _cases_paired_with(user, found)
    if not count:
        return []
    return [
        DashboardPanel(
            "Your thematic reviews",
            "",
            ["Review", "Dates", "Venue", "Cases you review"],
            [
                [
                    _review_link(review),
                    reviews.dates_in_words(review),
                    review.venue,
                    ", ".join(paired.get(review.id, ())) or "None yet",
                ]
                for review in found
            ],
            summary=f"The {len(found)} earliest of {_plural(count, 'review', 'reviews')}."
            if count > len(found)
            else "",
            link=(
                url_for("thematic_review.index"),
                f"See all {_plural(count, 'review', 'reviews')}",
            )
            if count > len(found)
            else None,
        )
    ]


def _owned_actions(user: User) -> list[DashboardPanel]:
    query = select(PlanItem).where(PlanItem.owner_id == user.id, PlanItem.status == plan.OPEN)
    count, owned = _first_few(
        query.options(joinedload(PlanItem.review)), PlanItem.due_on, PlanItem.id
    )
    if not count:
        return []
    today = today_london()
    return [
        DashboardPanel(
            "Your actions from thematic reviews",
            "",
            ["Action", "Review", "Due"],
            [
                [
                    link(url_for("thematic_review.plan_item", item_id=item.id), item.action),
                    item.review.theme,
                    f"{item.due_on:%-d %B %Y}"
                    + (" (overdue)" if plan.is_overdue(item, today) else ""),
                ]
                for item in owned
            ],
            summary=f"The {len(owned)} due soonest of {_plural(count, 'action', 'actions')}."
            if count > len(owned)
            else "",
            link=(url_for("thematic_review.rolling_plan"), "The rolling action plan"),
        )
    ]


def dashboard_panels(user: User) -> list[DashboardPanel]:
    """The home page's panels: the QA lead's reviews to finish, the safeguarding unit's
    reports to endorse, a member's reviews, and an owner's actions. Each counts in SQL and
    shows at most :data:`PANEL_ROWS` rows, the earliest first."""
    panels = []
    if access.can_organise(user):
        panels.append(_to_finish(user))
    if access.can_endorse(user):
        panels += _to_endorse(user)
    if not access.can_organise(user):
        panels += _members_reviews(user)
    return panels + _owned_actions(user)


def schedule_entries(start: date, end: date) -> list[ScheduleEntry]:
    """Each review on the thematic schedule, in the month of its first day."""
    found = db.session.scalars(
        select(Review)
        .where(Review.first_day >= start, Review.first_day < end)
        .order_by(Review.first_day, Review.id)
    )
    return [
        ScheduleEntry(
            review.first_day,
            f"Thematic review: {review.theme} ({reviews.dates_in_words(review)})",
            url_for("thematic_review.review_page", review_id=review.id),
        )
        for review in found
    ]
