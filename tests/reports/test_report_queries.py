"""The monthly learning report's figures, on known data: exact numbers, by hand."""

from __future__ import annotations

import logging
from contextlib import contextmanager
from datetime import date, datetime

import pytest
from sqlalchemy import event, text

from portal.extensions import db
from portal.hookspecs import hookimpl
from portal.reports.monthly import (
    JSON_KEYS,
    TREND_MONTHS,
    ReportMonthError,
    add_months,
    build_monthly_report,
    json_document,
    last_complete_month,
    parse_month,
    report_sections,
)
from portal.reports.sections import ReportSection, ReportTable
from tests.reports.conftest import OCTOBER, TODAY, report_plugin

SERVICES = ("Children's Social Care", "Early Help", "Multi-Agency Safeguarding Hub")


def report_of(app, month: date = OCTOBER, today: date = TODAY) -> dict:
    with app.app_context():
        return build_monthly_report(month, today)


@contextmanager
def statements_run(app):
    """The SQL statements run inside the block."""
    seen: list[str] = []

    def count(conn, cursor, statement, *args):
        seen.append(statement)

    with app.app_context():
        engine = db.engine
        event.listen(engine, "before_cursor_execute", count)
        try:
            yield seen
        finally:
            event.remove(engine, "before_cursor_execute", count)


# The month ---------------------------------------------------------------------------------


def test_audits_completed_in_the_month_by_service(app, october):
    report = report_of(app)
    assert report["month"] == "2026-10"
    assert report["audits_completed"] == {
        "Children's Social Care": 3,
        "Early Help": 1,
        "Multi-Agency Safeguarding Hub": 0,
    }


def test_the_grade_distribution_uses_the_moderated_grade_and_sums_to_the_audits(app, october):
    report = report_of(app)
    assert report["grade_distribution"] == {
        "outstanding": 1,
        "good": 1,
        "requires_improvement": 1,  # the moderator's grade, not the auditor's "good"
        "inadequate": 1,
    }
    assert sum(report["grade_distribution"].values()) == sum(report["audits_completed"].values())


def test_actions_created_completed_signed_off_and_overdue_in_the_month(app, october):
    actions = report_of(app)["actions"]
    assert actions == {
        "created": 2,  # high and low of October; the draft never counts
        "completed": 3,  # 2, 10 and 30 October
        "signed_off": 1,  # 12 October; 3 November is next month's
        # the low due 15 October; the high due 30 September was completed on 30 October and
        # awaited sign-off at the end of the month: late, but no longer overdue
        "overdue": 1,
        # signed off by the end of October: the high (3) of 3 + 1 + 2 + 3 raised by then
        "weighted_progress": round(3 / 9, 4),
    }


def test_a_high_signed_off_and_a_low_open_make_three_quarters(app, build):
    audit = build.audit("CS-1001", datetime(2026, 10, 2), "good")
    build.action(
        audit, "high", "signed_off", datetime(2026, 10, 2), signed_off_at=datetime(2026, 10, 9)
    )
    build.action(audit, "low", "open", datetime(2026, 10, 3), due_on=date(2026, 12, 1))
    actions = report_of(app)["actions"]
    assert actions["weighted_progress"] == 0.75
    assert (actions["created"], actions["signed_off"], actions["overdue"]) == (2, 1, 0)


def test_progress_is_zero_without_actions(app, world):
    report = report_of(app)
    assert report["actions"] == {
        "created": 0,
        "completed": 0,
        "signed_off": 0,
        "overdue": 0,
        "weighted_progress": 0.0,
    }
    assert report["cumulative"]["actions"]["weighted_progress"] == 0.0


def test_in_the_current_month_actions_are_overdue_as_of_today(app, october):
    november = report_of(app, date(2026, 11, 1), today=TODAY)
    assert november["as_of"] == "2026-11-15"
    # the low of October and November's low; the high was signed off on 3 November
    assert november["actions"]["overdue"] == 2
    assert november["actions"]["created"] == 1
    assert november["actions"]["signed_off"] == 1
    assert november["audits_completed"]["Early Help"] == 1
    assert november["grade_distribution"]["outstanding"] == 1


def test_a_past_month_is_judged_on_its_last_day(app, october):
    assert report_of(app)["as_of"] == "2026-10-31"


def test_learning_themes_count_each_audit_once_per_area(app, october):
    themes = report_of(app)["learning_themes"]
    assert themes == {
        "supervision": 2,  # tagged twice on one audit: counted once
        "training": 1,
        "complaints_and_compliments": 0,
        "workforce": 0,
        "commissioning": 0,
        "service_and_team_plans": 0,
        "safeguarding_board": 1,
    }


def test_outstanding_examples_carry_the_auditors_summary(app, october):
    report = report_of(app)
    assert report["outstanding_total"] == 1
    assert report["outstanding_examples"] == [
        {
            "audit_id": october["outstanding"],
            "case_reference": "CS-1001",
            "process_key": "csc_audit",
            "process_title": "Children's Social Care case file audit",
            "service": "Children's Social Care",
            "submitted_on": "2026-10-03",
            "summary": "Exemplary direct work: the child's voice shapes every plan.",
            "cleared_for_sharing": False,
        }
    ]


def test_outstanding_examples_are_limited_and_the_total_is_kept(app, build):
    for day in range(1, 13):
        build.audit("CS-1002", datetime(2026, 10, day, 9), "outstanding", summary=f"Day {day}")
    report = report_of(app)
    assert report["outstanding_total"] == 12
    assert [e["summary"] for e in report["outstanding_examples"]] == [
        f"Day {day}" for day in range(1, 11)
    ]
    assert report_sections(report)[3].summary.endswith("the first 10 are shown.")


def test_an_audit_without_a_summary_or_a_known_grade_still_counts(app, build):
    build.audit("CS-1001", datetime(2026, 10, 2), "outstanding")
    build.audit("CS-1001", datetime(2026, 10, 3), "exceptional")
    report = report_of(app)
    assert report["outstanding_examples"][0]["summary"] == ""
    assert report["grade_distribution"]["exceptional"] == 1
    assert report["labels"]["grades"]["exceptional"] == "Exceptional"
    assert sum(report["grade_distribution"].values()) == 2


# Cumulatively ------------------------------------------------------------------------------


def test_the_trend_has_the_twelve_months_up_to_the_report(app, october):
    trend = report_of(app)["trend"]
    assert len(trend) == TREND_MONTHS == 12
    assert [entry["month"] for entry in trend] == [
        "2025-11",
        "2025-12",
        *(f"2026-{m:02d}" for m in range(1, 11)),
    ]
    by_month = {entry["month"]: entry for entry in trend}
    assert by_month["2025-11"]["completed"] == 1
    assert by_month["2025-11"]["grades"]["inadequate"] == 1
    assert by_month["2026-09"]["completed"] == 1
    assert by_month["2026-09"]["actions"] == {"created": 2, "completed": 0, "signed_off": 0}
    assert by_month["2026-10"]["completed"] == 4
    assert by_month["2026-10"]["services"] == {
        "Children's Social Care": 3,
        "Early Help": 1,
        "Multi-Agency Safeguarding Hub": 0,
    }
    assert by_month["2026-10"]["actions"] == {"created": 2, "completed": 3, "signed_off": 1}
    assert sum(entry["completed"] for entry in trend) == 6
    for entry in trend:
        assert sum(entry["grades"].values()) == entry["completed"]


def test_the_cumulative_figures_cover_the_twelve_months(app, october):
    cumulative = report_of(app)["cumulative"]
    assert (cumulative["from"], cumulative["to"]) == ("2025-11", "2026-10")
    assert cumulative["audits_completed"] == {
        "Children's Social Care": 5,  # 31 October 2025 is outside; November 2026 after
        "Early Help": 1,
        "Multi-Agency Safeguarding Hub": 0,
    }
    assert cumulative["grade_distribution"] == {
        "outstanding": 1,
        "good": 2,
        "requires_improvement": 1,
        "inadequate": 2,
    }
    assert cumulative["actions"] == {
        "created": 4,
        "completed": 3,
        "signed_off": 1,
        "overdue": 1,
        "weighted_progress": round(3 / 9, 4),
    }
    assert cumulative["learning_themes"]["training"] == 2
    assert cumulative["learning_themes"]["supervision"] == 2


def test_the_report_has_the_json_keys_and_its_sections_in_a_fixed_order(app, october):
    report = report_of(app)
    assert set(JSON_KEYS) <= set(report)
    assert list(json_document(report)) == list(JSON_KEYS)
    assert report["sections"] == {}
    assert [section.key for section in report_sections(report)] == [
        "audits-completed",
        "grades-given",
        "action-progress",
        "outstanding-practice",
        "learning-themes",
        "learning-followed-up",
        "equality-of-access",
        "reaudits",
    ]


def test_the_report_runs_the_same_few_statements_however_many_audits(app, build):
    build.audit("CS-1001", datetime(2026, 10, 2), "good")
    with statements_run(app) as few:
        build_monthly_report(OCTOBER, TODAY)
    for day in range(1, 29):
        audit = build.audit("CS-1002", datetime(2026, 10, day, 8), "outstanding", summary="x")
        build.action(audit, "high", "open", datetime(2026, 10, day), due_on=date(2026, 10, 30))
    with statements_run(app) as many:
        build_monthly_report(OCTOBER, TODAY)
    assert len(many) == len(few)
    # services, audits, action counts, action position, learning, outstanding, learning
    # followed up (a count, nothing more when there is none), re-audits, plugins, the tool
    # builder's published tools (its run-time processes), and the equality section's grades
    # and outcomes (one statement each)
    assert len(few) == 12


# Months ------------------------------------------------------------------------------------


def test_months_are_written_yyyy_mm_and_not_in_the_future():
    assert parse_month("2026-10", TODAY) == date(2026, 10, 1)
    assert parse_month(" 2026-11 ", TODAY) == date(2026, 11, 1)  # the current month
    for bad in ("2026-13", "2026-1", "October", "2026/10", "", "2026-00"):
        with pytest.raises(ReportMonthError, match="Enter the month as YYYY-MM"):
            parse_month(bad, TODAY)
    with pytest.raises(ReportMonthError, match="December 2026 is in the future"):
        parse_month("2026-12", TODAY)
    with pytest.raises(ReportMonthError, match="January 2000 or a later month"):
        parse_month("1999-12", TODAY)


def test_month_arithmetic_crosses_years():
    assert add_months(date(2026, 1, 20), -1) == date(2025, 12, 1)
    assert add_months(date(2026, 10, 1), -11) == date(2025, 11, 1)
    assert add_months(date(2026, 12, 1), 1) == date(2027, 1, 1)
    assert last_complete_month(date(2027, 1, 3)) == date(2026, 12, 1)


# Plugins' sections -------------------------------------------------------------------------


def test_hook_portal_report_section_adds_an_enabled_plugins_section(app, world, install_plugin):
    calls = []

    def section(month, start, end):
        calls.append((month, start, end))
        return ReportSection(
            key="mini_report",
            title="Mini audits",
            summary="Two mini audits.",
            tables=(ReportTable("Counts", ("Kind", "Audits"), (("Mini", 2),)),),
            data={"audits": 2},
        )

    install_plugin(report_plugin(section=section))
    report = report_of(app)
    assert calls == [(OCTOBER, datetime(2026, 10, 1), datetime(2026, 11, 1))]
    assert report["sections"] == {"mini_report": {"audits": 2}}
    assert [s.key for s in report_sections(report)][8:] == ["mini_report"]  # after the core's 8
    assert report_sections(report)[-1].tables[0].rows == (("Mini", 2),)


def test_a_plugin_hook_may_take_fewer_arguments_and_may_add_nothing(app, world, install_plugin):
    module = report_plugin()

    @hookimpl
    def portal_report_section(month):
        return None

    module.portal_report_section = portal_report_section
    install_plugin(module)
    assert report_of(app)["sections"] == {}


def test_a_disabled_plugin_contributes_no_section(app, world, enable_plugins):
    assert report_of(app)["sections"] == {}
    enable_plugins("csc_audit")
    assert set(report_of(app)["sections"]) == {"csc_audit"}
    enable_plugins()
    shipped = {
        "csc_audit",
        "early_help",
        "fostering_oversight",
        "management_oversight",
        "mash",
        "practice_observation",
        "s47_audit",
        "supervision_quality",
        "thematic_review",
    }
    assert set(report_of(app)["sections"]) == shipped
    with app.app_context():
        app.extensions["portal.plugins"].set_enabled("mash", False, actor_id=None)
        db.session.commit()
    report = report_of(app)
    assert set(report["sections"]) == shipped - {"mash"}
    assert [s.key for s in report_sections(report)][8:] == [
        "csc_audit",
        "early_help",
        "fostering_oversight",
        "management_oversight",
        "practice_observation",
        "s47_audit",
        "supervision_quality",
        "thematic_review",
    ]


def _good(**changes):
    fields = {
        "key": "mini_report",
        "title": "Mini audits",
        "summary": "Mini.",
        "tables": (),
        "data": {},
    }
    return ReportSection(**{**fields, **changes})


def _raise(**_):
    raise RuntimeError("the mini report broke")


@pytest.mark.parametrize(
    ("section", "problem"),
    [
        (lambda **_: {"key": "mini_report"}, "returned dict, not ReportSection"),
        (lambda **_: _good(key="other"), "the section's key is 'other'"),
        (lambda **_: _good(title=" "), "the section has no title"),
        (lambda **_: _good(tables=[]), "tables must be a tuple"),
        (
            lambda **_: _good(tables=(ReportTable("T", ("A", "B"), (("x",),)),)),
            "every row must be a tuple as long as the head",
        ),
        (
            lambda **_: _good(tables=(ReportTable("T", ("A",), ((date(2026, 1, 1),),)),)),
            "a cell is neither text nor a number",
        ),
        (lambda **_: _good(data={"when": date(2026, 1, 1)}), "data cannot be written as JSON"),
        (lambda **_: _good(data=[1]), "data must be a dict"),
        (_raise, "failed"),
    ],
)
def test_a_malformed_plugin_section_is_left_out_and_logged(
    app, world, install_plugin, enable_plugins, caplog, section, problem
):
    install_plugin(report_plugin(section=section))
    enable_plugins("csc_audit")
    with caplog.at_level(logging.ERROR):
        report = report_of(app)
    assert set(report["sections"]) == {"csc_audit"}  # the other plugins are unharmed
    assert "plugin 'mini_report': portal_report_section" in caplog.text
    assert problem in caplog.text


def test_a_plugin_whose_query_fails_does_not_spoil_the_next_plugins(
    app, world, install_plugin, enable_plugins, caplog
):
    def broken(**_):
        db.session.execute(text("SELECT nothing FROM no_such_table"))

    install_plugin(report_plugin("broken_sql", broken), key="broken_sql")  # before csc_audit
    enable_plugins("csc_audit")
    with caplog.at_level(logging.ERROR):
        report = report_of(app)
    assert set(report["sections"]) == {"csc_audit"}
    assert "plugin 'broken_sql': portal_report_section failed" in caplog.text
