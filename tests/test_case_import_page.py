"""The case import page: who may use it, a good file, a bad file, and CSRF."""

import html
import io
import re

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import ActivityEntry, Case

URL = "/cases/import"
HEADER = "reference,case_type,team,allocated_worker_email,opened_on,closed_on"
GOOD = "\n".join(
    [
        HEADER,
        "CS-3001,CLA,Assessment Team,sw.a@council.example,2026-02-01,",
        "CS-1001,CIN,Child Protection Team,,2026-01-05,2026-03-31",
        "CS-1002,CP,Child Protection Team,sw.b@council.example,2026-01-05,",
    ]
).encode()


def upload(client, content: bytes, name: str = "cases.csv", token: str | None = None):
    data = {"file": (io.BytesIO(content), name)}
    data["csrf_token"] = client.csrf_token() if token is None else token
    return client.post(URL, data=data, content_type="multipart/form-data")


def case_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Case))


def imports(app) -> list[ActivityEntry]:
    with app.app_context():
        return db.session.scalars(
            select(ActivityEntry).where(ActivityEntry.object_type == "case_import")
        ).all()


def text_of(response) -> str:
    """The page's visible words, tags removed and spaces collapsed."""
    words = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    return " ".join(html.unescape(words).split())


@pytest.mark.parametrize("person", ["qa_admin", "admin"])
def test_qa_administrators_and_administrators_see_the_form(client, login_as, person):
    login_as(person)

    response = client.get(URL)

    assert response.status_code == 200
    markup = response.get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in markup
    assert 'type="file"' in markup
    assert 'for="file"' in markup
    assert 'name="csrf_token"' in markup
    assert "reference, case_type, team, opened_on" in markup


@pytest.mark.parametrize("person", ["sw_a", "tm_a", "qa_lead", "police"])
def test_everyone_else_is_refused(client, login_as, person):
    login_as(person)

    assert client.get(URL).status_code == 403
    assert upload(client, GOOD).status_code == 403
    assert case_count(client.application) == 3


def test_signed_out_visitors_are_sent_to_sign_in(client, world):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_a_good_file_is_imported_and_reported(app, client, login_as, world):
    login_as("qa_admin")

    response = upload(client, GOOD)

    assert response.status_code == 200
    page = text_of(response)
    assert "cases.csv was imported: 1 created, 1 updated, 1 unchanged." in page
    assert "Cases created 1" in page
    assert "Cases updated 1" in page
    assert "Cases unchanged 1" in page
    assert case_count(app) == 4
    [entry] = imports(app)
    assert (entry.actor_id, entry.object_id, entry.summary) == (
        world.users["qa_admin"],
        "cases.csv",
        "1 created, 1 updated",
    )


def test_uploading_the_same_file_again_changes_nothing(app, client, login_as, world):
    login_as("admin")
    upload(client, GOOD)

    response = upload(client, GOOD)

    assert "0 created, 0 updated, 3 unchanged" in text_of(response)
    assert case_count(app) == 4


def test_a_file_with_bad_rows_imports_nothing_and_lists_every_one(app, client, login_as, world):
    login_as("qa_admin")
    content = GOOD + b"\nCS-3002,CIN,Nowhere,,2026-01-05,\nCS-3003,Adoption,Assessment Team,,x,\n"

    response = upload(client, content)

    assert response.status_code == 400
    markup = response.get_data(as_text=True)
    assert "govuk-error-summary" in markup
    assert "<title>Error: Import cases" in markup
    page = text_of(response)
    assert "The selected file has errors on 2 rows. Nothing was imported." in page
    assert "2 rows have errors" in page
    assert "5 Unknown team 'Nowhere'" in page
    assert "6 Unknown case type 'Adoption'" in page
    assert "6 The date in opened_on, 'x', is not a real date" in page
    assert case_count(app) == 3
    assert imports(app) == []
    with app.app_context():
        assert db.session.get(Case, world.cases["CS-1001"]).closed_on is None


def test_the_dates_of_a_case_closed_before_it_opened_read_as_gov_uk_writes_them(
    app, client, login_as, world
):
    login_as("qa_admin")
    before = case_count(app)
    response = upload(
        client, f"{HEADER}\nCS-3002,CIN,Assessment Team,,2026-01-05,2025-12-31\n".encode()
    )

    assert response.status_code == 400
    assert (
        "2 The date in closed_on (31 December 2025) is before the date in opened_on "
        "(5 January 2026)"
    ) in text_of(response)
    assert case_count(app) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "1 The file is empty"),
        (b"reference,team\nCS-1,Assessment Team\n", "1 The header row is missing"),
        (b"\xff\xfe\x00r\x00e", "1 The file is not UTF-8 text"),
    ],
)
def test_a_file_that_cannot_be_read_imports_nothing(app, client, login_as, world, content, message):
    login_as("qa_admin")

    response = upload(client, content)

    assert response.status_code == 400
    assert message in text_of(response)
    assert imports(app) == []


def test_a_file_with_a_byte_order_mark(app, client, login_as, world):
    login_as("qa_admin")

    response = upload(client, b"\xef\xbb\xbf" + GOOD)

    assert response.status_code == 200
    assert case_count(app) == 4


def test_no_file_chosen(client, login_as, world):
    login_as("qa_admin")

    response = client.post_form(URL, {}, content_type="multipart/form-data")

    assert response.status_code == 400
    assert "Select a CSV file" in response.get_data(as_text=True)


def test_a_file_that_is_not_a_csv_by_name(app, client, login_as, world):
    login_as("qa_admin")

    response = upload(client, GOOD, name="cases.xlsx")

    assert response.status_code == 400
    assert "The selected file must be a CSV" in response.get_data(as_text=True)
    assert case_count(app) == 3


def test_a_post_without_the_csrf_token_is_refused(app, client, login_as, world):
    login_as("qa_admin")

    response = upload(client, GOOD, token="")

    assert response.status_code == 400
    assert case_count(app) == 3
    assert imports(app) == []


def test_a_file_over_10_mb_is_refused(app, client, login_as, world):
    login_as("qa_admin")

    response = upload(client, GOOD + b"\n" + b"," * (10 * 1024 * 1024))

    assert response.status_code == 413
    assert case_count(app) == 3
