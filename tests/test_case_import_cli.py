"""``flask --app portal cases import FILE.csv`` against a real database."""

from datetime import date

import pytest
from sqlalchemy import func, select

from portal.cases.importer import import_case_file
from portal.extensions import db
from portal.models import ActivityEntry, Case, CaseType

HEADER = "reference,case_type,team,allocated_worker_email,opened_on,closed_on"
GOOD_ROWS = [
    # new
    "CS-3001,CLA,Assessment Team,sw.a@council.example,2026-02-01,",
    "CS-3002,S47,child protection team,,01/03/2026,",
    # CS-1001 moves team, gains a closing date and loses its worker
    "CS-1001,CIN,Child Protection Team,,2026-01-05,2026-03-31",
    # CS-1002 exactly as the world has it
    "CS-1002,CP,Child Protection Team,SW.B@council.example,2026-01-05,",
]


def write(tmp_path, rows, name="cases.csv", header=HEADER, prefix=b""):
    path = tmp_path / name
    path.write_bytes(prefix + "\n".join([header, *rows, ""]).encode())
    return path


def import_file(runner, path):
    return runner.invoke(args=["cases", "import", str(path)])


def cases_by_reference(app) -> dict[str, Case]:
    with app.app_context():
        cases = db.session.scalars(select(Case)).all()
        return {case.reference: case for case in cases}


def activity(app) -> list[ActivityEntry]:
    with app.app_context():
        return db.session.scalars(
            select(ActivityEntry).where(ActivityEntry.object_type == "case_import")
        ).all()


def case_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Case))


def test_a_good_file_creates_and_updates_cases(app, runner, world, tmp_path):
    result = import_file(runner, write(tmp_path, GOOD_ROWS))

    assert result.exit_code == 0, result.output
    assert result.stdout == "Imported cases.csv: 2 created, 1 updated, 1 unchanged.\n"
    cases = cases_by_reference(app)
    assert set(cases) == {"CS-1001", "CS-1002", "EH-2001", "CS-3001", "CS-3002"}
    new = cases["CS-3001"]
    assert (new.type, new.team_id, new.allocated_worker_id, new.opened_on, new.closed_on) == (
        CaseType.CLA,
        world.teams["Assessment Team"],
        world.users["sw_a"],
        date(2026, 2, 1),
        None,
    )
    assert cases["CS-3002"].opened_on == date(2026, 3, 1)
    moved = cases["CS-1001"]
    assert moved.id == world.cases["CS-1001"]
    assert moved.team_id == world.teams["Child Protection Team"]
    assert moved.allocated_worker_id is None
    assert moved.closed_on == date(2026, 3, 31)
    assert cases["CS-1002"].allocated_worker_id == world.users["sw_b"]


def test_the_import_is_one_activity_entry_with_no_actor(app, runner, world, tmp_path):
    import_file(runner, write(tmp_path, GOOD_ROWS))

    [entry] = activity(app)
    assert (entry.verb, entry.object_id, entry.actor_id) == ("imported", "cases.csv", None)
    assert entry.summary == "2 created, 1 updated"
    assert entry.after == {"created": 2, "updated": 1, "unchanged": 1}


def test_importing_again_updates_and_never_duplicates(app, runner, world, tmp_path):
    path = write(tmp_path, GOOD_ROWS)
    import_file(runner, path)
    assert case_count(app) == 5

    again = import_file(runner, path)
    assert again.exit_code == 0, again.output
    assert again.stdout == "Imported cases.csv: 0 created, 0 updated, 4 unchanged.\n"
    assert case_count(app) == 5

    changed = write(tmp_path, ["CS-3001,CLA,Assessment Team,,2026-02-01,2026-04-30"])
    third = import_file(runner, changed)
    assert third.stdout == "Imported cases.csv: 0 created, 1 updated, 0 unchanged.\n"
    assert case_count(app) == 5
    assert cases_by_reference(app)["CS-3001"].closed_on == date(2026, 4, 30)
    assert len(activity(app)) == 3


def test_one_bad_row_among_good_ones_imports_nothing(app, runner, world, tmp_path):
    rows = [
        *GOOD_ROWS,
        "CS-3003,CIN,Nowhere,,2026-01-05,",
        "CS-3004,CIN,Assessment Team,,2026-02-30,",
        "CS-3001,CIN,Assessment Team,,2026-01-05,",
    ]
    before = cases_by_reference(app)

    result = import_file(runner, write(tmp_path, rows))

    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "line 6: unknown team 'Nowhere'",
        "line 7: the date in opened_on, '2026-02-30', is not a real date in the form "
        "YYYY-MM-DD or DD/MM/YYYY",
        "line 8: the reference 'CS-3001' is also on line 2",
        "Nothing was imported: 3 rows have errors.",
    ]
    after = cases_by_reference(app)
    assert set(after) == set(before)
    assert after["CS-1001"].team_id == world.teams["Assessment Team"]
    assert after["CS-1001"].closed_on is None
    assert activity(app) == []


def test_a_bad_file_leaves_the_session_untouched(app, world):
    content = "\n".join([HEADER, *GOOD_ROWS, "CS-3003,CIN,Nowhere,,2026-01-05,"]).encode()
    with app.app_context():
        report = import_case_file(db.session, content, "cases.csv", actor_id=None)

        assert report.counts is None
        assert [str(error) for error in report.errors] == ["line 6: unknown team 'Nowhere'"]
        assert not db.session.new
        assert not db.session.dirty


@pytest.mark.parametrize(
    ("content", "stderr"),
    [
        (b"", ["line 1: the file is empty"]),
        (
            b"reference,case_type,opened_on\nCS-1,CIN,2026-01-05\n",
            [
                "line 1: the header row is missing the required column team (the header must "
                "name the columns reference, case_type, team, opened_on)"
            ],
        ),
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            ["line 1: the file is not UTF-8 text: save it as a CSV file in UTF-8 and try again"],
        ),
    ],
    ids=["empty", "missing column", "not text"],
)
def test_a_file_that_cannot_be_read_imports_nothing(app, runner, world, tmp_path, content, stderr):
    path = tmp_path / "cases.csv"
    path.write_bytes(content)

    result = import_file(runner, path)

    assert result.exit_code == 1
    assert result.stderr.splitlines() == [*stderr, "Nothing was imported: 1 row has errors."]
    assert case_count(app) == 3
    assert activity(app) == []


def test_a_file_saved_with_a_byte_order_mark(app, runner, world, tmp_path):
    path = write(tmp_path, GOOD_ROWS[:1], prefix=b"\xef\xbb\xbf")

    result = import_file(runner, path)

    assert result.exit_code == 0, result.output
    assert "CS-3001" in cases_by_reference(app)


def test_a_long_file_name_is_shortened_for_the_history(app, runner, world, tmp_path):
    name = "x" * 80 + ".csv"
    result = import_file(runner, write(tmp_path, GOOD_ROWS[:1], name=name))

    assert result.exit_code == 0, result.output
    [entry] = activity(app)
    assert entry.object_id == name[:60]


def test_a_missing_file_is_a_usage_error(app, runner, world, tmp_path):
    result = import_file(runner, tmp_path / "absent.csv")

    assert result.exit_code == 2
    assert "does not exist" in result.stderr
    assert case_count(app) == 3
