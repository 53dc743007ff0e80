"""The csc_audit section of the monthly learning report: grades by practice standard."""

from datetime import date, datetime, timedelta

from plugins.csc_audit.report import report_section
from portal.plugin_api import Audit, AuditAnswer, build_monthly_report, db, report_sections

OCTOBER = date(2026, 10, 1)
START, END = datetime(2026, 10, 1), datetime(2026, 11, 1)


def add_audit(app, world, submitted_at, grades, process_key="csc_audit"):
    """A submitted audit of CS-1001 with *grades* ``{section key: grade}``."""
    with app.app_context():
        audit = Audit(
            case_id=world.cases["CS-1001"],
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
            AuditAnswer(audit_id=audit.id, section_key=key, field_key="grade", value=grade)
            for key, grade in grades.items()
        )
        db.session.commit()


def test_grades_are_counted_by_standard_for_the_months_case_file_audits(app, world):
    add_audit(
        app,
        world,
        datetime(2026, 10, 2, 9),
        {"standard_1": "good", "standard_8": "inadequate", "impact": "outstanding"},
    )
    add_audit(
        app,
        world,
        datetime(2026, 10, 30, 16),
        {"standard_1": "requires_improvement", "standard_8": "inadequate", "overall": "good"},
    )
    add_audit(app, world, datetime(2026, 9, 30, 23), {"standard_1": "inadequate"})  # September
    add_audit(app, world, datetime(2026, 10, 3), {"standard_1": "good"}, process_key="mash")
    with app.app_context():
        section = report_section(OCTOBER, START, END)
    assert section.key == "csc_audit"
    assert section.data["audits"] == 2
    grades = section.data["grades_by_standard"]
    assert list(grades) == [*(f"standard_{n}" for n in range(1, 11)), "impact"]
    assert grades["standard_1"] == {
        "outstanding": 0,
        "good": 1,
        "requires_improvement": 1,
        "inadequate": 0,
    }
    assert grades["standard_8"]["inadequate"] == 2
    assert grades["impact"]["outstanding"] == 1
    assert sum(sum(g.values()) for g in grades.values()) == 5  # "overall" is not a standard
    (table,) = section.tables
    assert table.head == (
        "Section",
        "Outstanding",
        "Good",
        "Requires improvement",
        "Inadequate",
        "Graded",
    )
    assert table.rows[0] == ("Standard 1: Assessment", 0, 1, 1, 0, 2)
    assert len(table.rows) == 11
    assert section.summary == (
        "2 case file audits submitted in October 2026. Standard 8: Risk assessment and "
        "contingency had the most grades of Requires improvement or Inadequate (2)."
    )


def test_a_month_without_audits_gives_zeros(app, world):
    with app.app_context():
        section = report_section(OCTOBER, START, END)
    assert section.data["audits"] == 0
    assert all(
        count == 0 for g in section.data["grades_by_standard"].values() for count in g.values()
    )
    assert section.summary == "0 case file audits submitted in October 2026."


def test_hook_portal_report_section_adds_the_csc_audit_section_only_when_enabled(
    app, world, enable_plugins
):
    add_audit(app, world, datetime(2026, 10, 2, 9), {"standard_2": "good"})
    with app.app_context():
        assert "csc_audit" not in build_monthly_report(OCTOBER, date(2026, 11, 15))["sections"]
    enable_plugins("csc_audit")
    with app.app_context():
        report = build_monthly_report(OCTOBER, date(2026, 11, 15))
    assert report["sections"]["csc_audit"]["grades_by_standard"]["standard_2"]["good"] == 1
    assert report_sections(report)[-1].title == "Children's Social Care case file audits"
