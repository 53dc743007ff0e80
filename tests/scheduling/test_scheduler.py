"""The APScheduler side: the persistent job store, ``fire``, restarts, the in-process
switch, and keeping the job store's table out of the migrations."""

import logging.config
import shutil
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import flask_migrate
import pytest
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from sqlalchemy import func, select

from portal import _runs_scheduler_in_process
from portal.extensions import db
from portal.models import JobRun
from portal.scheduling import scheduler as scheduling
from portal.scheduling.jobs import find_job
from portal.scheduling.scheduler import (
    FIRE,
    build_scheduler,
    fire,
    include_object,
    next_run_times,
    today_london,
)
from portal.timeutil import LONDON

ROOT = Path(__file__).resolve().parents[2]
CORE = {
    "core.draft_selection": (6, 0),
    "core.remind_due_soon": (7, 0),
    "core.escalate_overdue": (7, 15),
    "core.prune_access_log": (2, 30),
    "core.snapshot_report": (5, 30),
}


@pytest.fixture
def started(app, monkeypatch):
    """Build and start schedulers (paused: nothing fires) on the test database; each is
    shut down, and its threads gone, at the end of the test."""
    monkeypatch.setattr(scheduling, "_app", None)
    schedulers = []

    def start():
        scheduler = build_scheduler(app)
        scheduler.start(paused=True)
        schedulers.append(scheduler)
        return scheduler

    yield start
    for scheduler in schedulers:
        if scheduler.running:
            scheduler.shutdown()
    assert not [t for t in threading.enumerate() if t.name.startswith("APScheduler")]


def test_every_job_is_in_the_job_store_with_its_next_run_time(app, started):
    scheduler = started()
    now = datetime.now(UTC)
    with app.app_context():
        stored = next_run_times()
    assert set(stored) == set(CORE)
    for job_id, (hour, minute) in CORE.items():
        at = stored[job_id].astimezone(LONDON)
        assert now < stored[job_id] <= now + timedelta(days=1)
        assert (at.hour, at.minute) == (hour, minute)
        job = scheduler.get_job(job_id)
        assert (job.func_ref, job.args) == (FIRE, (job_id,))
        assert job.coalesce is True
        assert job.misfire_grace_time == 3600
    scheduler.shutdown()


def test_fire_runs_the_job_in_the_schedulers_app(app, started, world, caplog):
    started().shutdown()  # build_scheduler remembers the app; fire needs no app context
    fire("core.escalate_overdue")
    fire("core.escalate_overdue")
    fire("gone.job")
    with app.app_context():
        period = find_job("core.escalate_overdue").period(today_london())
        runs = db.session.execute(select(JobRun.job_id, JobRun.period, JobRun.succeeded)).all()
    assert runs == [("core.escalate_overdue", period, True)]
    assert "job gone.job is not defined or its plugin is disabled: skipped" in caplog.text


def test_a_due_job_runs_in_the_schedulers_thread(app, started, world):
    scheduler = started()
    scheduler.modify_job("core.escalate_overdue", next_run_time=datetime.now(LONDON))
    scheduler.resume()
    with app.app_context():
        for _ in range(100):
            runs = db.session.scalars(select(JobRun)).all()
            if runs and runs[0].finished_at:
                break
            db.session.rollback()
            time.sleep(0.05)
        assert [(run.job_id, run.succeeded) for run in runs] == [("core.escalate_overdue", True)]
    scheduler.remove_all_jobs()
    scheduler.shutdown()


def test_fire_needs_a_scheduler_built_in_this_process(monkeypatch):
    monkeypatch.setattr(scheduling, "_app", None)
    with pytest.raises(RuntimeError, match="build_scheduler"):
        fire("core.escalate_overdue")


def test_a_restart_keeps_a_missed_run_and_drops_jobs_no_longer_defined(app, started):
    first = started()
    first.add_job(FIRE, "cron", hour=3, args=["gone.job"], id="gone.job")
    first.shutdown()
    # The scheduler was down when the reminders were due, half an hour ago.
    missed = datetime.now(LONDON).replace(microsecond=0) - timedelta(minutes=30)
    store = SQLAlchemyJobStore(url=app.config["SQLALCHEMY_DATABASE_URI"])
    job = store.lookup_job("core.remind_due_soon")
    job.next_run_time = missed
    store.update_job(job)
    store.shutdown()

    again = started()
    with app.app_context():
        stored = next_run_times()
    assert set(stored) == set(CORE)
    assert stored["core.remind_due_soon"] == missed  # made up at once (within the grace time)
    assert stored["core.escalate_overdue"] > datetime.now(UTC)
    again.remove_all_jobs()  # nothing due while it shuts down (it would try to submit it)
    again.shutdown()


def test_the_scheduler_runs_in_process_only_when_asked_and_not_in_the_reloaders_parent(
    app, monkeypatch
):
    monkeypatch.delenv("WERKZEUG_RUN_MAIN", raising=False)
    assert not _runs_scheduler_in_process(app)  # off by default
    app.config["SCHEDULER_IN_PROCESS"] = True
    assert not _runs_scheduler_in_process(app)  # never under test
    app.testing = False
    assert _runs_scheduler_in_process(app)  # flask run, gunicorn
    app.debug = True
    assert not _runs_scheduler_in_process(app)  # the reloader's watching parent
    monkeypatch.setenv("WERKZEUG_RUN_MAIN", "true")
    assert _runs_scheduler_in_process(app)  # the reloader's serving child


def test_migrations_leave_the_job_store_table_alone(app, started, tmp_path, monkeypatch):
    started().shutdown()  # the job store's table now exists in the test database
    # env.py applies alembic.ini's logging setup, which would disable the portal's loggers
    # for the rest of the test run
    monkeypatch.setattr(logging.config, "fileConfig", lambda *args, **kwargs: None)
    assert not include_object(None, "apscheduler_jobs", "table", True, None)
    assert include_object(None, "job_runs", "table", False, None)
    migrations = tmp_path / "migrations"
    shutil.copytree(ROOT / "migrations", migrations, ignore=shutil.ignore_patterns("__pycache__"))
    before = set((migrations / "versions").iterdir())
    with app.app_context():
        flask_migrate.migrate(directory=str(migrations), message="check")
        db.engine.dispose()
    proposed = "".join(
        path.read_text() for path in set((migrations / "versions").iterdir()) - before
    )
    assert "apscheduler_jobs" not in proposed


def test_the_jobs_page_shows_the_next_run_from_the_job_store(app, client, login_as, started):
    started().shutdown()
    with app.app_context():
        next_run = next_run_times()["core.escalate_overdue"].astimezone(LONDON)
        assert db.session.scalar(select(func.count(JobRun.id))) == 0
    login_as("admin")
    html = client.get("/admin/jobs").get_data(as_text=True)
    assert "Not scheduled" not in html.split("<tbody", 1)[1]
    assert f'<time datetime="{next_run.isoformat()}">' in html
