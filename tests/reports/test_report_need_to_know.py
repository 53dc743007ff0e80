"""Need to know in the learning report: an example of outstanding practice names its case,
links to its audit and quotes the auditor only for readers who may open that audit.

In the test council the MASH head of service manages no team (they may open no case);
the service manager manages the assessment and child protection teams, not Early Help;
the head of service and the QA lead may open all three cases.
"""

from __future__ import annotations

import io
import json
from datetime import date, datetime

import pytest
from flask import render_template
from openpyxl import load_workbook
from sqlalchemy import select

from portal.extensions import db
from portal.models import Moderation, ReportSnapshot
from portal.reports import readers, snapshots
from portal.reports.charts import report_charts
from portal.reports.monthly import report_sections
from tests.api.conftest import bearer, issue  # noqa: F401
from tests.audits.conftest import allocated, mini  # noqa: F401
from tests.audits.test_moderation import submitted
from tests.reports.conftest import OCTOBER

SUMMARY = "Exemplary direct work: the child's voice shapes every plan."
EH_SUMMARY = "The family plan was written with the children, in their words."
CLEARED = "Persistent, creative work to reach a reluctant teenager."
DOWNLOADS = ("csv", "json", "xlsx")


def everything_said(client, month: str = "2026-10") -> dict[str, str]:
    """The report page and each of its exports as text, as *client*'s reader gets them."""
    texts = {"page": client.get(f"/reports/monthly?month={month}").get_data(as_text=True)}
    texts["page"] = texts["page"].replace("&#39;", "'")
    for extension in DOWNLOADS:
        data = client.get(f"/reports/monthly.{extension}?month={month}").data
        if extension == "xlsx":
            book = load_workbook(io.BytesIO(data))
            cells = (c.value for sheet in book for row in sheet.iter_rows() for c in row)
            texts[extension] = "\n".join(str(v) for v in cells if v is not None)
        elif extension == "json":
            texts[extension] = json.dumps(json.loads(data), ensure_ascii=False)
        else:
            texts[extension] = data.decode("utf-8-sig")
    return texts


def served_pdf_variant(app, client) -> str:
    """Which stored PDF *client*'s reader was sent: "full" or "anonymised"."""
    sent = client.get("/reports/monthly.pdf?month=2026-10").data
    with app.app_context():
        snapshot = db.session.scalar(select(ReportSnapshot).where(ReportSnapshot.month == OCTOBER))
        variants = {"full": snapshot.pdf_full, "anonymised": snapshot.pdf_anonymised}
    assert variants["full"] != variants["anonymised"]
    return next(name for name, stored in variants.items() if stored == sent)


@pytest.fixture
def early_help_example(build, october) -> int:
    """A second October example, on the Early Help case the service manager may not open."""
    return build.audit(
        "EH-2001",
        datetime(2026, 10, 25, 9),
        "outstanding",
        process_key="early_help",
        summary=EH_SUMMARY,
    )


def test_a_reader_who_cannot_open_the_case_reads_neither_its_reference_nor_its_summary(
    app, october, login_as, enable_plugins
):
    enable_plugins()  # the plugins' sections hold counts only: nothing of the case either
    client = login_as("mash_hos")
    for where, text in everything_said(client).items():
        assert "CS-1001" not in text, where
        assert SUMMARY not in text, where
    page = everything_said(client)["page"]
    assert f'href="/audits/{october["outstanding"]}"' not in page
    assert "(a case you cannot open)" in page
    assert "Not shown: the QA lead has not cleared it for sharing" in page
    example = json.loads(client.get("/reports/monthly.json?month=2026-10").data)[
        "outstanding_examples"
    ][0]
    assert example["service"] == "Children's Social Care"
    assert (example["audit_id"], example["case_reference"], example["summary"]) == (None,) * 3
    assert served_pdf_variant(app, client) == "anonymised"


def test_the_api_applies_the_same_rule(app, client, october, issue):  # noqa: F811
    hidden = client.get(
        "/api/v1/reports/monthly?month=2026-10", headers=bearer(issue("mash_hos"))
    ).get_data(as_text=True)
    assert "CS-1001" not in hidden and "the child's voice" not in hidden
    shown = client.get("/api/v1/reports/monthly?month=2026-10", headers=bearer(issue("sm")))
    assert shown.json["outstanding_examples"][0]["case_reference"] == "CS-1001"


def test_each_reader_sees_the_cases_they_may_open_and_no_others(app, early_help_example, login_as):
    manager = everything_said(login_as("sm"))
    for where, text in manager.items():
        assert "CS-1001" in text and SUMMARY in text, where
        assert "EH-2001" not in text and EH_SUMMARY not in text, where
    assert f'href="/audits/{early_help_example}"' not in manager["page"]


@pytest.mark.parametrize("who", ["qa_lead", "hos"])
def test_a_reader_who_may_open_every_case_reads_everything_and_gets_the_full_pdf(
    app, early_help_example, login_as, who
):
    client = login_as(who)
    for where, text in everything_said(client).items():
        for expected in ("CS-1001", SUMMARY, "EH-2001", EH_SUMMARY):
            assert expected in text, where
    assert f'href="/audits/{early_help_example}"' in everything_said(client)["page"]
    assert served_pdf_variant(app, client) == "full"


def test_a_reader_who_may_open_only_some_cases_gets_the_anonymised_pdf(
    app, early_help_example, login_as
):
    assert served_pdf_variant(app, login_as("sm")) == "anonymised"


def test_the_anonymised_pdf_names_no_case_and_quotes_only_what_was_cleared(app, build, world):
    build.audit("CS-1001", datetime(2026, 10, 3, 10), "outstanding", summary=SUMMARY)
    cleared = build.audit("CS-1002", datetime(2026, 10, 4, 10), "outstanding", summary=CLEARED)
    with app.app_context():
        db.session.add(
            Moderation(
                audit_id=cleared,
                moderator_id=world.users["qa_lead"],
                auditor_grade="outstanding",
                moderated_grade="outstanding",
                cleared_for_sharing=True,
            )
        )
        db.session.commit()
        with app.test_request_context():
            snapshot = snapshots.snapshot_for(OCTOBER, date.today())
            report = readers.anonymised(snapshots.report_of(snapshot))
            html = render_template(
                "reports/print.html",
                title="PDF",
                report=report,
                sections=report_sections(report),
                charts=report_charts(report),
                first=OCTOBER,
                as_of=OCTOBER,
            ).replace("&#39;", "'")
    assert "CS-1001" not in html and "CS-1002" not in html
    assert SUMMARY not in html
    assert CLEARED in html
    assert "This report was built on" in html


def test_a_summary_cleared_for_sharing_at_moderation_is_shown_without_its_reference(
    app,
    client,
    login_as,
    allocated,  # noqa: F811
):
    audit_id = submitted(client, login_as, allocated)
    login_as("qa_lead")
    page = client.get(f"/moderation/{audit_id}").get_data(as_text=True)
    assert "Cleared for sharing (anonymised)" in page
    response = client.post_form(
        f"/moderation/{audit_id}",
        {
            "grade": "outstanding",
            "rationale": "Better than good.",
            "feedback": "Superb.",
            "cleared_for_sharing": "yes",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    with app.app_context():
        moderation = db.session.scalar(select(Moderation).where(Moderation.audit_id == audit_id))
        assert moderation.cleared_for_sharing is True
    client.post_form("/logout")
    month = f"{date.today():%Y-%m}"
    texts = everything_said(login_as("mash_hos"), month)
    for where, text in texts.items():
        assert "CS-1001" not in text, where
        assert "Good, steady work" in text, where  # the auditor's summary, cleared


def test_a_moderation_not_cleared_keeps_the_summary_hidden(
    app,
    client,
    login_as,
    allocated,  # noqa: F811
):
    audit_id = submitted(client, login_as, allocated)
    login_as("qa_lead")
    response = client.post_form(
        f"/moderation/{audit_id}",
        {"grade": "outstanding", "rationale": "Better than good.", "feedback": "Superb."},
    )
    assert response.status_code == 302
    client.post_form("/logout")
    texts = everything_said(login_as("mash_hos"), f"{date.today():%Y-%m}")
    for where, text in texts.items():
        assert "Good, steady work" not in text, where
