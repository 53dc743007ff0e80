"""The practitioner's box on the home page: the observations of their practice, those
waiting for their reflection first."""

from __future__ import annotations

from markupsafe import Markup
from sqlalchemy import select

from plugins.practice_observation.models import Reflection
from plugins.practice_observation.process import PRACTICE_OBSERVATION
from portal.plugin_api import Audit, Case, DashboardPanel, Role, User, db, to_london

#: How many observations the box lists.
PANEL_ROWS = 5


def dashboard_panels(user: User) -> list[DashboardPanel]:
    """A social worker's submitted observations (one statement), or nothing when they have
    none."""
    if not user.has_role(Role.SOCIAL_WORKER):
        return []
    rows = db.session.execute(
        select(Audit.id, Case.reference, Audit.submitted_at, Reflection.id)
        .join(Case, Case.id == Audit.case_id)
        .outerjoin(Reflection, Reflection.audit_id == Audit.id)
        .where(
            Audit.process_key == PRACTICE_OBSERVATION.key,
            Audit.submitted_at.is_not(None),
            Case.allocated_worker_id == user.id,
        )
        .order_by(Reflection.id.is_not(None), Audit.submitted_at.desc(), Audit.id.desc())
        .limit(PANEL_ROWS)
    ).all()
    if not rows:
        return []
    return [
        DashboardPanel(
            title="Observations of your practice",
            empty_text="",
            head=["Case", "Observed", "Your reflection"],
            rows=[
                [
                    reference,
                    f"{to_london(submitted_at):%-d %B %Y}",
                    Markup(
                        '<a class="govuk-link" href="/practice_observation/{}/reflection">{}</a>'
                    ).format(
                        audit_id, "Read or change it" if reflection_id else "Add your reflection"
                    ),
                ]
                for audit_id, reference, submitted_at, reflection_id in rows
            ],
        )
    ]
