"""Background jobs: what each does for one day, and running each once per period.

A job is a :class:`ScheduledJob`. The core's jobs draft next month's selection, store the
learning report of the month just closed, remind auditors three working days before an
audit is due, and escalate what is overdue; each
plugin may add its own through the ``portal_scheduled_jobs`` hook. :func:`run_job` runs a
job at most once for its period, whichever process, thread or person asks first: the
unique ``(job_id, period)`` row of ``job_runs`` is the lock.
"""

from __future__ import annotations

from datetime import date, timedelta

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal.access_log import prune_access_log
from portal.actions.rules import sign_off_manager
from portal.activity import record
from portal.extensions import db
from portal.hooktypes import ScheduledJob
from portal.models import Action, ActionStatus, Audit, AuditStatus, JobRun, MonthlySelection, User
from portal.notify import notify
from portal.plugins import PluginError, plugin_host
from portal.reports.job import snapshot_period, snapshot_report
from portal.scheduling import service
from portal.scheduling.working_days import add_working_days, is_working_day
from portal.timeutil import utcnow

#: Audits the auditors are still working on.
NOT_SUBMITTED = (AuditStatus.ALLOCATED.value, AuditStatus.IN_PROGRESS.value)

#: How many working days before an audit is due its auditors are reminded.
REMINDER_WORKING_DAYS = 3


WEEKDAYS = {
    "mon": "Monday",
    "tue": "Tuesday",
    "wed": "Wednesday",
    "thu": "Thursday",
    "fri": "Friday",
    "sat": "Saturday",
    "sun": "Sunday",
}


def _weekdays_in_words(text: str) -> str | None:
    """``mon-fri`` as "Monday to Friday", ``mon,thu`` as "Monday and Thursday"; else None."""
    parts = []
    for part in text.lower().split(","):
        names = [WEEKDAYS.get(name.strip()) for name in part.split("-")]
        if None in names or len(names) > 2:
            return None
        parts.append(" to ".join(names))
    return " and ".join(parts)


def schedule_in_words(cron: dict[str, int | str]) -> str:
    """A job's *cron* fields in words: "Every day at 06:00", "Every Monday to Friday at
    07:15", "On day 1 of each month at 05:00"; the fields themselves when unusual."""
    fields = dict(cron)
    hour, minute = fields.pop("hour", None), fields.pop("minute", 0)
    day, weekdays = fields.pop("day", None), fields.pop("day_of_week", None)
    days = _weekdays_in_words(weekdays) if isinstance(weekdays, str) else None
    simple = not fields and isinstance(hour, int) and isinstance(minute, int)
    if simple and day is None and (weekdays is None or days):
        return f"Every {days or 'day'} at {hour:02d}:{minute:02d}"
    if simple and weekdays is None and isinstance(day, int):
        return f"On day {day} of each month at {hour:02d}:{minute:02d}"
    return "When the fields match: " + ", ".join(f"{key} {value}" for key, value in cron.items())


# The core's jobs --------------------------------------------------------------------


def _next_month(today: date) -> date:
    """The first day of the month after *today*'s."""
    return (today.replace(day=1) + timedelta(days=32)).replace(day=1)


def _is_first_working_day(today: date) -> bool:
    return today == service.first_working_day(today.replace(day=1))


def draft_selection_period(today: date) -> str:
    """The month to draft (``2027-02``) on the first working day of a month, else the day.

    A run on any other day does nothing, and must not use up the month's one run.
    """
    if _is_first_working_day(today):
        return f"{_next_month(today):%Y-%m}"
    return today.isoformat()


def _job_activity(job_id: str, summary: str) -> None:
    """One line of the activity history for a run that did something."""
    record("ran", "job", job_id, actor_id=None, summary=summary)


def draft_selection(today: date) -> str:
    """On the first working day of a month, draft next month's selection and tell the QA
    administrators; do nothing on other days or when next month has a selection already."""
    if not _is_first_working_day(today):
        upcoming = service.first_working_day(today.replace(day=1))
        if upcoming < today:
            upcoming = service.first_working_day(_next_month(today))
        return f"Nothing to do: the next draft is made on {upcoming:%-d %B %Y}"
    month = _next_month(today)
    link = f"/schedule/selection/{month:%Y-%m}"
    exists = db.session.scalar(select(MonthlySelection.id).where(MonthlySelection.month == month))
    if exists is not None:
        return f"Nothing to do: {month:%B %Y} has a selection already"
    try:
        selection = service.preview(month, service.parse_seed(None), None, today)
    except service.SelectionError as error:
        db.session.rollback()
        notify(
            service.qa_administrators(),
            f"The draft selection for {month:%B %Y} could not be made",
            f"{error} Then draw the selection from the selection page.",
            link,
        )
        result = f"Not drafted: {error}"
        _job_activity("core.draft_selection", result)
        return result
    drawn = len(selection.draw["allocations"])
    short = len(selection.draw["shortfalls"])
    told = notify(
        service.qa_administrators(),
        f"The draft selection for {month:%B %Y} is ready to check and confirm",
        f"{drawn} audits were drawn (seed {selection.seed}) and {short} quotas are short. "
        "Check the draft, draw again if you need to, then confirm it to allocate the audits.",
        link,
    )
    result = (
        f"Drafted {month:%B %Y}: {drawn} audits, {short} quotas short; "
        f"{len(told)} QA administrators told"
    )
    _job_activity("core.draft_selection", result)
    return result


def remind_due_soon(today: date) -> str:
    """On a working day, remind the auditors of every unsubmitted audit due exactly three
    working days later (so each audit's reminder comes on one day only)."""
    if not is_working_day(today):
        return f"Nothing to do: {today:%A %-d %B %Y} is not a working day"
    due = add_working_days(today, REMINDER_WORKING_DAYS)
    audits = db.session.scalars(
        select(Audit).where(Audit.status.in_(NOT_SUBMITTED), Audit.due_on == due).order_by(Audit.id)
    ).all()
    told = 0
    for audit in audits:
        told += len(
            notify(
                audit.auditors,
                f"Audit due in {REMINDER_WORKING_DAYS} working days: {audit.case.reference}",
                f"Your audit of case {audit.case.reference} is due on {due:%A %-d %B %Y}.",
                f"/audits/{audit.id}",
            )
        )
    if not audits:
        return f"No audits are due on {due:%-d %B %Y}"
    result = f"{len(audits)} audits due on {due:%-d %B %Y}: {told} reminders sent"
    _job_activity("core.remind_due_soon", result)
    return result


def _active_line_manager(user: User) -> User | None:
    """*user*'s line manager, or the first active manager above them when that one has left."""
    manager = user.line_manager
    seen = {user.id}
    while manager is not None and not manager.active and manager.id not in seen:
        seen.add(manager.id)
        manager = manager.line_manager
    return manager if manager is not None and manager.active else None


def _escalate_audit(audit: Audit) -> int:
    """Tell each auditor of an overdue audit, and their line manager; the count told."""
    reference = audit.case.reference
    told = 0
    for auditor in audit.auditors:
        told += len(
            notify(
                [auditor],
                f"Your audit of {reference} is overdue",
                f"It was due on {audit.due_on:%-d %B %Y}. Your line manager has been told.",
                f"/audits/{audit.id}",
            )
        )
        manager = _active_line_manager(auditor)
        if manager is not None:
            told += len(
                notify(
                    [manager],
                    f"Overdue audit: {reference} by {auditor.name}",
                    f"{auditor.name}'s audit of case {reference} was due on "
                    f"{audit.due_on:%-d %B %Y} and is not submitted yet.",
                )
            )
    return told


def _escalate_action(action: Action) -> int:
    """Tell the owner of an overdue action, and whoever signs it off; the count told."""
    reference = action.audit.case.reference
    owner = action.owner
    told = 0
    if owner is not None:
        told += len(
            notify(
                [owner],
                f"Your action on {reference} is overdue",
                f"“{action.description}” was due on {action.due_on:%-d %B %Y}. "
                "Your line manager has been told.",
                "/actions/",
            )
        )
    manager = sign_off_manager(action)
    if manager is not None:
        who = owner.name if owner is not None else "nobody"
        told += len(
            notify(
                [manager],
                f"Overdue action: {reference}, owned by {who}",
                f"“{action.description}” was due on {action.due_on:%-d %B %Y} and is still open.",
                "/actions/sign-off",
            )
        )
    return told


def escalate_overdue(today: date) -> str:
    """On a working day, report each overdue audit and open action to the person's line
    manager (and to the person), once: the item's ``escalated_at`` is set."""
    if not is_working_day(today):
        return f"Nothing to do: {today:%A %-d %B %Y} is not a working day"
    now = utcnow()
    audits = db.session.scalars(
        select(Audit)
        .where(Audit.status.in_(NOT_SUBMITTED), Audit.due_on < today, Audit.escalated_at.is_(None))
        .order_by(Audit.id)
    ).all()
    actions = db.session.scalars(
        select(Action)
        .where(
            Action.status == ActionStatus.OPEN.value,
            Action.due_on < today,
            Action.escalated_at.is_(None),
        )
        .order_by(Action.id)
    ).all()
    told = 0
    for audit in audits:
        told += _escalate_audit(audit)
        audit.escalated_at = now
    for action in actions:
        told += _escalate_action(action)
        action.escalated_at = now
    if not audits and not actions:
        return "Nothing overdue to escalate"
    result = f"Escalated {len(audits)} audits and {len(actions)} actions: {told} notifications"
    _job_activity("core.escalate_overdue", result)
    return result


CORE_JOBS = (
    ScheduledJob(
        id="core.draft_selection",
        description="On the first working day of a month, draft next month's selection "
        "and ask the QA administrators to check and confirm it.",
        cron={"hour": 6, "minute": 0},
        run=draft_selection,
        period=draft_selection_period,
    ),
    ScheduledJob(
        id="core.remind_due_soon",
        description="Remind auditors of audits due in 3 working days.",
        cron={"hour": 7, "minute": 0},
        run=remind_due_soon,
    ),
    ScheduledJob(
        id="core.escalate_overdue",
        description="Report overdue audits and actions to the person's line manager, once.",
        cron={"hour": 7, "minute": 15},
        run=escalate_overdue,
    ),
    ScheduledJob(
        id="core.prune_access_log",
        description="Delete access log entries older than ACCESS_LOG_DAYS (365 by default).",
        cron={"hour": 2, "minute": 30},
        run=prune_access_log,
    ),
    ScheduledJob(
        id="core.snapshot_report",
        description="On the first working day of a month, build and store last month's "
        "learning report (data and PDFs), so that it is served as it stood.",
        cron={"hour": 5, "minute": 30},
        run=snapshot_report,
        period=snapshot_period,
    ),
)


# Plugins' jobs ------------------------------------------------------------------------


def plugin_jobs(enabled_only: bool = True) -> list[ScheduledJob]:
    """The jobs of the enabled plugins (of every installed plugin when not *enabled_only*).

    Raises ``PluginError``, naming the plugin, when a plugin returns something other than
    ``ScheduledJob``s or a job whose id does not start with the plugin's key and a dot.
    """
    jobs: list[ScheduledJob] = []
    implementations = plugin_host().implementations(
        "portal_scheduled_jobs", enabled_only=enabled_only
    )
    for key, call in implementations:
        for job in call() or []:
            if not isinstance(job, ScheduledJob):
                raise PluginError(
                    f"plugin {key!r}: portal_scheduled_jobs returned {type(job).__name__}, "
                    "not ScheduledJob"
                )
            if not job.id.startswith(f"{key}.") or job.id == f"{key}.":
                raise PluginError(
                    f"plugin {key!r}: the job id {job.id!r} must start with {key + '.'!r}"
                )
            jobs.append(job)
    return sorted(jobs, key=lambda job: job.id)


def all_jobs(enabled_only: bool = True) -> list[ScheduledJob]:
    """The core's jobs, then the plugins' (see :func:`plugin_jobs`); ids are unique."""
    jobs = [*CORE_JOBS, *plugin_jobs(enabled_only)]
    ids = [job.id for job in jobs]
    repeated = sorted({job_id for job_id in ids if ids.count(job_id) > 1})
    if repeated:
        raise PluginError(f"two jobs have the id {repeated[0]!r}")
    return jobs


def find_job(job_id: str) -> ScheduledJob | None:
    """The job *job_id* among the core's and the enabled plugins' jobs, or None."""
    return next((job for job in all_jobs() if job.id == job_id), None)


# Running once -------------------------------------------------------------------------


def _claim(job_id: str, period: str) -> int | None:
    """Insert the ``(job_id, period)`` row in a transaction of its own and commit it.

    Returns its id, or None when the row exists already: another process (or an earlier
    run) has the period. Both SQLite and PostgreSQL make a second concurrent insert wait
    for the first to commit, then refuse it with the unique constraint.
    """
    with Session(db.engine) as session:
        run = JobRun(job_id=job_id, period=period)
        session.add(run)
        try:
            session.commit()
        except IntegrityError:
            return None
        return run.id


def run_job(job: ScheduledJob, today: date) -> JobRun | None:
    """Run *job* for *today* unless it has run for that period already (then None).

    The run is claimed first (see :func:`_claim`); then the job works in ``db.session``
    and its changes are committed with the run's result. A job that raises has its
    changes rolled back, is logged, and is recorded as failed: it is not run again for
    that period. Call it with nothing pending in ``db.session``.
    """
    period = job.period(today)
    run_id = _claim(job.id, period)
    if run_id is None:
        return None
    try:
        result = job.run(today)
        succeeded = True
        db.session.flush()
    except Exception as error:
        db.session.rollback()
        current_app.logger.exception("job %s for %s failed", job.id, period)
        result = f"Failed: {type(error).__name__}: {error}"
        succeeded = False
    run = db.session.get(JobRun, run_id)
    run.result = result
    run.succeeded = succeeded
    run.finished_at = utcnow()
    db.session.commit()
    return run


def last_runs() -> dict[str, JobRun]:
    """The latest run of each job, by job id."""
    latest = select(func.max(JobRun.id)).group_by(JobRun.job_id)
    return {
        run.job_id: run for run in db.session.scalars(select(JobRun).where(JobRun.id.in_(latest)))
    }
