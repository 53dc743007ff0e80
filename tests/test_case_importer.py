"""The case import rules, on plain text and plain tables: no application, no database."""

from datetime import date

import pytest

from portal.cases.importer import CaseRow, RowError, parse_case_csv, parse_date, read_case_file
from portal.models import CaseType

TEAMS = {"Assessment Team": 1, "Child Protection Team": 2}
USERS = {"Sophie.Worker@council.example": 10, "sunil.worker@council.example": 11}
HEADER = "reference,case_type,team,allocated_worker_email,opened_on,closed_on"


def parse(text: str):
    return parse_case_csv(text, TEAMS, USERS)


def file_with(*rows: str, header: str = HEADER) -> str:
    return "\n".join([header, *rows]) + "\n"


def test_a_good_file_gives_resolved_rows():
    result = parse(
        file_with(
            "CS-1,CIN,Assessment Team,sophie.worker@council.example,2026-01-05,",
            "CS-2,Child protection,child protection team,,05/01/2026,31/03/2026",
        )
    )
    assert result.errors == []
    assert result.rows == [
        CaseRow(2, "CS-1", CaseType.CIN, 1, 10, date(2026, 1, 5), None),
        CaseRow(3, "CS-2", CaseType.CP, 2, None, date(2026, 1, 5), date(2026, 3, 31)),
    ]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("CIN", CaseType.CIN),
        ("cin", CaseType.CIN),
        ("EARLY_HELP", CaseType.EARLY_HELP),
        ("Early Help", CaseType.EARLY_HELP),
        ("MASH contact", CaseType.MASH_CONTACT),
        ("LAC", CaseType.CLA),
        ("S.47", CaseType.S47),
        ("  Care leaver ", CaseType.CARE_LEAVER),
    ],
)
def test_case_type_by_code_or_label(cell, expected):
    result = parse(file_with(f"CS-1,{cell},Assessment Team,,2026-01-05,"))
    assert result.errors == []
    assert result.rows[0].case_type is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-01-05", date(2026, 1, 5)),
        ("05/01/2026", date(2026, 1, 5)),
        ("5/1/2026", date(2026, 1, 5)),
        ("29/02/2024", date(2024, 2, 29)),
    ],
)
def test_dates_in_either_form(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text", ["2026-1-5", "01-05-2026", "2026/01/05", "31/02/2026", "2026-13-01", "5 Jan 2026", ""]
)
def test_dates_that_are_refused(text):
    with pytest.raises(ValueError):
        parse_date(text)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (",CIN,Assessment Team,,2026-01-05,", "the reference is missing"),
        ("   ,CIN,Assessment Team,,2026-01-05,", "the reference is missing"),
        ("X" * 41 + ",CIN,Assessment Team,,2026-01-05,", "longer than 40 characters"),
        ("CS-9,,Assessment Team,,2026-01-05,", "the case type is missing"),
        ("CS-9,Adoption,Assessment Team,,2026-01-05,", "unknown case type 'Adoption'"),
        ("CS-9,CIN,,,2026-01-05,", "the team is missing"),
        ("CS-9,CIN,Nowhere,,2026-01-05,", "unknown team 'Nowhere'"),
        ("CS-9,CIN,Assessment Team,nobody@council.example,2026-01-05,", "unknown allocated worker"),
        ("CS-9,CIN,Assessment Team,,,", "the date in opened_on is missing"),
        (
            "CS-9,CIN,Assessment Team,,2026-02-30,",
            "the date in opened_on, '2026-02-30', is not a real date",
        ),
        (
            "CS-9,CIN,Assessment Team,,05.01.2026,",
            "the date in opened_on, '05.01.2026', is not a real date",
        ),
        (
            "CS-9,CIN,Assessment Team,,2026-01-05,soon",
            "the date in closed_on, 'soon', is not a real date",
        ),
        (
            "CS-9,CIN,Assessment Team,,2026-02-01,2026-01-31",
            "the date in closed_on (31 January 2026) is before the date in opened_on "
            "(1 February 2026)",
        ),
        ("CS-9,CIN,Assessment Team,,2026-01-05,,surprise", "the row has 7 values"),
    ],
)
def test_every_kind_of_bad_row(row, message):
    result = parse(file_with("CS-1,CIN,Assessment Team,,2026-01-05,", row))
    assert [error.line for error in result.errors] == [3]
    assert message in result.errors[0].message
    assert not result.ok


def test_a_reference_of_exactly_40_characters_is_fine():
    result = parse(file_with("X" * 40 + ",CIN,Assessment Team,,2026-01-05,"))
    assert result.errors == []


def test_a_case_may_close_the_day_it_opened():
    result = parse(file_with("CS-1,CIN,Assessment Team,,2026-01-05,2026-01-05"))
    assert result.errors == []


def test_a_reference_twice_in_the_file_is_an_error_on_the_second_line():
    result = parse(
        file_with(
            "CS-1,CIN,Assessment Team,,2026-01-05,",
            "CS-2,CIN,Assessment Team,,2026-01-05,",
            " CS-1 ,CP,Child Protection Team,,2026-01-05,",
        )
    )
    assert result.errors == [RowError(4, "the reference 'CS-1' is also on line 2")]


def test_every_bad_row_is_reported_with_its_line_and_every_reason():
    result = parse(
        file_with(
            "CS-1,CIN,Assessment Team,,2026-01-05,",
            "CS-2,CIN,Nowhere,,2026-01-05,",
            "CS-3,CIN,Assessment Team,,2026-01-05,",
            ",Adoption,Assessment Team,,yesterday,",
        )
    )
    assert [(error.line, error.message) for error in result.errors] == [
        (3, "unknown team 'Nowhere'"),
        (5, "the reference is missing"),
        (5, "unknown case type 'Adoption' (use one of " + ", ".join(CaseType) + ")"),
        (
            5,
            "the date in opened_on, 'yesterday', is not a real date in the form "
            "YYYY-MM-DD or DD/MM/YYYY",
        ),
    ]
    assert str(result.errors[0]) == "line 3: unknown team 'Nowhere'"


def test_columns_in_any_order_any_case_and_extra_columns_ignored():
    text = (
        "Opened_On,Notes,TEAM,Case Type,Reference\n"
        "2026-01-05,anything at all,assessment team,CP,CS-7\n"
    )
    result = parse(text)
    assert result.errors == []
    assert result.rows == [CaseRow(2, "CS-7", CaseType.CP, 1, None, date(2026, 1, 5), None)]


def test_worker_email_and_team_are_matched_ignoring_case_and_spaces():
    result = parse(
        file_with("CS-1,CIN, ASSESSMENT TEAM , SOPHIE.WORKER@COUNCIL.EXAMPLE ,2026-01-05,")
    )
    assert result.errors == []
    assert (result.rows[0].team_id, result.rows[0].allocated_worker_id) == (1, 10)


def test_blank_lines_are_skipped_but_still_counted():
    text = (
        HEADER + "\n\nCS-1,CIN,Assessment Team,,2026-01-05,\n,,,,,\nCS-2,CIN,Nowhere,,2026-01-05,\n"
    )
    result = parse(text)
    assert [row.line for row in result.rows] == [3]
    assert result.errors == [RowError(5, "unknown team 'Nowhere'")]


def test_quoted_values_and_windows_line_endings():
    text = 'reference,case_type,team,opened_on\r\n"CS-1","CIN","Assessment Team","2026-01-05"\r\n'
    result = parse(text)
    assert result.errors == []
    assert result.rows[0].reference == "CS-1"


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("", RowError(1, "the file is empty")),
        ("  \n\n", RowError(1, "the file is empty")),
        (",,,\n", RowError(1, "the file is empty")),
        (HEADER + "\n", RowError(1, "the file has no cases below the header row")),
        (
            "reference,case_type,opened_on\nCS-1,CIN,2026-01-05\n",
            RowError(
                1,
                "the header row is missing the required column team (the header must name "
                "the columns reference, case_type, team, opened_on)",
            ),
        ),
        (
            "reference,team,team,case_type,opened_on\nCS-1,A,B,CIN,2026-01-05\n",
            RowError(1, "the column team appears more than once in the header"),
        ),
        (
            HEADER + '\nCS-1,CIN,"Assessment Team,,2026-01-05,\nCS-2,CIN,X,,2026-01-05,\n',
            RowError(2, "the file is not valid CSV: unexpected end of data"),
        ),
        (HEADER + "\nCS-1,CIN\x00,Assessment Team,,2026-01-05,\n", None),
    ],
)
def test_file_level_errors(text, error):
    result = parse(text)
    assert result.rows == []
    assert len(result.errors) == 1
    if error is None:
        assert result.errors[0] == RowError(2, "the file is not a CSV text file")
    else:
        assert result.errors[0] == error


def test_a_header_missing_several_columns_names_them_all():
    result = parse("Case reference,Child name\nCS-1,Anon\n")
    assert len(result.errors) == 1
    assert "missing the required columns reference, case_type, team, opened_on" in (
        result.errors[0].message
    )


@pytest.mark.parametrize(
    "data",
    [
        HEADER.encode() + b"\nCS-1,CIN,Assessment Team,,2026-01-05,\n",
        b"\xef\xbb\xbf" + HEADER.encode() + b"\nCS-1,CIN,Assessment Team,,2026-01-05,\n",
    ],
    ids=["without BOM", "with BOM"],
)
def test_utf8_with_or_without_a_byte_order_mark(data):
    result = read_case_file(data, TEAMS, USERS)
    assert result.errors == []
    assert result.rows[0].reference == "CS-1"


@pytest.mark.parametrize(
    ("data", "line"),
    [
        (HEADER.encode() + b"\nCS-1,CIN,Assessment Team,,2026-01-05,\nCS-\xe9,CIN\n", 3),
        (b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xb5U\x90", 1),
        ("reference,case_type,team,opened_on\nCS-1,CIN,Équipe,2026-01-05\n".encode("utf-16"), 1),
    ],
    ids=["latin-1 byte on line 3", "a spreadsheet", "UTF-16"],
)
def test_a_file_that_is_not_utf8_text_is_refused(data, line):
    result = read_case_file(data, TEAMS, USERS)
    assert result.rows == []
    assert result.errors == [
        RowError(line, "the file is not UTF-8 text: save it as a CSV file in UTF-8 and try again")
    ]


def test_team_names_that_differ_only_in_case_are_ambiguous():
    teams = {"North": 1, "NORTH": 2}
    result = parse_case_csv(file_with("CS-1,CIN,north,,2026-01-05,"), teams, {})
    assert result.errors == [RowError(2, "the team name 'north' matches more than one team")]
