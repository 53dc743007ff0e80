"""The background jobs page: each job's schedule, next run and last run, and "Run now"."""

from datetime import datetime

from flask import abort, flash, redirect, render_template, url_for

from portal.admin import bp
from portal.models import Role
from portal.permissions import roles_required
from portal.scheduling.jobs import all_jobs, find_job, last_runs, run_job, schedule_in_words
from portal.scheduling.scheduler import next_run_times, today_london
from portal.timeutil import LONDON


@bp.route("/jobs")
@roles_required(Role.ADMIN)
def jobs():
    """Every job of the core and of the enabled plugins, with its scheduler state."""
    runs = last_runs()
    scheduled = next_run_times()
    rows = [
        {
            "job": job,
            "schedule": schedule_in_words(job.cron),
            "scheduled": job.id in scheduled,
            "next_run": _in_london(scheduled.get(job.id)),
            "last_run": runs.get(job.id),
        }
        for job in all_jobs()
    ]
    return render_template("admin/jobs.html", title="Background jobs", rows=rows)


def _in_london(moment: datetime | None) -> datetime | None:
    return None if moment is None else moment.astimezone(LONDON)


@bp.post("/jobs/<job_id>/run")
@roles_required(Role.ADMIN)
def run_job_now(job_id: str):
    """Run one job now for today; a job that has run for today's period runs no more."""
    job = find_job(job_id)
    if job is None:
        abort(404)
    today = today_london()
    run = run_job(job, today)
    if run is None:
        flash(f"{job.id} has already run for {job.period(today)}: nothing was done.", "info")
    elif run.succeeded:
        flash(f"{job.id} ran for {run.period}: {run.result}", "success")
    else:
        flash(f"{job.id} failed for {run.period}: {run.result}", "error")
    return redirect(url_for("admin.jobs"))
