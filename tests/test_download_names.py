"""Download names: a hostile case reference is refused at import, and one already in the
database cannot add parameters or lines to the Content-Disposition header."""

from __future__ import annotations

import pytest
from werkzeug.http import parse_options_header

from portal.cases.importer import parse_case_csv
from portal.downloads import content_disposition
from portal.extensions import db
from portal.models import Case
from tests.audits.conftest import allocated, mini  # noqa: F401

HEADER = "reference,case_type,team,allocated_worker_email,opened_on,closed_on"
HOSTILE_REFERENCES = [
    'CS-1"; filename=evil.html',
    "CS-1\r\nSet-Cookie: session=stolen",
    "CS-1\x00",
    "CS-1;evil",
    "CS-1<script>",
    "../CS-1",
]


@pytest.mark.parametrize("reference", [ref for ref in HOSTILE_REFERENCES if "\x00" not in ref])
def test_a_hostile_reference_is_a_clear_row_error_on_import(reference):
    quoted = '"' + reference.replace('"', '""') + '"'
    text = f"{HEADER}\n{quoted},CIN,Assessment Team,,2026-01-05,\n"
    result = parse_case_csv(text, {"Assessment Team": 1}, {})
    assert not result.ok
    [error] = result.errors
    assert error.line == 2
    assert "the reference may only hold letters, digits, spaces" in error.message


def test_references_a_case_system_writes_are_accepted():
    rows = ["CS-187167", "EH/2024/001", "MASH 12.3", "S47_(2026):4#1"]
    text = HEADER + "\n" + "".join(f"{r},CIN,Assessment Team,,2026-01-05,\n" for r in rows)
    result = parse_case_csv(text, {"Assessment Team": 1}, {})
    assert result.errors == []


def disposition(header: str) -> tuple[str, dict[str, str]]:
    """The header's type and parameters, parsed as a browser would."""
    return parse_options_header(header)


@pytest.mark.parametrize("reference", HOSTILE_REFERENCES)
def test_a_download_name_carries_one_safe_file_name(reference):
    header = content_disposition(f"audit-7-{reference}.pdf")
    assert "\r" not in header and "\n" not in header and "\x00" not in header
    kind, options = disposition(header)
    assert kind == "attachment"
    assert set(options) <= {"filename", "filename*"}
    assert options["filename"].startswith("audit-7-")
    assert options["filename"].endswith("CS-1.pdf") or "CS-1" in options["filename"]
    assert options["filename"].endswith(".pdf")
    assert not set(options["filename"]) & set('";/\\\r\n')


def test_a_non_ascii_name_is_sent_as_filename_star():
    header = content_disposition("letter-Zoë Brontë.pdf")
    assert header.isascii()
    assert 'filename="letter-Zoe-Bronte.pdf"' in header
    # a browser that reads filename* (every current one) saves it under its own name
    assert disposition(header)[1]["filename"] == "letter-Zoë Brontë.pdf"


def test_the_audit_pdf_of_a_case_with_a_hostile_reference_downloads_safely(
    app,
    client,
    world,
    login_as,
    allocated,  # noqa: F811
):
    with app.app_context():
        db.session.get(Case, world.cases["CS-1001"]).reference = 'CS-1"; filename=evil.html\r\nX: y'
        db.session.commit()
    audit_id = allocated("CS-1001", "tm_b")
    login_as("qa_lead")
    response = client.get(f"/audits/{audit_id}/pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    kind, options = disposition(response.headers["Content-Disposition"])
    assert kind == "attachment"
    assert set(options) <= {"filename", "filename*"}
    assert options["filename"].endswith(".pdf")
    assert "X" not in response.headers
