"""What the observation of practice's tests share: an observation of CS-1001 (held by the
test council's social worker sw_a, in tm_a's team) observed by tm_b."""

from __future__ import annotations

from datetime import date

from plugins.practice_observation.process import PRACTICE_OBSERVATION
from portal.plugin_api import Audit, Case, User, allocate, db

OBSERVER = "tm_b"
PRACTITIONER = "sw_a"


def observation(app, world, *, submitted: bool, reference: str = "CS-1001") -> int:
    """Allocate an observation of *reference* to the observer; mark it submitted when asked
    (as the engine would, without filling it in)."""
    with app.app_context():
        case = db.session.get(Case, world.cases[reference])
        observer = db.session.get(User, world.users[OBSERVER])
        audit = allocate(
            case,
            PRACTICE_OBSERVATION,
            [observer],
            allocated_by=None,
            allocated_on=date(2026, 11, 2),
        )
        if submitted:
            audit.submitted_at = audit.created_at
            audit.status = "submitted"
        db.session.commit()
        return audit.id


def submitted_at(app, audit_id: int):
    with app.app_context():
        return db.session.get(Audit, audit_id).submitted_at
