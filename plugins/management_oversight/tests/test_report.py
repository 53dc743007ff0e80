"""The management_oversight section of the monthly learning report."""

from datetime import date, datetime, timedelta

from plugins.management_oversight.report import report_section
from portal.plugin_api import Audit, AuditAnswer, build_monthly_report, db

OCTOBER = date(2026, 10, 1)
START, END = datetime(2026, 10, 1), datetime(2026, 11, 1)


def add_audit(app, world, case, submitted_at, grade, answers, process_key="management_oversight"):
    """A submitted dip sample of *case* graded *grade*, with *answers* ``{(section, field):
    value}``."""
    with app.app_context():
        audit = Audit(
            case_id=world.cases[case],
            process_key=process_key,
            process_version="1",
            status="submitted",
            allocated_on=submitted_at.date() - timedelta(days=7),
            due_on=submitted_at.date() + timedelta(days=7),
            submitted_at=submitted_at,
            overall_grade=grade,
            record_grade=grade,
        )
        db.session.add(audit)
        db.session.flush()
        db.session.add_all(
            AuditAnswer(audit_id=audit.id, section_key=section, field_key=field, value=value)
            for (section, field), value in answers.items()
        )
        db.session.commit()


def test_judgements_by_case_type_visits_drift_and_grades(app, world):
    visits, drift = ("visits", "in_timescale"), ("drift", "drift_found")
    add_audit(
        app,
        world,
        "CS-1001",
        datetime(2026, 10, 2),
        "good",
        {visits: "yes", drift: "none", ("visits", "grade"): "good"},
    )
    add_audit(
        app,
        world,
        "CS-1002",
        datetime(2026, 10, 8),
        "requires_improvement",
        {visits: "no", drift: "unchallenged", ("visits", "grade"): "inadequate"},
    )
    add_audit(app, world, "CS-1002", datetime(2026, 10, 20), "good", {visits: "yes"})
    add_audit(app, world, "CS-1001", datetime(2026, 11, 3), "good", {visits: "no"})  # November
    add_audit(app, world, "CS-1001", datetime(2026, 10, 3), "good", {visits: "no"}, "csc_audit")
    with app.app_context():
        section = report_section(OCTOBER, START, END)
    assert (section.key, section.title) == (
        "management_oversight",
        "Management oversight dip samples",
    )
    assert section.summary == (
        "3 management oversight dip samples submitted in October 2026; the visits were within "
        "the timescale in 2, and 1 found drift nobody had challenged."
    )
    data = section.data
    assert data["audits"] == 3
    assert data["judgements_by_case_type"]["CIN"]["good"] == 1
    assert data["judgements_by_case_type"]["CP"] == {
        "outstanding": 0,
        "good": 1,
        "requires_improvement": 1,
        "inadequate": 0,
    }
    assert data["judgements_by_case_type"]["CLA"] == dict.fromkeys(
        data["judgements_by_case_type"]["CLA"], 0
    )
    assert data["visits_in_timescale"] == {"yes": 2, "mostly": 0, "no": 1}
    assert data["unchallenged_drift"] == 1
    assert data["grades_by_section"]["visits"]["inadequate"] == 1
    by_type, visit_rows, _ = section.tables
    assert by_type.head[0] == "Case type" and by_type.head[-1] == "Total"
    assert by_type.rows[1][-1] == 2  # CP: two dip samples
    assert visit_rows.rows[0] == ("Yes", 2)


def test_hook_portal_report_section_adds_the_dip_samples_only_when_enabled(
    app, world, enable_plugins
):
    add_audit(app, world, "CS-1001", datetime(2026, 10, 2), "good", {})
    with app.app_context():
        assert (
            "management_oversight"
            not in build_monthly_report(OCTOBER, date(2026, 11, 15))["sections"]
        )
    enable_plugins("management_oversight")
    with app.app_context():
        sections = build_monthly_report(OCTOBER, date(2026, 11, 15))["sections"]
    assert sections["management_oversight"]["audits"] == 1
