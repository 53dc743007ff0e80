"""The reviews: setting one up, starting it, and who sees which reviews.

Section 5 of the framework: the QA and Audit Lead "co-ordinates each review, arranging the
date, venue, case selection, audit tool and confirming membership of each group. A minimum
of 12 cases should be reviewed at each session over a 1 or 2 day period." The Safeguarding
Unit leads each review and endorses its report.

A review is *planning* while the QA lead sets it up, *under way* once started (at least 12
cases, every case paired), and *endorsed* once the safeguarding unit endorses its report
(the report is then read-only). Its cases and pairs are in ``cases``, the discussion with
each social worker in ``discussion``, the report in ``review_report``. Every function works
in the current transaction and the caller commits; a refusal raises :class:`ReviewError`
and changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from plugins.thematic_review.access import OVERSIGHT, membership
from plugins.thematic_review.models import Member, PlanItem, Question, Review, ReviewCase
from portal.plugin_api import Audit, AuditAuditor, Case, Role, User, UserRole, db, notify, record

#: "A minimum of 12 cases should be reviewed at each session."
MINIMUM_CASES = 12
#: "A qualitative thematic practice review takes place every 3 months."
MONTHS_BETWEEN_REVIEWS = 3
#: Roles that never review cases in a thematic review: administrators see no case content;
#: partner-agency auditors complete the audits allocated to them and see nothing else.
NOT_REVIEWERS = frozenset({Role.ADMIN.value, Role.PARTNER_AUDITOR.value})

#: The question framework every new review starts with; the QA lead edits it per review.
DEFAULT_QUESTIONS = (
    "What were you trying to achieve for the child?",
    "What difference has your work made for the child?",
    "What got in the way?",
    "What support did you get from your manager?",
    "What would you do differently?",
    "What does the child say about our help?",
)


class Status(StrEnum):
    """Where a review is."""

    PLANNING = "planning"
    UNDER_WAY = "under_way"
    ENDORSED = "endorsed"

    @property
    def label(self) -> str:
        """The status as staff read it."""
        return {
            "planning": "Planning",
            "under_way": "Under way",
            "endorsed": "Report endorsed",
        }[self.value]


class ReviewError(ValueError):
    """Something that cannot be done, with a message for the person and the field it is about
    (the html id the error summary links to)."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field

    def problems(self) -> dict[str, str]:
        """The problems for the GOV.UK error summary: html id, message."""
        return {self.field or "main-content": str(self)}


class NotReady(ReviewError):
    """Something that cannot be done yet, for several reasons: each one is a problem."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(problems.values()), next(iter(problems)))
        self._problems = dict(problems)

    def problems(self) -> dict[str, str]:
        """Every reason, by the html id each is about."""
        return dict(self._problems)


@dataclass
class ReviewDetails:
    """What the QA lead types to set up (or change) a review."""

    theme: str
    first_day: date
    second_day: date | None
    venue: str
    lead: User
    qa_lead: User
    members: Sequence[User]


# People ---------------------------------------------------------------------------------


def people_with(role: Role) -> list[User]:
    """Every active holder of *role*, by name."""
    return list(
        db.session.scalars(
            select(User)
            .join(UserRole)
            .where(UserRole.role == role.value, User.active)
            .order_by(User.name, User.id)
        )
    )


def staff() -> list[User]:
    """Everyone who may be a member of a review: active staff of children's services at
    every level (not administrators or partner-agency auditors), by name."""
    return list(
        db.session.scalars(
            select(User).where(User.active, User.id.in_(_staff_ids())).order_by(User.name, User.id)
        )
    )


def _staff_ids():
    return select(UserRole.user_id).where(UserRole.role.not_in(NOT_REVIEWERS))


def staff_among(ids: Iterable[int]) -> list[User]:
    """Those of *ids* who may be members of a review (:func:`staff`), by name."""
    wanted = {person_id for person_id in ids if person_id}
    if not wanted:
        return []
    return list(
        db.session.scalars(
            select(User)
            .where(User.id.in_(wanted), User.active, User.id.in_(_staff_ids()))
            .order_by(User.name, User.id)
        )
    )


def find_staff(text: str, leave_out: Iterable[int] = ()) -> Select:
    """A query for the staff who may be members (:func:`staff`) whose name, job title or
    email address holds *text* (everyone when it is empty), but *leave_out*, by name."""
    query = select(User).where(User.active, User.id.in_(_staff_ids()))
    words = text.split()
    for word in words[:5]:
        pattern = f"%{word.replace('%', '').replace('_', '')}%"
        query = query.where(
            or_(User.name.ilike(pattern), User.job_title.ilike(pattern), User.email.ilike(pattern))
        )
    leave_out = [person_id for person_id in leave_out if person_id]
    if leave_out:
        query = query.where(User.id.not_in(leave_out))
    return query.order_by(User.name, User.id)


def status_of(review: Review) -> Status:
    """The review's status as an enum member."""
    return Status(review.status)


def last_day(review: Review) -> date:
    """The review's last day: its second day, or its only one."""
    return review.second_day or review.first_day


def dates_in_words(review: Review) -> str:
    """The dates as people say them: 3 February 2027, or 3 and 4 February 2027."""
    first, second = review.first_day, review.second_day
    if second is None:
        return f"{first:%-d %B %Y}"
    if (first.year, first.month) == (second.year, second.month):
        return f"{first:%-d} and {second:%-d %B %Y}"
    if first.year == second.year:
        return f"{first:%-d %B} and {second:%-d %B %Y}"
    return f"{first:%-d %B %Y} and {second:%-d %B %Y}"


def with_rows(review: Review) -> Review:
    """*review* with its members, its cases (each with its case, team, audit and pair) and
    its plan's owners loaded at once: a few statements however many cases it has."""
    return db.session.scalars(
        select(Review)
        .where(Review.id == review.id)
        .options(
            selectinload(Review.members).joinedload(Member.user),
            selectinload(Review.cases).options(
                joinedload(ReviewCase.case).joinedload(Case.team),
                joinedload(ReviewCase.audit)
                .selectinload(Audit.auditor_rows)
                .joinedload(AuditAuditor.user),
            ),
            selectinload(Review.plan_items).joinedload(PlanItem.owner),
        )
        .execution_options(populate_existing=True)
    ).one()


def members_of(review: Review) -> list[User]:
    """The review's members, by name."""
    return sorted((member.user for member in review.members), key=lambda u: (u.name, u.id))


def pair_of(review_case: ReviewCase) -> list[User]:
    """The two auditors of the case's review, by name (empty until paired)."""
    if review_case.audit is None:
        return []
    return sorted(review_case.audit.auditors, key=lambda person: (person.name, person.id))


# What every change to a review does -----------------------------------------------------


def must_be_planning(review: Review) -> None:
    """Refuse a change to the cases or pairs of a review that has started."""
    if status_of(review) is not Status.PLANNING:
        raise ReviewError("The review has started: its cases and pairs can no longer change")


def must_not_be_endorsed(review: Review, message: str) -> None:
    """Refuse, with *message*, a change to a review whose report is endorsed."""
    if status_of(review) is Status.ENDORSED:
        raise ReviewError(message)


def record_on(review: Review, action: str, user: User, **details) -> None:
    """Record *action* by *user* in the review's activity history (*details*: the summary,
    and what changed, before and after)."""
    record(action, "thematic_review", review.id, actor_id=user.id, **details)


def tell(
    review: Review, user: User, subject: str, body: str, people: Iterable[User] | None = None
) -> None:
    """Tell the review's members (or *people*), but not *user*, who did it, something about
    the review, with its link."""
    notify(
        [
            person
            for person in (members_of(review) if people is None else people)
            if person.id != user.id
        ],
        subject,
        body,
        f"/thematic_review/{review.id}",
    )


# Setting a review up --------------------------------------------------------------------


def _member_ids(details: ReviewDetails) -> list[int]:
    ids = [person.id for person in (details.lead, details.qa_lead, *details.members)]
    return list(dict.fromkeys(ids))


def _summary(review: Review) -> dict:
    return {
        "theme": review.theme,
        "first_day": review.first_day.isoformat(),
        "second_day": review.second_day.isoformat() if review.second_day else None,
        "venue": review.venue,
        "lead": review.lead_id,
        "qa_lead": review.qa_lead_id,
        "members": sorted(member.user_id for member in review.members),
    }


def _tell_new_members(review: Review, people: Iterable[User], user: User) -> None:
    tell(
        review,
        user,
        f"Thematic review: {review.theme}",
        f"You are a member of the thematic review of {review.theme}, on "
        f"{dates_in_words(review)} at {review.venue}. Cases are reviewed in pairs.",
        people,
    )


def create_review(details: ReviewDetails, user: User) -> Review:
    """Set up a review with the default question framework; the lead and the QA lead are
    members too. The members are told."""
    review = Review(
        theme=details.theme,
        first_day=details.first_day,
        second_day=details.second_day,
        venue=details.venue,
        lead_id=details.lead.id,
        qa_lead_id=details.qa_lead.id,
        status=Status.PLANNING.value,
        created_by_id=user.id,
    )
    review.members = [Member(user_id=person_id) for person_id in _member_ids(details)]
    review.questions = [
        Question(position=number, text=text) for number, text in enumerate(DEFAULT_QUESTIONS, 1)
    ]
    db.session.add(review)
    db.session.flush()
    record_on(
        review, "created", user, summary=f"Thematic review: {review.theme}", after=_summary(review)
    )
    _tell_new_members(review, [details.lead, details.qa_lead, *details.members], user)
    return review


def update_review(review: Review, details: ReviewDetails, user: User) -> None:
    """Change a review's theme, dates, venue, lead, QA lead or members.

    Someone who audits one of its cases stays a member. New members are told.
    """
    must_not_be_endorsed(review, "The review's report is endorsed: the review can no longer change")
    wanted = set(_member_ids(details))
    for review_case in review.cases:
        for person in pair_of(review_case):
            if person.id not in wanted:
                raise ReviewError(
                    f"{person.name} reviews case {review_case.case.reference}, so stays a member",
                    "members",
                )
    before = _summary(review)
    held = {member.user_id for member in review.members}
    review.theme = details.theme
    review.first_day = details.first_day
    review.second_day = details.second_day
    review.venue = details.venue
    review.lead_id = details.lead.id
    review.qa_lead_id = details.qa_lead.id
    review.members = [m for m in review.members if m.user_id in wanted] + [
        Member(user_id=person_id) for person_id in _member_ids(details) if person_id not in held
    ]
    db.session.flush()
    after = _summary(review)
    changed = [key for key in after if before[key] != after[key]]
    if changed:
        record_on(
            review,
            "changed",
            user,
            summary=f"Thematic review: {review.theme}",
            before={key: before[key] for key in changed},
            after={key: after[key] for key in changed},
        )
    newcomers = {p.id: p for p in (details.lead, details.qa_lead, *details.members)}
    _tell_new_members(
        review, [person for person_id, person in newcomers.items() if person_id not in held], user
    )


def start_review(review: Review, user: User) -> None:
    """Start the review: at least 12 cases, every one of them paired. Its members are told."""
    must_be_planning(review)
    if len(review.cases) < MINIMUM_CASES:
        raise ReviewError(
            f"A review needs at least {MINIMUM_CASES} cases: this one has {len(review.cases)}",
            "cases",
        )
    unpaired = [rc.case.reference for rc in review.cases if rc.audit is None]
    if unpaired:
        raise ReviewError(f"Pair the auditors of every case first: {', '.join(unpaired)}", "cases")
    review.status = Status.UNDER_WAY.value
    record_on(
        review,
        "started",
        user,
        summary=f"Thematic review: {review.theme}, {len(review.cases)} cases",
    )
    tell(
        review,
        user,
        f"Thematic review under way: {review.theme}",
        f"The thematic review of {review.theme} is under way: {len(review.cases)} cases on "
        f"{dates_in_words(review)} at {review.venue}.",
    )


# Who sees which reviews -----------------------------------------------------------------


def reviews_for(user: User) -> list[Review]:
    """The reviews *user* may see (all of them for the QA lead and the safeguarding unit),
    latest first."""
    query = select(Review).order_by(Review.first_day.desc(), Review.id.desc())
    if not user.has_role(*OVERSIGHT):
        query = query.where(membership(user))
    return list(db.session.scalars(query))


def is_member_of_any(user: User) -> bool:
    """True when *user* is a member of at least one review."""
    return (
        db.session.scalar(select(Member.review_id).where(Member.user_id == user.id).limit(1))
        is not None
    )


def rhythm(today: date) -> str:
    """The quarterly rhythm in a sentence: when the last review was held and when the next
    one is due."""
    last = db.session.scalar(select(func.max(Review.first_day)).where(Review.first_day <= today))
    planned = db.session.scalar(select(func.min(Review.first_day)).where(Review.first_day > today))
    parts = ["A thematic review takes place every 3 months, on a theme the heads of service agree."]
    if last is None:
        parts.append("No review has been held yet.")
    else:
        index = last.year * 12 + last.month - 1 + MONTHS_BETWEEN_REVIEWS
        due = date(index // 12, index % 12 + 1, 1)
        parts.append(f"The last was held on {last:%-d %B %Y}; the next is due in {due:%B %Y}.")
    if planned is not None:
        parts.append(f"The next planned review is on {planned:%-d %B %Y}.")
    return " ".join(parts)
