"""The audit lifecycle in the service layer: allocation, saves and merges, submission."""

from datetime import date

import pytest
from sqlalchemy import select

from portal.audits import service
from portal.audits.definition import AuditProcess, Section
from portal.extensions import db
from portal.models import (
    Action,
    ActionStatus,
    ActivityEntry,
    Audit,
    AuditForm,
    AuditStatus,
    Notification,
    User,
)


def get(app, audit_id):
    return db.session.get(Audit, audit_id)


def test_allocation_sets_the_due_date_in_working_days_and_tells_the_auditor(app, world, allocated):
    audit_id = allocated("CS-1001", "tm_b")
    with app.app_context():
        audit = get(app, audit_id)
        # allocated Monday 2 November 2026; 10 working days later is Monday 16 November
        assert audit.due_on == date(2026, 11, 16)
        assert audit.lifecycle == AuditStatus.ALLOCATED
        assert [user.name for user in audit.auditors] == ["Tom Manager"]
        notification = db.session.scalars(select(Notification)).one()
        assert notification.user_id == world.users["tm_b"]
        assert notification.link == f"/audits/{audit_id}"
        entry = db.session.scalars(
            select(ActivityEntry).where(ActivityEntry.verb == "allocated")
        ).one()
        assert entry.after["due_on"] == "2026-11-16"


def test_the_form_is_stored_once_per_content(app, world, allocated):
    allocated("CS-1001", "tm_b")
    allocated("CS-1002", "tm_a")
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(AuditForm)) == 1


def save(app, world, audit_id, who, base, **fields):
    with app.app_context():
        audit = get(app, audit_id)
        user = db.session.get(User, world.users[who])
        outcome = service.save_answers(audit, fields, base, user)
        db.session.commit()
        return outcome


def test_saves_make_revisions_and_start_the_audit(app, world, allocated):
    audit_id = allocated()
    outcome = save(app, world, audit_id, "tm_b", 0, **{"plan.purpose": "Safety"})
    assert outcome.revision == 1 and outcome.changed == ["plan.purpose"]
    assert save(app, world, audit_id, "tm_b", 1, **{"plan.purpose": "Safety"}).changed == []
    with app.app_context():
        audit = get(app, audit_id)
        assert audit.lifecycle == AuditStatus.IN_PROGRESS
        assert audit.answers() == {"plan": {"purpose": "Safety"}}
        assert audit.revision == 1


def test_two_auditors_editing_different_fields_both_keep_their_work(app, world, allocated):
    audit_id = allocated("CS-1001", "tm_b", "eh_m")  # a joint audit
    save(app, world, audit_id, "tm_b", 0, **{"plan.purpose": "A", "plan.evidence": ""})
    # eh_m started from revision 0 too and typed the evidence
    outcome = save(app, world, audit_id, "eh_m", 0, **{"plan.purpose": "", "plan.evidence": "B"})
    assert outcome.conflicts == {}
    with app.app_context():
        assert get(app, audit_id).answers()["plan"] == {"purpose": "A", "evidence": "B"}


def test_the_second_writer_of_the_same_field_is_told_and_nothing_is_overwritten(
    app, world, allocated
):
    audit_id = allocated("CS-1001", "tm_b", "eh_m")
    save(app, world, audit_id, "tm_b", 0, **{"plan.purpose": "First writer"})
    outcome = save(app, world, audit_id, "eh_m", 0, **{"plan.purpose": "Second writer"})
    assert outcome.conflicts == {"plan.purpose": ("First writer", "Second writer")}
    with app.app_context():
        assert get(app, audit_id).answers()["plan"]["purpose"] == "First writer"
    # knowingly keeping theirs: saving from the current revision overwrites
    outcome = save(app, world, audit_id, "eh_m", 1, **{"plan.purpose": "Second writer"})
    assert outcome.conflicts == {}
    with app.app_context():
        assert get(app, audit_id).answers()["plan"]["purpose"] == "Second writer"


def fill(app, world, audit_id, **overrides):
    fields = {
        "plan.purpose": "Safety",
        "plan.grade": "good",
        "plan.evidence": "Plan on file",
        "records.grade": "good",
        "records.evidence": "Up to date",
        "visit.seen_on": "2026-10-01",
        "visit.alone": "yes",
        "overall.summary": "Good work",
        **overrides,
    }
    with app.app_context():
        revision = get(app, audit_id).revision
    return save(app, world, audit_id, "tm_b", revision, **fields)


def submit(app, world, audit_id, who="tm_b"):
    with app.app_context():
        audit = get(app, audit_id)
        errors = service.submit(audit, db.session.get(User, world.users[who]))
        db.session.commit()
        return errors


def moderate(app, world, audit_id, grade, who="qa_lead", **fields):
    from portal.moderation import service as moderation

    with app.app_context():
        audit = get(app, audit_id)
        moderator = db.session.get(User, world.users[who])
        given = moderation.check(
            audit, moderator, grade, fields.get("rationale", ""), fields.get("feedback", "Fine"), []
        )
        if not given.errors:
            moderation.moderate(audit, moderator, given)
            db.session.commit()
        return given.errors


def test_a_submitted_audit_waits_for_moderation_then_closes(app, world, allocated):
    audit_id = allocated()
    fill(app, world, audit_id, **{"overall.learning": "supervision,training"})
    assert submit(app, world, audit_id) == []
    with app.app_context():
        audit = get(app, audit_id)
        assert audit.lifecycle == AuditStatus.SUBMITTED
        assert audit.moderation_required
        assert (audit.suggested_grade, audit.overall_grade, audit.record_grade) == ("good",) * 3
        assert {(row.area, row.tagged_by) for row in audit.learning_rows} == {
            ("supervision", "auditor"),
            ("training", "auditor"),
        }
        told = {n.user_id for n in db.session.scalars(select(Notification))}
        assert {world.users["sw_a"], world.users["tm_a"]} <= told
    assert moderate(app, world, audit_id, "good", who="tm_b") == {
        "grade": "You audited this case: another moderator must moderate it"
    }
    assert moderate(app, world, audit_id, "outstanding") == {
        "rationale": "Give the rationale for changing the auditor's judgement"
    }
    assert moderate(app, world, audit_id, "outstanding", rationale="Exceptional impact") == {}
    with app.app_context():
        audit = get(app, audit_id)
        assert audit.lifecycle == AuditStatus.CLOSED
        assert (audit.overall_grade, audit.record_grade) == ("good", "outstanding")
        assert not audit.moderation.agreed
    assert moderate(app, world, audit_id, "good") == {"grade": "This audit is already moderated"}


def test_an_incomplete_audit_is_not_submitted(app, world, allocated):
    audit_id = allocated()
    fill(app, world, audit_id, **{"records.grade": "inadequate"})
    errors = submit(app, world, audit_id)
    assert "records-actions" in {error.html_id for error in errors}
    with app.app_context():
        audit = get(app, audit_id)
        assert audit.submitted_at is None
        assert audit.lifecycle == AuditStatus.IN_PROGRESS


def test_actions_open_on_submission_and_the_override_is_recorded(app, world, allocated):
    audit_id = allocated()
    fill(
        app,
        world,
        audit_id,
        **{
            "records.grade": "requires_improvement",
            "overall.grade": "good",
            "overall.reason": "Records caught up since",
        },
    )
    with app.app_context():
        db.session.add(
            Action(
                audit_id=audit_id,
                section_key="records",
                description="Update the chronology",
                owner_id=world.users["sw_a"],
                due_on=date(2027, 1, 8),
            )
        )
        db.session.commit()
    assert submit(app, world, audit_id) == []
    with app.app_context():
        audit = get(app, audit_id)
        assert audit.suggested_grade == "requires_improvement"
        assert audit.overall_grade == "good"
        assert audit.override_reason == "Records caught up since"
        assert audit.lifecycle == AuditStatus.SUBMITTED  # waiting for moderation
        assert audit.actions[0].state == ActionStatus.OPEN
        entry = db.session.scalars(
            select(ActivityEntry).where(ActivityEntry.verb == "submitted")
        ).one()
        assert entry.after["override_reason"] == "Records caught up since"
        # every action signed off: the audit still waits for its moderation
        audit.actions[0].status = ActionStatus.SIGNED_OFF.value
        service.refresh_status(audit)
        db.session.commit()
        assert get(app, audit_id).lifecycle == AuditStatus.SUBMITTED
    assert moderate(app, world, audit_id, "good") == {}
    with app.app_context():
        assert get(app, audit_id).lifecycle == AuditStatus.CLOSED


def test_a_submitted_audit_renders_in_its_own_form_version(app, world, allocated, mini):
    """The plugin changes its questions; the old audit still shows the old ones."""
    audit_id = allocated()
    fill(app, world, audit_id)
    submit(app, world, audit_id)
    host = app.extensions["portal.plugins"]
    changed = AuditProcess(
        key="mini_audit",
        title="Mini audit",
        version="2",
        sections=(Section("entirely_new", "An entirely new section"),),
    )
    plugin = host.installed["mini_audit"]
    host.installed["mini_audit"] = type(plugin)(**{**plugin.__dict__, "process": changed})
    with app.app_context():
        form = service.form_of(get(app, audit_id))
        assert form.version == "1"
        assert [section.key for section in form.sections] == [
            "plan",
            "records",
            "visit",
            "supervision",
        ]


@pytest.mark.parametrize(
    ("allocated_on", "days", "due"),
    [
        # Christmas Day (Fri 25), Boxing Day's substitute (Mon 28), New Year's Day (Fri 1)
        (date(2026, 12, 21), 5, date(2026, 12, 30)),
        (date(2026, 12, 21), 8, date(2027, 1, 5)),
        # Good Friday 26 March and Easter Monday 29 March 2027
        (date(2027, 3, 24), 5, date(2027, 4, 2)),
        (date(2027, 5, 28), 1, date(2027, 6, 1)),  # spring bank holiday Monday 31 May
    ],
)
def test_due_dates_skip_weekends_and_bank_holidays(allocated_on, days, due):
    from portal.scheduling.working_days import add_working_days

    assert add_working_days(allocated_on, days) == due


def test_a_page_showing_an_out_of_date_field_never_overwrites_it_later(app, world, allocated):
    """After a merge the page keeps its old base, so its stale copy is not taken as a change."""
    audit_id = allocated("CS-1001", "tm_b", "eh_m")
    save(app, world, audit_id, "tm_b", 0, **{"plan.purpose": "", "plan.evidence": "E0"})
    save(app, world, audit_id, "eh_m", 1, **{"plan.purpose": "Theirs", "plan.evidence": "E0"})
    # tm_b's page still shows an empty purpose and types the evidence, from revision 1
    outcome = save(app, world, audit_id, "tm_b", 1, **{"plan.purpose": "", "plan.evidence": "Mine"})
    assert outcome.page_revision == 1  # not the new revision: the page is out of date
    # a later autosave from that page, still showing the empty purpose
    save(
        app,
        world,
        audit_id,
        "tm_b",
        outcome.page_revision,
        **{"plan.purpose": "", "plan.evidence": "Mine!"},
    )
    with app.app_context():
        assert get(app, audit_id).answers()["plan"] == {"purpose": "Theirs", "evidence": "Mine!"}
        others = service.changes_by_others(
            get(app, audit_id), 1, db.session.get(User, world.users["tm_b"])
        )
        assert [(change.key, change.value, change.by) for change in others] == [
            ("plan.purpose", "Theirs", "Erin Manager")
        ]


def test_keeping_my_version_overrides_only_the_conflicting_fields(app, world, allocated):
    audit_id = allocated("CS-1001", "tm_b", "eh_m")
    save(app, world, audit_id, "tm_b", 0, **{"plan.purpose": "A", "plan.evidence": "E1"})
    save(app, world, audit_id, "eh_m", 1, **{"plan.purpose": "Theirs", "plan.evidence": "E2"})
    with app.app_context():
        audit = get(app, audit_id)
        outcome = service.save_answers(
            audit,
            {"plan.purpose": "Mine", "plan.evidence": "E1"},
            1,
            db.session.get(User, world.users["tm_b"]),
            keep_mine=True,
        )
        db.session.commit()
        assert outcome.conflicts == {}
        assert get(app, audit_id).answers()["plan"] == {"purpose": "Mine", "evidence": "E2"}


def test_a_process_adds_its_own_submission_checks(app, world, allocated, mini):
    import dataclasses

    def note_needed_when_not_alone(form, answers):
        if answers.get("visit", {}).get("alone") == "no" and not answers["visit"].get("note"):
            yield "visit-note", "Say why the child was not seen alone"

    host = app.extensions["portal.plugins"]
    plugin = host.installed["mini_audit"]
    checked = dataclasses.replace(mini, extra_checks=note_needed_when_not_alone)
    host.installed["mini_audit"] = dataclasses.replace(plugin, process=checked)
    audit_id = allocated()
    fill(app, world, audit_id, **{"visit.alone": "no"})
    errors = submit(app, world, audit_id)
    assert [(e.html_id, e.message) for e in errors] == [
        ("visit-note", "Say why the child was not seen alone")
    ]
    fill(app, world, audit_id, **{"visit.alone": "no", "visit.note": "Asleep at the visit"})
    assert submit(app, world, audit_id) == []
    with app.app_context():
        assert get(app, audit_id).auditor_rows[0].agency_code == "CSC"
