"""``flask --app portal jobs list|run`` and ``flask --app portal scheduler``."""

import logging
import signal
import threading
from datetime import datetime

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from portal.scheduling.jobs import all_jobs, find_job, last_runs, run_job, schedule_in_words
from portal.scheduling.scheduler import (
    next_run_times,
    start_scheduler,
    stop_scheduler,
    today_london,
)
from portal.timeutil import LONDON, to_london

jobs_group = AppGroup("jobs", help="The background jobs: list them, or run one now.")


def _when(moment: datetime | None) -> str:
    return "-" if moment is None else f"{moment.astimezone(LONDON):%Y-%m-%d %H:%M}"


@jobs_group.command("list")
def list_jobs() -> None:
    """Print each job: id, schedule (UK time), next run, and its last run with the result."""
    runs = last_runs()
    scheduled = next_run_times()
    for job in all_jobs():
        click.echo(f"{job.id}  {schedule_in_words(job.cron)} (UK time)")
        next_run = _when(scheduled[job.id]) if job.id in scheduled else "not scheduled"
        click.echo(f"    next run: {next_run}")
        run = runs.get(job.id)
        if run is None:
            click.echo("    last run: never")
        else:
            outcome = {True: "succeeded", False: "FAILED", None: "running"}[run.succeeded]
            started = to_london(run.started_at)
            click.echo(f"    last run: {run.period}, {started:%Y-%m-%d %H:%M}, {outcome}")
            click.echo(f"    result: {run.result}")


@jobs_group.command("run")
@click.argument("job_id")
@click.option(
    "--date",
    "day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="The day to run it for, as YYYY-MM-DD (default: today in the UK).",
)
def run_one(job_id: str, day: datetime | None) -> None:
    """Run the job JOB_ID once for the day, unless it has run for that period already."""
    job = find_job(job_id)
    if job is None:
        known = ", ".join(job.id for job in all_jobs())
        raise click.ClickException(f"There is no job {job_id!r}. The jobs are: {known}.")
    today = day.date() if day else today_london()
    run = run_job(job, today)
    if run is None:
        click.echo(f"{job.id}: already run for {job.period(today)}")
    elif not run.succeeded:
        raise click.ClickException(f"{job.id} for {run.period}: {run.result}")
    else:
        click.echo(f"{job.id} for {run.period}: {run.result}")


@click.command("scheduler")
@with_appcontext
def scheduler_command() -> None:
    """Run the background jobs on their schedule until stopped (Ctrl+C or SIGTERM).

    Run one such process beside the web workers. It logs each run at INFO level.
    """
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    app = current_app._get_current_object()
    scheduler = start_scheduler(app)
    stopped = threading.Event()
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, lambda *_: stopped.set())
    for job in sorted(scheduler.get_jobs(), key=lambda job: job.id):
        click.echo(f"{job.id}: next run {_when(job.next_run_time)}")
    click.echo("Scheduler running; stop it with Ctrl+C or SIGTERM.")
    stopped.wait()
    click.echo("Stopping: waiting for any running job to finish.")
    stop_scheduler()
