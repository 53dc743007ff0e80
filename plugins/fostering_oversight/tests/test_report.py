"""The fostering_oversight section of the monthly learning report."""

from datetime import date, datetime, timedelta

import pytest

from plugins.fostering_oversight.report import report_section
from portal.plugin_api import Audit, AuditAnswer, Case, build_monthly_report, db

OCTOBER = date(2026, 10, 1)
START, END = datetime(2026, 10, 1), datetime(2026, 11, 1)


@pytest.fixture
def household(app, world) -> int:
    with app.app_context():
        case = Case(
            reference="FC-4001",
            case_type="FOSTERING",
            team_id=world.teams["Child Protection Team"],
            allocated_worker_id=world.users["sw_b"],
            opened_on=date(2025, 3, 2),
        )
        db.session.add(case)
        db.session.commit()
        return case.id


def add_audit(app, case_id, submitted_at, answers, process_key="fostering_oversight"):
    """A submitted review of *case_id* with *answers* ``{(section, field): value}``."""
    with app.app_context():
        audit = Audit(
            case_id=case_id,
            process_key=process_key,
            process_version="1",
            status="submitted",
            allocated_on=submitted_at.date() - timedelta(days=7),
            due_on=submitted_at.date() + timedelta(days=14),
            submitted_at=submitted_at,
            overall_grade="good",
            record_grade="good",
        )
        db.session.add(audit)
        db.session.flush()
        db.session.add_all(
            AuditAnswer(audit_id=audit.id, section_key=section, field_key=field, value=value)
            for (section, field), value in answers.items()
        )
        db.session.commit()


UNANNOUNCED = ("unannounced_visits", "in_last_year")
SAFER = ("safer_caring", "plan_current")
TRAINING = ("training", "tsd_standards")


def test_what_the_reviews_found_and_the_grades(app, household):
    add_audit(
        app,
        household,
        datetime(2026, 10, 2),
        {
            UNANNOUNCED: "yes",
            SAFER: "yes",
            TRAINING: "completed",
            ("safer_caring", "grade"): "good",
        },
    )
    add_audit(
        app,
        household,
        datetime(2026, 10, 9),
        {UNANNOUNCED: "no", SAFER: "yes", TRAINING: "overdue"},
    )
    add_audit(app, household, datetime(2026, 10, 16), {UNANNOUNCED: "yes", SAFER: "none"})
    add_audit(app, household, datetime(2026, 11, 2), {UNANNOUNCED: "yes"})  # November
    add_audit(app, household, datetime(2026, 10, 3), {UNANNOUNCED: "yes"}, "csc_audit")
    with app.app_context():
        section = report_section(OCTOBER, START, END)
    assert (section.key, section.title) == ("fostering_oversight", "Fostering management oversight")
    assert section.summary == (
        "3 fostering households reviewed in October 2026; 2 had an unannounced visit in the "
        "last 12 months."
    )
    data = section.data
    assert (data["audits"], data["unannounced_visit"]) == (3, 2)
    assert (data["safer_caring_current"], data["training_completed"]) == (2, 1)
    assert data["grades_by_section"]["safer_caring"]["good"] == 1
    findings, grades = section.tables
    assert findings.rows == (
        ("Reviewed", 3),
        ("An unannounced visit in the last 12 months", 2),
        ("A current safer caring policy", 2),
        ("Training, Support and Development Standards completed", 1),
    )
    assert grades.rows[-1] == ("Safer caring", 0, 1, 0, 0, 1)


def test_hook_portal_report_section_adds_the_fostering_section_only_when_enabled(
    app, world, household, enable_plugins
):
    add_audit(app, household, datetime(2026, 10, 2), {UNANNOUNCED: "no"})
    with app.app_context():
        assert (
            "fostering_oversight"
            not in build_monthly_report(OCTOBER, date(2026, 11, 15))["sections"]
        )
    enable_plugins("fostering_oversight")
    with app.app_context():
        sections = build_monthly_report(OCTOBER, date(2026, 11, 15))["sections"]
    assert sections["fostering_oversight"]["unannounced_visit"] == 0
    assert sections["fostering_oversight"]["audits"] == 1
