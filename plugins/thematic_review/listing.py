"""The list of reviews: those a person may see, filtered by status and year, 50 a page.

Each row's number of cases comes from one grouped count, not from loading the cases.
"""

from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import SelectChoice

from plugins.thematic_review.access import OVERSIGHT, membership
from plugins.thematic_review.models import Review, ReviewCase
from plugins.thematic_review.reviews import Status
from portal.plugin_api import Page, User, choice_field, chosen, db, paginate


class ReviewFilterForm(FlaskForm):
    """The list's filters, read from the query string (no CSRF: they change nothing)."""

    class Meta:
        csrf = False

    status = choice_field("Status", "Any status")
    year = choice_field("Year", "Every year")


def build(formdata) -> ReviewFilterForm:
    """The filter form, its years those of the reviews (first day), latest first."""
    form = ReviewFilterForm(formdata=formdata)
    form.status.choices += [SelectChoice(status.value, status.label) for status in Status]
    first, last = db.session.execute(
        select(func.min(Review.first_day), func.max(Review.first_day))
    ).one()
    if first is not None:
        form.year.choices += [
            SelectChoice(str(year), str(year)) for year in range(last.year, first.year - 1, -1)
        ]
    return form


def review_page(user: User, form: ReviewFilterForm) -> tuple[Page, bool]:
    """One page of ``(review, number of cases)`` *user* may see, latest first; and whether
    a filter narrows it."""
    cases = (
        select(ReviewCase.review_id, func.count().label("cases"))
        .group_by(ReviewCase.review_id)
        .subquery()
    )
    query = select(Review, func.coalesce(cases.c.cases, 0)).outerjoin(
        cases, cases.c.review_id == Review.id
    )
    if not user.has_role(*OVERSIGHT):
        query = query.where(membership(user))
    if status := chosen(form.status):
        query = query.where(Review.status == status)
    if year := chosen(form.year):
        query = query.where(
            Review.first_day >= date(int(year), 1, 1), Review.first_day < date(int(year) + 1, 1, 1)
        )
    query = query.order_by(Review.first_day.desc(), Review.id.desc())
    return paginate(query, scalars=False), bool(status or year)
