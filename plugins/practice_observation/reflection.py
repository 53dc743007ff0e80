"""The practitioner's reflection on an observation of their practice: who may read and who
may write it, and saving it.

The rule for reading is the observation's own (the portal's rule for an audit): the
observer, the QA lead, QA administrators and the safeguarding unit; once the observation is
submitted, the practitioner, the managers above them and their team, and the owners of
its actions too. Only the practitioner (the case's allocated worker) writes it, and only
once the observation is submitted.
"""

from __future__ import annotations

from flask import abort

from plugins.practice_observation.models import Reflection
from plugins.practice_observation.process import PRACTICE_OBSERVATION
from portal.plugin_api import Audit, User, can_view, db, notify, record, utcnow

#: The reflection's fields, in the order of the page.
FIELDS = ("went_well", "differently", "support")


def observation_or_404(audit_id: int, user: User) -> Audit:
    """The observation *audit_id* if *user* may read it: 404 when there is no observation
    of practice with that id, 403 when *user* may not read it."""
    audit = db.session.get(Audit, audit_id)
    if audit is None or audit.process_key != PRACTICE_OBSERVATION.key:
        abort(404)
    if not can_view(user, audit):
        abort(403)
    return audit


def practitioner_id(audit: Audit) -> int | None:
    """The id of the practitioner observed: the case's allocated worker."""
    return audit.case.allocated_worker_id


def may_write(user: User, audit: Audit) -> bool:
    """True when *user* may write the reflection: the practitioner, once it is submitted."""
    return audit.submitted_at is not None and practitioner_id(audit) == user.id


def reflection_of(audit: Audit) -> Reflection | None:
    """The practitioner's reflection on *audit*, if they have written one."""
    return db.session.scalar(db.select(Reflection).where(Reflection.audit_id == audit.id))


def save_reflection(audit: Audit, user: User, values: dict[str, str]) -> Reflection:
    """Write *user*'s reflection on *audit* (or change it), record it in the activity
    history, and tell the observers. The caller has checked :func:`may_write`; the caller
    commits."""
    reflection = reflection_of(audit)
    verb = "changed" if reflection else "added"
    if reflection is None:
        reflection = Reflection(audit_id=audit.id, author_id=user.id, **values)
        db.session.add(reflection)
    else:
        for name in FIELDS:
            setattr(reflection, name, values[name])
        reflection.author_id = user.id
        reflection.updated_at = utcnow()
    # The history names what happened, never the text: the observation's own rule decides
    # who reads it.
    record(
        f"reflection {verb}",
        "audit",
        audit.id,
        actor_id=user.id,
        summary=f"{user.name} {verb} their reflection on the observation of their practice",
    )
    notify(
        audit.auditors,
        f"{user.name} {verb} their reflection on your observation of their practice",
        link=f"/practice_observation/{audit.id}/reflection",
    )
    return reflection
