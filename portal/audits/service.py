"""The audit lifecycle: allocating, saving answers (merging concurrent saves), submitting,
and closing once every action is signed off."""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from sqlalchemy import select

from portal.activity import record
from portal.audits.after import after_sections, fillers
from portal.audits.answers import (
    FieldError,
    field_specs,
    flatten,
    merge,
    overall_grade,
    submission_errors,
)
from portal.audits.definition import AuditProcess, FormDefinition, Judgement
from portal.audits.locking import lock_for_saving
from portal.extensions import db
from portal.models import (
    ActionStatus,
    Audit,
    AuditAnswer,
    AuditAuditor,
    AuditForm,
    AuditLearning,
    AuditRevision,
    AuditStatus,
    Case,
    JointJudgement,
    LearningArea,
    ModerationShare,
    User,
)
from portal.notify import notify
from portal.plugins import plugin_host
from portal.scheduling.working_days import add_working_days
from portal.timeutil import today_london, utcnow

#: Stands in for the process of an audit whose plugin is uninstalled: the core's default
#: grading and action rules.
_UNINSTALLED = AuditProcess(
    key="uninstalled", title="Uninstalled process", version="0", sections=()
)


def form_row(process: AuditProcess) -> AuditForm:
    """The stored form of *process*'s current version, stored now if it is new."""
    definition = process.form.to_json()
    fingerprint = hashlib.sha256(json.dumps(definition, sort_keys=True).encode()).hexdigest()
    row = db.session.scalar(
        select(AuditForm).where(
            AuditForm.process_key == process.key, AuditForm.fingerprint == fingerprint
        )
    )
    if row is None:
        row = AuditForm(
            process_key=process.key,
            version=process.version,
            fingerprint=fingerprint,
            definition=definition,
        )
        db.session.add(row)
    return row


#: Stored forms already rebuilt, by fingerprint (a hash of their content, so never stale).
_FORMS: dict[str, FormDefinition] = {}


def form_of(audit: Audit) -> FormDefinition:
    """The form *audit* is filled in, as it was when the audit was allocated.

    Rebuilt from its JSON once per process: every save, page and report asks for it.
    """
    stored = audit.form
    if stored.fingerprint not in _FORMS:
        _FORMS[stored.fingerprint] = _filled_after_as_now(
            FormDefinition.from_json(stored.definition)
        )
    return _FORMS[stored.fingerprint]


def _filled_after_as_now(form: FormDefinition) -> FormDefinition:
    """*form* with each section that the process now fills after submission (a section of
    the same key with ``filled_after_by``) filled after submission too, with its own
    questions: an audit allocated before the process declared it gets the same rule."""
    process = plugin_host().process(form.process_key)
    if process is None:
        return form
    now = {section.key: section.filled_after_by for section in process.sections}
    sections = tuple(
        replace(section, filled_after_by=now[section.key])
        if now.get(section.key) and section.filled_after_by is None and not section.graded
        else section
        for section in form.sections
    )
    return form if sections == form.sections else replace(form, sections=sections)


def allocate(
    case: Case,
    process: AuditProcess,
    auditors: Iterable[User],
    *,
    allocated_by: User | None,
    allocated_on: date,
    reason: str = "",
) -> Audit:
    """Create an allocated audit of *case* with *process*, due by the process's rule.

    Notifies the auditors and records the allocation. The caller commits.
    """
    auditors = list(auditors)
    audit = Audit(
        case=case,
        process_key=process.key,
        process_version=process.version,
        form=form_row(process),
        allocated_on=allocated_on,
        due_on=add_working_days(allocated_on, process.due.working_days),
        allocated_by_id=allocated_by.id if allocated_by else None,
        allocation_reason=reason,
    )
    audit.auditor_rows = [
        AuditAuditor(user=user, agency_code=user.agency.code if user.agency else None)
        for user in auditors
    ]
    db.session.add(audit)
    db.session.flush()
    record(
        "allocated",
        "audit",
        audit.id,
        actor_id=allocated_by.id if allocated_by else None,
        summary=f"{process.title} of {case.reference} to {', '.join(u.name for u in auditors)}",
        after={
            "case": case.reference,
            "process": process.key,
            "auditors": [user.email for user in auditors],
            "due_on": audit.due_on.isoformat(),
            "reason": reason,
        },
    )
    notify(
        auditors,
        f"New audit: {case.reference}",
        f"You have been allocated the {process.title} of case {case.reference}, "
        f"due on {audit.due_on:%-d %B %Y}.",
        f"/audits/{audit.id}",
    )
    return audit


def stored_answers(audit: Audit) -> dict[str, str]:
    """The audit's saved answers, flat."""
    return flatten(audit.answers())


def page_base(audit: Audit, revision: int, user: User) -> dict[str, str]:
    """What a page of *user*'s opened at *revision* holds: the answers as they stood then,
    with the user's own later saves on top (other people's later saves left out)."""
    answers: dict[str, str] = {}
    for number, changes, saved_by in db.session.execute(
        select(AuditRevision.revision, AuditRevision.changes, AuditRevision.user_id)
        .where(AuditRevision.audit_id == audit.id)
        .order_by(AuditRevision.revision)
    ):
        if number <= revision or saved_by == user.id:
            answers.update(changes)
    return answers


@dataclass
class SaveOutcome:
    """What a save did, and what the page that sent it must show.

    *changed*: the fields this save changed. *conflicts*: fields someone else changed while
    this user changed them differently (stored value, this user's value); the stored value
    stays. *page_revision*: the revision the page may count as its base from now on — the
    new revision only when the page's form holds every stored value; otherwise the old base,
    so that a field the page shows out of date is never mistaken for this user's change.
    """

    revision: int
    page_revision: int
    changed: list[str] = field(default_factory=list)
    conflicts: dict[str, tuple[str, str]] = field(default_factory=dict)


def save_answers(
    audit: Audit,
    incoming: Mapping[str, str],
    base_revision: int,
    user: User,
    *,
    keep_mine: bool = False,
) -> SaveOutcome:
    """Save *incoming* answers typed from *base_revision*, merging with later saves.

    Fields changed by someone else since *base_revision* are kept; where this user changed
    the same field differently, the stored value stays and the conflict is returned so the
    page can show both — unless *keep_mine*, the user's informed choice after seeing them.
    The caller commits.
    """
    lock_for_saving(audit)
    stored = stored_answers(audit)
    base = stored if base_revision == audit.revision else page_base(audit, base_revision, user)
    merged, conflict_keys = merge(stored, base, incoming)
    if keep_mine:
        merged.update({key: incoming[key] for key in conflict_keys})
        conflict_keys = []
    changed = {key: value for key, value in merged.items() if stored.get(key, "") != value}
    stale = any(merged.get(key, "") != value for key, value in incoming.items())
    outcome = SaveOutcome(
        revision=audit.revision,
        page_revision=base_revision if stale else audit.revision,
        conflicts={key: (stored.get(key, ""), incoming[key]) for key in conflict_keys},
    )
    if not changed:
        return outcome
    rows = {(row.section_key, row.field_key): row for row in audit.answer_rows}
    for key, value in changed.items():
        section, _, field_key = key.partition(".")
        row = rows.get((section, field_key))
        if row is None:
            audit.answer_rows.append(
                AuditAnswer(section_key=section, field_key=field_key, value=value)
            )
        else:
            row.value = value
    audit.revision += 1
    db.session.add(
        AuditRevision(audit_id=audit.id, revision=audit.revision, user_id=user.id, changes=changed)
    )
    if audit.lifecycle == AuditStatus.ALLOCATED:
        audit.status = AuditStatus.IN_PROGRESS.value
    record(
        "saved answers",
        "audit",
        audit.id,
        actor_id=user.id,
        summary=f"revision {audit.revision}: {', '.join(sorted(changed))}",
        before={key: stored.get(key, "") for key in changed},
        after=changed,
    )
    outcome.revision = audit.revision
    outcome.page_revision = base_revision if stale else audit.revision
    outcome.changed = sorted(changed)
    return outcome


@dataclass(frozen=True)
class OthersChange:
    """A field someone else saved after the page's base revision."""

    key: str
    value: str
    by: str
    at: datetime


def changes_by_others(audit: Audit, since: int, user: User) -> list[OthersChange]:
    """The latest value of each field other people saved after revision *since*."""
    latest: dict[str, OthersChange] = {}
    for revision in db.session.scalars(
        select(AuditRevision)
        .where(
            AuditRevision.audit_id == audit.id,
            AuditRevision.revision > since,
            AuditRevision.user_id != user.id,
        )
        .order_by(AuditRevision.revision)
    ):
        name = revision.user.name if revision.user else "Someone"
        for key, value in revision.changes.items():
            latest[key] = OthersChange(key, value, name, revision.saved_at)
    return list(latest.values())


def _apply(audit: Audit, rule: str, *args: object, today: date | None) -> object:
    """Run the process's rule *rule* (see ``AuditProcess.apply``) on *audit*'s process, on
    *today* (the portal's London today when None); the core's defaults if it is
    uninstalled."""
    process = plugin_host().process(audit.process_key) or _UNINSTALLED
    return process.apply(rule, *args, today=today or today_london())


def judgement_for(
    audit: Audit, form: FormDefinition, answers: Mapping, today: date | None = None
) -> Judgement:
    """The overall judgement the process's grading rules suggest for *answers* on *today*
    (the portal's London today when None)."""
    return _apply(audit, "suggest_judgement", form, answers, today=today)


def sections_needing_actions(
    audit: Audit, form: FormDefinition, answers: Mapping, today: date | None = None
) -> tuple:
    """The sections whose grades require at least one action, on *today*."""
    return _apply(audit, "actions_required", form, answers, today=today)


def sections_with_actions(audit: Audit) -> set[str]:
    """Sections that carry at least one action with an owner and a due date."""
    return {
        action.section_key
        for action in audit.actions
        if action.owner_id is not None and action.due_on is not None
    }


def own_judgement(audit: Audit, user: User) -> str:
    """On a joint audit, the grade *user* gave before agreeing one ("" if none yet)."""
    return next((j.grade for j in audit.joint_judgements if j.user == user), "")


def record_own_judgement(audit: Audit, user: User, grade: str) -> None:
    """Keep *user*'s own judgement on a joint audit (a calibration pair with the other's)."""
    existing = next((j for j in audit.joint_judgements if j.user == user), None)
    if existing is None:
        audit.joint_judgements.append(JointJudgement(user=user, grade=grade))
        record("joint judgement", "audit", audit.id, actor_id=user.id, after={"grade": grade})
    elif existing.grade != grade:
        record(
            "joint judgement",
            "audit",
            audit.id,
            actor_id=user.id,
            before={"grade": existing.grade},
            after={"grade": grade},
        )
        existing.grade = grade
        existing.recorded_at = utcnow()


def check_submission(audit: Audit, today: date | None = None) -> list[FieldError]:
    """Every reason the audit cannot be submitted on *today* (the portal's London today
    when None)."""
    today = today or today_london()
    form = form_of(audit)
    answers = audit.answers()
    judgement = judgement_for(audit, form, answers, today)
    errors = submission_errors(
        form,
        answers,
        judgement,
        sections_needing_actions(audit, form, answers, today),
        sections_with_actions(audit),
    )
    if len(audit.auditor_rows) > 1:
        judged = {j.user for j in audit.joint_judgements}
        missing = [row.user.name for row in audit.auditor_rows if row.user not in judged]
        if missing:
            errors.append(
                FieldError(
                    "own-grade",
                    f"Each auditor of a joint audit records their own judgement first: "
                    f"waiting for {' and '.join(missing)}",
                )
            )
    process = plugin_host().process(audit.process_key)
    if process is not None and process.extra_checks is not None:
        errors += [
            FieldError(html_id, message)
            for html_id, message in process.apply("extra_checks", form, answers, today=today)
        ]
    return errors


def submit(audit: Audit, user: User, today: date | None = None) -> list[FieldError]:
    """Submit *audit* if it passes every check on *today* (the portal's London today when
    None); return the problems otherwise.

    On success the actions open, the case's worker and team manager and the action owners
    are told, and the status moves on. The caller commits.
    """
    today = today or today_london()
    errors = check_submission(audit, today)
    if errors:
        return errors
    form = form_of(audit)
    answers = audit.answers()
    judgement = judgement_for(audit, form, answers, today)
    audit.suggested_grade = judgement.grade
    audit.overall_grade = overall_grade(answers, judgement)
    audit.override_reason = (
        answers.get("overall", {}).get("reason", "")
        if audit.overall_grade != judgement.grade
        else ""
    )
    audit.record_grade = audit.overall_grade
    audit.moderation_required = needs_moderation(audit)
    audit.learning_rows = [
        AuditLearning(area=area, tagged_by="auditor")
        for area in learning_areas(answers.get("overall", {}).get("learning", ""))
    ]
    audit.submitted_at = utcnow()
    audit.submitted_by_id = user.id
    audit.status = AuditStatus.SUBMITTED.value
    for action in audit.actions:
        if action.state == ActionStatus.DRAFT:
            action.status = ActionStatus.OPEN.value
    record(
        "submitted",
        "audit",
        audit.id,
        actor_id=user.id,
        summary=f"overall judgement {audit.overall_grade}",
        after={
            "suggested_grade": audit.suggested_grade,
            "overall_grade": audit.overall_grade,
            "override_reason": audit.override_reason,
            "actions": len(audit.actions),
        },
    )
    case = audit.case
    notify(
        [person for person in [case.allocated_worker, *case.team.management_chain()[:1]] if person],
        f"Audit submitted: {case.reference}",
        f"The {form.title} of case {case.reference} has been submitted. Read the findings "
        "and comment on them.",
        f"/audits/{audit.id}",
    )
    notify(
        [action.owner for action in audit.actions if action.owner],
        f"New action from the audit of {case.reference}",
        "An audit has given you an action. See your actions.",
        "/actions/",
    )
    for section in after_sections(form):
        notify(
            fillers(audit, section),
            f"To record: {section.title}, {case.reference}",
            f"The {form.title} of case {case.reference} has been submitted. Record "
            f"“{section.title}” on the audit's page when it has happened.",
            f"/audits/{audit.id}#view-{section.key}",
        )
    refresh_status(audit)
    return []


def learning_areas(text: str) -> list[str]:
    """The known learning areas in a comma-separated answer, in order, once each."""
    known = {area.value for area in LearningArea}
    return sorted({area for area in text.split(",") if area in known})


def moderation_share(process_key: str) -> float:
    """The share of a process's audits to moderate: the administrator's, else the process's."""
    setting = db.session.get(ModerationShare, process_key)
    if setting is not None:
        return setting.share
    process = plugin_host().process(process_key)
    return process.moderation_share if process is not None else 1.0


def needs_moderation(audit: Audit) -> bool:
    """Whether this audit falls in its process's moderation sample (reproducibly, by id)."""
    share = moderation_share(audit.process_key)
    return share >= 1 or random.Random(f"{audit.process_key}:{audit.id}").random() < share


def refresh_status(audit: Audit) -> None:
    """Move a submitted audit on: it waits for moderation when its sample needs it, then is
    "actions open" until every action is signed off, then "closed"."""
    if audit.submitted_at is None or audit.lifecycle == AuditStatus.CLOSED:
        return
    if audit.moderation_required and audit.moderation is None:
        audit.status = AuditStatus.SUBMITTED.value
        return
    live = [action for action in audit.actions if action.state != ActionStatus.DRAFT]
    if all(action.state == ActionStatus.SIGNED_OFF for action in live):
        audit.status = AuditStatus.CLOSED.value
        audit.closed_at = utcnow()
        record("closed", "audit", audit.id, actor_id=None, summary="every action is signed off")
    else:
        audit.status = AuditStatus.ACTIONS_OPEN.value


def field_labels(form: FormDefinition) -> dict[str, str]:
    """A readable name for each flat field key, for conflict messages."""
    titles = {section.key: section.title for section in form.sections}
    titles["overall"] = "Overall judgement"
    labels = {}
    for spec in field_specs(form):
        name = spec.field.replace("_", " ")
        for section in form.sections:
            for question in section.questions:
                if section.key == spec.section and question.key == spec.field:
                    name = question.label
        labels[spec.flat_key] = f"{titles[spec.section]}: {name}"
    return labels
