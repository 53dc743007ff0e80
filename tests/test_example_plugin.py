"""The tutorial's plugin, examples/s47_example, proven as docs/writing-a-plugin.md builds it.

The package is made importable the way ``pip install`` would make it, without installing
anything: its folder goes on ``sys.path``, and a ``s47_example-1.0.0.dist-info`` declaring
the entry point of its pyproject.toml goes in a temporary folder also on ``sys.path``, so
``importlib.metadata`` finds it in the real ``portal.plugins`` group. The portal is built
after that (discovery happens in ``create_app``), and the plugin is walked through
everything a plugin takes part in: the command line, the monthly draw, the audit pages,
grading, actions, moderation, the background jobs and the learning report. Afterwards
``sys.path`` and ``sys.modules`` are as they were: no other test sees s47_example.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from datetime import date, timedelta
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from portal import create_app
from portal.audits.definition import worst_section_grade
from portal.audits.service import form_of, moderation_share, needs_moderation
from portal.extensions import db
from portal.models import (
    ActionStatus,
    Audit,
    AuditStatus,
    Case,
    CaseType,
    MonthlySelection,
    Notification,
    SafeguardingConcern,
    User,
)
from portal.plugins import PluginHost
from portal.reports.monthly import build_monthly_report
from portal.scheduling import service as scheduling
from portal.scheduling.working_days import add_working_days
from portal.testing.fixtures import TEMPLATE_CACHE, PortalClient, login

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "s47_example"
KEY = "s47_example"
VERSION = re.search(r'__version__ = "([^"]+)"', (EXAMPLE / KEY / "__init__.py").read_text()).group(
    1
)
QUOTA = "Each CSC service manager audits one S.47 enquiry a month"
SECTION_TITLES = ("Strategy discussion", "The enquiry", "Outcome and plan", "Management oversight")
REVISION = re.compile(r'name="revision" id="revision" value="(\d+)"')
#: A code block of the tutorial that quotes a file: the marker, then the fenced block.
EXCERPT = re.compile(r"<!-- excerpt: (\S+) -->\n```\w*\n(.*?)```", re.DOTALL)
#: The line of an excerpt that stands for the lines it leaves out.
SKIPPED = "# ...\n"


@pytest.fixture
def installed(tmp_path, monkeypatch):
    """The example as pip leaves it: importable, with a dist-info naming its entry point.

    The entry point and the version are read from the example's own files, so this proves
    what its pyproject.toml declares. Yields the folder holding the dist-info.
    """
    project = tomllib.loads((EXAMPLE / "pyproject.toml").read_text())["project"]
    dist = tmp_path / f"{KEY}-{VERSION}.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {project['name']}\nVersion: {VERSION}\n"
    )
    points = project["entry-points"]["portal.plugins"]
    (dist / "entry_points.txt").write_text(
        "[portal.plugins]\n" + "".join(f"{name} = {value}\n" for name, value in points.items())
    )
    monkeypatch.setattr(sys, "dont_write_bytecode", True)  # leave no __pycache__ in examples/
    monkeypatch.syspath_prepend(str(EXAMPLE))
    monkeypatch.syspath_prepend(str(tmp_path))
    yield tmp_path
    for name in [m for m in sys.modules if m == KEY or m.startswith(f"{KEY}.")]:
        del sys.modules[name]


@pytest.fixture
def app(installed, test_database):
    """The portal built once the example is installed, as the ``app`` fixture builds it."""
    application = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": test_database.fresh(),
            "SECRET_KEY": "test-secret-key",
            "SERVER_NAME": None,
            "ARGON2_TIME_COST": 1,
            "ARGON2_MEMORY_COST": 8 * 1024,
        }
    )
    application.test_client_class = PortalClient
    application.jinja_env.bytecode_cache = TEMPLATE_CACHE
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


def add_s47_case(app, world, reference: str = "S47-3001") -> int:
    """An open S.47 enquiry of the Child Protection Team, held by Sunil Worker."""
    with app.app_context():
        case = Case(
            reference=reference,
            case_type=CaseType.S47.value,
            team_id=world.teams["Child Protection Team"],
            allocated_worker_id=world.users["sw_b"],
            opened_on=date(2026, 11, 2),
        )
        db.session.add(case)
        db.session.commit()
        return case.id


def this_month() -> date:
    """The first day of the current month: the month the draw is made for."""
    return date.today().replace(day=1)


def drawn_audit(app, world) -> int:
    """Draw this month and confirm it, as the QA administrator would; the S.47 audit's id."""
    add_s47_case(app, world)
    with app.app_context():
        qa_admin = db.session.get(User, world.users["qa_admin"])
        selection = scheduling.preview(this_month(), 47, qa_admin, date.today())
        (audit,) = scheduling.confirm(selection, qa_admin, date.today())
        db.session.commit()
        return audit.id


def form_data(**overrides: str) -> dict[str, str]:
    """The whole form, as the page posts it: the strategy discussion Inadequate, the
    oversight Requires improvement, the child seen late, consent not sought (no reason)."""
    data = {
        "strategy-held_on-day": "2",
        "strategy-held_on-month": "11",
        "strategy-held_on-year": "2026",
        "strategy-attendance": "csc_police",
        "strategy-evidence": "Held four days after the referral, without health.",
        "strategy-grade": "inadequate",
        "enquiry-child_seen": "late",
        "enquiry-seen_alone": "yes",
        "enquiry-consent": "not_sought",
        "enquiry-consent_reason": "",
        "enquiry-information": "School, GP and police checks, analysed together.",
        "enquiry-evidence": "Visit record of 9 November; the child's words are recorded.",
        "enquiry-grade": "good",
        "outcome-outcome": "cin",
        "outcome-family_told": "The social worker, at home on 20 November",
        "outcome-evidence": "The outcome follows from the analysis; the plan is timed.",
        "outcome-grade": "good",
        "oversight-decision": "A child in need plan, because the risk is reduced.",
        "oversight-evidence": "One decision at the end; nothing during the enquiry.",
        "oversight-grade": "requires_improvement",
        "overall-summary": "A careful enquiry held back by a late start.",
        "revision": "0",
        "intent": "submit",
    }
    return data | overrides


def add_action(client, audit_id: int, section: str, owner_id: int):
    """Add an action to *section* while drafting, as its "Add an action" form does."""
    response = client.post_form(
        f"/audits/{audit_id}/actions?section={section}",
        {
            f"new-{section}-description": f"Put right what the audit found in {section}.",
            f"new-{section}-priority": "high",
            f"new-{section}-owner": str(owner_id),
            f"new-{section}-due-day": "8",
            f"new-{section}-due-month": "1",
            f"new-{section}-due-year": str(date.today().year + 1),
        },
    )
    assert response.status_code in (200, 302), response.get_data(as_text=True)[:500]


def submit_through_the_pages(client, world, audit_id: int) -> None:
    """Sign in as the service manager, add the three actions and submit the whole form."""
    login(client, world.emails["sm"])
    for section in ("strategy", "enquiry", "oversight"):
        add_action(client, audit_id, section, world.users["sw_b"])
    response = client.post_form(
        f"/audits/{audit_id}/edit",
        form_data(**{"enquiry-consent_reason": "Asking would have warned the alleged abuser."}),
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]


def tutorial_plugins_list() -> list[str]:
    """The output of ``plugins list`` that section 4 of the tutorial shows, line by line:
    the commented lines after the command, up to the blank line."""
    tutorial = (ROOT / "docs" / "writing-a-plugin.md").read_text()
    block = tutorial.split("flask --app portal plugins list\n", 1)[1].split("\n\n", 1)[0]
    return [line.removeprefix("# ") for line in block.splitlines()]


def test_the_example_is_found_through_its_entry_point_and_enabled_from_the_command_line(
    app, runner
):
    (point,) = entry_points(group="portal.plugins", name=KEY)
    assert point.value == "s47_example.plugin"
    plugin = app.extensions["portal.plugins"].installed[KEY]
    assert plugin.package_dir == EXAMPLE / KEY  # loaded from outside the portal's packages
    assert plugin.info.version == VERSION == "1.0.0"
    assert plugin.hooks == (
        "portal_audit_process",
        "portal_blueprints",
        "portal_navigation",
        "portal_plugin_info",
        "portal_report_section",
        "portal_scheduled_jobs",
    )
    listed = runner.invoke(args=["plugins", "list"]).output.splitlines()
    assert listed == tutorial_plugins_list()  # the tutorial shows the real output
    assert "s47_example disabled 1.0.0 Section 47 enquiry audit (tutorial example)" in listed
    assert runner.invoke(args=["plugins", "enable", KEY]).output.strip() == "s47_example enabled"
    listed = runner.invoke(args=["plugins", "list"]).output.splitlines()
    assert "s47_example enabled 1.0.0 Section 47 enquiry audit (tutorial example)" in listed


def test_the_monthly_draw_gives_the_csc_service_manager_one_s47_enquiry(app, world, enable_plugins):
    enable_plugins(KEY)
    case_id = add_s47_case(app, world)
    with app.app_context():
        result = scheduling.run_draw(this_month(), 47, date.today())
    (allocation,) = result["allocations"]
    assert (allocation["case_ref"], allocation["process"], allocation["quota"]) == (
        "S47-3001",
        KEY,
        QUOTA,
    )
    assert (allocation["auditor_email"], allocation["auditor_role"]) == (
        world.emails["sm"],
        "service_manager",
    )
    allocated_on = date.fromisoformat(allocation["allocated_on"])
    assert allocation["due_date"] == add_working_days(allocated_on, 15).isoformat()
    assert result["shortfalls"] == []

    # The core's independence rules bind the plugin's quota too: nobody audits their own case.
    with app.app_context():
        db.session.get(Case, case_id).allocated_worker_id = world.users["sm"]
        db.session.commit()
        result = scheduling.run_draw(this_month(), 47, date.today())
    assert result["allocations"] == []
    (shortfall,) = result["shortfalls"]
    assert (shortfall["process_key"], shortfall["quota"], shortfall["got"]) == (KEY, QUOTA, 0)
    assert "held by Sam Service" in shortfall["reason"]


def test_a_service_manager_fills_and_submits_it_through_the_pages(
    app, world, client, enable_plugins
):
    enable_plugins(KEY)
    audit_id = drawn_audit(app, world)
    with app.app_context():
        audit = db.session.get(Audit, audit_id)
        assert [row.user_id for row in audit.auditor_rows] == [world.users["sm"]]
        assert audit.due_on == add_working_days(audit.allocated_on, 15)
        assert db.session.scalar(select(MonthlySelection.seed)) == 47
    login(client, world.emails["sm"])
    page = client.get(f"/audits/{audit_id}/edit").get_data(as_text=True)
    for title in SECTION_TITLES:
        assert title in page
    for name in ("strategy-held_on-day", "enquiry-child_seen", "outcome-family_told"):
        assert f'name="{name}"' in page

    # Submitting without actions: the default rule, the plugin's own action rule (the child
    # seen late, on a Good section) and its extra check all stop it; the draft is kept.
    response = client.post_form(f"/audits/{audit_id}/edit", form_data())
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    for message in (
        "Add an action with an owner and a due date to Strategy discussion, graded Inadequate",
        "Add an action with an owner and a due date to The enquiry, graded Good",
        "Add an action with an owner and a due date to Management oversight, graded "
        "Requires improvement",
        "Enter the reason consent was not sought, in The enquiry",
    ):
        assert message in page
    assert 'href="#enquiry-consent_reason"' in page
    assert "The grading rules suggest <strong>Requires improvement</strong>" in page

    for section in ("strategy", "enquiry", "oversight"):
        add_action(client, audit_id, section, world.users["sw_b"])
    revision = REVISION.search(client.get(f"/audits/{audit_id}/edit").get_data(as_text=True))
    response = client.post_form(
        f"/audits/{audit_id}/edit",
        form_data(
            **{
                "enquiry-consent_reason": "Asking would have warned the alleged abuser.",
                "revision": revision.group(1),
            }
        ),
    )
    assert response.status_code == 302
    assert "Your audit has been submitted" in client.get(response.headers["Location"]).get_data(
        as_text=True
    )

    with app.app_context():
        audit = db.session.get(Audit, audit_id)
        answers = audit.answers()
        # the plugin's rule: one Inadequate section besides the enquiry caps the audit at
        # Requires improvement, where the portal's default would say Inadequate
        assert audit.suggested_grade == audit.overall_grade == "requires_improvement"
        assert worst_section_grade(form_of(audit), answers).grade == "inadequate"
        assert answers["enquiry"]["child_seen"] == "late"
        assert answers["strategy"]["held_on"] == "2026-11-02"
        assert sorted(action.section_key for action in audit.actions) == [
            "enquiry",
            "oversight",
            "strategy",
        ]
        assert {action.state for action in audit.actions} == {ActionStatus.OPEN}
        assert {action.owner_id for action in audit.actions} == {world.users["sw_b"]}
        waiting = AuditStatus.SUBMITTED if audit.moderation_required else AuditStatus.ACTIONS_OPEN
        assert audit.lifecycle == waiting


def test_the_plugins_share_of_audits_is_moderated_by_the_qa_lead(
    app, world, client, enable_plugins
):
    enable_plugins(KEY)
    with app.app_context():
        assert moderation_share(KEY) == 0.5
        sampled = sum(needs_moderation(Audit(id=n, process_key=KEY)) for n in range(1, 401))
    assert 150 <= sampled <= 250  # about half, drawn reproducibly by the audit's id

    audit_id = drawn_audit(app, world)
    submit_through_the_pages(client, world, audit_id)
    with app.app_context():
        audit = db.session.get(Audit, audit_id)
        assert audit.moderation_required == needs_moderation(audit)
    qa_lead = app.test_client()
    login(qa_lead, world.emails["qa_lead"])
    response = qa_lead.post_form(
        f"/moderation/{audit_id}",
        {
            "grade": "inadequate",
            "rationale": "The child was seen late and nobody challenged it: that is unsafe.",
            "feedback": "Clear evidence; weigh the delay more heavily.",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        audit = db.session.get(Audit, audit_id)
        assert (audit.overall_grade, audit.record_grade) == ("requires_improvement", "inadequate")
        assert audit.moderation.moderated_grade == "inadequate"
        assert audit.lifecycle == AuditStatus.ACTIONS_OPEN


def test_the_learning_report_has_the_plugins_section(app, world, client, enable_plugins):
    enable_plugins(KEY)
    audit_id = drawn_audit(app, world)
    submit_through_the_pages(client, world, audit_id)
    with app.app_context():
        month = db.session.get(Audit, audit_id).submitted_at.date().replace(day=1)
        report = build_monthly_report(month, date.today())
    (section,) = [section for section in report["plugin_sections"] if section.key == KEY]
    assert section.title == "Section 47 enquiry audits"
    assert section.summary.startswith("1 S.47 enquiry audit submitted in")
    data = report["sections"][KEY]
    assert data["audits"] == 1
    assert data["child_seen"] == {"within_timescale": 0, "late": 1, "not_seen": 0}
    assert data["grades_by_section"]["strategy"]["inadequate"] == 1
    assert data["grades_by_section"]["oversight"]["requires_improvement"] == 1

    qa_lead = app.test_client()
    login(qa_lead, world.emails["qa_lead"])
    page = qa_lead.get(f"/reports/monthly?month={month:%Y-%m}").get_data(as_text=True)
    assert "Section 47 enquiry audits" in page
    assert "Was the child seen within the timescale?" in page
    exported = qa_lead.get(f"/reports/monthly.json?month={month:%Y-%m}").get_json()
    assert exported["sections"][KEY]["child_seen"]["late"] == 1


def test_the_plugins_own_pages_raise_a_safeguarding_concern(app, world, client, enable_plugins):
    enable_plugins(KEY)
    audit_id = drawn_audit(app, world)
    submit_through_the_pages(client, world, audit_id)  # the child was seen late
    qa_lead = app.test_client()
    login(qa_lead, world.emails["qa_lead"])
    home = qa_lead.get("/").get_data(as_text=True)
    assert 'href="/s47_example/"' in home and "S.47: children not seen in time" in home
    listed = qa_lead.get("/s47_example/").get_data(as_text=True)
    assert "S47-3001" in listed and "Yes, but later than the timescale" in listed
    page = qa_lead.get(f"/s47_example/audits/{audit_id}").get_data(as_text=True)
    assert "No safeguarding concern has been raised here." in page

    response = qa_lead.post_form(f"/s47_example/audits/{audit_id}/concern", {"description": " "})
    assert response.status_code == 400
    assert "Describe the safeguarding concern" in response.get_data(as_text=True)
    response = qa_lead.post_form(
        f"/s47_example/audits/{audit_id}/concern",
        {"description": "Nobody has seen the child since the strategy discussion."},
    )
    assert response.status_code == 302
    page = qa_lead.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your safeguarding concern has been sent to Hana Head, Saffron Unit." in page
    assert "1 safeguarding concern raised here" in page
    with app.app_context():
        concern = db.session.scalars(select(SafeguardingConcern)).one()
        assert (concern.source_type, concern.source_id) == (KEY, str(audit_id))
        assert concern.case.reference == "S47-3001"
        told = db.session.scalars(
            select(Notification.user_id).where(Notification.subject.startswith("Safeguarding"))
        ).all()
        concern_id = concern.id
    assert sorted(told) == sorted([world.users["hos"], world.users["sgu"]])
    assert f"S47 Example {audit_id}" in qa_lead.get(f"/concerns/{concern_id}").get_data(
        as_text=True
    )

    # The service manager (signed in on client) has no menu item and no access; a
    # disabled plugin's pages answer 404.
    assert "/s47_example/" not in client.get("/").get_data(as_text=True)
    assert client.get("/s47_example/").status_code == 403
    assert client.get(f"/s47_example/audits/{audit_id}").status_code == 403
    assert app.test_cli_runner().invoke(args=["plugins", "disable", KEY, "--yes"]).exit_code == 0
    assert qa_lead.get("/s47_example/").status_code == 404


@pytest.mark.browser
def test_the_plugins_pages_in_a_browser(
    page, live_server, app, world, client, enable_plugins, sign_in, axe_check
):
    enable_plugins(KEY)
    audit_id = drawn_audit(app, world)
    submit_through_the_pages(client, world, audit_id)
    sign_in("qa_lead")
    menu = page.get_by_role("navigation", name="Main menu")
    menu.get_by_role("link", name="S.47: children not seen in time").click()
    axe_check()
    page.get_by_role("link", name="S47-3001").click()
    axe_check()
    page.get_by_role("button", name="Send the concern").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Describe the safeguarding concern"
    )
    axe_check("the page with the error summary")
    page.get_by_label("Describe the concern").fill("Nobody has seen the child since.")
    page.get_by_role("button", name="Send the concern").click()
    expect(page.get_by_text("1 safeguarding concern raised here")).to_be_visible()
    axe_check("the page after raising the concern")


def test_the_weekly_job_runs_while_the_plugin_is_enabled(
    app, world, client, runner, enable_plugins
):
    enable_plugins(KEY)
    audit_id = drawn_audit(app, world)
    submit_through_the_pages(client, world, audit_id)
    assert "s47_example.weekly_digest  Every Monday at 08:00 (UK time)" in (
        runner.invoke(args=["jobs", "list"]).output
    )
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    result = runner.invoke(args=["jobs", "run", "s47_example.weekly_digest", "--date", tomorrow])
    assert result.exit_code == 0, result.output
    assert "1 S.47 audit submitted in the week before; 1 found a child not seen" in result.output
    with app.app_context():
        subjects = db.session.scalars(
            select(Notification.subject).where(Notification.user_id == world.users["qa_lead"])
        ).all()
    assert "S.47 audits: children not seen within the timescale" in subjects

    runner.invoke(args=["plugins", "disable", KEY, "--yes"])
    result = runner.invoke(args=["jobs", "run", "s47_example.weekly_digest", "--date", tomorrow])
    assert result.exit_code != 0
    assert "There is no job 's47_example.weekly_digest'" in result.output


def test_the_examples_own_tests_pass_from_its_folder(installed, request):
    """As its README says: from the example's folder, with the plugin installed."""
    path = [str(installed), str(EXAMPLE), os.environ.get("PYTHONPATH", "")]
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            f"--database={request.config.getoption('--database')}",
        ],
        cwd=EXAMPLE,
        env={
            **os.environ,
            "PYTHONPATH": os.pathsep.join(filter(None, path)),
            "PYTHONDONTWRITEBYTECODE": "1",
        },
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in summary and "skipped" not in summary and "failed" not in summary


def test_the_tutorials_excerpts_are_the_examples_code():
    """Each excerpt is the example's code: its parts (separated by a ``# ...`` line, where
    the excerpt skips lines) appear in the file, in that order. The first excerpt of each
    Python module shows the module's imports, ``portal.plugin_api`` among them."""
    tutorial = (ROOT / "docs" / "writing-a-plugin.md").read_text()
    excerpts = EXCERPT.findall(tutorial)
    assert len(excerpts) >= 10
    shown_imports = set()
    for path, code in excerpts:
        assert path.startswith("examples/s47_example/"), path
        source = (ROOT / path).read_text()
        position = 0
        for part in code.split(SKIPPED):
            found = source.find(part, position)
            assert found >= 0, f"the tutorial misquotes {path}:\n{part}"
            position = found + len(part)
        if "from portal.plugin_api import" in code:
            shown_imports.add(path)
    modules = {path for path, _ in excerpts if path.endswith(".py") and "conftest" not in path}
    importing = {path for path in modules if "portal.plugin_api" in (ROOT / path).read_text()}
    assert importing and importing <= shown_imports


def test_other_tests_do_not_see_the_example():
    host = PluginHost()
    host.discover()
    assert KEY not in host.installed
    assert KEY not in sys.modules
    assert str(EXAMPLE) not in sys.path
