"""Retention: ``flask --app portal retention list`` (a dry run) and ``retention erase
--confirm`` erase the free text of cases closed more than the council's years ago, and the
monthly report's counts stay as they were."""

from __future__ import annotations

from datetime import date

from sqlalchemy import create_engine, inspect, select, text, update

from plugins.thematic_review.models import Conversation, Reply, Review, ReviewCase
from portal.audits.service import form_row
from portal.extensions import db
from portal.models import (
    Action,
    ActivityEntry,
    Audit,
    AuditAnswer,
    AuditComment,
    Case,
    SafeguardingConcern,
)
from portal.reports.monthly import build_monthly_report
from portal.retention import ERASED_ACTION
from tests.reports.conftest import OCTOBER, TODAY

#: The parts of the monthly report that are counts (the examples quote the case).
COUNTS = [
    "audits_completed",
    "grade_distribution",
    "actions",
    "outstanding_total",
    "learning_themes",
    "equality",
]


def close_cases(app, world, **closed: date) -> None:
    """Give the world's cases closing dates: ``close_cases(app, world, CS_1001=date(...))``."""
    with app.app_context():
        for name, day in closed.items():
            db.session.execute(
                update(Case)
                .where(Case.id == world.cases[name.replace("_", "-")])
                .values(closed_on=day)
            )
        db.session.commit()


def add_free_text(app, world, audit_id: int) -> None:
    """A comment, a concern, the family's address and a family conversation with its reply
    on CS-1001."""
    case_id = world.cases["CS-1001"]
    with app.app_context():
        app.extensions["portal.plugins"].set_enabled("thematic_review", True, actor_id=None)
        db.session.add(
            AuditComment(audit_id=audit_id, author_id=world.users["sw_a"], body="Zoë is settled.")
        )
        db.session.add(
            SafeguardingConcern(
                case_id=case_id,
                source_type="audit",
                source_id=str(audit_id),
                description="Bruising seen at the visit",
                raised_by_id=world.users["qa_lead"],
            )
        )
        db.session.execute(
            update(Case)
            .where(Case.id == case_id)
            .values(family_name="Jones", family_address="1 High Street")
        )
        review = Review(
            theme="Neglect",
            first_day=date(2026, 11, 10),
            lead_id=world.users["sgu"],
            qa_lead_id=world.users["qa_lead"],
        )
        review.cases = [ReviewCase(case_id=case_id, discussion_notes="Worker said ...")]
        db.session.add(review)
        db.session.flush()
        conversation = Conversation(
            review_case_id=review.cases[0].id,
            client_key="retention-1",
            consent="given",
            consent_by="Sam Jones, mother",
            participants=["parent"],
            views_of_service="The social worker listened to us.",
            captured_by_id=world.users["sgu"],
        )
        db.session.add(conversation)
        db.session.flush()
        db.session.add(
            Reply(conversation_id=conversation.id, body="You said", family_name="Ms Jones")
        )
        db.session.commit()


def all_rows(app) -> dict[str, list[tuple]]:
    """Every table's rows, in primary-key order."""
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    with engine.connect() as connection:
        inspector = inspect(connection)
        found = {}
        for table in inspector.get_table_names():
            keys = inspector.get_pk_constraint(table)["constrained_columns"]
            order = ", ".join(f'"{key}"' for key in keys) or "1"
            rows = connection.execute(text(f'SELECT * FROM "{table}" ORDER BY {order}'))
            found[table] = [tuple(row) for row in rows]
    engine.dispose()
    return found


def test_list_shows_the_cases_due_and_not_the_others(app, world, runner):
    # 25 years before 15 November 2026 is 15 November 2001: closed that day is due
    close_cases(app, world, CS_1001=date(2001, 11, 15), CS_1002=date(2001, 11, 16))

    result = runner.invoke(args=["retention", "list", "--today", TODAY.isoformat()])

    assert result.exit_code == 0, result.output
    assert "1 cases closed on or before 15 November 2001 (25 years)" in result.output
    assert "CS-1001" in result.output
    assert "CS-1002" not in result.output and "EH-2001" not in result.output


def test_the_council_sets_the_years(app, world, runner):
    app.config["RETENTION_YEARS_AFTER_CLOSURE"] = 7
    close_cases(app, world, CS_1001=date(2001, 11, 15), CS_1002=date(2019, 11, 15))

    result = runner.invoke(args=["retention", "list", "--today", TODAY.isoformat()])

    assert "2 cases closed on or before 15 November 2019 (7 years)" in result.output


def test_a_dry_run_and_an_unconfirmed_erase_change_nothing(app, world, runner, october):
    close_cases(app, world, CS_1001=date(2000, 1, 31))
    add_free_text(app, world, october["outstanding"])
    before = all_rows(app)

    listed = runner.invoke(args=["retention", "list", "--today", TODAY.isoformat()])
    unconfirmed = runner.invoke(args=["retention", "erase", "--today", TODAY.isoformat()])

    assert listed.exit_code == 0 and "CS-1001" in listed.output
    assert unconfirmed.exit_code == 1
    assert "Nothing erased" in unconfirmed.output
    assert all_rows(app) == before


def test_hook_portal_erase_case_records_erase_removes_free_text_and_keeps_the_counts(
    app, world, runner, october
):
    close_cases(app, world, CS_1001=date(2000, 1, 31))
    add_free_text(app, world, october["outstanding"])
    with app.app_context():
        report_before = build_monthly_report(OCTOBER, TODAY)

    result = runner.invoke(args=["retention", "erase", "--confirm", "--today", TODAY.isoformat()])

    assert result.exit_code == 0, result.output
    assert "1 cases" in result.output and "1 thematic_review.conversations" in result.output
    with app.app_context():
        case = db.session.get(Case, world.cases["CS-1001"])
        assert case.reference == f"Erased {case.id}"
        assert case.family_name is None and case.family_address is None
        answers = db.session.execute(
            select(AuditAnswer.field_key, AuditAnswer.value).where(
                AuditAnswer.audit_id == october["outstanding"]
            )
        ).all()
        assert ("summary", "Exemplary direct work: the child's voice shapes every plan.") not in [
            tuple(row) for row in answers
        ]
        assert db.session.scalar(select(AuditComment.id)) is None
        descriptions = set(
            db.session.scalars(
                select(Action.description).where(Action.audit_id == october["outstanding"])
            )
        )
        assert descriptions == {ERASED_ACTION}
        assert db.session.scalar(select(SafeguardingConcern.description)) == ""
        conversation = db.session.scalar(select(Conversation))
        assert (conversation.consent, conversation.participants) == ("given", ["parent"])
        assert conversation.views_of_service == "" and conversation.consent_by == ""
        assert db.session.scalar(select(Reply.body)) == ""
        assert db.session.scalar(select(ReviewCase.discussion_notes)) == ""
        # the other cases keep their words
        other = db.session.get(Case, world.cases["CS-1002"])
        assert other.reference == "CS-1002"
        entry = db.session.scalar(select(ActivityEntry).filter_by(verb="erased"))
        assert entry.after["cases"] == 1 and entry.after["comments"] == 1
        assert "Jones" not in str(entry.after) + entry.summary
        report_after = build_monthly_report(OCTOBER, TODAY)
    assert {key: report_after[key] for key in COUNTS} == {key: report_before[key] for key in COUNTS}
    [example] = report_after["outstanding_examples"]
    assert example["summary"] == "" and example["case_reference"].startswith("Erased ")

    again = runner.invoke(args=["retention", "erase", "--confirm", "--today", TODAY.isoformat()])
    assert "No case is due for erasure." in again.output


def test_erase_keeps_an_audit_forms_grades_and_choices_and_erases_its_text(app, world, runner):
    close_cases(app, world, CS_1002=date(2000, 1, 31))
    with app.app_context():
        process = app.extensions["portal.plugins"].process("csc_audit")
        audit = Audit(
            case_id=world.cases["CS-1002"],
            process_key="csc_audit",
            process_version=process.version,
            form=form_row(process),
            status="submitted",
            allocated_on=date(2026, 10, 1),
            due_on=date(2026, 10, 29),
            record_grade="good",
        )
        db.session.add(audit)
        db.session.flush()
        given = {
            ("standard_1", "grade"): "good",
            ("standard_1", "evidence"): "Visits every 10 days, seen alone.",
            ("impact", "intended"): "Zoë back at school",
            ("overall", "learning"): "supervision,training",
            ("retired", "note"): "an answer to a question the form no longer has",
        }
        db.session.add_all(
            AuditAnswer(audit_id=audit.id, section_key=s, field_key=f, value=v)
            for (s, f), v in given.items()
        )
        db.session.commit()
        audit_id = audit.id

    result = runner.invoke(args=["retention", "erase", "--confirm", "--today", TODAY.isoformat()])

    assert "3 answers" in result.output
    with app.app_context():
        kept = db.session.execute(
            select(AuditAnswer.section_key, AuditAnswer.field_key, AuditAnswer.value).where(
                AuditAnswer.audit_id == audit_id
            )
        ).all()
    assert sorted(tuple(row) for row in kept) == [
        ("overall", "learning", "supervision,training"),
        ("standard_1", "grade", "good"),
    ]
