"""A closed month's learning report is built once and stored; the current month's is
provisional, reused for a few minutes; the QA lead, the job and the command line store
and rebuild them."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select, update

from portal.extensions import db
from portal.models import ActivityEntry, Audit, Case, JobRun, ReportSnapshot
from portal.reports.monthly import build_monthly_report
from portal.scheduling.jobs import find_job, run_job
from portal.timeutil import utcnow
from tests.reports.conftest import OCTOBER

URL = "/reports/monthly?month=2026-10"
JSON_URL = "/reports/monthly.json?month=2026-10"


def stored(app, month: date = OCTOBER) -> ReportSnapshot | None:
    """The stored snapshot of *month* (its columns loaded), or None."""
    with app.app_context():
        snapshot = db.session.scalar(select(ReportSnapshot).where(ReportSnapshot.month == month))
        if snapshot is not None:
            _ = (snapshot.pdf_full, snapshot.pdf_anonymised)
            db.session.expunge(snapshot)
        return snapshot


def live(app) -> dict:
    """October's report as it would be built now, from the tables."""
    with app.app_context():
        return build_monthly_report(OCTOBER, date.today())


def test_a_closed_month_is_stored_on_its_first_request_and_says_when(app, october, login_as):
    assert stored(app) is None
    html = login_as("qa_lead").get(URL).get_data(as_text=True)
    snapshot = stored(app)
    assert snapshot is not None and not snapshot.provisional
    assert snapshot.data["grade_distribution"]["outstanding"] == 1
    assert f"This report was built on {date.today():%-d %B %Y}." in html
    assert "Provisional" not in html


def test_a_disabled_plugin_keeps_its_section_in_a_closed_months_report(
    app, october, login_as, enable_plugins
):
    enable_plugins()
    client = login_as("qa_lead")
    assert "case file audits</h2>" in client.get(URL).get_data(as_text=True)
    with app.app_context():
        app.extensions["portal.plugins"].set_enabled("csc_audit", False, actor_id=None)
        db.session.commit()
    assert "csc_audit" not in live(app)["sections"]  # built now, it would be gone
    assert "case file audits</h2>" in client.get(URL).get_data(as_text=True)
    assert "csc_audit" in json.loads(client.get(JSON_URL).data)["sections"]


def test_disabling_a_plugin_first_stores_the_past_reports_not_stored_yet(
    app, client, october, login_as, enable_plugins
):
    enable_plugins()
    assert stored(app) is None  # nobody has opened October's report
    login_as("admin")
    question = client.get("/admin/plugins/csc_audit/disable").get_data(as_text=True)
    # its audits were submitted in five closed months: Oct and Nov 2025, Sep to Nov 2026
    assert "the reports of 5 past months not stored yet are stored first" in question
    response = client.post_form(
        "/admin/plugins/csc_audit", {"enabled": "false", "confirmed": "yes"}
    )
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "The reports of 5 past months were stored first, with its section." in page
    snapshot = stored(app)
    assert "csc_audit" in [section["key"] for section in snapshot.data["plugin_sections"]]
    client.post_form("/logout")
    assert "case file audits</h2>" in login_as("qa_lead").get(URL).get_data(as_text=True)
    with app.app_context():
        stored_months = db.session.scalars(
            select(ReportSnapshot.month).order_by(ReportSnapshot.month)
        ).all()
        assert [f"{month:%Y-%m}" for month in stored_months] == [
            "2025-10",
            "2025-11",
            "2026-09",
            "2026-10",
            "2026-11",
        ]
        assert db.session.scalar(
            select(ActivityEntry.summary).where(ActivityEntry.object_id == "monthly-2026-10")
        ) == (
            "Stored the monthly learning report of October 2026 before Children's Social "
            "Care case file audit was disabled, so that it keeps its section"
        )


def test_disabling_from_the_command_line_stores_them_too(app, october, enable_plugins):
    enable_plugins()
    runner = app.test_cli_runner()
    asked = runner.invoke(args=["plugins", "disable", "csc_audit"], input="n\n")
    assert "(5 past months not stored yet will be stored first)" in asked.output
    assert stored(app) is None  # declined: nothing stored, still enabled
    result = runner.invoke(args=["plugins", "disable", "csc_audit", "--yes"])
    assert "Stored the reports of 5 past months first" in result.output
    assert "csc_audit" in [section["key"] for section in stored(app).data["plugin_sections"]]


def test_a_case_that_changes_team_leaves_a_closed_months_report_as_it_was(
    app, world, october, login_as
):
    client = login_as("qa_lead")
    before = json.loads(client.get(JSON_URL).data)["audits_completed"]
    assert before == {
        "Children's Social Care": 3,
        "Early Help": 1,
        "Multi-Agency Safeguarding Hub": 0,
    }
    with app.app_context():
        db.session.get(Case, world.cases["CS-1001"]).team_id = world.teams["Early Help North"]
        db.session.commit()
    assert live(app)["audits_completed"]["Early Help"] == 2
    assert json.loads(client.get(JSON_URL).data)["audits_completed"] == before
    csv = client.get("/reports/monthly.csv?month=2026-10").data.decode("utf-8-sig")
    assert 'Audits completed,"Audits completed in October 2026, by service",Early Help,1' in csv


def test_a_re_moderated_audit_leaves_a_closed_months_report_as_it_was(app, october, login_as):
    client = login_as("hos")
    client.get(URL)
    with app.app_context():
        db.session.get(Audit, october["moderated"]).record_grade = "good"
        db.session.commit()
    assert live(app)["grade_distribution"]["requires_improvement"] == 0
    grades = json.loads(client.get(JSON_URL).data)["grade_distribution"]
    assert grades["requires_improvement"] == 1 and grades["good"] == 1


def test_the_pdf_is_rendered_once_then_served_as_stored(app, october, login_as):
    client = login_as("qa_lead")
    first = client.get("/reports/monthly.pdf?month=2026-10")
    assert first.data.startswith(b"%PDF")
    assert stored(app).pdf_full == first.data
    with app.app_context():  # what is stored is what is sent: nothing is rendered again
        db.session.execute(update(ReportSnapshot).values(pdf_full=b"%PDF-stored"))
        db.session.commit()
    assert client.get("/reports/monthly.pdf?month=2026-10").data == b"%PDF-stored"


def test_the_current_month_is_provisional_and_reused_for_the_configured_minutes(
    app, world, build, login_as
):
    today = date.today()
    url = f"/reports/monthly.json?month={today:%Y-%m}"
    client = login_as("qa_lead")
    build.audit("CS-1001", datetime.combine(today.replace(day=1), datetime.min.time()), "good")
    first = json.loads(client.get(url).data)
    assert first["snapshot"]["provisional"] is True
    assert first["grade_distribution"]["good"] == 1
    html = client.get(f"/reports/monthly?month={today:%Y-%m}").get_data(as_text=True)
    assert "Provisional: figures as at " in html
    assert f"refreshed every {app.config['REPORT_LIVE_MINUTES']} minutes" in html
    build.audit("CS-1002", datetime.combine(today.replace(day=1), datetime.min.time()), "good")
    assert json.loads(client.get(url).data)["grade_distribution"]["good"] == 1  # reused
    with app.app_context():
        older = utcnow() - timedelta(minutes=app.config["REPORT_LIVE_MINUTES"] + 1)
        db.session.execute(update(ReportSnapshot).values(built_at=older))
        db.session.commit()
    assert json.loads(client.get(url).data)["grade_distribution"]["good"] == 2  # built again


def test_a_provisional_build_is_replaced_once_its_month_is_over(app, world, build, login_as):
    with app.app_context():
        db.session.add(ReportSnapshot(month=OCTOBER, provisional=True, data={"stale": True}))
        db.session.commit()
    build.audit("CS-1001", datetime(2026, 10, 3, 10), "outstanding")
    report = json.loads(login_as("qa_lead").get(JSON_URL).data)
    assert report["snapshot"]["provisional"] is False
    assert report["grade_distribution"]["outstanding"] == 1


def test_the_qa_lead_rebuilds_a_closed_month_with_a_reason(app, october, login_as):
    client = login_as("qa_lead")
    page = client.get(URL).get_data(as_text=True)
    assert 'action="/reports/monthly/2026-10/rebuild"' in page
    built_at = stored(app).built_at
    with app.app_context():
        db.session.get(Audit, october["moderated"]).record_grade = "good"
        db.session.commit()

    refused = client.post_form("/reports/monthly/2026-10/rebuild", {"reason": "  "})
    assert refused.status_code == 400
    html = refused.get_data(as_text=True)
    assert "govuk-error-summary" in html and 'href="#reason"' in html
    assert "Enter the reason for rebuilding the report" in html
    assert stored(app).built_at == built_at

    reason = "The re-moderation of CS-1002 was agreed at the meeting."
    done = client.post_form("/reports/monthly/2026-10/rebuild", {"reason": reason})
    assert done.status_code == 302
    snapshot = stored(app)
    note = f"Rebuilt on {date.today():%-d %B %Y} by Quinn Lead: {reason}"
    assert snapshot.note == note
    assert snapshot.data["grade_distribution"]["requires_improvement"] == 0
    assert snapshot.pdf_full and snapshot.pdf_anonymised  # both rendered at once
    assert note in client.get(URL).get_data(as_text=True)
    assert json.loads(client.get(JSON_URL).data)["snapshot"]["note"] == note
    with app.app_context():
        entries = db.session.scalars(
            select(ActivityEntry).where(ActivityEntry.verb == "rebuilt")
        ).all()
    assert [(e.object_id, e.summary) for e in entries] == [("monthly-2026-10", note)]


def test_a_rebuild_needs_the_csrf_token(app, october, login_as):
    client = login_as("qa_lead")
    client.get(URL)
    response = client.post("/reports/monthly/2026-10/rebuild", data={"reason": "Because"})
    assert response.status_code == 400
    assert stored(app).note == ""


@pytest.mark.parametrize("who", ["hos", "sm", "qa_admin", "sgu"])
def test_only_the_qa_lead_rebuilds(app, october, login_as, who):
    client = login_as(who)
    assert "/rebuild" not in client.get(URL).get_data(as_text=True)
    response = client.post_form("/reports/monthly/2026-10/rebuild", {"reason": "Because"})
    assert response.status_code == 403


def test_the_current_month_cannot_be_rebuilt(app, world, login_as):
    client = login_as("qa_lead")
    month = f"{date.today():%Y-%m}"
    assert "/rebuild" not in client.get(f"/reports/monthly?month={month}").get_data(as_text=True)
    response = client.post_form(f"/reports/monthly/{month}/rebuild", {"reason": "Because"})
    assert response.status_code == 404


def test_the_job_stores_last_month_on_the_first_working_day(app, october):
    with app.app_context():
        job = find_job("core.snapshot_report")
        assert job.period(date(2026, 11, 2)) == "2026-10"  # Monday 2 November
        quiet = run_job(job, date(2026, 11, 3))
        assert quiet.result == "Nothing to do: the next report is stored on 1 December 2026"
        ran = run_job(job, date(2026, 11, 2))
        assert ran.succeeded, ran.result
        assert ran.result == "Stored the learning report of October 2026, with its PDFs"
        assert run_job(job, date(2026, 11, 2)) is None  # once for the month
        assert db.session.scalar(select(JobRun.period).where(JobRun.id == ran.id)) == "2026-10"
    snapshot = stored(app)
    assert snapshot.built_by_id is None and not snapshot.provisional
    assert snapshot.pdf_full.startswith(b"%PDF") and snapshot.pdf_anonymised.startswith(b"%PDF")


def test_the_job_is_listed_on_the_command_line(app, world, runner):
    listed = runner.invoke(args=["jobs", "list"])
    assert "core.snapshot_report  Every day at 05:30 (UK time)" in listed.output


def test_the_command_line_stores_and_rebuilds_a_closed_month(app, october, runner):
    first = runner.invoke(args=["report", "snapshot", "--month", "2026-10"])
    assert first.exit_code == 0, first.output
    assert "Stored the learning report of October 2026." in first.output
    again = runner.invoke(args=["report", "snapshot", "--month", "2026-10"])
    assert "was stored already" in again.output and "--rebuild" in again.output
    bare = runner.invoke(args=["report", "snapshot", "--month", "2026-10", "--rebuild"])
    assert bare.exit_code != 0 and "reason" in bare.output
    rebuilt = runner.invoke(
        args=["report", "snapshot", "--month", "2026-10", "--rebuild", "--reason", "Late audit"]
    )
    assert rebuilt.exit_code == 0, rebuilt.output
    note = f"Rebuilt on {date.today():%-d %B %Y} from the command line: Late audit"
    assert stored(app).note == note
    current = runner.invoke(args=["report", "snapshot", "--month", f"{date.today():%Y-%m}"])
    assert current.exit_code != 0 and "is not over yet" in current.output


def test_the_command_lines_export_is_the_stored_report(app, october, runner, tmp_path):
    runner.invoke(args=["report", "snapshot", "--month", "2026-10"])
    with app.app_context():
        db.session.get(Audit, october["moderated"]).record_grade = "good"
        db.session.commit()
    output = tmp_path / "report.json"
    args = ["report", "monthly", "--month", "2026-10", "--format", "json", "--output"]
    assert runner.invoke(args=[*args, str(output)]).exit_code == 0
    assert json.loads(output.read_bytes())["grade_distribution"]["requires_improvement"] == 1
