"""A fostering review through the portal's pages: bad input answered with the error
summary, and who may open it."""

from datetime import date

import pytest

from plugins.fostering_oversight.process import FOSTERING_OVERSIGHT
from portal.plugin_api import Audit, Case, User, allocate, db
from portal.plugin_api.testing import login


@pytest.fixture
def audit_id(app, world, enable_plugins) -> int:
    """A fostering household supervised by Sunil Worker (Child Protection Team), reviewed
    by Tara Manager, with the plugin enabled."""
    enable_plugins("fostering_oversight")
    with app.app_context():
        case = Case(
            reference="FC-4001",
            case_type="FOSTERING",
            team_id=world.teams["Child Protection Team"],
            allocated_worker_id=world.users["sw_b"],
            opened_on=date(2025, 3, 2),
        )
        db.session.add(case)
        audit = allocate(
            case,
            FOSTERING_OVERSIGHT,
            [db.session.get(User, world.users["tm_a"])],
            allocated_by=None,
            allocated_on=date(2026, 11, 5),
        )
        db.session.commit()
        return audit.id


def form_data(**overrides: str) -> dict[str, str]:
    """The whole form, Good throughout; the unannounced visit in the year, not dated."""
    data = {
        "supervisory_visits-as_often_as_policy": "yes",
        "supervisory_visits-last_visit_on-day": "2",
        "supervisory_visits-last_visit_on-month": "11",
        "supervisory_visits-last_visit_on-year": "2026",
        "unannounced_visits-in_last_year": "yes",
        "annual_review-last_review_on-day": "12",
        "annual_review-last_review_on-month": "6",
        "annual_review-last_review_on-year": "2026",
        "annual_review-children_views": "yes",
        "training-tsd_standards": "completed",
        "safer_caring-plan_current": "yes",
        "direction-direction": "Book the next unannounced visit before the spring.",
        "overall-summary": "A well-supported household.",
        "revision": "0",
        "intent": "submit",
    }
    for section in FOSTERING_OVERSIGHT.form.graded_sections:
        data[f"{section.key}-grade"] = "good"
        data[f"{section.key}-evidence"] = "Seen on the file."
    return data | overrides


def test_bad_input_gets_the_error_summary_and_nothing_is_submitted(app, world, client, audit_id):
    login(client, world.emails["tm_a"])
    response = client.post_form(
        f"/audits/{audit_id}/edit",
        form_data(
            **{
                "training-tsd_standards": "",
                "unannounced_visits-in_last_year": "no",
                "annual_review-last_review_on-month": "13",
            }
        ),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "govuk-error-summary" in page
    assert 'href="#training-tsd_standards"' in page
    assert 'href="#annual_review-last_review_on-day"' in page
    assert "Add an action with an owner and a due date to Unannounced visits, graded Good" in page
    with app.app_context():
        assert db.session.get(Audit, audit_id).submitted_at is None

    response = client.post_form(f"/audits/{audit_id}/edit", form_data())
    assert response.status_code == 302
    with app.app_context():
        audit = db.session.get(Audit, audit_id)
        assert audit.submitted_at is not None
        assert audit.suggested_grade == "good"


def test_who_may_open_the_review(app, world, audit_id):
    def status(person: str) -> int:
        client = app.test_client()
        login(client, world.emails[person])
        return client.get(f"/audits/{audit_id}").status_code

    may = {"tm_a", "qa_lead", "qa_admin", "sgu"}
    for person in ("tm_a", "qa_lead", "sw_a", "sw_b", "tm_b", "eh_m", "police", "admin"):
        assert (status(person) == 200) == (person in may), person
