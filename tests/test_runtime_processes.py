"""One plugin, several audit processes defined at run time (``portal_audit_processes``).

The plugin below publishes its processes from a module-level list, as a plugin would from
its own tables: each keyed ``tool_maker.<slug>``. They take part in what a coded process
does; the host leaves out and logs a malformed one, and never enables a disabled plugin's.
"""

from __future__ import annotations

import dataclasses
import types

import pytest

from portal.audits.definition import AuditProcess, DueRule, Question, Section
from portal.extensions import db
from portal.hookspecs import PluginInfo, hookimpl
from portal.plugin_api import (
    RUNTIME_KEY_MAX,
    forget_processes,
    plugin_key_of,
    process_problems,
)
from portal.plugins import plugin_host

HOME_VISIT = AuditProcess(
    key="tool_maker.home_visit",
    title="Home visit dip sample",
    version="1",
    services=("CSC",),
    case_types=("CIN", "CP"),
    due=DueRule(working_days=10),
    sections=(
        Section(
            key="visits",
            title="Visits to the child",
            guidance="The child is seen at the frequency the plan sets.",
            questions=(Question("last_seen", "When was the child last seen?", kind="date"),),
        ),
        Section(key="voice", title="The child's voice", guidance="The child's words are recorded."),
    ),
)
CHRONOLOGY = AuditProcess(
    key="tool_maker.chronology",
    title="Chronology dip sample",
    version="3",
    services=("CSC",),
    case_types=("CIN", "CP"),
    sections=(
        Section(
            key="chronology",
            title="The chronology",
            guidance="Significant events are recorded as they happen.",
            questions=(Question("gaps", "Where are the gaps?", kind="line", required=False),),
        ),
    ),
)

#: What the plugin publishes now: its "tables".
PUBLISHED: list[object] = []


def tool_maker_module() -> types.ModuleType:
    """A plugin module, as an entry point would load it, publishing :data:`PUBLISHED`."""
    module = types.ModuleType("tool_maker.plugin")

    @hookimpl
    def portal_plugin_info():
        return PluginInfo("tool_maker", "Tool maker", "1.0", "Audit tools kept as data.")

    @hookimpl
    def portal_audit_processes():
        for item in PUBLISHED:
            if isinstance(item, Exception):  # the plugin's tables cannot be read, say
                raise item
        return list(PUBLISHED)

    module.portal_plugin_info = portal_plugin_info
    module.portal_audit_processes = portal_audit_processes
    return module


@pytest.fixture
def tool_maker(app):
    """The tool maker plugin, installed and enabled, publishing the two dip samples."""
    PUBLISHED[:] = [HOME_VISIT, CHRONOLOGY]
    host = app.extensions["portal.plugins"]
    host.add("tool_maker", tool_maker_module())
    with app.app_context():
        host.set_enabled("tool_maker", True, actor_id=None)
        db.session.commit()
    yield host
    PUBLISHED.clear()


def test_hook_portal_audit_processes_adds_each_published_tool_as_an_enabled_process(
    app, tool_maker
):
    with app.app_context():
        host = plugin_host()
        keys = [process.key for process in host.enabled_processes()]
        assert "tool_maker.chronology" in keys and "tool_maker.home_visit" in keys
        assert keys == sorted(keys)
        assert host.process("tool_maker.home_visit") is HOME_VISIT
        assert host.process("tool_maker.gone") is None
        assert host.process("tool_maker") is None  # the plugin has no coded process
        assert host.processes_of("tool_maker") == [CHRONOLOGY, HOME_VISIT]
        assert host.is_enabled("tool_maker.home_visit")
        assert host.process_name("tool_maker.home_visit") == "Home visit dip sample"
        assert host.process_name("tool_maker") == "Tool maker"
        assert host.process_name("uninstalled_audit") == "uninstalled_audit"
        names = host.process_names()
        assert names["tool_maker.chronology"] == "Chronology dip sample"
        assert names["tool_maker"] == "Tool maker"


def test_a_disabled_plugins_runtime_processes_are_known_but_not_enabled(app, tool_maker):
    with app.app_context():
        host = plugin_host()
        host.set_enabled("tool_maker", False, actor_id=None)
        db.session.commit()
        keys = [process.key for process in host.enabled_processes()]
        assert not any(key.startswith("tool_maker.") for key in keys)
        assert not host.is_enabled("tool_maker.home_visit")
        assert host.process("tool_maker.home_visit") is HOME_VISIT  # its audits still render
        assert host.process_name("tool_maker.home_visit") == "Home visit dip sample"


@pytest.mark.parametrize(
    ("bad", "logged"),
    [
        (dataclasses.replace(HOME_VISIT, key="other_plugin.home_visit"), "must be tool_maker."),
        (dataclasses.replace(HOME_VISIT, key="tool_maker"), "must be tool_maker."),
        (dataclasses.replace(HOME_VISIT, key="tool_maker.Home-Visit"), "must end in a lower"),
        (dataclasses.replace(HOME_VISIT, key="tool_maker." + "x" * 30), "longer than 40"),
        (dataclasses.replace(HOME_VISIT, key="tool_maker.empty", sections=()), "no sections"),
        (dataclasses.replace(CHRONOLOGY, title="Another chronology"), "two run-time processes"),
        ({"key": "tool_maker.loose"}, "must be an AuditProcess, not dict"),
    ],
)
def test_a_malformed_runtime_process_is_left_out_with_a_log_line(
    app, tool_maker, caplog, bad, logged
):
    PUBLISHED.append(bad)
    with app.app_context():
        host = plugin_host()
        keys = [process.key for process in host.enabled_processes()]
        assert keys.count("tool_maker.chronology") == 1
        assert "tool_maker.home_visit" in keys
        assert host.process("tool_maker.chronology") is CHRONOLOGY
    assert "plugin 'tool_maker': the run-time process" in caplog.text
    assert logged in caplog.text


def test_a_failing_hook_leaves_the_plugins_processes_out_and_logs_it(app, tool_maker, caplog):
    PUBLISHED.append(RuntimeError("the tool table is missing"))
    with app.app_context():
        keys = [process.key for process in plugin_host().enabled_processes()]
        assert plugin_host().process("tool_maker.home_visit") is None
    assert not any(key.startswith("tool_maker.") for key in keys)
    assert "plugin 'tool_maker': portal_audit_processes failed" in caplog.text
    assert "the tool table is missing" in caplog.text


def test_forget_processes_makes_a_newly_published_process_visible_at_once(app, tool_maker):
    with app.app_context():
        host = plugin_host()
        assert host.process("tool_maker.new_tool") is None
        PUBLISHED.append(dataclasses.replace(HOME_VISIT, key="tool_maker.new_tool"))
        assert host.process("tool_maker.new_tool") is None  # read once per request
        forget_processes()
        assert host.process("tool_maker.new_tool").key == "tool_maker.new_tool"


@pytest.mark.parametrize(
    ("key", "plugin"),
    [("tool_maker.home_visit", "tool_maker"), ("s47_audit", "s47_audit"), ("a.b.c", "a")],
)
def test_plugin_key_of_is_the_part_before_the_first_dot(key, plugin):
    assert plugin_key_of(key) == plugin


def test_process_problems_accepts_a_sound_runtime_process():
    assert process_problems(HOME_VISIT, "tool_maker") == []
    longest = "tool_maker." + "x" * (RUNTIME_KEY_MAX - len("tool_maker."))
    assert process_problems(dataclasses.replace(HOME_VISIT, key=longest), "tool_maker") == []


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"key": "tool_maker." + "x" * 30}, "is longer than 40 characters"),
        ({"key": "other.home_visit"}, "the key 'other.home_visit' must be tool_maker. followed"),
        ({"key": "tool_maker"}, "the key 'tool_maker' must be tool_maker. followed"),
        ({"key": "tool_makers.x"}, "the key 'tool_makers.x' must be tool_maker. followed"),
        ({"key": "tool_maker.9lives"}, "must end in a lower-case letter"),
        ({"key": "tool_maker.home.visit"}, "must end in a lower-case letter"),
        ({"key": "tool_maker."}, "must end in a lower-case letter"),
        ({"case_types": ("NOT_A_TYPE",)}, "unknown case types NOT_A_TYPE"),
        ({"due": DueRule(working_days=0)}, "at least one working day"),
    ],
)
def test_process_problems_refuses_a_runtime_process_that_breaks_the_rules(changes, problem):
    problems = process_problems(dataclasses.replace(HOME_VISIT, **changes), "tool_maker")
    assert any(problem in text for text in problems), problems
