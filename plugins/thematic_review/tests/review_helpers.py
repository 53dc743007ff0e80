"""What the reviews' tests share: more cases in the test council, and a review set up
through the service (the tests of the pages set theirs up through the pages)."""

from __future__ import annotations

from datetime import date, timedelta

from plugins.thematic_review import cases, reviews
from plugins.thematic_review.models import Review
from portal.plugin_api import Case, CaseType, User, db

#: A day comfortably after any test run, for a review's first day.
REVIEW_DAY = date.today() + timedelta(days=30)
#: The members of the usual test review: none of them holds a test case or manages its team
#: directly, so any two of them may be paired on any case.
MEMBERS = ("sm", "hos", "ad", "sgu", "qa_lead")


def add_cases(
    app,
    world,
    count: int = 12,
    *,
    prefix: str = "TR",
    team: str = "Assessment Team",
    worker: str | None = "sw_a",
    case_type: CaseType = CaseType.CIN,
) -> list[str]:
    """Add *count* open cases to the test council; return their references."""
    references = [f"{prefix}-{number:03d}" for number in range(1, count + 1)]
    with app.app_context():
        db.session.add_all(
            Case(
                reference=reference,
                case_type=case_type.value,
                team_id=world.teams[team],
                allocated_worker_id=world.users[worker] if worker else None,
                opened_on=date(2026, 2, 1),
            )
            for reference in references
        )
        db.session.commit()
        world.cases.update(
            {
                reference: db.session.scalar(db.select(Case.id).where(Case.reference == reference))
                for reference in references
            }
        )
    return references


def make_review(
    app,
    world,
    references: list[str] = (),
    *,
    theme: str = "Neglect",
    first_day: date = REVIEW_DAY,
    members: tuple[str, ...] = MEMBERS,
    pair: tuple[str, str] | None = None,
    start: bool = False,
) -> int:
    """Set up a review of the cases *references* (chosen by hand), optionally paired
    (every case to the same *pair*) and started; return its id."""
    with app.app_context():
        person = {short: db.session.get(User, world.users[short]) for short in world.users}
        qa_lead = person["qa_lead"]
        review = reviews.create_review(
            reviews.ReviewDetails(
                theme=theme,
                first_day=first_day,
                second_day=None,
                venue="Council offices, room 2",
                lead=person["sgu"],
                qa_lead=qa_lead,
                members=[person[short] for short in members],
            ),
            qa_lead,
        )
        for reference in references:
            review_case = cases.choose_case(review, reference, "Part of the theme", qa_lead)
            if pair:
                cases.pair_auditors(
                    review_case, person[pair[0]], person[pair[1]], qa_lead, date.today()
                )
        if start:
            reviews.start_review(review, qa_lead)
        db.session.commit()
        return review.id


def review_of(review_id: int) -> Review:
    """The review *review_id* (in an app context)."""
    return db.session.get(Review, review_id)


def make_ready(app, review_id: int, *, held_on: date | None = None) -> None:
    """Make a started review ready to endorse but for its report: every case review
    submitted, every discussion with the social worker recorded, and the review held
    (*held_on*, by default a week ago)."""
    with app.app_context():
        review = review_of(review_id)
        review.first_day = held_on or date.today() - timedelta(days=7)
        review.second_day = None
        for review_case in review.cases:
            review_case.audit.status = "submitted"
            review_case.worker_attended = True
        db.session.commit()
