"""The background jobs: what each core job does, running once per period, plugin jobs,
the command line and the administrators' page."""

import re
import types
from dataclasses import replace
from datetime import date

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from portal.audits.definition import Quota
from portal.extensions import db
from portal.hookspecs import hookimpl
from portal.models import (
    Action,
    ActionStatus,
    ActivityEntry,
    Audit,
    AuditStatus,
    JobRun,
    MonthlySelection,
    Notification,
    ThemeMonth,
    User,
)
from portal.notify import notify
from portal.plugins import PluginError
from portal.scheduling.jobs import (
    ScheduledJob,
    all_jobs,
    find_job,
    run_job,
    schedule_in_words,
)
from portal.scheduling.scheduler import today_london
from portal.scheduling.service import qa_administrators
from portal.scheduling.working_days import is_working_day
from tests.audits.conftest import MINI, mini_module

CORE = [
    "core.draft_selection",
    "core.remind_due_soon",
    "core.escalate_overdue",
    "core.prune_access_log",
    "core.snapshot_report",
]


def run(job_id: str, day: date) -> JobRun | None:
    """Run a job as the scheduler would, in the current app context."""
    return run_job(find_job(job_id), day)


def messages(world, short_name: str, containing: str = "") -> list[Notification]:
    """The notifications of one person whose subject contains *containing*."""
    return db.session.scalars(
        select(Notification)
        .where(
            Notification.user_id == world.users[short_name],
            Notification.subject.contains(containing),
        )
        .order_by(Notification.id)
    ).all()


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_the_core_jobs_and_their_schedules(app):
    with app.app_context():
        jobs = all_jobs()
    assert [job.id for job in jobs] == CORE
    assert [schedule_in_words(job.cron) for job in jobs] == [
        "Every day at 06:00",
        "Every day at 07:00",
        "Every day at 07:15",
        "Every day at 02:30",
        "Every day at 05:30",
    ]
    assert jobs[1].period(date(2027, 1, 4)) == "2027-01-04"


def test_schedules_in_words():
    assert schedule_in_words({"day_of_week": "mon-fri", "hour": 7, "minute": 5}) == (
        "Every Monday to Friday at 07:05"
    )
    assert schedule_in_words({"day_of_week": "mon,thu", "hour": 8}) == (
        "Every Monday and Thursday at 08:00"
    )
    assert (
        schedule_in_words({"day": 1, "hour": 5, "minute": 0}) == "On day 1 of each month at 05:00"
    )
    assert schedule_in_words({"hour": "*/2"}) == "When the fields match: hour */2"


# Reminders ------------------------------------------------------------------------------


def test_a_reminder_comes_exactly_three_working_days_before_the_due_date(app, world, allocated):
    joint = allocated("CS-1001", "tm_b", "eh_m")
    after_christmas = allocated("CS-1002", "tm_a")
    submitted = allocated("EH-2001", "sm")
    with app.app_context():
        db.session.get(Audit, joint).due_on = date(2026, 12, 30)
        db.session.get(Audit, after_christmas).due_on = date(2026, 12, 31)
        audit = db.session.get(Audit, submitted)
        audit.due_on = date(2026, 12, 30)
        audit.status = AuditStatus.SUBMITTED.value
        db.session.commit()
        # Wednesday 30 December: three working days back crosses Christmas and the Boxing
        # Day holiday (Monday 28th), so it is Wednesday 23rd, not Sunday 27th.
        assert not is_working_day(date(2026, 12, 27))
        results = {day: run("core.remind_due_soon", date(2026, 12, day)) for day in range(21, 31)}
        assert results[23].result == "1 audits due on 30 December 2026: 2 reminders sent"
        assert results[24].result == "1 audits due on 31 December 2026: 1 reminders sent"
        assert results[26].result == "Nothing to do: Saturday 26 December 2026 is not a working day"
        assert {
            person: [(n.subject, n.link) for n in messages(world, person, "due in 3")]
            for person in ("tm_b", "eh_m", "tm_a", "sm")
        } == {
            "tm_b": [("Audit due in 3 working days: CS-1001", f"/audits/{joint}")],
            "eh_m": [("Audit due in 3 working days: CS-1001", f"/audits/{joint}")],
            "tm_a": [("Audit due in 3 working days: CS-1002", f"/audits/{after_christmas}")],
            "sm": [],
        }
        assert "Wednesday 30 December 2026" in messages(world, "tm_b", "due in 3")[0].body
        activity = db.session.scalars(
            select(ActivityEntry).where(ActivityEntry.object_type == "job")
        ).all()
        assert [(a.verb, a.object_id, a.actor_id) for a in activity] == [
            ("ran", "core.remind_due_soon", None),
            ("ran", "core.remind_due_soon", None),
        ]


# Escalation -----------------------------------------------------------------------------


def overdue_world(app, world, allocated) -> dict[str, int]:
    """Audits and actions, some overdue on Friday 20 November 2026 and some not."""
    ids = {
        "late": allocated("CS-1001", "tm_b"),  # due 16 November: overdue
        "submitted": allocated("CS-1002", "tm_a"),  # overdue but submitted
        "on_time": allocated("EH-2001", "eh_m"),
    }
    with app.app_context():
        db.session.get(Audit, ids["submitted"]).status = AuditStatus.SUBMITTED.value
        db.session.get(Audit, ids["on_time"]).due_on = date(2026, 11, 30)
        actions = {
            "late_action": Action(
                audit_id=ids["submitted"],
                description="Update the chronology",
                owner_id=world.users["sw_b"],
                due_on=date(2026, 11, 13),
                status=ActionStatus.OPEN.value,
            ),
            "completed_action": Action(
                audit_id=ids["submitted"],
                description="Hold a strategy meeting",
                owner_id=world.users["sw_a"],
                due_on=date(2026, 11, 13),
                status=ActionStatus.COMPLETED.value,
            ),
            "future_action": Action(
                audit_id=ids["submitted"],
                description="Review the plan",
                owner_id=world.users["sw_a"],
                due_on=date(2026, 12, 18),
                status=ActionStatus.OPEN.value,
            ),
        }
        db.session.add_all(actions.values())
        db.session.commit()
        ids.update({key: action.id for key, action in actions.items()})
    return ids


def test_overdue_work_is_escalated_once_to_the_line_manager(app, world, allocated):
    ids = overdue_world(app, world, allocated)
    with app.app_context():
        first = run("core.escalate_overdue", date(2026, 11, 20))
        assert first.succeeded
        assert first.result == "Escalated 1 audits and 1 actions: 4 notifications"
        told = {
            person: [n.subject for n in messages(world, person, "verdue")]
            for person in ("tm_b", "sm", "sw_b", "tm_a", "sw_a", "eh_m")
        }
        assert told == {
            "tm_b": [
                "Your audit of CS-1001 is overdue",
                "Overdue action: CS-1002, owned by Sunil Worker",  # Sunil's line manager
            ],
            "sm": ["Overdue audit: CS-1001 by Tom Manager"],  # Tom's line manager
            "sw_b": ["Your action on CS-1002 is overdue"],
            "tm_a": [],
            "sw_a": [],
            "eh_m": [],
        }
        assert db.session.get(Audit, ids["late"]).escalated_at is not None
        assert db.session.get(Action, ids["late_action"]).escalated_at is not None
        for key in ("submitted", "on_time"):
            assert db.session.get(Audit, ids[key]).escalated_at is None
        for key in ("completed_action", "future_action"):
            assert db.session.get(Action, ids[key]).escalated_at is None

        notifications = count(Notification)
        later = run("core.escalate_overdue", date(2026, 11, 23))
        assert later.result == "Nothing overdue to escalate"
        assert count(Notification) == notifications
        weekend = run("core.escalate_overdue", date(2026, 11, 21))
        assert weekend.result.startswith("Nothing to do: Saturday")


def test_a_manager_who_has_left_passes_the_escalation_up(app, world, allocated):
    allocated("CS-1001", "tm_b")
    with app.app_context():
        db.session.get(User, world.users["sm"]).active = False
        db.session.commit()
        run("core.escalate_overdue", date(2026, 11, 20))
        assert [n.subject for n in messages(world, "hos", "verdue")] == [
            "Overdue audit: CS-1001 by Tom Manager"
        ]
        assert messages(world, "sm") == []


# Drafting next month's selection ---------------------------------------------------------


def test_the_draft_is_made_on_the_first_working_day_only(app, world, mini):
    # May 2027: Saturday 1st, Sunday 2nd, the Early May bank holiday on Monday 3rd.
    with app.app_context():
        early = [run("core.draft_selection", date(2027, 5, day)) for day in (1, 3)]
        assert [(r.period, r.result) for r in early] == [
            ("2027-05-01", "Nothing to do: the next draft is made on 4 May 2027"),
            ("2027-05-03", "Nothing to do: the next draft is made on 4 May 2027"),
        ]
        assert count(MonthlySelection) == 0

        drafted = run("core.draft_selection", date(2027, 5, 4))
        assert drafted.period == "2027-06"
        assert drafted.result.startswith("Drafted June 2027: 0 audits, 0 quotas short")
        selection = db.session.scalar(select(MonthlySelection))
        assert selection.month == date(2027, 6, 1)
        assert not selection.is_confirmed
        [told] = messages(world, "qa_admin")
        assert told.subject == "The draft selection for June 2027 is ready to check and confirm"
        assert told.link == "/schedule/selection/2027-06"

        assert run("core.draft_selection", date(2027, 5, 4)) is None
        after = run("core.draft_selection", date(2027, 5, 5))
        assert after.result == "Nothing to do: the next draft is made on 1 June 2027"
        assert count(MonthlySelection) == 1
        assert len(messages(world, "qa_admin")) == 1


def test_no_draft_when_next_month_has_a_selection_already(app, world, mini):
    with app.app_context():
        db.session.add(
            MonthlySelection(
                month=date(2027, 6, 1), seed=7, draw={"allocations": [], "shortfalls": []}
            )
        )
        db.session.commit()
        result = run("core.draft_selection", date(2027, 5, 4))
        assert result.result == "Nothing to do: June 2027 has a selection already"
        assert db.session.scalar(select(MonthlySelection.seed)) == 7
        assert messages(world, "qa_admin") == []


def test_a_theme_no_case_matches_is_drafted_short_and_the_qa_administrators_told(app, world):
    drawn = replace(MINI, quotas=(Quota("Two by team managers", ("team_manager",), total=2),))
    host = app.extensions["portal.plugins"]
    host.add("mini_audit", mini_module(drawn))
    with app.app_context():
        host.set_enabled("mini_audit", True, actor_id=None)
        db.session.add(
            ThemeMonth(month=date(2027, 6, 1), theme="S.47 enquiries", case_types=["S47"])
        )
        db.session.commit()
        result = run("core.draft_selection", date(2027, 5, 4))
        assert result.succeeded
        assert result.result.startswith("Drafted June 2027: 0 audits, 1 quotas short")
        [shortfall] = db.session.scalar(select(MonthlySelection)).draw["shortfalls"]
        assert shortfall["reason"].startswith("Not enough Section 47 enquiry cases.")
        [told] = messages(world, "qa_admin")
        assert told.subject == "The draft selection for June 2027 is ready to check and confirm"
        assert "0 audits were drawn" in told.body and "1 quotas are short" in told.body
        assert told.link == "/schedule/selection/2027-06"


# Running once ---------------------------------------------------------------------------


@pytest.mark.parametrize("job_id", CORE)
def test_running_a_job_twice_for_the_same_day_creates_nothing_twice(app, world, allocated, job_id):
    monday = date(2027, 2, 1)  # the first working day of February 2027
    due_soon = allocated("CS-1001", "tm_b")
    allocated("CS-1002", "tm_a")  # due 16 November 2026: overdue
    with app.app_context():
        db.session.get(Audit, due_soon).due_on = date(2027, 2, 4)
        db.session.commit()
        first = run(job_id, monday)
        assert first.succeeded and not first.result.startswith("Nothing"), first.result
        counts = [count(model) for model in (Notification, JobRun, ActivityEntry)]
        assert run(job_id, monday) is None
        assert [count(model) for model in (Notification, JobRun, ActivityEntry)] == counts
        assert db.session.scalar(select(func.count()).where(JobRun.job_id == job_id)) == 1


def test_a_failing_job_is_recorded_as_failed_and_not_run_again(app, world, caplog):
    def broken(today: date) -> str:
        db.session.add(Notification(user_id=world.users["qa_admin"], subject="half done"))
        db.session.flush()
        raise RuntimeError("the mail server is on fire")

    job = ScheduledJob("core.broken", "Always fails.", {"hour": 1}, broken)
    with app.app_context():
        failed = run_job(job, date(2027, 1, 4))
        assert failed.succeeded is False
        assert failed.result == "Failed: RuntimeError: the mail server is on fire"
        assert failed.finished_at is not None
        assert count(Notification) == 0  # what the job did is rolled back
        assert run_job(job, date(2027, 1, 4)) is None
        assert count(JobRun) == 1
    assert "job core.broken for 2027-01-04 failed" in caplog.text


# Plugins' jobs ----------------------------------------------------------------------------


def plugin_with_jobs(*jobs: ScheduledJob) -> types.ModuleType:
    """The mini audit plugin, adding *jobs* through the hook."""
    module = mini_module()

    @hookimpl
    def portal_scheduled_jobs():
        return list(jobs)

    module.portal_scheduled_jobs = portal_scheduled_jobs
    return module


def count_audits(today: date) -> str:
    """A plugin's job: tell the QA administrators how many audits there are."""
    audits = db.session.scalar(select(func.count(Audit.id)))
    notify(qa_administrators(), f"{audits} audits on {today:%-d %B}")
    return f"{audits} audits"


def test_hook_portal_scheduled_jobs_adds_an_enabled_plugins_job_that_runs(app, world):
    job = ScheduledJob(
        "mini_audit.count",
        "Count the audits.",
        {"day_of_week": "mon", "hour": 8, "minute": 0},
        count_audits,
        period=lambda today: f"{today:%G-W%V}",
    )
    host = app.extensions["portal.plugins"]
    plugin = host.add("mini_audit", plugin_with_jobs(job))
    assert "portal_scheduled_jobs" in plugin.hooks
    with app.app_context():
        assert [j.id for j in all_jobs()] == CORE  # installed, not enabled
        assert find_job("mini_audit.count") is None
        assert [j.id for j in all_jobs(enabled_only=False)] == [*CORE, "mini_audit.count"]
        host.set_enabled("mini_audit", True, actor_id=None)
        db.session.commit()
    with app.app_context():
        assert [j.id for j in all_jobs()] == [*CORE, "mini_audit.count"]
        done = run_job(find_job("mini_audit.count"), date(2027, 1, 4))
        assert (done.period, done.result, done.succeeded) == ("2027-W01", "0 audits", True)
        assert [n.subject for n in messages(world, "qa_admin")] == ["0 audits on 4 January"]
        assert run_job(find_job("mini_audit.count"), date(2027, 1, 6)) is None  # same week


@pytest.mark.parametrize("bad_id", ["count", "other.count", "mini_audit.", "mini_auditcount"])
def test_a_plugin_job_without_the_plugins_key_is_refused(app, bad_id):
    job = ScheduledJob(bad_id, "Bad.", {"hour": 1}, count_audits)
    app.extensions["portal.plugins"].add("mini_audit", plugin_with_jobs(job))
    with app.app_context(), pytest.raises(PluginError) as refused:
        all_jobs(enabled_only=False)
    assert "plugin 'mini_audit'" in str(refused.value)
    assert "must start with 'mini_audit.'" in str(refused.value)


def test_a_plugin_hook_that_returns_something_else_is_refused(app):
    app.extensions["portal.plugins"].add("mini_audit", plugin_with_jobs({"id": "mini_audit.x"}))
    with app.app_context(), pytest.raises(PluginError, match="returned dict, not ScheduledJob"):
        all_jobs(enabled_only=False)


# Command line ---------------------------------------------------------------------------


def test_the_command_line_runs_a_job_once_and_lists_the_last_run(app, world, allocated, runner):
    allocated("CS-1001", "tm_b")
    ran = runner.invoke(args=["jobs", "run", "core.escalate_overdue", "--date", "2026-11-20"])
    assert ran.exit_code == 0, ran.output
    assert ran.output == (
        "core.escalate_overdue for 2026-11-20: Escalated 1 audits and 0 actions: 2 notifications\n"
    )
    again = runner.invoke(args=["jobs", "run", "core.escalate_overdue", "--date", "2026-11-20"])
    assert again.exit_code == 0
    assert again.output == "core.escalate_overdue: already run for 2026-11-20\n"

    listed = runner.invoke(args=["jobs", "list"])
    assert listed.exit_code == 0, listed.output
    assert "core.escalate_overdue  Every day at 07:15 (UK time)" in listed.output
    assert "last run: 2026-11-20, " in listed.output
    assert "result: Escalated 1 audits and 0 actions: 2 notifications" in listed.output
    assert "next run: not scheduled" in listed.output


def test_the_command_line_refuses_an_unknown_job_or_date(runner):
    unknown = runner.invoke(args=["jobs", "run", "core.nothing"])
    assert unknown.exit_code != 0
    assert "There is no job 'core.nothing'. The jobs are: core.draft_selection" in unknown.output
    bad_date = runner.invoke(args=["jobs", "run", "core.remind_due_soon", "--date", "20/11/2026"])
    assert bad_date.exit_code != 0
    assert "Invalid value for '--date'" in bad_date.output


# The administrators' page -------------------------------------------------------------------


def test_the_jobs_page_is_for_administrators_only(client, login_as):
    login_as("qa_admin")
    assert client.get("/admin/jobs").status_code == 403
    assert client.post_form("/admin/jobs/core.remind_due_soon/run").status_code == 403


def test_the_jobs_page_lists_every_job_and_runs_one_now_once(app, client, login_as):
    login_as("admin")
    assert "/admin/jobs" in client.get("/admin/").get_data(as_text=True)
    page = client.get("/admin/jobs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for job_id in CORE:
        assert f"<code>{job_id}</code>" in html
    assert "Every day at 07:15" in html
    assert len(re.findall(r"<td [^>]*>\s*Not scheduled\s*</td>", html)) == len(CORE)
    assert len(re.findall(r"<td [^>]*>\s*Never\s*</td>", html)) == len(CORE)

    with app.app_context():
        period = find_job("core.escalate_overdue").period(today_london())
    first = client.post_form("/admin/jobs/core.escalate_overdue/run", follow_redirects=True)
    text = first.get_data(as_text=True)
    assert f"core.escalate_overdue ran for {period}:" in text
    assert "Succeeded" in text
    second = client.post_form("/admin/jobs/core.escalate_overdue/run", follow_redirects=True)
    assert f"core.escalate_overdue has already run for {period}: nothing was done." in (
        second.get_data(as_text=True)
    )
    with app.app_context():
        assert count(JobRun) == 1
    assert client.post_form("/admin/jobs/core.nothing/run").status_code == 404


@pytest.mark.browser
def test_an_administrator_runs_a_job_from_the_jobs_page(page, live_server, sign_in, axe_check):
    sign_in("admin")
    page.get_by_role("navigation", name="Main menu").get_by_role(
        "link", name="Administration"
    ).click()
    axe_check()
    page.get_by_role("link", name="Background jobs").click()
    axe_check()
    row = page.locator("#job-core-remind_due_soon")
    expect(row.get_by_role("cell", name="Never", exact=True)).to_be_visible()
    row.get_by_role("button", name="Run now core.remind_due_soon").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "core.remind_due_soon ran for"
    )
    expect(page.locator("#job-core-remind_due_soon")).to_contain_text("Succeeded")
    axe_check("the jobs page after a run")
    page.locator("#job-core-remind_due_soon").get_by_role("button").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("has already run for")
    axe_check("the jobs page after a second run")
