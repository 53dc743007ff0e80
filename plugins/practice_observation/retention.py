"""The observation's part of the retention rule: the practitioner's reflection on an
observation of a case whose retention period has run is erased; the row (who, when) stays
for the report's count of reflections."""

from __future__ import annotations

from sqlalchemy import select, update

from plugins.practice_observation.models import Reflection
from portal.plugin_api import Audit, db


def erase_case_records(case_ids: list[int]) -> dict[str, int]:
    """Blank the reflections on the observations of *case_ids*; how many."""
    observations = select(Audit.id).where(Audit.case_id.in_(case_ids))
    erased = db.session.execute(
        update(Reflection)
        .where(Reflection.audit_id.in_(observations))
        .values(went_well="", differently="", support=""),
        execution_options={"synchronize_session": False},
    ).rowcount
    return {"practice_observation.reflections": erased}
