"""A dip sample through the portal's pages: bad input answered with the error summary, and
who may open it."""

from datetime import date

import pytest

from plugins.management_oversight.process import MANAGEMENT_OVERSIGHT
from portal.plugin_api import Audit, Case, User, allocate, db
from portal.plugin_api.testing import login


@pytest.fixture
def audit_id(app, world, enable_plugins) -> int:
    """A dip sample of CS-1002 (a CP case of the Child Protection Team) by the head of
    service, with the plugin enabled."""
    enable_plugins("management_oversight")
    with app.app_context():
        audit = allocate(
            db.session.get(Case, world.cases["CS-1002"]),
            MANAGEMENT_OVERSIGHT,
            [db.session.get(User, world.users["hos"])],
            allocated_by=None,
            allocated_on=date(2026, 11, 5),
        )
        db.session.commit()
        return audit.id


def form_data(**overrides: str) -> dict[str, str]:
    """The whole form, Good throughout, with the visits and the supervision dated."""
    data = {
        "visits-in_timescale": "yes",
        "visits-last_visit_on-day": "2",
        "visits-last_visit_on-month": "11",
        "visits-last_visit_on-year": "2026",
        "visits-seen_alone": "yes",
        "plan-reviewed_in_time": "yes",
        "supervision-last_supervision_on-day": "30",
        "supervision-last_supervision_on-month": "10",
        "supervision-last_supervision_on-year": "2026",
        "drift-drift_found": "none",
        "direction-direction": "Keep the core group on its dates.",
        "direction-discussed": "yes",
        "overall-summary": "A safely held case.",
        "revision": "0",
        "intent": "submit",
    }
    for section in MANAGEMENT_OVERSIGHT.form.graded_sections:
        data[f"{section.key}-grade"] = "good"
        data[f"{section.key}-evidence"] = "Seen on the file."
    return data | overrides


def test_bad_input_gets_the_error_summary_and_nothing_is_submitted(app, world, client, audit_id):
    login(client, world.emails["hos"])
    response = client.post_form(
        f"/audits/{audit_id}/edit",
        form_data(**{"visits-in_timescale": "", "drift-drift_found": "unchallenged"}),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "govuk-error-summary" in page
    assert 'href="#visits-in_timescale"' in page
    # unchallenged drift needs an action, whatever the grade
    assert "Add an action with an owner and a due date to Drift and delay, graded Good" in page
    with app.app_context():
        assert db.session.get(Audit, audit_id).submitted_at is None

    response = client.post_form(f"/audits/{audit_id}/edit", form_data())
    assert response.status_code == 302
    with app.app_context():
        audit = db.session.get(Audit, audit_id)
        assert audit.submitted_at is not None
        assert audit.answers()["direction"]["discussed"] == "yes"


def test_who_may_open_the_dip_sample(app, world, audit_id):
    def status(person: str) -> int:
        client = app.test_client()
        login(client, world.emails[person])
        return client.get(f"/audits/{audit_id}").status_code

    may = {"hos", "qa_lead", "qa_admin", "sgu"}
    for person in ("hos", "qa_lead", "sw_a", "sw_b", "tm_a", "eh_m", "police", "admin"):
        assert (status(person) == 200) == (person in may), person
