"""The early_help section of the monthly learning report: grades by section, and how many
audits record the date they were discussed in supervision."""

from datetime import date, datetime, timedelta

from plugins.early_help.process import EARLY_HELP_AUDIT
from plugins.early_help.report import report_section
from plugins.early_help.tests.test_process import complete_answers
from portal.plugin_api import (
    Audit,
    AuditAnswer,
    Case,
    User,
    allocate,
    build_monthly_report,
    db,
    flatten,
    save_answers,
    submit,
)
from portal.plugin_api.testing import login

OCTOBER = date(2026, 10, 1)
START, END = datetime(2026, 10, 1), datetime(2026, 11, 1)


def add_audit(app, world, submitted_at, answers, process_key="early_help"):
    """A submitted audit of EH-2001 with *answers* ``{(section, field): value}``."""
    with app.app_context():
        audit = Audit(
            case_id=world.cases["EH-2001"],
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


def test_grades_by_section_and_the_share_discussed_in_supervision(app, world):
    discussed = ("supervision", "discussed_on")
    add_audit(
        app,
        world,
        datetime(2026, 10, 2),
        {
            ("assessment", "grade"): "good",
            ("voice_of_child", "grade"): "outstanding",
            discussed: "2026-10-20",
        },
    )
    add_audit(
        app,
        world,
        datetime(2026, 10, 9),
        {("assessment", "grade"): "inadequate", discussed: "2026-10-25"},
    )
    add_audit(app, world, datetime(2026, 10, 16), {("assessment", "grade"): "good", discussed: ""})
    add_audit(app, world, datetime(2026, 10, 23), {})  # no supervision answer at all
    add_audit(app, world, datetime(2026, 11, 2), {discussed: "2026-11-03"})  # November
    add_audit(app, world, datetime(2026, 10, 5), {discussed: "2026-10-06"}, process_key="mash")
    with app.app_context():
        section = report_section(OCTOBER, START, END)
    assert section.key == "early_help"
    assert section.data["audits"] == 4
    assert section.data["supervision_recorded"] == 2
    assert section.data["supervision_share"] == 0.5
    grades = section.data["grades_by_section"]
    assert list(grades) == [
        "assessment",
        "family_plan",
        "voice_of_child",
        "working_with_family",
        "multi_agency",
        "management_oversight",
        "impact",
    ]
    assert grades["assessment"] == {
        "outstanding": 0,
        "good": 2,
        "requires_improvement": 0,
        "inadequate": 1,
    }
    assert grades["voice_of_child"]["outstanding"] == 1
    grade_rows, supervision_rows = section.tables
    assert grade_rows.rows[0] == ("Assessment and understanding of need", 0, 2, 0, 1, 3)
    assert supervision_rows.rows == (
        ("Submitted", 4),
        ("With the date discussed in supervision", 2),
        ("Share with the date (%)", 50.0),
    )
    assert section.summary == (
        "4 Early Help audits submitted in October 2026; 2 record the date the audit was "
        "discussed in supervision (50%)."
    )


def test_no_audits_means_no_share(app, world):
    with app.app_context():
        section = report_section(OCTOBER, START, END)
    assert (section.data["audits"], section.data["supervision_share"]) == (0, 0.0)


def test_the_summary_agrees_with_one_audit_and_with_none(app, world):
    """One audit "records" the date; none or several "record" it."""
    with app.app_context():
        assert report_section(OCTOBER, START, END).summary == (
            "0 Early Help audits submitted in October 2026; 0 record the date the audit was "
            "discussed in supervision (0%)."
        )
    add_audit(app, world, datetime(2026, 10, 2), {("supervision", "discussed_on"): "2026-10-09"})
    with app.app_context():
        assert report_section(OCTOBER, START, END).summary == (
            "1 Early Help audit submitted in October 2026; 1 records the date the audit was "
            "discussed in supervision (100%)."
        )


def test_hook_portal_report_section_adds_the_early_help_section_only_when_enabled(
    app, world, enable_plugins
):
    add_audit(app, world, datetime(2026, 10, 2), {("supervision", "discussed_on"): "2026-10-09"})
    with app.app_context():
        assert build_monthly_report(OCTOBER, date(2026, 11, 15))["sections"] == {}
    enable_plugins("early_help")
    with app.app_context():
        sections = build_monthly_report(OCTOBER, date(2026, 11, 15))["sections"]
    assert list(sections) == ["early_help"]
    assert sections["early_help"]["supervision_recorded"] == 1


def test_the_figure_counts_what_the_workers_manager_records_after_submission(
    app, world, enable_plugins, client
):
    """Issue 12, point 6: the auditor submits without the supervision section; the case
    holder's manager records it on the audit's page; the report's figure counts it."""
    enable_plugins("early_help")
    with app.app_context():
        auditor = db.session.get(User, world.users["tm_b"])
        audit = allocate(
            db.session.get(Case, world.cases["EH-2001"]),
            EARLY_HELP_AUDIT,
            [auditor],
            allocated_by=None,
            allocated_on=date.today(),
        )
        save_answers(audit, flatten(complete_answers()), 0, auditor)
        assert submit(audit, auditor) == []
        db.session.commit()
        audit_id, submitted_at = audit.id, audit.submitted_at
    month = submitted_at.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    following = (month + timedelta(days=32)).replace(day=1)

    def figure():
        with app.app_context():
            data = report_section(month.date(), month, following).data
        return data["audits"], data["supervision_recorded"]

    assert figure() == (1, 0)
    login(client, world.emails["eh_m"])  # Eddie Worker's manager
    yesterday = date.today() - timedelta(days=1)
    response = client.post_form(
        f"/audits/{audit_id}/after/supervision",
        {
            "supervision-discussed_on-day": str(yesterday.day),
            "supervision-discussed_on-month": str(yesterday.month),
            "supervision-discussed_on-year": str(yesterday.year),
            "supervision-note": "Eddie will ask the school for attendance figures.",
        },
    )
    assert response.status_code == 302
    assert figure() == (1, 1)
