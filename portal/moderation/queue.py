"""The moderation page's two lists: the audits waiting, and those moderated in a month.

Both are bounded queries for :func:`portal.paging.paginate`, narrowed by the filters of
the query string (audit tool, month, auditor), each row's case and auditors eager loaded.
"""

from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from sqlalchemy import Select, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from portal.audits.filters import auditor_choices, tool_choices
from portal.listfilters import MonthField, choice_field, chosen, in_month
from portal.models import Audit, AuditAuditor, Moderation


class ModerationFilterForm(FlaskForm):
    """The moderation page's filters (no CSRF: they change nothing)."""

    class Meta:
        csrf = False

    tool = choice_field("Audit tool", "All audit tools")
    month = MonthField(
        "Month",
        description=(
            "For example, 2026-11. Audits submitted that month wait; audits moderated that "
            "month are listed. Leave empty for every audit waiting and this month's moderations"
        ),
    )
    auditor = choice_field("Auditor", "Anyone")


def build(formdata) -> ModerationFilterForm:
    """The filter form with its choices, the query string validated."""
    form = ModerationFilterForm(formdata=formdata)
    form.tool.choices += tool_choices()
    form.auditor.choices += auditor_choices()
    form.validate()
    return form


def chosen_auditor(form: ModerationFilterForm) -> int | None:
    """The id of the auditor chosen in the filters, or None."""
    auditor = chosen(form.auditor)
    return int(auditor) if auditor else None


def _narrowed(query: Select, tool: str, auditor_id: int | None) -> Select:
    if tool:
        query = query.where(Audit.process_key == tool)
    if auditor_id is not None:
        named = select(AuditAuditor.audit_id).where(AuditAuditor.user_id == auditor_id)
        query = query.where(Audit.id.in_(named))
    return query.options(
        joinedload(Audit.case),
        selectinload(Audit.auditor_rows).joinedload(AuditAuditor.user),
    )


def waiting(*, tool: str = "", auditor_id: int | None = None, month: date | None = None) -> Select:
    """Submitted audits waiting for moderation, oldest first: of one tool, auditor, month."""
    query = (
        select(Audit)
        .outerjoin(Audit.moderation)
        .where(Audit.moderation_required, Moderation.id.is_(None), Audit.submitted_at.is_not(None))
    )
    if month:
        query = query.where(in_month(Audit.submitted_at, month, moment=True))
    return _narrowed(query, tool, auditor_id).order_by(Audit.submitted_at, Audit.id)


def moderated(month: date, *, tool: str = "", auditor_id: int | None = None) -> Select:
    """Audits moderated in *month*, newest moderation first, with their moderation."""
    query = (
        select(Audit)
        .join(Audit.moderation)
        .where(in_month(Moderation.moderated_at, month, moment=True))
        .options(contains_eager(Audit.moderation))
    )
    return _narrowed(query, tool, auditor_id).order_by(
        Moderation.moderated_at.desc(), Audit.id.desc()
    )
