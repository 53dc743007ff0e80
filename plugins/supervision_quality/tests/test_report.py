"""The supervision_quality section of the monthly learning report: grades by section, and
supervision against the policy's frequency."""

from datetime import date, datetime, timedelta

from plugins.supervision_quality.report import report_section
from portal.plugin_api import Audit, AuditAnswer, build_monthly_report, db

OCTOBER = date(2026, 10, 1)
START, END = datetime(2026, 10, 1), datetime(2026, 11, 1)


def add_audit(app, world, submitted_at, answers, process_key="supervision_quality"):
    """A submitted audit of CS-1002 with *answers* ``{(section, field): value}``."""
    with app.app_context():
        audit = Audit(
            case_id=world.cases["CS-1002"],
            process_key=process_key,
            process_version="1",
            status="submitted",
            allocated_on=submitted_at.date() - timedelta(days=7),
            due_on=submitted_at.date() + timedelta(days=21),
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


MET = ("frequency", "met_policy")


def test_grades_by_section_and_supervision_against_the_policy(app, world):
    add_audit(
        app,
        world,
        datetime(2026, 10, 2),
        {MET: "yes", ("reflection", "grade"): "outstanding", ("direction", "grade"): "good"},
    )
    add_audit(app, world, datetime(2026, 10, 9), {MET: "yes", ("reflection", "grade"): "good"})
    add_audit(app, world, datetime(2026, 10, 20), {MET: "no", ("reflection", "grade"): "good"})
    add_audit(app, world, datetime(2026, 11, 2), {MET: "no"})  # November
    add_audit(app, world, datetime(2026, 10, 5), {MET: "no"}, process_key="csc_audit")
    with app.app_context():
        section = report_section(OCTOBER, START, END)
    assert section.key == "supervision_quality"
    assert section.data["audits"] == 3
    assert section.data["frequency"] == {"yes": 2, "mostly": 0, "no": 1}
    assert section.data["met_policy_share"] == 0.6667
    assert section.data["grades_by_section"]["reflection"] == {
        "outstanding": 1,
        "good": 2,
        "requires_improvement": 0,
        "inadequate": 0,
    }
    grades, frequency = section.tables
    assert grades.rows[1] == ("Reflective discussion", 1, 2, 0, 0, 3)
    assert frequency.rows == (
        ("Yes, every supervision the policy asks for took place", 2),
        ("Mostly: one supervision was missed or late", 0),
        ("No: supervision was missed or late more than once", 1),
    )
    assert section.summary == (
        "3 quality of supervision audits submitted in October 2026; in 2 of them supervision "
        "took place as often as the policy requires (67%)."
    )


def test_the_section_is_in_the_learning_report_only_while_the_plugin_is_enabled(
    app, world, enable_plugins
):
    add_audit(app, world, datetime(2026, 10, 2), {MET: "mostly"})
    with app.app_context():
        assert (
            "supervision_quality"
            not in build_monthly_report(OCTOBER, date(2026, 11, 15))["sections"]
        )
    enable_plugins("supervision_quality")
    with app.app_context():
        sections = build_monthly_report(OCTOBER, date(2026, 11, 15))["sections"]
    assert sections["supervision_quality"]["frequency"] == {"yes": 0, "mostly": 1, "no": 0}
