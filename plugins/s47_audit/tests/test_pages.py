"""The S.47 audit through the portal's pages: bad input answered with the error summary,
and who may open the audit."""

from datetime import date, timedelta

import pytest

from plugins.s47_audit.process import S47_AUDIT
from portal.plugin_api import Audit, Case, User, allocate, db
from portal.plugin_api.testing import login


@pytest.fixture
def audit_id(app, world, enable_plugins) -> int:
    """An S.47 enquiry of the Child Protection Team (Sunil Worker's), allocated to the
    service manager, with the plugin enabled."""
    enable_plugins("s47_audit")
    with app.app_context():
        case = Case(
            reference="S47-3001",
            case_type="S47",
            team_id=world.teams["Child Protection Team"],
            allocated_worker_id=world.users["sw_b"],
            opened_on=date(2026, 11, 2),
        )
        db.session.add(case)
        audit = allocate(
            case,
            S47_AUDIT,
            [db.session.get(User, world.users["sm"])],
            allocated_by=None,
            allocated_on=date(2026, 11, 5),
        )
        db.session.commit()
        return audit.id


def form_data(**overrides: str) -> dict[str, str]:
    """The whole form, Good throughout, the child seen in time; consent not sought."""
    data = {
        "strategy-held_on-day": "3",
        "strategy-held_on-month": "11",
        "strategy-held_on-year": "2026",
        "strategy-attendance": "csc_police_health",
        "timeliness-in_timescale": "yes",
        "seeing_child-child_seen": "within_timescale",
        "seeing_child-seen_on-day": "3",
        "seeing_child-seen_on-month": "11",
        "seeing_child-seen_on-year": "2026",
        "seeing_child-seen_alone": "yes",
        "seeing_child-child_words": "'I want my mum to stop shouting.'",
        "multi_agency-agencies": "all",
        "multi_agency-consent": "not_sought",
        "multi_agency-consent_not_sought_why": "",
        "outcome-outcome": "cin",
        "outcome-family_told": "The social worker, at home",
        "oversight-decision": "A child in need plan: the risk is reduced.",
        "overall-summary": "A timely, child-centred enquiry.",
        "revision": "0",
        "intent": "submit",
    }
    for section in S47_AUDIT.form.graded_sections:
        data[f"{section.key}-grade"] = "good"
        data[f"{section.key}-evidence"] = "Seen on the file."
    return data | overrides


def test_bad_input_gets_the_error_summary_and_nothing_is_submitted(app, world, client, audit_id):
    login(client, world.emails["sm"])
    page = client.get(f"/audits/{audit_id}/edit").get_data(as_text=True)
    for section in S47_AUDIT.form.sections:
        assert section.title in page
    response = client.post_form(f"/audits/{audit_id}/edit", form_data())
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "govuk-error-summary" in page
    assert "Enter why the parents&#39; consent was not sought" in page
    assert 'href="#multi_agency-consent_not_sought_why"' in page
    with app.app_context():
        assert db.session.get(Audit, audit_id).submitted_at is None

    response = client.post_form(
        f"/audits/{audit_id}/edit",
        form_data(**{"multi_agency-consent_not_sought_why": "Asking would have warned him."}),
    )
    assert response.status_code == 302
    with app.app_context():
        audit = db.session.get(Audit, audit_id)
        assert audit.submitted_at is not None
        assert audit.suggested_grade == audit.overall_grade == "good"
        assert audit.answers()["strategy"]["held_on"] == "2026-11-03"


def test_who_may_open_the_audit(app, world, audit_id):
    def status(person: str) -> int:
        client = app.test_client()
        login(client, world.emails[person])
        return client.get(f"/audits/{audit_id}").status_code

    may = {"sm", "qa_lead", "qa_admin", "sgu"}
    for person in ("sm", "qa_lead", "sw_a", "sw_b", "tm_a", "eh_m", "police", "admin"):
        assert (status(person) == 200) == (person in may), person


def test_a_strategy_discussion_after_today_is_refused(app, world, client, audit_id):
    login(client, world.emails["sm"])
    later = date.today() + timedelta(days=10)
    response = client.post_form(
        f"/audits/{audit_id}/edit",
        form_data(
            **{
                "strategy-held_on-day": str(later.day),
                "strategy-held_on-month": str(later.month),
                "strategy-held_on-year": str(later.year),
                "multi_agency-consent": "given",
            }
        ),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "The date of the strategy discussion must be today or in the past" in page
    assert 'href="#strategy-held_on-day"' in page
    with app.app_context():
        assert db.session.get(Audit, audit_id).submitted_at is None
