"""Moderating an audit: agree with its overall judgement or change it with a rationale."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from portal.activity import record
from portal.audits.answers import TEXT_LIMIT
from portal.audits.service import form_of, learning_areas, refresh_status
from portal.extensions import db
from portal.models import Audit, AuditLearning, Moderation, ModerationShare, User
from portal.notify import notify
from portal.timeutil import utcnow


@dataclass
class ModerationInput:
    """What the moderator entered, with the problems found in it (by field id)."""

    grade: str
    rationale: str
    feedback: str
    learning: list[str]
    cleared_for_sharing: bool = False
    errors: dict[str, str] = field(default_factory=dict)


def check(
    audit: Audit,
    moderator: User,
    grade: str,
    rationale: str,
    feedback: str,
    learning: list[str],
    cleared_for_sharing: bool = False,
) -> ModerationInput:
    """Read and check a moderation of *audit* by *moderator*.

    *cleared_for_sharing* is the moderator's word that the auditor's summary may be shown,
    anonymised, to report readers who may not open the case.
    """
    given = ModerationInput(
        grade,
        rationale.strip(),
        feedback.strip(),
        learning_areas(",".join(learning)),
        cleared_for_sharing,
    )
    form = form_of(audit)
    if audit.submitted_at is None:
        given.errors["grade"] = "Only a submitted audit can be moderated"
    elif audit.moderation is not None:
        given.errors["grade"] = "This audit is already moderated"
    elif any(row.user_id == moderator.id for row in audit.auditor_rows):
        given.errors["grade"] = "You audited this case: another moderator must moderate it"
    if form.grade(grade) is None:
        given.errors["grade"] = "Choose the moderated judgement"
    elif grade != audit.overall_grade and not given.rationale:
        given.errors["rationale"] = "Give the rationale for changing the auditor's judgement"
    if not given.feedback:
        given.errors["feedback"] = "Write your feedback to the auditor"
    for name, label in (("rationale", "The rationale"), ("feedback", "Your feedback")):
        if len(getattr(given, name)) > TEXT_LIMIT:
            given.errors[name] = f"{label} must be {TEXT_LIMIT:,} characters or fewer"
    return given


def moderate(audit: Audit, moderator: User, given: ModerationInput) -> Moderation:
    """Record a checked moderation: the grade of record, the learning tags, the auditor told.

    The caller commits.
    """
    moderation = Moderation(
        audit_id=audit.id,
        moderator_id=moderator.id,
        auditor_grade=audit.overall_grade or "",
        moderated_grade=given.grade,
        rationale=given.rationale,
        feedback=given.feedback,
        moderated_at=utcnow(),
        cleared_for_sharing=given.cleared_for_sharing,
    )
    audit.moderation = moderation
    audit.record_grade = given.grade
    audit.learning_rows.extend(
        AuditLearning(area=area, tagged_by="moderator") for area in given.learning
    )
    record(
        "moderated",
        "audit",
        audit.id,
        actor_id=moderator.id,
        summary="agreed" if moderation.agreed else f"changed to {given.grade}",
        before={"grade": audit.overall_grade},
        after={
            "grade": given.grade,
            "rationale": given.rationale,
            "feedback": given.feedback,
            "learning": given.learning,
            "cleared_for_sharing": given.cleared_for_sharing,
        },
    )
    title = form_of(audit).title
    verdict = "agreed with your judgement" if moderation.agreed else "changed the judgement"
    notify(
        audit.auditors,
        f"Your audit of {audit.case.reference} is moderated",
        f"{moderator.name} moderated your {title} and {verdict}. Read the feedback.",
        f"/audits/{audit.id}",
    )
    refresh_status(audit)
    return moderation


def set_share(process_key: str, share: float, user: User) -> None:
    """An administrator's moderation share for a process (0 < share ≤ 1). The caller commits."""
    if not 0 < share <= 1:
        raise ValueError("The share must be more than 0% and at most 100%")
    setting = db.session.get(ModerationShare, process_key)
    before = setting.share if setting else None
    if setting is None:
        setting = ModerationShare(process_key=process_key, share=share)
        db.session.add(setting)
    setting.share = share
    setting.changed_by_id = user.id
    setting.changed_at = utcnow()
    record(
        "changed",
        "moderation_share",
        process_key,
        actor_id=user.id,
        before={"share": before},
        after={"share": share},
    )


def month_range(month: date) -> tuple[datetime, datetime]:
    """The naive UTC datetimes that bound *month*."""
    start = datetime(month.year, month.month, 1)
    end = datetime(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return start, end
