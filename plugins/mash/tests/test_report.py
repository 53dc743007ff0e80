"""The mash section of the monthly learning report: audits by the auditor's agency against
the quota, completion within 15 working days of allocation, and grades by section."""

from datetime import date, datetime, timedelta

from plugins.mash.report import report_section
from portal.plugin_api import Audit, AuditAnswer, AuditAuditor, build_monthly_report, db

OCTOBER = date(2026, 10, 1)
START, END = datetime(2026, 10, 1), datetime(2026, 11, 1)


def add_audit(app, world, allocated_on, submitted_at, auditors, grades=None, key="mash"):
    """A submitted audit of CS-1002 by *auditors* ``(short name, agency code)``."""
    with app.app_context():
        audit = Audit(
            case_id=world.cases["CS-1002"],
            process_key=key,
            process_version="1",
            status="submitted",
            allocated_on=allocated_on,
            due_on=allocated_on + timedelta(days=21),
            submitted_at=submitted_at,
            overall_grade="good",
            record_grade="good",
        )
        db.session.add(audit)
        db.session.flush()
        db.session.add_all(
            AuditAuditor(audit_id=audit.id, user_id=world.users[who], agency_code=code)
            for who, code in auditors
        )
        db.session.add_all(
            AuditAnswer(audit_id=audit.id, section_key=section, field_key="grade", value=grade)
            for section, grade in (grades or {}).items()
        )
        db.session.commit()


def test_audits_by_agency_on_time_and_graded(app, world):
    # allocated Thursday 1 October: 15 working days later is Thursday 22 October
    add_audit(
        app,
        world,
        date(2026, 10, 1),
        datetime(2026, 10, 22, 22, 59),  # 23:59 in London (BST): on time
        [("police", "POLICE")],
        {"quality_of_contact": "good", "mash_episode": "requires_improvement"},
    )
    add_audit(
        app,
        world,
        date(2026, 10, 1),
        datetime(2026, 10, 22, 23, 30),  # 00:30 on 23 October in London: late
        [("tm_a", "CSC"), ("eh_m", "EH")],  # a joint audit counts for both agencies
        {"quality_of_contact": "good"},
    )
    add_audit(app, world, date(2026, 9, 20), datetime(2026, 10, 5, 9), [("tm_a", "CSC")])
    add_audit(app, world, date(2026, 9, 1), datetime(2026, 10, 30, 9), [("sm", None)])  # late
    add_audit(app, world, date(2026, 10, 20), datetime(2026, 11, 2), [("police", "POLICE")])
    add_audit(
        app,
        world,
        date(2026, 10, 1),
        datetime(2026, 10, 2),
        [("police", "POLICE")],
        key="csc_audit",
    )
    with app.app_context():
        section = report_section(OCTOBER, START, END)
    assert section.key == "mash"
    data = section.data
    assert data["audits"] == 4
    assert data["by_agency"] == {"CSC": 2, "EH": 1, "POLICE": 1, "UNKNOWN": 1}
    assert (data["within_working_days"], data["within_working_days_share"]) == (2, 0.5)
    assert data["grades_by_section"]["quality_of_contact"] == {
        "outstanding": 0,
        "good": 2,
        "requires_improvement": 0,
        "inadequate": 0,
    }
    assert data["grades_by_section"]["mash_episode"]["requires_improvement"] == 1
    agencies, timeliness, grades = section.tables
    assert agencies.rows == (
        ("Children's Social Care", 2, "No"),
        ("Early Help", 1, "No"),
        ("Police", 1, "No"),
        ("Agency not recorded", 1, ""),
    )
    assert timeliness.rows == (
        ("Submitted", 4),
        ("Within 15 working days", 2),
        ("After 15 working days", 2),
        ("Share within 15 working days (%)", 50.0),
    )
    assert [row[0] for row in grades.rows] == [
        "Quality of contact",
        "The MASH episode",
        "Contact management",
    ]
    assert section.summary == (
        "4 MASH audits submitted in October 2026; 2 within 15 working days of allocation "
        "(50%). Fewer than 3 from Children's Social Care, Early Help and Police."
    )


def test_an_agency_that_meets_its_quota_is_marked(app, world):
    for day in (5, 6, 7):
        add_audit(app, world, date(2026, 10, 1), datetime(2026, 10, day, 9), [("police", "POLICE")])
    with app.app_context():
        section = report_section(OCTOBER, START, END)
    assert ("Police", 3, "Yes") in section.tables[0].rows
    assert section.summary.endswith("Fewer than 3 from Children's Social Care and Early Help.")


def test_hook_portal_report_section_adds_the_mash_section_only_when_enabled(
    app, world, enable_plugins
):
    add_audit(app, world, date(2026, 10, 1), datetime(2026, 10, 2), [("police", "POLICE")])
    with app.app_context():
        assert "mash" not in build_monthly_report(OCTOBER, date(2026, 11, 15))["sections"]
    enable_plugins("mash")
    with app.app_context():
        sections = build_monthly_report(OCTOBER, date(2026, 11, 15))["sections"]
    assert sections["mash"]["by_agency"]["POLICE"] == 1
