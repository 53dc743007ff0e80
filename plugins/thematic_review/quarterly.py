"""The quarterly report of the thematic reviews, for the staff development workshops: the
reviews held in a quarter (by their first day), what each covered (cases, case reviews,
discussions with the workers, family conversations, the action plan, in counts), and the
findings, recommendations and family voice themes of the endorsed ones.

It is circulated through the portal's circulation service (``thematic_review.quarterly``):
the QA lead's commentary, the assistant director's approval, the email of its PDF. Like
the monthly report, it names no child and no case: its figures are counts, and a case
reference in a review's text is replaced by "[a case]".
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from plugins.thematic_review.family import GIVEN
from plugins.thematic_review.models import Conversation, PlanItem, Reply, Review, ReviewCase
from plugins.thematic_review.reviews import Status, dates_in_words
from portal.plugin_api import Audit, db, redact_case_references

#: The circulated report's kind.
KIND = "thematic_review.quarterly"
#: The most reviews one quarter's report shows (a council holds one or two a quarter).
REVIEW_LIMIT = 50
QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
MONTHS = ("January", "April", "July", "October")
LAST_MONTHS = ("March", "June", "September", "December")


class QuarterError(ValueError):
    """A quarter that cannot be reported on; the message says why."""


def quarter_key(day: date) -> str:
    """The quarter *day* falls in: ``2026-Q3``."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def bounds(key: str) -> tuple[date, date]:
    """The first day of the quarter ``YYYY-Qn`` and the first day of the next."""
    year, number = int(key[:4]), int(key[-1])
    start = date(year, 3 * number - 2, 1)
    end = date(year + 1, 1, 1) if number == 4 else date(year, 3 * number + 1, 1)
    return start, end


def parse_quarter(text: str, today: date) -> str:
    """The quarter written ``YYYY-Qn``, which must have begun by *today*."""
    match = QUARTER.match(text.strip().upper())
    if not match or int(match[1]) < 2000:
        raise QuarterError("Enter the quarter as YYYY-Qn, for example 2026-Q3")
    key = f"{match[1]}-Q{match[2]}"
    if bounds(key)[0] > today:
        raise QuarterError(f"{title_of(key)} has not begun yet")
    return key


def last_complete_quarter(today: date) -> str:
    """The quarter before *today*'s: the report's default."""
    start = bounds(quarter_key(today))[0]
    return quarter_key(
        date(start.year - 1, 12, 1) if start.month == 1 else start.replace(month=start.month - 1)
    )


def neighbour(key: str, step: int) -> str:
    """The quarter *step* quarters after *key* (before, when negative)."""
    index = int(key[:4]) * 4 + int(key[-1]) - 1 + step
    return f"{index // 4}-Q{index % 4 + 1}"


def is_over(key: str, today: date) -> bool:
    """True once the quarter has ended."""
    return bounds(key)[1] <= today


def title_of(key: str) -> str:
    """``July to September 2026``."""
    number = int(key[-1])
    return f"{MONTHS[number - 1]} to {LAST_MONTHS[number - 1]} {key[:4]}"


def report_title(key: str) -> str:
    """``Quarterly thematic review report: July to September 2026``."""
    return f"Quarterly thematic review report: {title_of(key)}"


@dataclass
class ReviewSummary:
    """One review of the quarter as the report shows it (counts, and the endorsed text)."""

    theme: str
    dates: str
    status: str
    endorsed: bool
    cases: int = 0
    case_reviews_done: int = 0
    discussions_held: int = 0
    conversations: int = 0
    consents: int = 0
    replies_sent: int = 0
    plan_items: int = 0
    plan_items_done: int = 0
    findings: str = ""
    recommendations: str = ""
    family_voice: str = ""


@dataclass
class QuarterReport:
    """The quarter's reviews and their totals."""

    key: str
    title: str
    reviews: list[ReviewSummary] = field(default_factory=list)
    more: int = 0  # reviews past REVIEW_LIMIT, not shown

    @property
    def totals(self) -> dict[str, int]:
        """Each count summed over the quarter's reviews."""
        names = ("cases", "case_reviews_done", "discussions_held", "conversations", "plan_items")
        return {name: sum(getattr(review, name) for review in self.reviews) for name in names}


def _counts(query) -> dict[int, int]:
    return dict(db.session.execute(query).all())


def build(key: str) -> QuarterReport:
    """The report of the quarter *key*: a fixed number of statements whatever its size."""
    start, end = bounds(key)
    in_quarter = (Review.first_day >= start, Review.first_day < end)
    total = db.session.scalar(select(func.count(Review.id)).where(*in_quarter)) or 0
    found = list(
        db.session.scalars(
            select(Review)
            .where(*in_quarter)
            .order_by(Review.first_day, Review.id)
            .limit(REVIEW_LIMIT)
        )
    )
    report = QuarterReport(key=key, title=report_title(key), more=max(0, total - len(found)))
    if not found:
        return report
    ids = [review.id for review in found]
    of_case = ReviewCase.review_id
    cases = _counts(select(of_case, func.count()).where(of_case.in_(ids)).group_by(of_case))
    done = _counts(
        select(of_case, func.count())
        .join(Audit, ReviewCase.audit_id == Audit.id)
        .where(of_case.in_(ids), Audit.submitted_at.is_not(None))
        .group_by(of_case)
    )
    held = _counts(
        select(of_case, func.count())
        .where(of_case.in_(ids), ReviewCase.worker_attended.is_not(None))
        .group_by(of_case)
    )
    talks: Counter[tuple[int, str]] = Counter()
    for review_id, consent, count in db.session.execute(
        select(of_case, Conversation.consent, func.count())
        .join(Conversation, Conversation.review_case_id == ReviewCase.id)
        .where(of_case.in_(ids))
        .group_by(of_case, Conversation.consent)
    ):
        talks[review_id, consent] += count
        talks[review_id, ""] += count
    replies = _counts(
        select(of_case, func.count())
        .join(Conversation, Conversation.review_case_id == ReviewCase.id)
        .join(Reply, Reply.conversation_id == Conversation.id)
        .where(of_case.in_(ids), Reply.sent_on.is_not(None))
        .group_by(of_case)
    )
    plan: Counter[tuple[int, str]] = Counter()
    for review_id, status, count in db.session.execute(
        select(PlanItem.review_id, PlanItem.status, func.count())
        .where(PlanItem.review_id.in_(ids))
        .group_by(PlanItem.review_id, PlanItem.status)
    ):
        plan[review_id, status] += count
        plan[review_id, ""] += count
    endorsed = [review for review in found if review.status == Status.ENDORSED.value]
    texts = redact_case_references(
        [t for r in endorsed for t in (r.findings, r.recommendations, r.family_voice)]
    )
    written = {review.id: texts[3 * i : 3 * i + 3] for i, review in enumerate(endorsed)}
    for review in found:
        findings, recommendations, voice = written.get(review.id, ("", "", ""))
        report.reviews.append(
            ReviewSummary(
                theme=review.theme,
                dates=dates_in_words(review),
                status=Status(review.status).label,
                endorsed=review.id in written,
                cases=cases.get(review.id, 0),
                case_reviews_done=done.get(review.id, 0),
                discussions_held=held.get(review.id, 0),
                conversations=talks[review.id, ""],
                consents=talks[review.id, GIVEN],
                replies_sent=replies.get(review.id, 0),
                plan_items=plan[review.id, ""],
                plan_items_done=plan[review.id, "done"],
                findings=findings,
                recommendations=recommendations,
                family_voice=voice,
            )
        )
    return report
