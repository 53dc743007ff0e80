"""The s47_audit section of the monthly learning report."""

from datetime import date, datetime, timedelta

from plugins.s47_audit.report import report_section
from portal.plugin_api import Audit, AuditAnswer, build_monthly_report, db

OCTOBER = date(2026, 10, 1)
START, END = datetime(2026, 10, 1), datetime(2026, 11, 1)


def add_audit(app, world, submitted_at, answers, process_key="s47_audit"):
    """A submitted audit of CS-1002 with *answers* ``{(section, field): value}``."""
    with app.app_context():
        audit = Audit(
            case_id=world.cases["CS-1002"],
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


def test_the_child_seen_the_outcomes_and_the_grades_by_section(app, world):
    seen, outcome = ("seeing_child", "child_seen"), ("outcome", "outcome")
    add_audit(
        app,
        world,
        datetime(2026, 10, 2),
        {
            seen: "within_timescale",
            outcome: "icpc",
            ("seeing_child", "grade"): "outstanding",
            ("strategy", "grade"): "good",
        },
    )
    add_audit(app, world, datetime(2026, 10, 9), {seen: "late", outcome: "cin"})
    add_audit(app, world, datetime(2026, 10, 30), {seen: "within_timescale", outcome: "icpc"})
    add_audit(app, world, datetime(2026, 11, 1), {seen: "not_seen"})  # November
    add_audit(app, world, datetime(2026, 10, 5), {seen: "not_seen"}, process_key="csc_audit")
    with app.app_context():
        section = report_section(OCTOBER, START, END)
    assert (section.key, section.title) == ("s47_audit", "Section 47 enquiry audits")
    assert section.summary == (
        "3 S.47 enquiry audits submitted in October 2026; in 2 the child was seen within the "
        "timescale."
    )
    assert section.data["audits"] == 3
    assert section.data["child_seen"] == {"within_timescale": 2, "late": 1, "not_seen": 0}
    assert section.data["outcomes"] == {"icpc": 2, "cin": 1, "early_help": 0, "nfa": 0}
    grades = section.data["grades_by_section"]
    assert list(grades)[:3] == ["strategy", "timeliness", "seeing_child"]
    assert grades["seeing_child"]["outstanding"] == 1
    seen_table, outcome_table, grade_table = section.tables
    assert seen_table.rows == (
        ("Yes, within the timescale", 2),
        ("Yes, but later than the timescale", 1),
        ("No, the child was not seen", 0),
    )
    assert outcome_table.rows[0] == ("Initial child protection conference", 2)
    assert grade_table.rows[0] == ("Strategy discussion", 0, 1, 0, 0, 1)


def test_a_month_without_audits_says_so(app, world):
    with app.app_context():
        section = report_section(OCTOBER, START, END)
    assert section.summary == "0 S.47 enquiry audits submitted in October 2026."
    assert section.data["child_seen"] == {"within_timescale": 0, "late": 0, "not_seen": 0}


def test_hook_portal_report_section_adds_the_s47_section_only_when_enabled(
    app, world, enable_plugins
):
    add_audit(app, world, datetime(2026, 10, 2), {("seeing_child", "child_seen"): "late"})
    with app.app_context():
        assert "s47_audit" not in build_monthly_report(OCTOBER, date(2026, 11, 15))["sections"]
    enable_plugins("s47_audit")
    with app.app_context():
        sections = build_monthly_report(OCTOBER, date(2026, 11, 15))["sections"]
    assert sections["s47_audit"]["child_seen"]["late"] == 1
