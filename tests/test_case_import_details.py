"""The optional columns of the case import: the child's characteristics, the case's flags,
and the family's name and address. The rules on plain text, then the import against a
real database (both kinds) and who sees the family's details."""

import io

import pytest
from sqlalchemy import func, select

from portal.cases.importer import import_case_file, parse_case_csv
from portal.extensions import db
from portal.models import Case, CaseFlag

TEAMS = {"Assessment Team": 1}
HEADER = (
    "reference,case_type,team,opened_on,age_band,sex,ethnicity,disability,flags,"
    "family_name,family_address"
)


def parse(*rows: str, header: str = HEADER):
    return parse_case_csv("\n".join([header, *rows]) + "\n", TEAMS, {})


def test_codes_and_names_are_read_into_codes():
    result = parse(
        'CS-1,CIN,Assessment Team,2026-01-05,5-9,female,BAFR,yes,"neglect; DV;CSE",'
        '"Ms Amy Holt","12 Mill Lane\nNorthbrook\nNB1 2AB"',
        "CS-2,CIN,Assessment Team,2026-01-05,Under 1,M,white british,Not known,,,",
    )

    assert result.errors == []
    first, second = (row.details for row in result.rows)
    assert first == {
        "age_band": "5-9",
        "sex": "F",
        "ethnicity": "BAFR",
        "disability": "YES",
        "flags": frozenset({"NEGLECT", "DOMESTIC_ABUSE", "CSE"}),
        "family_name": "Ms Amy Holt",
        "family_address": "12 Mill Lane\nNorthbrook\nNB1 2AB",
    }
    assert second == {
        "age_band": "0",
        "sex": "M",
        "ethnicity": "WBRI",
        "disability": "UNKNOWN",
        "flags": frozenset(),
        "family_name": None,
        "family_address": None,
    }


def test_a_file_without_the_optional_columns_carries_no_details():
    result = parse(
        "CS-1,CIN,Assessment Team,2026-01-05", header="reference,case_type,team,opened_on"
    )

    assert result.errors == []
    assert result.rows[0].details == {}


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ("teen,,,,,,", "unknown age band 'teen' (use one of UNBORN, 0, 1-4"),
        (",X,,,,,", "unknown sex 'X' (use one of M, F, U)"),
        (",,WBR,,,,", "unknown ethnicity 'WBR' (use one of WBRI, WIRI"),
        (",,,maybe,,,", "unknown disability 'maybe' (use one of YES, NO, UNKNOWN)"),
        (",,,,neglect;poverty,,", "unknown flag 'poverty' (use one of NEGLECT"),
        (",,,," + ",".join(["", "x" * 201, ""]), "the family name is longer than 200 characters"),
    ],
)
def test_a_bad_value_is_an_error_on_its_line(cells, message):
    result = parse(
        "CS-1,CIN,Assessment Team,2026-01-05,5-9,F,WBRI,no,,,",
        f"CS-2,CIN,Assessment Team,2026-01-05,{cells}",
    )

    assert result.rows[0].reference == "CS-1"
    assert len(result.errors) == 1
    assert result.errors[0].line == 3
    assert result.errors[0].message.startswith(message)


def details_file(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def flags_of(reference: str) -> set[str]:
    case_id = db.session.scalar(select(Case.id).where(Case.reference == reference))
    return set(db.session.scalars(select(CaseFlag.flag).where(CaseFlag.case_id == case_id)))


def test_the_import_stores_the_details_and_the_file_is_the_truth(app, world):
    with app.app_context():
        report = import_case_file(
            db.session,
            details_file(
                "CS-3001,CLA,Assessment Team,2026-02-01,10-15,F,MWBC,no,NEGLECT;CSE,Ms Kelly Shaw,"
                '"4 Oak Road\nNorthbrook"',
                "CS-1001,CIN,Assessment Team,2026-01-05,1-4,M,WBRI,yes,domestic abuse,,",
            ),
            "cases.csv",
            actor_id=None,
        )
        assert report.errors == []
        db.session.commit()
        new = db.session.scalar(select(Case).where(Case.reference == "CS-3001"))
        assert (new.age_band, new.sex, new.ethnicity, new.disability) == (
            "10-15",
            "F",
            "MWBC",
            "NO",
        )
        assert (new.family_name, new.family_address) == ("Ms Kelly Shaw", "4 Oak Road\nNorthbrook")
        assert flags_of("CS-3001") == {"NEGLECT", "CSE"}
        assert flags_of("CS-1001") == {"DOMESTIC_ABUSE"}

        # the same case again: one flag changes, one goes, the address is cleared
        report = import_case_file(
            db.session,
            details_file(
                "CS-3001,CLA,Assessment Team,2026-02-01,10-15,F,MWBC,no,NEGLECT;MISSING,"
                "Ms Kelly Shaw,",
                "CS-1001,CIN,Assessment Team,2026-01-05,1-4,M,WBRI,yes,domestic abuse,,",
            ),
            "cases.csv",
            actor_id=None,
        )
        db.session.commit()
        assert (report.counts.updated, report.counts.unchanged) == (1, 1)
        assert flags_of("CS-3001") == {"NEGLECT", "MISSING"}
        assert (
            db.session.scalar(select(Case.family_address).where(Case.reference == "CS-3001"))
            is None
        )

        # a file without the detail columns leaves the details as they are
        report = import_case_file(
            db.session,
            b"reference,case_type,team,opened_on\nCS-3001,CLA,Assessment Team,2026-02-01\n",
            "cases.csv",
            actor_id=None,
        )
        db.session.commit()
        assert str(report.counts) == "0 created, 0 updated, 1 unchanged"
        assert flags_of("CS-3001") == {"NEGLECT", "MISSING"}
        assert (
            db.session.scalar(select(Case.ethnicity).where(Case.reference == "CS-3001")) == "MWBC"
        )


def test_a_bad_code_imports_nothing(app, runner, world, tmp_path):
    path = tmp_path / "cases.csv"
    path.write_bytes(
        details_file(
            "CS-3001,CLA,Assessment Team,2026-02-01,10-15,F,MWBC,no,NEGLECT,,",
            "CS-1001,CIN,Assessment Team,2026-01-05,1-4,M,ZZZZ,yes,,,",
        )
    )

    result = runner.invoke(args=["cases", "import", str(path)])

    assert result.exit_code == 1
    assert "line 3: unknown ethnicity 'ZZZZ'" in result.stderr
    assert "Nothing was imported: 1 row has errors." in result.stderr
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(CaseFlag)) == 0
        assert db.session.scalar(select(Case.ethnicity).where(Case.reference == "CS-1001")) is None
        assert db.session.scalar(select(Case.id).where(Case.reference == "CS-3001")) is None


def test_the_import_page_lists_a_bad_flag(app, client, login_as, world):
    login_as("qa_admin")
    content = details_file(
        "CS-3001,CLA,Assessment Team,2026-02-01,10-15,F,MWBC,no,Neglect;Poverty,,"
    )

    response = client.post(
        "/cases/import",
        data={"file": (io.BytesIO(content), "cases.csv"), "csrf_token": client.csrf_token()},
        content_type="multipart/form-data",
    )

    assert response.status_code == 400
    assert "Unknown flag &#39;Poverty&#39;" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Case.id).where(Case.reference == "CS-3001")) is None


def test_the_case_page_shows_the_family_and_the_child_to_who_may_see_the_case(
    app, client, login_as, world
):
    with app.app_context():
        case = db.session.get(Case, world.cases["CS-1001"])
        case.family_name = "Ms Amy Holt"
        case.family_address = "12 Mill Lane\nNorthbrook"
        case.ethnicity = "BAFR"
        case.set_flags(frozenset({"NEGLECT"}))
        db.session.commit()
    login_as("sw_a")

    page = client.get(f"/cases/{world.cases['CS-1001']}").get_data(as_text=True)

    assert "Ms Amy Holt" in page
    assert "12 Mill Lane<br>Northbrook" in page
    assert "Black African" in page
    assert "Neglect" in page


def test_administrators_do_not_see_the_family(app, client, login_as, world):
    with app.app_context():
        db.session.get(Case, world.cases["CS-1001"]).family_name = "Ms Amy Holt"
        db.session.commit()
    login_as("admin")

    response = client.get(f"/cases/{world.cases['CS-1001']}")

    assert response.status_code == 403
    assert "Ms Amy Holt" not in response.get_data(as_text=True)
