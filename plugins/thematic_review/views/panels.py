"""What the plugin adds to the portal's own pages (the hooks in ``plugin`` call these): the
menu item, the home page's panels about reviews and their actions, and the reviews on the
thematic schedule.
"""

from __future__ import annotations

from datetime import date

from flask import url_for
from markupsafe import Markup
from sqlalchemy import select

from plugins.thematic_review import access, plan, reviews
from plugins.thematic_review.models import PlanItem, Review
from plugins.thematic_review.reviews import MINIMUM_CASES, Status
from plugins.thematic_review.views.shared import link
from portal.extensions import db
from portal.hookspecs import DashboardPanel, NavItem, ScheduleEntry
from portal.models import User


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


def _review_link(review: Review) -> Markup:
    return link(url_for("thematic_review.review_page", review_id=review.id), review.theme)


def _next_step(review: Review) -> str:
    cases = len(review.cases)
    unpaired = sum(1 for review_case in review.cases if review_case.audit_id is None)
    if cases < MINIMUM_CASES:
        return f"Add cases: {cases} of at least {MINIMUM_CASES}"
    if unpaired:
        return f"Pair the auditors of {unpaired} case{'' if unpaired == 1 else 's'}"
    if reviews.status_of(review) is Status.PLANNING:
        return "Start the review"
    if not (review.findings and review.recommendations):
        return "Write the report"
    return "Waiting for the safeguarding unit to endorse the report"


def dashboard_panels(user: User) -> list[DashboardPanel]:
    """The home page's panels: the QA lead's reviews to finish, the safeguarding unit's
    reports to endorse, a member's reviews, and an owner's actions."""
    open_reviews = [
        review
        for review in reviews.reviews_for(user)
        if reviews.status_of(review) is not Status.ENDORSED
    ]
    panels = []
    if access.can_organise(user):
        panels.append(
            DashboardPanel(
                "Thematic reviews to finish",
                "No thematic review is being planned or under way.",
                ["Review", "Dates", "Next step"],
                [
                    [_review_link(review), reviews.dates_in_words(review), _next_step(review)]
                    for review in open_reviews
                ],
                link=(url_for("thematic_review.new_review"), "Set up a thematic review"),
            )
        )
    if access.can_endorse(user):
        waiting = [
            review
            for review in open_reviews
            if reviews.status_of(review) is Status.UNDER_WAY
            and review.findings
            and review.recommendations
        ]
        if waiting:
            panels.append(
                DashboardPanel(
                    "Thematic review reports to endorse",
                    "",
                    ["Review", "Dates", "QA lead"],
                    [[_review_link(r), reviews.dates_in_words(r), r.qa_lead.name] for r in waiting],
                )
            )
    mine = [review for review in open_reviews if access.is_member(user, review)]
    if mine and not access.can_organise(user):
        panels.append(
            DashboardPanel(
                "Your thematic reviews",
                "",
                ["Review", "Dates", "Venue", "Cases you review"],
                [
                    [
                        _review_link(review),
                        reviews.dates_in_words(review),
                        review.venue,
                        ", ".join(
                            rc.case.reference for rc in review.cases if access.is_pair(user, rc)
                        )
                        or "None yet",
                    ]
                    for review in mine
                ],
            )
        )
    owned = [
        item
        for item in db.session.scalars(
            select(PlanItem)
            .where(PlanItem.owner_id == user.id, PlanItem.status == plan.OPEN)
            .order_by(PlanItem.due_on, PlanItem.id)
        )
    ]
    if owned:
        today = date.today()
        panels.append(
            DashboardPanel(
                "Your actions from thematic reviews",
                "",
                ["Action", "Review", "Due"],
                [
                    [
                        link(url_for("thematic_review.plan_item", item_id=item.id), item.action),
                        item.review.theme,
                        f"{item.due_on:%-d %b %Y}"
                        + (" (overdue)" if plan.is_overdue(item, today) else ""),
                    ]
                    for item in owned
                ],
                link=(url_for("thematic_review.rolling_plan"), "The rolling action plan"),
            )
        )
    return panels


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
