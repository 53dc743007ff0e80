"""The monthly report's commentary, approval and circulation (portal.circulation), with a
real SMTP server: the QA lead writes, an assistant director approves, the QA lead emails
the anonymised PDF to a distribution list, and the history records it."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

import portal.reports.export
from portal.extensions import db
from portal.models import (
    ActivityEntry,
    DistributionList,
    ReportCirculation,
    ReportCommentary,
    Role,
    UserRole,
)
from portal.reports.monthly import add_months, month_key
from portal.testing.fixtures import login
from portal.testing.smtp import use_smtp

#: The month the tests write on: October 2026 (the ``october`` data), over by now.
MONTH = "2026-10"
PAGE = f"/circulation/report/monthly/{MONTH}"
ADDRESSES = ["dmm.chair@example.org", "dmm.minutes@example.org", "finance.lead@example.org"]
COMMENTARY = {
    "key_messages": "Planning for children improved across the assessment teams.",
    "learning": "Supervision records rarely show reflection on the child's lived experience.",
    "recommendations": "Team managers to use the reflective supervision template from January.",
}


def signed_in(app, world, short):
    client = app.test_client()
    assert login(client, world.emails[short]).status_code == 302
    return client


def add_list(client, name="Departmental Management Meeting", addresses=ADDRESSES):
    return client.post_form(
        "/circulation/lists/new", {"name": name, "addresses": "\n".join(addresses)}
    )


def rows(app, model):
    with app.app_context():
        return db.session.scalars(select(model)).all()


def history(app, verb):
    with app.app_context():
        return db.session.scalars(
            select(ActivityEntry).where(
                ActivityEntry.verb == verb, ActivityEntry.object_id == f"monthly-{MONTH}"
            )
        ).all()


@pytest.fixture
def qa(app, world):
    return signed_in(app, world, "qa_lead")


@pytest.fixture
def director(app, world):
    return signed_in(app, world, "ad")


@pytest.fixture
def approved(app, world, october, qa, director):
    """October's commentary written by the QA lead and approved by the director."""
    assert qa.post_form(f"{PAGE}/commentary", COMMENTARY).status_code == 302
    assert director.post_form(f"{PAGE}/approve").status_code == 302


@pytest.fixture
def pdf_html(monkeypatch):
    """The HTML of every PDF rendered, beside the PDF it became."""
    rendered = []
    real = portal.reports.export.html_to_pdf

    def spy(html):
        document = real(html)
        rendered.append((html, document))
        return document

    monkeypatch.setattr(portal.reports.export, "html_to_pdf", spy)
    return rendered


def test_the_approved_report_reaches_every_address_of_the_list_as_an_anonymised_pdf(
    app, world, approved, qa, smtp_server, pdf_html
):
    port, inbox = smtp_server()
    use_smtp(app, port)
    assert add_list(qa).status_code == 302
    [chosen] = rows(app, DistributionList)
    response = qa.post_form(f"{PAGE}/circulate", {"list_id": str(chosen.id)})
    assert response.status_code == 302
    assert sorted(message["To"] for message in inbox.messages) == sorted(ADDRESSES)
    for message in inbox.messages:
        assert message["Subject"] == "Monthly learning report: October 2026"
        [attachment] = list(message.iter_attachments())
        assert attachment.get_content_type() == "application/pdf"
        assert attachment.get_filename() == "monthly-learning-report-october-2026.pdf"
        document = attachment.get_payload(decode=True)
        assert document.startswith(b"%PDF")
    # the PDF sent is the anonymised one, with the approved commentary in it
    [(html, document)] = [(h, d) for h, d in pdf_html if d == document]
    assert "CS-1001" not in html
    assert "CS-1001" in qa.get(f"/reports/monthly?month={MONTH}").get_data(as_text=True)
    assert COMMENTARY["learning"].replace("'", "&#39;") in html
    assert "Approved by Alex Director" in html
    [sent] = rows(app, ReportCirculation)
    assert (sent.list_name, sent.recipients, sent.refused) == (
        "Departmental Management Meeting",
        3,
        0,
    )
    [entry] = history(app, "circulated")
    assert entry.actor_id == world.users["qa_lead"]
    assert "Departmental Management Meeting: 3 recipients" in entry.summary
    page = qa.get(PAGE).get_data(as_text=True)
    assert "Departmental Management Meeting" in page and "Quinn Lead" in page


def test_the_commentary_shows_in_the_page_and_every_download_once_approved(
    app, world, october, qa, director
):
    assert qa.post_form(f"{PAGE}/commentary", COMMENTARY).status_code == 302
    reader = signed_in(app, world, "hos")
    report_page = f"/reports/monthly?month={MONTH}"
    assert COMMENTARY["recommendations"] not in reader.get(report_page).get_data(as_text=True)
    draft = director.get(report_page).get_data(as_text=True)
    assert "Commentary (draft)" in draft and COMMENTARY["recommendations"] in draft
    assert director.post_form(f"{PAGE}/approve").status_code == 302
    page = reader.get(report_page).get_data(as_text=True)
    assert "Approved by Alex Director" in page and COMMENTARY["recommendations"] in page
    csv = reader.get(f"/reports/monthly.csv?month={MONTH}").get_data(as_text=True)
    assert COMMENTARY["key_messages"] in csv
    document = reader.get(f"/reports/monthly.json?month={MONTH}").json
    assert document["commentary"]["learning"] == COMMENTARY["learning"]
    assert document["commentary"]["approved_by"] == "Alex Director"


def test_a_refused_address_is_counted_and_the_others_still_receive_it(
    app, world, approved, qa, smtp_server
):
    port, inbox = smtp_server()
    inbox.refuse.add(ADDRESSES[0])
    use_smtp(app, port)
    add_list(qa)
    [chosen] = rows(app, DistributionList)
    assert qa.post_form(f"{PAGE}/circulate", {"list_id": str(chosen.id)}).status_code == 302
    assert sorted(m["To"] for m in inbox.messages) == sorted(ADDRESSES[1:])
    [sent] = rows(app, ReportCirculation)
    assert (sent.recipients, sent.refused) == (2, 1)


def test_without_a_mail_server_nothing_is_sent_or_recorded(app, world, approved, qa):
    app.config.update(SMTP_HOST="")
    add_list(qa)
    [chosen] = rows(app, DistributionList)
    response = qa.post_form(f"{PAGE}/circulate", {"list_id": str(chosen.id)})
    assert response.status_code == 400
    assert "Email is not set up" in response.get_data(as_text=True)
    assert rows(app, ReportCirculation) == []
    assert history(app, "circulated") == []


def test_no_list_chosen_shows_an_error_and_sends_nothing(app, world, approved, qa, smtp_server):
    port, inbox = smtp_server()
    use_smtp(app, port)
    response = qa.post_form(f"{PAGE}/circulate", {"list_id": "999"})
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "govuk-error-summary" in text and "Select the distribution list" in text
    assert inbox.messages == [] and rows(app, ReportCirculation) == []


def test_a_draft_cannot_be_circulated(app, world, october, qa, smtp_server):
    port, inbox = smtp_server()
    use_smtp(app, port)
    qa.post_form(f"{PAGE}/commentary", COMMENTARY)
    add_list(qa)
    [chosen] = rows(app, DistributionList)
    response = qa.post_form(f"{PAGE}/circulate", {"list_id": str(chosen.id)})
    assert response.status_code == 400
    assert "must be approved before" in response.get_data(as_text=True)
    assert inbox.messages == []


# Approval rules ---------------------------------------------------------------------------


def test_the_author_cannot_approve_their_own_draft(app, world, october):
    with app.app_context():  # the director also acts as QA lead, and writes the draft
        db.session.add(UserRole(user_id=world.users["ad"], role=Role.QA_LEAD))
        db.session.commit()
    director = signed_in(app, world, "ad")
    assert director.post_form(f"{PAGE}/commentary", COMMENTARY).status_code == 302
    response = director.post_form(f"{PAGE}/approve")
    assert response.status_code == 400
    assert "You wrote this commentary" in response.get_data(as_text=True)
    [row] = rows(app, ReportCommentary)
    assert row.approved_at is None


def test_the_month_must_be_over(app, world, qa, director):
    this_month = month_key(date.today())
    page = f"/circulation/report/monthly/{this_month}"
    assert qa.post_form(f"{page}/commentary", COMMENTARY).status_code == 302
    response = director.post_form(f"{page}/approve")
    assert response.status_code == 400
    assert "not over yet" in response.get_data(as_text=True)
    assert rows(app, ReportCommentary)[0].approved_at is None
    last_month = month_key(add_months(date.today(), -1))
    page = f"/circulation/report/monthly/{last_month}"
    qa.post_form(f"{page}/commentary", COMMENTARY)
    assert director.post_form(f"{page}/approve").status_code == 302


def test_only_an_assistant_director_approves(app, world, october, qa):
    qa.post_form(f"{PAGE}/commentary", COMMENTARY)
    for short in ("qa_lead", "hos", "sw_a"):
        client = qa if short == "qa_lead" else signed_in(app, world, short)
        assert client.post_form(f"{PAGE}/approve").status_code == 403
    assert rows(app, ReportCommentary)[0].approved_at is None
    assert history(app, "approved commentary") == []


def test_every_part_must_be_written_before_approval(app, world, october, qa, director):
    qa.post_form(f"{PAGE}/commentary", {"key_messages": "Good month."})
    response = director.post_form(f"{PAGE}/approve")
    assert response.status_code == 400
    assert "no learning and no recommendations" in response.get_data(as_text=True)


def test_approved_commentary_no_longer_changes(app, world, approved, qa):
    response = qa.post_form(f"{PAGE}/commentary", {**COMMENTARY, "learning": "Changed."})
    assert response.status_code == 400
    assert rows(app, ReportCommentary)[0].learning == COMMENTARY["learning"]


# Bad input --------------------------------------------------------------------------------


def test_commentary_naming_a_case_is_refused(app, world, october, qa):
    response = qa.post_form(
        f"{PAGE}/commentary", {**COMMENTARY, "learning": "See CS-1001 for good practice."}
    )
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "govuk-error-summary" in text and "must not name a case" in text
    assert 'href="#learning"' in text
    assert rows(app, ReportCommentary) == []


def test_empty_commentary_is_refused(app, world, qa):
    response = qa.post_form(f"{PAGE}/commentary", {"key_messages": "  "})
    assert response.status_code == 400
    assert "govuk-error-summary" in response.get_data(as_text=True)
    assert rows(app, ReportCommentary) == []


@pytest.mark.parametrize(
    ("name", "addresses", "message"),
    [
        ("Heads of service", "", "Enter at least one email address"),
        ("Heads of service", "hos@example.org\nnot-an-address", "correct format"),
        ("", "hos@example.org", "Enter the name of the list"),
        ("heads of SERVICE", "hos@example.org", "There is already a list called"),
    ],
)
def test_a_bad_list_shows_an_error_summary_and_changes_nothing(
    app, world, qa, name, addresses, message
):
    add_list(qa, "Heads of Service", ["one@example.org"])
    response = qa.post_form("/circulation/lists/new", {"name": name, "addresses": addresses})
    assert response.status_code == 400
    text = response.get_data(as_text=True).replace("&#39;", "'")
    assert "govuk-error-summary" in text and message in text
    [only] = rows(app, DistributionList)
    assert only.addresses == ["one@example.org"]


def test_a_list_is_changed_and_removed(app, world, qa):
    add_list(qa)
    [chosen] = rows(app, DistributionList)
    response = qa.post_form(
        f"/circulation/lists/{chosen.id}",
        {"name": "DMM", "addresses": "A.Chair@Example.org; b@example.org, a.chair@example.org"},
    )
    assert response.status_code == 302
    [changed] = rows(app, DistributionList)
    assert (changed.name, changed.addresses) == ("DMM", ["a.chair@example.org", "b@example.org"])
    assert "DMM" in qa.get("/circulation/lists").get_data(as_text=True)
    assert qa.post_form(f"/circulation/lists/{chosen.id}/remove").status_code == 302
    assert rows(app, DistributionList) == []


# Need to know -----------------------------------------------------------------------------


@pytest.mark.parametrize("short", ["sw_a", "tm_a", "hos", "qa_admin", "admin", "police"])
def test_others_see_neither_the_lists_nor_the_drafts(app, world, october, qa, short):
    add_list(qa)
    qa.post_form(f"{PAGE}/commentary", COMMENTARY)
    [chosen] = rows(app, DistributionList)
    client = signed_in(app, world, short)
    for url in ("/circulation/lists", f"/circulation/lists/{chosen.id}", PAGE):
        assert client.get(url).status_code == 403, url
    assert client.post_form(f"{PAGE}/commentary", COMMENTARY).status_code == 403
    report = client.get(f"/reports/monthly?month={MONTH}")
    assert COMMENTARY["learning"] not in report.get_data(as_text=True)


def test_an_unknown_report_or_period_is_not_found(app, world, qa):
    assert qa.get("/circulation/report/weekly/2026-10").status_code == 404
    assert qa.get("/circulation/report/monthly/2026-13").status_code == 404
    assert qa.get("/circulation/report/monthly/2099-01").status_code == 404
