"""The audit list's filters: the form read from the query string, and the SQL they add."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovTextInput
from sqlalchemy import Select, select
from wtforms import SelectChoice, StringField

from portal.extensions import db
from portal.listfilters import MonthField, choice_field, chosen, contains_pattern, in_month
from portal.models import (
    CASE_OVERSIGHT_ROLES,
    Audit,
    AuditAuditor,
    AuditStatus,
    Case,
    Service,
    Team,
    User,
)
from portal.permissions import people_below
from portal.plugins import plugin_host


class AuditFilterForm(FlaskForm):
    """Filters for the audit list (no CSRF: they change nothing); choices set by :func:`build`."""

    class Meta:
        csrf = False

    q = StringField("Case reference", widget=GovTextInput())
    tool = choice_field("Audit tool", "All audit tools")
    status = choice_field("Status", "Any status")
    due = MonthField("Month due")
    submitted = MonthField("Month submitted")
    service = choice_field("Service", "All services")
    team = choice_field("Team", "All teams")
    grade = choice_field("Grade of record", "Any grade")
    auditor = choice_field("Auditor", "Anyone")


def sees_others_audits(user: User) -> bool:
    """True when *user* may see audits by other auditors in bulk: oversight roles, managers."""
    return not user.roles.isdisjoint(CASE_OVERSIGHT_ROLES) or bool(people_below(user))


def grade_labels() -> dict[str, str]:
    """Every grade of the installed processes' scales (run-time ones too), by key, in scale
    order."""
    labels: dict[str, str] = {}
    for process in plugin_host().all_processes():
        for grade in process.grades:
            labels.setdefault(grade.key, grade.label)
    return labels


def tool_choices() -> list[SelectChoice]:
    """The installed audit tools, coded and run-time (enabled or not: their audits stay
    listed), by name."""
    listed = sorted(plugin_host().listed_processes().items(), key=lambda item: item[1])
    return [SelectChoice(key, name) for key, name in listed]


def auditor_choices() -> list[SelectChoice]:
    """The staff named as auditor on at least one audit, by name."""
    auditors = select(AuditAuditor.user_id).distinct()
    people = db.session.scalars(
        select(User).where(User.id.in_(auditors)).order_by(User.name, User.id)
    )
    return [SelectChoice(str(person.id), person.name) for person in people]


def build(formdata, user: User) -> AuditFilterForm:
    """The filter form for *user*, its choices set and the query string validated."""
    form = AuditFilterForm(formdata=formdata)
    form.tool.choices += tool_choices()
    form.status.choices += [SelectChoice(status.value, status.label) for status in AuditStatus]
    form.service.choices += [
        SelectChoice(str(service.id), service.name)
        for service in db.session.scalars(select(Service).order_by(Service.name))
    ]
    form.team.choices += [
        SelectChoice(str(team.id), team.name)
        for team in db.session.scalars(select(Team).order_by(Team.name))
    ]
    form.grade.choices += [SelectChoice(key, label) for key, label in grade_labels().items()]
    if sees_others_audits(user):
        form.auditor.choices += auditor_choices()
    else:
        del form.auditor  # a partner auditor or a worker: no one else's audits to choose
    form.validate()
    return form


def apply(query: Select, form: AuditFilterForm) -> tuple[Select, bool]:
    """*query* (audits joined to their case) narrowed by the valid filters; and whether any is."""
    conditions = []
    reference = (form.q.data or "").strip()
    if reference:
        conditions.append(Case.reference.ilike(contains_pattern(reference), escape="\\"))
    if tool := chosen(form.tool):
        conditions.append(Audit.process_key == tool)
    if status := chosen(form.status):
        conditions.append(Audit.status == status)
    if form.due.month:
        conditions.append(in_month(Audit.due_on, form.due.month))
    if form.submitted.month:
        conditions.append(in_month(Audit.submitted_at, form.submitted.month, moment=True))
    if service := chosen(form.service):
        conditions.append(Case.team_id.in_(select(Team.id).where(Team.service_id == int(service))))
    if team := chosen(form.team):
        conditions.append(Case.team_id == int(team))
    if grade := chosen(form.grade):
        conditions.append(Audit.record_grade == grade)
    if "auditor" in form and (auditor := chosen(form.auditor)):
        named = select(AuditAuditor.audit_id).where(AuditAuditor.user_id == int(auditor))
        conditions.append(Audit.id.in_(named))
    return query.where(*conditions), bool(conditions)
