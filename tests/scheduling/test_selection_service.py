"""The monthly selection against a real database: the demo council, preview and confirm."""

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from portal.audits.service import allocate
from portal.demo import DEMO_PASSWORD, seed_demo_council
from portal.extensions import db
from portal.models import (
    ActivityEntry,
    Audit,
    Case,
    MonthlySelection,
    Notification,
    Team,
    ThemeMonth,
    User,
)
from portal.plugins import plugin_host
from portal.scheduling import service
from portal.scheduling.service import SelectionError
from portal.testing.fixtures import login

TODAY = date.today()
NEXT_MONTH = (TODAY.replace(day=1) + timedelta(days=32)).replace(day=1)
MONTH_TEXT = f"{NEXT_MONTH:%Y-%m}"


@pytest.fixture
def council(app):
    """The demo council (500+ cases, every role), every plugin enabled."""
    with app.app_context():
        seed_demo_council()
        db.session.commit()


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_the_same_seed_on_the_same_data_gives_the_same_draw(app, council):
    with app.app_context():
        first = service.run_draw(NEXT_MONTH, 1234, TODAY)
        again = service.run_draw(NEXT_MONTH, 1234, TODAY)
        other = service.run_draw(NEXT_MONTH, 4321, TODAY)
    assert first == again
    assert first["allocations"] != other["allocations"]
    assert len(first["allocations"]) >= 10


def test_no_allocation_breaks_a_rule_on_the_demo_council(app, council):
    with app.app_context():
        # a case audited five months ago may not be drawn again
        recent = db.session.scalars(select(Case).where(Case.closed_on.is_(None))).first()
        db.session.add(
            Audit(
                case_id=recent.id,
                process_key="csc_audit",
                process_version="1",
                allocated_on=NEXT_MONTH - timedelta(days=150),
                due_on=NEXT_MONTH - timedelta(days=120),
            )
        )
        db.session.commit()
        result = service.run_draw(NEXT_MONTH, 99, TODAY)
        processes = {process.key: process for process in plugin_host().enabled_processes()}
        cases = {case.id: case for case in db.session.scalars(select(Case))}
        managed = {t.id: t.manager_id for t in db.session.scalars(select(Team))}
        per_auditor = {}
        for item in result["allocations"]:
            case = cases[item["case_id"]]
            assert case.allocated_worker_id != item["auditor_id"], item
            assert managed[case.team_id] != item["auditor_id"], item
            # closed cases only for a process that draws those closed just before the month
            window = processes[item["process"]].recently_closed_days
            assert case.closed_on is None or (
                window and case.closed_on >= NEXT_MONTH - timedelta(days=window)
            ), item
            assert case.id != recent.id
            key = (item["process"], item["quota"], item["auditor_id"])
            per_auditor[key] = per_auditor.get(key, 0) + 1
        drawn = [item["case_id"] for item in result["allocations"]]
        assert len(drawn) == len(set(drawn))
        # every CSC team manager, service manager and head of service gets exactly one
        csc_quota = [k for k in per_auditor if k[0] == "csc_audit"]
        assert csc_quota and all(per_auditor[k] == 1 for k in csc_quota)


def test_the_json_carries_what_the_qa_administrator_checks(app, council, runner):
    result = runner.invoke(
        args=[
            "selection",
            "run",
            "--month",
            MONTH_TEXT,
            "--seed",
            "7",
            "--dry-run",
            "--format",
            "json",
        ]
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert set(document) == {
        "month",
        "seed",
        "theme",
        "allocations",
        "shortfalls",
        "already_allocated",
    }
    assert document["month"] == MONTH_TEXT and document["seed"] == 7
    assert all(
        set(shortfall) == {"process_key", "quota", "wanted", "got", "reason"}
        for shortfall in document["shortfalls"]
    )
    allocations = document["allocations"]
    required = {
        "case_ref",
        "process",
        "auditor_email",
        "auditor_role",
        "auditor_agency",
        "case_team",
        "auditor_teams_managed",
        "allocated_on",
        "due_date",
    }
    assert allocations and all(required <= set(item) for item in allocations)
    with app.app_context():
        assert count(MonthlySelection) == 0 and count(Audit) == 0  # a dry run saves nothing


def test_preview_then_confirm_creates_the_audits_once(app, council, world=None):
    with app.app_context():
        qa_admin = db.session.scalar(select(User).where(User.email == "qa.admin@council.example"))
        selection = service.preview(NEXT_MONTH, 55, qa_admin, TODAY)
        db.session.commit()
        drawn = len(selection.draw["allocations"])
        created = service.confirm(selection, qa_admin, TODAY)
        db.session.commit()
        assert len(created) == drawn == count(Audit)
        assert all(audit.selection_id == selection.id for audit in created)
        assert count(Notification) >= drawn  # every auditor is told
        with pytest.raises(SelectionError, match="already confirmed"):
            service.confirm(selection, qa_admin, TODAY)
        with pytest.raises(SelectionError, match="already confirmed"):
            service.preview(NEXT_MONTH, 56, qa_admin, TODAY)
        db.session.rollback()
        assert count(Audit) == drawn
        verbs = set(db.session.scalars(select(ActivityEntry.verb)))
        assert {"drafted", "confirmed", "allocated"} <= verbs


@pytest.mark.parametrize(
    ("month", "seed", "message"),
    [
        ("2020-01", "1", "is in the past"),
        (MONTH_TEXT, "abc", "The seed must be a whole number"),
        ("January", "1", "Enter the month as YYYY-MM"),
    ],
)
def test_bad_input_gives_a_clear_message_and_creates_nothing(
    app, council, runner, month, seed, message
):
    result = runner.invoke(args=["selection", "run", "--month", month, "--seed", seed])
    assert result.exit_code != 0
    assert message in result.output
    with app.app_context():
        assert count(MonthlySelection) == 0 and count(Audit) == 0


def test_a_theme_that_matches_no_case_is_drawn_as_shortfalls(app, council):
    with app.app_context():
        db.session.add(
            ThemeMonth(month=NEXT_MONTH, theme="Nothing", case_types=["S47"], team_ids=[999])
        )
        db.session.commit()
        drawn = service.run_draw(NEXT_MONTH, 5, TODAY)
    assert drawn["allocations"] == []
    assert drawn["shortfalls"]
    for shortfall in drawn["shortfalls"]:
        assert shortfall["got"] == 0
        assert shortfall["reason"].startswith("Not enough Section 47 enquiry cases")
    with app.app_context():
        assert count(Audit) == 0


def test_a_neglect_theme_draws_only_neglect_cases_of_the_demo(app, council):
    with app.app_context():
        db.session.add(ThemeMonth(month=NEXT_MONTH, theme="Neglect", flags=["NEGLECT"]))
        db.session.commit()
        result = service.run_draw(NEXT_MONTH, 5, TODAY)
        drawn = [item["case_id"] for item in result["allocations"]]
        assert len(drawn) >= 10
        assert all("NEGLECT" in db.session.get(Case, case_id).flags for case_id in drawn)


def test_the_theme_filter_is_applied(app, council):
    with app.app_context():
        db.session.add(ThemeMonth(month=NEXT_MONTH, theme="Child protection", case_types=["CP"]))
        db.session.commit()
        result = service.run_draw(NEXT_MONTH, 3, TODAY)
        assert result["theme"] == "Child protection"
        assert {item["case_type"] for item in result["allocations"]} == {"CP"}


def test_cli_confirms_and_a_second_run_creates_nothing(app, council, runner):
    first = runner.invoke(args=["selection", "run", "--month", MONTH_TEXT, "--seed", "8"])
    assert first.exit_code == 0, first.output
    assert "audits allocated" in first.output
    with app.app_context():
        created = count(Audit)
    second = runner.invoke(args=["selection", "run", "--month", MONTH_TEXT, "--seed", "8"])
    assert second.exit_code != 0 and "already confirmed" in second.output
    with app.app_context():
        assert count(Audit) == created


def test_a_month_whose_audits_exist_is_drawn_and_nobody_gets_a_second_audit(app, council, client):
    """Issue 12, point 3: audits allocated without this month's selection (by hand, or
    by an earlier draw) count: the draw gives nobody a second audit of the same tool, and
    the schedule shows the month as drawn."""
    with app.app_context():
        first = service.run_draw(NEXT_MONTH, 1234, TODAY)
        host = plugin_host()
        for item in first["allocations"]:
            allocate(
                db.session.get(Case, item["case_id"]),
                host.process(item["process"]),
                [db.session.get(User, item["auditor_id"])],
                allocated_by=None,
                allocated_on=date.fromisoformat(item["allocated_on"]),
            )
        db.session.commit()
        again = service.run_draw(NEXT_MONTH, 99, TODAY)
    drawn = {(item["process"], item["auditor_id"]) for item in first["allocations"]}
    assert {(item["process"], item["auditor_id"]) for item in again["allocations"]} & drawn == set()
    assert len(again["allocations"]) < len(first["allocations"]) / 4
    assert again["already_allocated"] == len(first["allocations"])

    assert login(client, "qa.admin@council.example", DEMO_PASSWORD).status_code == 302
    schedule = client.get("/schedule/").get_data(as_text=True)
    row = schedule.split(f"{NEXT_MONTH:%B %Y}</th>")[1].split("</tr>")[0]
    assert "Drawn</strong> · " + f"{len(first['allocations'])} audits" in row
    page = client.get(f"/schedule/selection/{MONTH_TEXT}").get_data(as_text=True)
    assert f"{len(first['allocations'])} audits are already allocated" in page
