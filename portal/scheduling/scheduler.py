"""The APScheduler side of the background jobs: a persistent job store, and the function
each stored job calls.

The job store (table ``apscheduler_jobs``, created by APScheduler itself, not by the
migrations) keeps each job's next run time, so a run missed while no scheduler was
running is made up when one starts again (within ``MISFIRE_GRACE_SECONDS``). Whether a job
runs at all for a period is decided by :func:`portal.scheduling.jobs.run_job`, so any
number of schedulers may share the store.
"""

from __future__ import annotations

import atexit
from datetime import UTC, datetime

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from flask import Flask
from sqlalchemy import Column, Float, MetaData, String, Table, inspect, select

from portal.extensions import db
from portal.scheduling.jobs import all_jobs, find_job, run_job
from portal.timeutil import LONDON, today_london

JOBSTORE_TABLE = "apscheduler_jobs"
MISFIRE_GRACE_SECONDS = 3600
FIRE = "portal.scheduling.scheduler:fire"

#: The application the scheduler of this process was built with; ``fire`` runs in it.
_app: Flask | None = None
#: The scheduler started in this process by :func:`start_scheduler`, if any.
_running: BackgroundScheduler | None = None

# Only the two columns the pages read; APScheduler owns the table.
_jobstore_rows = Table(
    JOBSTORE_TABLE,
    MetaData(),
    Column("id", String(191), primary_key=True),
    Column("next_run_time", Float),
)


def trigger_for(cron: dict[str, int | str]) -> CronTrigger:
    """The CronTrigger of a job's *cron* fields, in UK time."""
    return CronTrigger(timezone=LONDON, **cron)


def _stored_jobs(store: SQLAlchemyJobStore) -> dict:
    """The jobs already in the store, by id (none before the table exists)."""
    if not inspect(store.engine).has_table(JOBSTORE_TABLE):
        return {}
    return {job.id: job for job in store.get_all_jobs()}


def build_scheduler(app: Flask) -> BackgroundScheduler:
    """A scheduler (not started) holding every job, with the database as its job store.

    Each job is stored under its fixed id and replaces the stored copy, keeping the stored
    next run time when the schedule is unchanged (so a run missed during a restart is
    made up); jobs no longer defined are removed from the store. Plugin jobs are those of
    every installed plugin: ``fire`` skips a disabled plugin's job when it comes due.
    """
    global _app
    _app = app
    store = SQLAlchemyJobStore(url=app.config["SQLALCHEMY_DATABASE_URI"], tablename=JOBSTORE_TABLE)
    scheduler = BackgroundScheduler(jobstores={"default": store}, timezone=LONDON)
    with app.app_context():
        jobs = all_jobs(enabled_only=False)
    stored = _stored_jobs(store)
    for job in jobs:
        trigger = trigger_for(job.cron)
        kept = {}
        previous = stored.pop(job.id, None)
        if previous is not None and str(previous.trigger) == str(trigger):
            kept["next_run_time"] = previous.next_run_time
        scheduler.add_job(
            FIRE,
            trigger=trigger,
            args=[job.id],
            id=job.id,
            name=job.description,
            replace_existing=True,
            coalesce=True,
            misfire_grace_time=MISFIRE_GRACE_SECONDS,
            **kept,
        )
    for job_id in stored:
        store.remove_job(job_id)
    return scheduler


def start_scheduler(app: Flask) -> BackgroundScheduler:
    """Build and start the scheduler of this process, once; later calls return it."""
    global _running
    if _running is None or not _running.running:
        _running = build_scheduler(app)
        _running.start()
        atexit.register(stop_scheduler)
        scheduled = ", ".join(sorted(job.id for job in _running.get_jobs()))
        app.logger.info("background jobs scheduled: %s", scheduled)
    return _running


def stop_scheduler() -> None:
    """Stop this process's scheduler, if it runs, letting a job that is running finish."""
    if _running is not None and _running.running:
        _running.shutdown()


def fire(job_id: str) -> None:
    """Run the job *job_id* for today, in the scheduler's application (the job store's
    entry point). Does nothing when the job is unknown or its plugin is disabled."""
    if _app is None:
        raise RuntimeError("build_scheduler(app) has not been called in this process")
    with _app.app_context():
        job = find_job(job_id)
        if job is None:
            _app.logger.warning("job %s is not defined or its plugin is disabled: skipped", job_id)
            return
        today = today_london()
        run = run_job(job, today)
        if run is None:
            _app.logger.info("job %s has already run for %s", job_id, job.period(today))
        else:
            _app.logger.info("job %s for %s: %s", job_id, run.period, run.result)


def next_run_times() -> dict[str, datetime | None]:
    """Each stored job's next run time (UTC, aware; None when paused), read from the job
    store's table in the current application's database; empty when no scheduler has
    ever started."""
    if not inspect(db.engine).has_table(JOBSTORE_TABLE):
        return {}
    rows = db.session.execute(select(_jobstore_rows.c.id, _jobstore_rows.c.next_run_time))
    return {
        job_id: None if stamp is None else datetime.fromtimestamp(stamp, UTC)
        for job_id, stamp in rows
    }


def include_object(object_, name, type_, reflected, compare_to) -> bool:
    """Alembic's filter: leave the job store's table (APScheduler's own) out of migrations."""
    return not (type_ == "table" and name == JOBSTORE_TABLE)
