"""``flask moderation export`` and ``flask calibration``: columns, rows, keys and bad months."""

import csv
import io
import json
from datetime import datetime

import pytest

from portal.extensions import db
from tests.audits.conftest import mini  # noqa: F401  (fixture)
from tests.moderation.calibration_helpers import G, I, O, R, audit, judge, mixed_month, moderate

COLUMNS = [
    "audit_id",
    "process",
    "auditor_email",
    "auditor_grade",
    "moderator_email",
    "moderated_grade",
    "agreed",
]


@pytest.fixture
def moderated(app, world):
    """One audit by Tom Manager and one joint audit, moderated in March 2026; one in July."""
    with app.app_context():
        single = audit(world, "CS-1001", ("tm_b",))
        moderate(world, single, G, R, datetime(2026, 3, 2, 9))
        joint = audit(world, "CS-1002", ("tm_a", "sm"))
        moderate(world, joint, O, O, datetime(2026, 3, 3, 9))
        moderate(world, audit(world), I, I, datetime(2026, 7, 1, 9))
        db.session.commit()
        return single.id, joint.id


def rows_of(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def test_export_writes_one_row_per_moderated_audit_and_auditor(runner, moderated):
    single, joint = moderated
    result = runner.invoke(
        args=["moderation", "export", "--from", "2026-01", "--to", "2026-06", "--format", "csv"]
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == ",".join(COLUMNS)
    assert rows_of(result.output) == [
        {
            "audit_id": str(single),
            "process": "mini_audit",
            "auditor_email": "tm.b@council.example",
            "auditor_grade": G,
            "moderator_email": "qa.lead@council.example",
            "moderated_grade": R,
            "agreed": "no",
        },
        {
            "audit_id": str(joint),
            "process": "mini_audit",
            "auditor_email": "sm@council.example",
            "auditor_grade": O,
            "moderator_email": "qa.lead@council.example",
            "moderated_grade": O,
            "agreed": "yes",
        },
        {
            "audit_id": str(joint),
            "process": "mini_audit",
            "auditor_email": "tm.a@council.example",
            "auditor_grade": O,
            "moderator_email": "qa.lead@council.example",
            "moderated_grade": O,
            "agreed": "yes",
        },
    ]


def test_export_writes_a_file_when_asked(runner, moderated, tmp_path):
    target = tmp_path / "moderation.csv"
    result = runner.invoke(
        args=["moderation", "export", "--from", "2026-07", "--to", "2026-07", "--output", target]
    )
    assert result.exit_code == 0, result.output
    assert "Wrote 1 row to" in result.output
    (row,) = rows_of(target.read_text(encoding="utf-8"))
    assert (row["auditor_grade"], row["moderated_grade"], row["agreed"]) == (I, I, "yes")


def test_an_empty_period_exports_the_header_alone(runner, moderated):
    result = runner.invoke(args=["moderation", "export", "--from", "2025-01", "--to", "2025-12"])
    assert result.exit_code == 0
    assert result.output == ",".join(COLUMNS) + "\n"


@pytest.mark.usefixtures("mini")
def test_calibration_json_has_the_figures_per_auditor_team_and_process(runner, app, world):
    with app.app_context():
        mixed_month(world, "tm_b", month=3)
        row = audit(world, "CS-1002", ("tm_a", "sm"))
        judge(world, row, "tm_a", O, datetime(2026, 4, 2))
        judge(world, row, "sm", G, datetime(2026, 4, 3))
        db.session.commit()
    result = runner.invoke(
        args=["calibration", "--from", "2026-01", "--to", "2026-06", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert set(report) >= {"period", "overall", "auditors", "teams", "processes", "joint"}
    assert report["period"] == {
        "from": "2026-01",
        "to": "2026-06",
        "start": "2026-01-01T00:00:00",
        "end": "2026-07-01T00:00:00",
    }
    for entry in [report["overall"], report["joint"], *report["auditors"], *report["teams"]]:
        assert {"name", "pairs", "exact_agreement", "weighted_kappa", "reading", "warning"} <= set(
            entry
        )
    overall = report["overall"]
    # 11 pairs: the ten hand-worked ones and the joint pair; κ = 20/31 (see the page test)
    assert (overall["pairs"], overall["joint_pairs"]) == (11, 1)
    assert overall["exact_agreement"] == round(7 / 11, 4)
    assert overall["weighted_kappa"] == round(20 / 31, 4)
    assert overall["matrix"]["counts"][0] == [1, 1, 0, 0]
    tom = report["auditors"][0]
    assert (tom["key"], tom["name"], tom["pairs"]) == ("tm.b@council.example", "Tom Manager", 10)
    assert (tom["exact_agreement"], tom["weighted_kappa"], tom["direction"]) == (
        0.7,
        round(12 / 17, 4),
        0.3,
    )
    assert tom["warning"] is None
    tara = next(entry for entry in report["auditors"] if entry["name"] == "Tara Manager")
    assert tara["pairs"] == 1 and tara["warning"].startswith("Based on only 1 pair")
    assert [(team["name"], team["pairs"]) for team in report["teams"]] == [
        ("Assessment Team", 10),
        ("Child Protection Team", 1),
    ]
    assert [(p["key"], p["name"], p["pairs"]) for p in report["processes"]] == [
        ("mini_audit", "Mini audit", 11)
    ]
    assert report["joint"]["pairs"] == 1
    assert report["joint"]["weighted_kappa"] == 0.0  # one pair a grade apart: p_o = p_e = 2/3


def test_an_empty_period_gives_null_figures(runner, world):
    result = runner.invoke(args=["calibration", "--from", "2026-01", "--to", "2026-01"])
    assert result.exit_code == 0, result.output
    overall = json.loads(result.output)["overall"]
    assert overall["pairs"] == 0
    assert overall["exact_agreement"] is None and overall["weighted_kappa"] is None


def test_calibration_as_text(runner, moderated):
    result = runner.invoke(
        args=["calibration", "--from", "2026-03", "--to", "2026-03", "--format", "text"]
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Calibration, March 2026\n")
    assert "Tom Manager" in result.output and "(too few pairs)" in result.output


@pytest.mark.parametrize(
    "args",
    [
        ["moderation", "export", "--from", "2026-13", "--to", "2026-12"],
        ["moderation", "export", "--from", "2026-06", "--to", "2026-01"],
        ["calibration", "--from", "March", "--to", "2026-06"],
        ["calibration", "--from", "2026-01", "--to", "2026-6-1"],
        ["calibration", "--from", "2026-01"],
    ],
)
def test_bad_months_fail_with_a_clear_message(runner, world, args):
    result = runner.invoke(args=args)
    assert result.exit_code != 0
    assert "Error" in result.output
    assert (
        "YYYY-MM" in result.output
        or "after the start month" in result.output
        or ("Missing option '--to'" in result.output)
    )
