"""One plugin, several audit processes defined at run time (``portal_audit_processes``).

The plugin below publishes its processes from a module-level list, as a plugin would from
its own tables: each keyed ``tool_maker.<slug>``. They take part in what a coded process
does; the host leaves out and logs a malformed one, and never enables a disabled plugin's.
"""

from __future__ import annotations

import dataclasses
import json
import types
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from portal.api.auth import issue_token
from portal.audits.definition import AuditProcess, DueRule, Question, Quota, Section
from portal.audits.service import allocate
from portal.extensions import db
from portal.hookspecs import PluginInfo, hookimpl
from portal.models import Audit, Case, MonthlySelection, User
from portal.plugin_api import (
    RUNTIME_KEY_MAX,
    ReportSection,
    ReportTable,
    forget_processes,
    plugin_key_of,
    process_problems,
    submitted_audits,
)
from portal.plugins import plugin_host
from portal.reports import snapshots
from portal.reports.sections import problems_with_section
from portal.scheduling.service import SelectionError, allocate_by_hand
from portal.timeutil import utcnow

HOME_VISIT = AuditProcess(
    key="tool_maker.home_visit",
    title="Home visit dip sample",
    version="1",
    services=("CSC",),
    case_types=("CIN", "CP"),
    due=DueRule(working_days=10),
    quotas=(Quota("Two by team managers", ("team_manager",), total=2),),
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

    @hookimpl
    def portal_report_section(month, start, end):
        return [  # one section per published tool
            ReportSection(
                key=process.key,
                title=process.title,
                summary=f"{submitted_audits(process.key, start, end)} submitted in {month:%B}.",
                tables=(
                    ReportTable(
                        "Submitted",
                        ("Tool", "Audits"),
                        ((process.title, submitted_audits(process.key, start, end)),),
                    ),
                ),
                data={"submitted": submitted_audits(process.key, start, end)},
            )
            for process in PUBLISHED
            if isinstance(process, AuditProcess)
        ]

    module.portal_plugin_info = portal_plugin_info
    module.portal_audit_processes = portal_audit_processes
    module.portal_report_section = portal_report_section
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


# Through the pages ---------------------------------------------------------------------

NEXT_MONTH = (date.today().replace(day=1) + timedelta(days=32)).replace(day=1)
THIS_MONTH = date.today().replace(day=1)
LAST_MONTH = (THIS_MONTH - timedelta(days=1)).replace(day=1)


def allocated_home_visit(app, world) -> int:
    """An audit of the home visit dip sample of CS-1001, allocated to Tom Manager."""
    with app.app_context():
        case = db.session.get(Case, world.cases["CS-1001"])
        auditor = db.session.get(User, world.users["tm_b"])
        audit = allocate(case, HOME_VISIT, [auditor], allocated_by=None, allocated_on=date.today())
        db.session.commit()
        return audit.id


def test_a_runtime_tool_is_drawn_and_allocated_through_the_schedule_pages(
    client, login_as, app, world, tool_maker
):
    login_as("qa_admin")
    month = f"{NEXT_MONTH:%Y-%m}"
    assert client.post_form(f"/schedule/selection/{month}/draw", {"seed": "11"}).status_code == 302
    page = client.get(f"/schedule/selection/{month}").get_data(as_text=True)
    assert "Home visit dip sample" in page
    assert client.post_form(f"/schedule/selection/{month}/confirm").status_code == 302
    with app.app_context():
        drawn = db.session.scalar(select(MonthlySelection)).draw["allocations"]
        assert [item["process"] for item in drawn] == ["tool_maker.home_visit"] * 2
        keys = db.session.scalars(select(Audit.process_key)).all()
        assert keys == ["tool_maker.home_visit"] * 2
    client.post_form("/logout")
    login_as("admin")  # disabling the plugin would affect its run-time tools' audits
    page = client.get("/admin/plugins/tool_maker/disable").get_data(as_text=True)
    assert "2 audits" in page


def test_a_retired_runtime_tool_takes_no_new_audits_but_its_audits_stay_open(
    client, login_as, app, world, tool_maker
):
    audit_id = allocated_home_visit(app, world)
    PUBLISHED[:] = [  # the home visit tool retired, the chronology one drawn in its place
        dataclasses.replace(HOME_VISIT, retired=True),
        dataclasses.replace(CHRONOLOGY, quotas=HOME_VISIT.quotas),
    ]
    with app.app_context():
        forget_processes()
        host = plugin_host()
        assert host.is_enabled("tool_maker.home_visit")  # its plugin is enabled
        assert "tool_maker.home_visit" not in {p.key for p in host.allocatable_processes()}
    login_as("qa_admin")
    month = f"{NEXT_MONTH:%Y-%m}"
    assert client.post_form(f"/schedule/selection/{month}/draw", {"seed": "11"}).status_code == 302
    with app.app_context():
        drawn = db.session.scalar(select(MonthlySelection)).draw["allocations"]
        assert {item["process"] for item in drawn} == {"tool_maker.chronology"}
    assert "tool_maker.home_visit" not in client.get("/schedule/allocate").get_data(as_text=True)
    assert "tool_maker.home_visit" not in client.get(f"/schedule/{month}/theme").get_data(
        as_text=True
    )
    with app.app_context():
        case = db.session.get(Case, world.cases["CS-1002"])
        auditor = db.session.get(User, world.users["tm_b"])
        with pytest.raises(SelectionError, match="takes no new audits: choose another"):
            allocate_by_hand(
                case, plugin_host().process("tool_maker.home_visit"), auditor, "Asked for",
                None, date.today(),
            )  # fmt: skip
    client.post_form("/logout")
    login_as("tm_b")  # the audit allocated before it was retired can still be opened
    page = client.get(f"/audits/{audit_id}/edit")
    assert page.status_code == 200
    assert "Home visit dip sample" in page.get_data(as_text=True)


def test_an_auditor_fills_and_submits_a_runtime_tool_and_it_is_listed_by_its_title(
    client, login_as, app, world, tool_maker
):
    audit_id = allocated_home_visit(app, world)
    login_as("tm_b")
    page = client.get(f"/audits/{audit_id}/edit").get_data(as_text=True)
    assert "Home visit dip sample" in page and "Visits to the child" in page
    assert 'name="visits-last_seen-day"' in page and 'name="voice-grade"' in page
    answers = {
        "visits-last_seen-day": "1",
        "visits-last_seen-month": "11",
        "visits-last_seen-year": "2026",
        "visits-evidence": "Seen every ten working days",
        "visits-grade": "good",
        "voice-evidence": "Her words are in every visit record",
        "voice-grade": "outstanding",
        "overall-summary": "Good, steady visiting",
        "revision": "0",
    }
    response = client.post_form(f"/audits/{audit_id}/edit", {**answers, "intent": "save"})
    assert response.status_code == 302
    response = client.post_form(f"/audits/{audit_id}/edit", {**answers, "intent": "submit"})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    page = client.get(f"/audits/{audit_id}").get_data(as_text=True)
    assert "Your audit has been submitted." in page
    assert "Seen every ten working days" in page and "Outstanding" in page
    assert "has been disabled" not in page
    with app.app_context():  # graded by the process's rule: the lowest section grade
        audit = db.session.get(Audit, audit_id)
        assert (audit.suggested_grade, audit.overall_grade) == ("good", "good")
    client.post_form("/logout")
    login_as("qa_lead")
    page = client.get("/audits/").get_data(as_text=True)
    assert '<option value="tool_maker.home_visit">Home visit dip sample</option>' in page
    assert '<option value="tool_maker.chronology">Chronology dip sample</option>' in page
    page = client.get("/audits/?tool=tool_maker.home_visit").get_data(as_text=True)
    assert "CS-1001" in page and "Home visit dip sample" in page
    page = client.get("/audits/?tool=tool_maker.chronology").get_data(as_text=True)
    assert "CS-1001" not in page
    page = client.get(f"/cases/{world.cases['CS-1001']}").get_data(as_text=True)
    assert "Home visit dip sample" in page
    page = client.get("/moderation/").get_data(as_text=True)
    assert "Home visit dip sample" in page


def test_the_administrator_sets_a_runtime_tools_moderation_share(client, login_as, app, tool_maker):
    login_as("admin")
    page = client.get("/admin/moderation").get_data(as_text=True)
    assert "Home visit dip sample" in page and "Chronology dip sample" in page
    response = client.post_form("/admin/moderation/tool_maker.home_visit", {"percent": "40"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "The moderation share of Home visit dip sample is 40%." in page


def test_hook_portal_report_section_may_return_one_section_per_runtime_tool(
    client, login_as, app, world, tool_maker
):
    audit_id = allocated_home_visit(app, world)
    with app.app_context():
        db.session.get(Audit, audit_id).submitted_at = utcnow()
        db.session.commit()
    login_as("qa_lead")
    month = f"{THIS_MONTH:%Y-%m}"
    page = client.get(f"/reports/monthly?month={month}").get_data(as_text=True)
    assert 'id="section-tool_maker.chronology"' in page
    assert 'id="section-tool_maker.home_visit"' in page
    assert f"1 submitted in {THIS_MONTH:%B}." in page
    document = json.loads(client.get(f"/reports/monthly.json?month={month}").data)
    assert document["sections"] == {
        "tool_maker.chronology": {"submitted": 0},
        "tool_maker.home_visit": {"submitted": 1},
    }
    csv = client.get(f"/reports/monthly.csv?month={month}").get_data(as_text=True)
    assert "Home visit dip sample" in csv and "Chronology dip sample" in csv
    with app.app_context():  # a closed month's report keeps both sections as stored
        stored = snapshots.report_of(snapshots.snapshot_for(LAST_MONTH, date.today()))
        keys = [section.key for section in stored["plugin_sections"]]
        assert keys == ["tool_maker.home_visit", "tool_maker.chronology"]  # the plugin's order


@pytest.mark.parametrize(
    ("key", "sound"),
    [
        ("tool_maker", True),
        ("tool_maker.home_visit", True),
        ("tool_maker.", False),
        ("tool_makers", False),
        ("other_plugin.home_visit", False),
    ],
)
def test_a_report_section_is_keyed_with_its_plugins_key_or_that_key_a_dot_and_a_name(key, sound):
    section = ReportSection(key=key, title="Tools", summary="Counts.", tables=(), data={})
    assert (problems_with_section(section, "tool_maker") == []) is sound


def test_the_api_lists_a_runtime_tools_audits_by_its_dotted_key(client, app, world, tool_maker):
    audit_id = allocated_home_visit(app, world)
    with app.app_context():
        person = db.session.get(User, world.users["qa_lead"])
        token = issue_token(person, "Power BI", person).secret
        db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    response = client.get("/api/v1/audits?process=tool_maker.home_visit", headers=headers)
    assert response.status_code == 200
    assert [(a["id"], a["process"]) for a in response.json["audits"]] == [
        (audit_id, "tool_maker.home_visit")
    ]
    response = client.get("/api/v1/audits?process=tool_maker.chronology", headers=headers)
    assert response.json["audits"] == []
    response = client.get("/api/v1/audits?process=tool_maker.gone", headers=headers)
    assert response.status_code == 400
    assert "tool_maker.chronology, tool_maker.home_visit" in response.get_data(as_text=True)
