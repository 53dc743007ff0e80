"""A process's rules are given today's date when they ask for it (API 1.1), and rules
written before that keep working unchanged."""

import dataclasses
from datetime import date

from portal.audits.definition import Judgement, worst_section_grade
from portal.extensions import db
from portal.models import User
from portal.plugin_api import API_VERSION, AuditProcess, Section
from portal.scheduling.selection import Auditor, CandidateCase, draw
from tests.audits.test_engine import fill, get


def seen_on_not_in_future(form, answers, today):
    """The kind of check the issue asked for: the visit date is not after today."""
    seen_on = answers.get("visit", {}).get("seen_on", "")
    if seen_on and date.fromisoformat(seen_on) > today:
        yield "visit-seen_on", f"The visit cannot be after today ({today:%d %B %Y})"


def use_process(app, process):
    host = app.extensions["portal.plugins"]
    plugin = host.installed[process.key]
    host.installed[process.key] = dataclasses.replace(plugin, process=process)


def submit_on(app, world, audit_id, today):
    from portal.audits import service

    with app.app_context():
        errors = service.submit(
            get(app, audit_id), db.session.get(User, world.users["tm_b"]), today
        )
        db.session.commit()
        return [(error.html_id, error.message) for error in errors]


def test_the_api_version_says_rules_may_take_today():
    assert API_VERSION >= (1, 1)


def test_an_extra_check_is_given_the_day_of_the_submission(app, world, allocated, mini):
    use_process(app, dataclasses.replace(mini, extra_checks=seen_on_not_in_future))
    audit_id = allocated()
    fill(app, world, audit_id, **{"visit.seen_on": "2026-11-20"})
    assert submit_on(app, world, audit_id, date(2026, 11, 19)) == [
        ("visit-seen_on", "The visit cannot be after today (19 November 2026)")
    ]
    assert submit_on(app, world, audit_id, date(2026, 11, 20)) == []


def test_a_grading_rule_may_take_today_and_an_old_one_need_not(app, world, allocated, mini):
    days = []

    def dated_rule(form, answers, *, today):
        days.append(today)
        return worst_section_grade(form, answers)

    use_process(app, dataclasses.replace(mini, suggest_judgement=dated_rule))
    audit_id = allocated()
    fill(app, world, audit_id)
    assert submit_on(app, world, audit_id, date(2026, 11, 19)) == []
    assert set(days) == {date(2026, 11, 19)}

    # a rule written for API 1.0, two arguments only, is still called as before
    old = dataclasses.replace(mini, suggest_judgement=lambda form, answers: Judgement("good"))
    use_process(app, old)
    audit_id = allocated("CS-1002", "tm_b")
    fill(app, world, audit_id)
    assert submit_on(app, world, audit_id, date(2026, 11, 19)) == []
    with app.app_context():
        assert get(app, audit_id).suggested_grade == "good"


def test_apply_passes_today_only_to_a_rule_that_declares_it():
    def with_today(form, answers, today):
        return Judgement(None, (f"on {today}",))

    def without(form, answers):
        return Judgement(None)

    process = AuditProcess("p", "P", "1", (Section("s", "S"),), suggest_judgement=with_today)
    assert process.apply("suggest_judgement", process.form, {}, today=date(2026, 1, 1)) == (
        Judgement(None, ("on 2026-01-01",))
    )
    assert dataclasses.replace(process, suggest_judgement=without).apply(
        "suggest_judgement", process.form, {}, today=date(2026, 1, 1)
    ) == Judgement(None)


def test_an_eligibility_rule_is_given_the_first_day_of_the_month_drawn():
    from portal.audits.definition import Quota

    seen = []

    def open_a_month(case, auditor, today):
        seen.append(today)
        return case.id == 2  # say, the only case open long enough on that day

    process = AuditProcess(
        "p",
        "P",
        "1",
        (Section("s", "S"),),
        quotas=(Quota("all", ("team_manager",), total=1),),
        eligible=open_a_month,
    )
    cases = [CandidateCase(n, f"C-{n}", "CIN", 1, "CSC", None) for n in (1, 2, 3)]
    auditors = [Auditor(9, "Ann", frozenset({"team_manager"}), None)]
    result = draw(date(2026, 12, 1), 7, [process], cases, auditors)
    assert [allocation.case.id for allocation in result.allocations] == [2]
    assert set(seen) == {date(2026, 12, 1)}
