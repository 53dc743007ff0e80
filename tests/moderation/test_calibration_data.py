"""Calibration pairs from the database: what counts, in which period, and how often."""

from datetime import datetime

import pytest
from sqlalchemy import event

from portal.extensions import db
from portal.moderation.calibration import Period
from portal.moderation.pairs import (
    PairRow,
    calibration_report,
    joint_pairs,
    moderation_pairs,
)
from tests.audits.conftest import mini  # noqa: F401  (fixture)
from tests.moderation.calibration_helpers import G, I, O, R, audit, judge, mixed_month, moderate

NOVEMBER = Period.parse("2026-11", "2026-11")


class QueryCounter:
    """Counts the SQL statements sent while it is active."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, *args) -> None:
        self.count += 1

    def __enter__(self):
        event.listen(db.engine, "before_cursor_execute", self)
        return self

    def __exit__(self, *exc) -> None:
        event.remove(db.engine, "before_cursor_execute", self)


def test_a_moderation_is_one_pair_per_auditor_named(app, world):
    with app.app_context():
        single = audit(world, "CS-1001", ("tm_b",))
        moderate(world, single, G, R, datetime(2026, 11, 3, 9))
        joint = audit(world, "CS-1002", ("tm_a", "sm"))
        moderate(world, joint, O, O, datetime(2026, 11, 4, 9))
        db.session.commit()
        db.session.expire_all()
        with QueryCounter() as counter:
            rows = moderation_pairs(NOVEMBER.start, NOVEMBER.end)
        assert counter.count == 1
        assert all(isinstance(row, PairRow) for row in rows)
        assert [(r.audit_id, r.auditor_email, r.grade_a, r.grade_b) for r in rows] == [
            (single.id, "tm.b@council.example", G, R),
            (joint.id, "sm@council.example", O, O),
            (joint.id, "tm.a@council.example", O, O),
        ]
        first = rows[0]
        assert (first.kind, first.case_reference, first.team, first.process_key) == (
            "moderation",
            "CS-1001",
            "Assessment Team",
            "mini_audit",
        )
        assert (first.auditor_name, first.other_email, first.other_name) == (
            "Tom Manager",
            "qa.lead@council.example",
            "Quinn Lead",
        )
        assert rows[1].team == "Child Protection Team"


@pytest.mark.parametrize(
    ("moment", "counted"),
    [
        (datetime(2026, 10, 31, 23, 59, 59), False),
        (datetime(2026, 11, 1, 0, 0), True),
        (datetime(2026, 11, 30, 23, 59, 59), True),
        (datetime(2026, 12, 1, 0, 0), False),
    ],
)
def test_the_period_is_the_whole_months_from_first_to_last(app, world, moment, counted):
    with app.app_context():
        moderate(world, audit(world), G, G, moment)
        db.session.commit()
        assert bool(moderation_pairs(NOVEMBER.start, NOVEMBER.end)) is counted


def test_a_moderated_audit_with_no_auditor_still_counts_for_its_team(app, world):
    with app.app_context():
        moderate(world, audit(world, auditors=()), G, G, datetime(2026, 11, 5))
        db.session.commit()
        (row,) = moderation_pairs(NOVEMBER.start, NOVEMBER.end)
        assert (row.auditor_id, row.auditor_email) == (None, None)
        report = calibration_report(NOVEMBER)
        assert report.overall.pairs == 1
        assert report.of_kind("auditor") == []
        assert [team.name for team in report.of_kind("team")] == ["Assessment Team"]


def test_joint_judgements_pair_up_seen_from_each_auditor(app, world):
    with app.app_context():
        row = audit(world, "CS-1002", ("tm_a", "sm"))
        judge(world, row, "tm_a", G, datetime(2026, 10, 30))
        # the pair is complete, and so counted, when the second judgement is recorded
        judge(world, row, "sm", R, datetime(2026, 11, 2))
        lonely = audit(world, "CS-1001", ("tm_b", "hos"))
        judge(world, lonely, "tm_b", G, datetime(2026, 11, 2))  # the other has not judged yet
        db.session.commit()
        db.session.expire_all()
        with QueryCounter() as counter:
            rows = joint_pairs(NOVEMBER.start, NOVEMBER.end)
        assert counter.count == 1
        assert [(r.auditor_email, r.grade_a, r.other_email, r.grade_b) for r in rows] == [
            ("sm@council.example", R, "tm.a@council.example", G),
            ("tm.a@council.example", G, "sm@council.example", R),
        ]
        assert {(r.kind, r.audit_id, r.at) for r in rows} == {
            ("joint", row.id, datetime(2026, 11, 2))
        }
        assert joint_pairs(datetime(2026, 10, 1), datetime(2026, 11, 1)) == []


@pytest.mark.usefixtures("mini")
def test_the_report_counts_joint_pairs_once_for_teams_and_for_each_auditor(app, world):
    with app.app_context():
        mixed_month(world, "tm_b", month=11)  # ten pairs on CS-1001, Assessment Team
        row = audit(world, "CS-1002", ("tm_a", "sm"))
        judge(world, row, "tm_a", O, datetime(2026, 11, 20))
        judge(world, row, "sm", G, datetime(2026, 11, 21))
        moderate(world, row, G, I, datetime(2026, 11, 22))
        db.session.commit()
        report = calibration_report(NOVEMBER)
        overall = report.overall
        assert (overall.pairs, overall.joint_pairs) == (12, 1)
        assert sum(map(sum, overall.matrix)) == 11
        assert {g.key: (g.pairs, g.joint_pairs) for g in report.of_kind("auditor")} == {
            "tm.b@council.example": (10, 0),
            "tm.a@council.example": (2, 1),
            "sm@council.example": (2, 1),
        }
        tom = report.of_kind("auditor")[0]
        assert tom.name == "Tom Manager"
        assert tom.exact_agreement == pytest.approx(0.7)
        assert tom.weighted_kappa == pytest.approx(12 / 17)
        assert tom.direction == pytest.approx(0.3)
        assert {g.name: g.pairs for g in report.of_kind("team")} == {
            "Assessment Team": 10,
            "Child Protection Team": 2,
        }
        (process,) = report.of_kind("process")
        assert (process.key, process.name, process.pairs) == ("mini_audit", "Mini audit", 12)
        assert (report.joint.pairs, report.joint.exact_agreement) == (1, 0.0)
        assert [r.auditor_email for r in report.joint_audits] == ["sm@council.example"]


def test_grades_off_the_scale_are_left_out_and_counted(app, world):
    with app.app_context():
        moderate(world, audit(world), "", G, datetime(2026, 11, 5))  # no auditor grade
        moderate(world, audit(world), G, G, datetime(2026, 11, 6))
        row = audit(world, "CS-1002", ("tm_a", "sm"), process_key="retired_tool")
        judge(world, row, "tm_a", "adequate", datetime(2026, 11, 7))
        judge(world, row, "sm", G, datetime(2026, 11, 7))
        db.session.commit()
        report = calibration_report(NOVEMBER)
        assert (report.overall.pairs, report.left_out) == (1, 2)
        assert report.as_dict()["left_out"] == 2


def test_an_uninstalled_process_is_named_by_its_key(app, world):
    with app.app_context():
        moderate(world, audit(world, process_key="retired_tool"), G, G, datetime(2026, 11, 5))
        db.session.commit()
        (process,) = calibration_report(NOVEMBER).of_kind("process")
        assert (process.key, process.name) == ("retired_tool", "retired_tool")
