"""The practice_observation section of the monthly learning report: grades by section, the
families' views of the visits, and the practitioners' reflections."""

from datetime import date, datetime, timedelta

from plugins.practice_observation.models import Reflection
from plugins.practice_observation.report import report_section
from portal.plugin_api import Audit, AuditAnswer, build_monthly_report, db

OCTOBER = date(2026, 10, 1)
START, END = datetime(2026, 10, 1), datetime(2026, 11, 1)
VIEW = ("family_view", "view_given")


def add_observation(
    app, world, submitted_at, answers, *, reflected=False, key="practice_observation"
):
    """A submitted observation of CS-1001 with *answers* ``{(section, field): value}``."""
    with app.app_context():
        audit = Audit(
            case_id=world.cases["CS-1001"],
            process_key=key,
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
        if reflected:
            db.session.add(
                Reflection(
                    audit_id=audit.id,
                    author_id=world.users["sw_a"],
                    went_well="Saw the child alone.",
                    differently="Slow down.",
                )
            )
        db.session.commit()


def test_grades_the_familys_view_and_the_reflections(app, world):
    add_observation(
        app,
        world,
        datetime(2026, 10, 2),
        {VIEW: "yes", ("child_focus", "grade"): "outstanding"},
        reflected=True,
    )
    add_observation(
        app, world, datetime(2026, 10, 9), {VIEW: "yes", ("child_focus", "grade"): "good"}
    )
    add_observation(app, world, datetime(2026, 10, 30), {VIEW: "declined"}, reflected=True)
    add_observation(app, world, datetime(2026, 11, 1), {VIEW: "yes"}, reflected=True)  # November
    add_observation(app, world, datetime(2026, 10, 3), {VIEW: "yes"}, key="csc_audit")
    with app.app_context():
        section = report_section(OCTOBER, START, END)
    assert section.key == "practice_observation"
    assert section.data["observations"] == 3
    assert section.data["family_views"] == {"yes": 2, "declined": 1, "not_possible": 0}
    assert section.data["reflections"] == 2
    assert section.data["grades_by_section"]["child_focus"] == {
        "outstanding": 1,
        "good": 1,
        "requires_improvement": 0,
        "inadequate": 0,
    }
    grades, views, reflections = section.tables
    assert grades.rows[2] == ("The child's voice and experience", 1, 1, 0, 0, 2)
    assert views.rows == (
        ("Yes", 2),
        ("No, they did not want to", 1),
        ("It was not possible or not appropriate to ask", 0),
    )
    assert reflections.rows == (("Submitted", 3), ("With the practitioner's reflection", 2))
    assert section.summary == (
        "3 observations of practice submitted in October 2026; the family gave their view of "
        "the visit in 2, and the practitioner has reflected on 2."
    )


def test_the_section_is_in_the_learning_report_only_while_the_plugin_is_enabled(
    app, world, enable_plugins
):
    add_observation(app, world, datetime(2026, 10, 2), {VIEW: "not_possible"})
    with app.app_context():
        report = build_monthly_report(OCTOBER, date(2026, 11, 15))
    assert "practice_observation" not in report["sections"]
    enable_plugins("practice_observation")
    with app.app_context():
        sections = build_monthly_report(OCTOBER, date(2026, 11, 15))["sections"]
    assert sections["practice_observation"]["family_views"]["not_possible"] == 1
