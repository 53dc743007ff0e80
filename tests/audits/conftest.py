"""A small audit process, registered as a plugin would be, for testing the engine alone."""

import types
from datetime import date

import pytest

from portal.audits.definition import AuditProcess, DueRule, Question, Section
from portal.audits.service import allocate
from portal.extensions import db
from portal.hookspecs import PluginInfo, hookimpl
from portal.models import Case, User

MINI = AuditProcess(
    key="mini_audit",
    title="Mini audit",
    version="1",
    services=("CSC",),
    case_types=("CIN", "CP"),
    due=DueRule(working_days=10),
    sections=(
        Section(
            key="plan",
            title="The plan",
            guidance="Every child has a plan.",
            questions=(Question("purpose", "What was the plan for?"),),
        ),
        Section(key="records", title="Records", guidance="Records are up to date."),
        Section(
            key="visit",
            title="Visit",
            graded=False,
            questions=(
                Question("seen_on", "When was the child last seen?", kind="date"),
                Question(
                    "alone",
                    "Was the child seen alone?",
                    kind="choice",
                    choices=(("yes", "Yes"), ("no", "No")),
                ),
                Question("note", "Anything else", kind="line", required=False),
            ),
        ),
        Section(
            key="supervision",
            title="Discussed in supervision",
            graded=False,
            filled_after_by="case_manager",  # by the worker's manager, after submission
            questions=(
                Question("discussed_on", "When was it discussed?", kind="date"),
                Question("note", "A note of the discussion"),
            ),
        ),
    ),
)


def mini_module(process: AuditProcess = MINI) -> types.ModuleType:
    """A plugin module, as an entry point would load it, describing *process*."""
    module = types.ModuleType("mini_audit.plugin")

    @hookimpl
    def portal_plugin_info():
        return PluginInfo("mini_audit", "Mini audit", "1.0", "A small audit for tests.")

    @hookimpl
    def portal_audit_process():
        return process

    module.portal_plugin_info = portal_plugin_info
    module.portal_audit_process = portal_audit_process
    return module


@pytest.fixture
def mini(app):
    """The mini audit process, installed and enabled."""
    host = app.extensions["portal.plugins"]
    host.add("mini_audit", mini_module())
    with app.app_context():
        host.set_enabled("mini_audit", True, actor_id=None)
        db.session.commit()
    return MINI


@pytest.fixture
def allocated(app, world, mini):
    """Allocate a mini audit of a case to auditors: ``allocated("CS-1001", "tm_b")``."""

    def make(reference: str = "CS-1001", *auditors: str) -> int:
        with app.app_context():
            case = db.session.get(Case, world.cases[reference])
            people = [db.session.get(User, world.users[a]) for a in auditors or ("tm_b",)]
            audit = allocate(case, mini, people, allocated_by=None, allocated_on=date(2026, 11, 2))
            db.session.commit()
            return audit.id

    return make
