"""``seed-demo``'s second step: a year of audit history lived through the real engine."""

from collections import Counter
from datetime import date, datetime, timedelta
from itertools import pairwise

from sqlalchemy import func, select

from portal.actions import queries as action_queries
from portal.actions.rules import sign_off_manager
from portal.concerns.service import awaiting_response
from portal.demo import DEMO_PASSWORD, seed_demo_council
from portal.demo_history import HISTORY_REASON, seed_audit_history
from portal.extensions import db
from portal.models import (
    Action,
    ActionStatus,
    ActivityEntry,
    Audit,
    AuditAnswer,
    AuditStatus,
    JointJudgement,
    Moderation,
    Notification,
    SafeguardingConcern,
    ThemeMonth,
    User,
)
from portal.moderation.queue import waiting
from portal.plugins import plugin_host
from portal.scheduling.selection import months_after
from portal.scheduling.service import conflict_for
from portal.testing.fixtures import login
from portal.timeutil import LONDON

EMAIL = "{}@council.example".format


def seed(runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    return result


def today() -> date:
    return datetime.now(LONDON).date()


def month_of(day: date) -> date:
    return day.replace(day=1)


def months_back(day: date, count: int) -> date:
    index = day.year * 12 + day.month - 1 - count
    return date(index // 12, index % 12 + 1, 1)


def history() -> list[Audit]:
    return db.session.scalars(
        select(Audit).where(Audit.allocation_reason.startswith(HISTORY_REASON))
    ).all()


def user(local: str) -> User:
    return db.session.scalar(select(User).where(User.email == EMAIL(local)))


def counts() -> dict[str, int]:
    models = (
        Audit,
        AuditAnswer,
        Action,
        Moderation,
        JointJudgement,
        SafeguardingConcern,
        ThemeMonth,
        Notification,
        ActivityEntry,
    )
    return {
        model.__name__: db.session.scalar(select(func.count()).select_from(model))
        for model in models
    }


def check_year(day: date) -> None:
    """What holds whatever the day: every month drawn, past months submitted, the
    statuses right, the independence rules kept."""
    audits = history()
    reaudit_after = {
        process.key: process.reaudit_inadequate_after_months
        for process in plugin_host().enabled_processes()
    }
    current = month_of(day)
    months = {month_of(audit.allocated_on) for audit in audits}
    assert months == {months_back(day, back) for back in range(13)}
    now = datetime.combine(day, datetime.min.time())
    for audit in audits:
        for auditor in audit.auditors:
            assert conflict_for(audit.case, auditor) is None, audit.id
        if month_of(audit.allocated_on) < current:
            assert audit.submitted_at is not None, audit.id
        if audit.submitted_at is None:
            assert audit.lifecycle.editable
            assert all(action.state == ActionStatus.DRAFT for action in audit.actions)
            continue
        assert audit.allocated_on <= audit.submitted_at.date() and audit.submitted_at < now
        assert all(action.state != ActionStatus.DRAFT for action in audit.actions)
        signed_off = all(a.state == ActionStatus.SIGNED_OFF for a in audit.actions)
        if audit.moderation_required and audit.moderation is None:
            assert audit.lifecycle == AuditStatus.SUBMITTED
        else:
            closed = AuditStatus.CLOSED if signed_off else AuditStatus.ACTIONS_OPEN
            assert audit.lifecycle == closed, audit.id
    by_case: dict[int, list[Audit]] = {}
    for audit in audits:
        by_case.setdefault(audit.case_id, []).append(audit)
    for each in by_case.values():
        each.sort(key=lambda audit: audit.allocated_on)
        # 12 months apart, a re-audit of an Inadequate one, or chosen by hand after a
        # complaint (the draw's rule does not bind a QA administrator's own choice)
        for a, b in pairwise(each):
            months = reaudit_after.get(a.process_key) if a.process_key == b.process_key else None
            reaudit = months and a.record_grade == "inadequate"
            earliest = months_after(a.allocated_on, months) if reaudit else None
            assert (
                (b.allocated_on - a.allocated_on).days >= 365
                or (reaudit and b.allocated_on >= earliest)
                or "after a complaint" in b.allocation_reason
            ), [(x.allocated_on, x.process_key, x.record_grade) for x in each]


def test_seed_demo_lives_a_year_of_audits_through_the_engine(app, runner):
    result = seed(runner)
    assert "Added a year of demo audit history" in result.output
    day = today()
    with app.app_context():
        check_year(day)
        audits = history()
        submitted = [audit for audit in audits if audit.submitted_at is not None]
        assert len(audits) >= 13 * 15
        current = [audit for audit in audits if month_of(audit.allocated_on) == month_of(day)]
        assert any(audit.submitted_at is None for audit in current)
        grades = Counter(audit.record_grade for audit in submitted)
        assert set(grades) == {"outstanding", "good", "requires_improvement", "inadequate"}
        assert grades.most_common(1)[0][0] == "good"
        required = [audit for audit in submitted if audit.moderation_required]
        moderated = [audit for audit in required if audit.moderation is not None]
        assert 0.7 <= len(moderated) / len(required) < 1
        agreed = sum(audit.moderation.agreed for audit in moderated)
        assert 0.65 <= agreed / len(moderated) <= 0.95
        for audit in moderated:
            moderation = audit.moderation
            assert moderation.moderator.email == EMAIL("qa.lead")
            assert moderation.feedback
            assert moderation.agreed or moderation.rationale
            assert audit.submitted_at < moderation.moderated_at
            assert audit.record_grade == moderation.moderated_grade
        learning = sum(bool(audit.answers()["overall"].get("learning")) for audit in submitted)
        assert 0.3 <= learning / len(submitted) <= 0.7


def test_actions_exist_in_every_state_with_the_right_people_and_dates(app, runner):
    seed(runner)
    day = today()
    with app.app_context():
        actions = [action for audit in history() for action in audit.actions]
        states = Counter(action.state for action in actions)
        assert {ActionStatus.OPEN, ActionStatus.COMPLETED, ActionStatus.SIGNED_OFF} <= set(states)
        assert states[ActionStatus.SIGNED_OFF] > states[ActionStatus.OPEN]
        assert any(action.is_overdue(day) for action in actions)
        assert any(a.state == ActionStatus.OPEN and a.returned_reason for a in actions)
        now = datetime.combine(day, datetime.min.time())
        for action in actions:
            if action.state == ActionStatus.DRAFT:
                continue
            case = action.audit.case
            assert action.owner == (case.allocated_worker or case.team.manager)
            assert action.created_at == action.audit.submitted_at
            assert action.due_on > action.created_at.date()
            if action.state == ActionStatus.OPEN:
                assert action.completed_at is None and action.signed_off_at is None
            if action.state in (ActionStatus.COMPLETED, ActionStatus.SIGNED_OFF):
                assert action.evidence and action.created_at < action.completed_at < now
            if action.state == ActionStatus.SIGNED_OFF:
                assert action.signed_off_by == sign_off_manager(action)
                assert action.completed_at < action.signed_off_at < now


def test_joint_audits_record_each_auditors_own_judgement(app, runner):
    seed(runner)
    with app.app_context():
        joint = [audit for audit in history() if len(audit.auditor_rows) == 2]
        assert len(joint) >= 4
        assert len({month_of(audit.allocated_on) for audit in joint}) == 2
        for audit in joint:
            judged = {j.user_id: j for j in audit.joint_judgements}
            assert set(judged) == {row.user_id for row in audit.auditor_rows}
            assert all(j.recorded_at < audit.submitted_at for j in judged.values())
        assert db.session.scalar(select(func.count()).select_from(JointJudgement)) == 2 * len(joint)


def test_the_demo_accounts_have_work_waiting(app, runner):
    seed(runner)
    day = today()
    with app.app_context():
        manager, worker = user("team.manager"), user("social.worker")
        to_complete = [
            audit for audit in history() if manager in audit.auditors and audit.submitted_at is None
        ]
        assert to_complete and all(audit.lifecycle.editable for audit in to_complete)
        open_actions = db.session.scalars(
            select(Action).where(
                Action.owner_id == worker.id, Action.status == ActionStatus.OPEN.value
            )
        ).all()
        assert any(action.is_overdue(day) for action in open_actions)
        assert any(action.returned_reason for action in open_actions)
        waiting_actions = db.session.scalars(
            action_queries.awaiting(action_queries.reach_of(manager))
        )
        assert any(action.owner == worker for action in waiting_actions)
        assert db.session.scalars(waiting()).first() is not None
        concerns = db.session.scalars(select(SafeguardingConcern)).all()
        assert any(concern.is_open for concern in concerns)
        assert any(not concern.is_open for concern in concerns)
        assert all(concern.source_type == "audit" for concern in concerns)
        assert awaiting_response(user("safeguarding"))
        themes = db.session.scalars(select(ThemeMonth).order_by(ThemeMonth.month)).all()
        assert [theme.month for theme in themes] == [
            months_back(day, -ahead) for ahead in range(1, 7)
        ]
        assert all(theme.theme and theme.notes for theme in themes)
    # every tool that audits the demo social worker's cases has seen one of them: an
    # observation of their practice waits on their home page for their reflection
    worker_client = app.test_client()
    assert login(worker_client, EMAIL("social.worker"), DEMO_PASSWORD).status_code == 302
    home = worker_client.get("/").get_data(as_text=True)
    assert "Observations of your practice" in home and "Add your reflection" in home


def test_running_it_again_adds_nothing_and_no_email_is_sent(app, runner, monkeypatch):
    def no_email(_recipients):
        raise AssertionError("the demo history must not send email")

    monkeypatch.setattr("portal.notify.send_emails", no_email)
    app.config["SMTP_HOST"] = "smtp.invalid"
    seed(runner)
    assert app.config["SMTP_HOST"] == "smtp.invalid"
    with app.app_context():
        first = counts()
        assert first["Notification"] > 0
        assert (
            db.session.scalar(select(func.count()).where(Notification.read_at.is_(None)))
            < first["Notification"]
        )
    app.config["SMTP_HOST"] = ""
    result = seed(runner)
    assert "the demo audit history is already in place" in result.output
    with app.app_context():
        assert counts() == first


def test_the_reports_and_the_calibration_page_show_the_year(app, runner, client):
    seed(runner)
    day = today()
    assert login(client, EMAIL("qa.lead"), DEMO_PASSWORD).status_code == 302
    last_month = months_back(day, 1)
    response = client.get(f"/reports/monthly.json?month={last_month:%Y-%m}")
    assert response.status_code == 200
    report = response.get_json()
    assert sum(report["audits_completed"].values()) >= 10
    assert report["actions"]["created"] > 0
    response = client.get(
        f"/moderation/calibration?from={months_back(day, 12):%Y-%m}&to={day:%Y-%m}"
    )
    assert response.status_code == 200
    assert "from joint audits" in response.get_data(as_text=True)
    assert report["reaudits"], "last month re-audited a case graded Inadequate"
    assert {item["previous_grade"] for item in report["reaudits"]} == {"inadequate"}


def test_the_history_holds_on_new_years_day(app):
    day = date(2027, 1, 1)  # a bank holiday: the month's selection is not drawn yet
    with app.app_context():
        seed_demo_council(day)
        first = seed_audit_history(day)
        check_year(day)
        assert first["added"] == first["audits"] > 0
        assert seed_audit_history(day) == {**first, "added": 0}
        assert all(
            audit.submitted_at is None
            for audit in history()
            if audit.allocated_on >= day - timedelta(days=1)
        )
