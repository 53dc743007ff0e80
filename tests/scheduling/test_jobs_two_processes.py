"""Two processes run the same job for the same day at once: it runs once.

The processes are real ``flask --app portal jobs run`` commands on the test database, as
two schedulers (or a scheduler and an administrator) would run them.
"""

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Action, ActionStatus, Audit, JobRun, Notification

ROOT = Path(__file__).resolve().parents[2]
FLASK = Path(sys.executable).with_name("flask")
DAY = "2026-11-20"  # a Friday: the audits allocated on 2 November were due on the 16th


def test_two_processes_running_the_escalation_at_once_escalate_once(app, world, allocated):
    audits = [allocated("CS-1001", "tm_b"), allocated("CS-1002", "tm_a", "eh_m")]
    with app.app_context():
        db.session.add(
            Action(
                audit_id=audits[0],
                description="Update the chronology",
                owner_id=world.users["sw_b"],
                due_on=date(2026, 11, 13),
                status=ActionStatus.OPEN.value,
            )
        )
        db.session.commit()
        before = db.session.scalar(select(func.count(Notification.id)))
        url = app.config["SQLALCHEMY_DATABASE_URI"]
        db.engine.dispose()

    environment = {
        **{k: v for k, v in os.environ.items() if k != "SCHEDULER_IN_PROCESS"},
        "DATABASE_URL": url,
        "SECRET_KEY": "test",
    }
    command = [str(FLASK), "--app", "portal", "jobs", "run", "core.escalate_overdue"]
    processes = [
        subprocess.Popen(
            [*command, "--date", DAY],
            cwd=ROOT,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = []
    for process in processes:
        stdout, stderr = process.communicate(timeout=120)
        assert process.returncode == 0, stderr
        outputs.append(stdout.strip())

    # three auditors and their line managers; the action's owner and his line manager
    assert sorted(outputs) == [
        "core.escalate_overdue for 2026-11-20: Escalated 2 audits and 1 actions: 8 notifications",
        "core.escalate_overdue: already run for 2026-11-20",
    ]
    with app.app_context():
        runs = db.session.scalars(select(JobRun)).all()
        assert [(run.job_id, run.period, run.succeeded) for run in runs] == [
            ("core.escalate_overdue", DAY, True)
        ]
        assert db.session.scalar(select(func.count(Notification.id))) - before == 8
        told = db.session.execute(
            select(Notification.user_id, Notification.subject).where(
                Notification.subject.contains("verdue")
            )
        ).all()
        assert len(told) == len(set(told)) == 8
        assert all(db.session.get(Audit, audit_id).escalated_at for audit_id in audits)
