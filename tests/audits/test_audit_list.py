"""The audit list: who sees which audits, its filters, its pages and its htmx answers."""

import html
import re
from datetime import date, datetime

import pytest

from portal.extensions import db
from portal.models import Audit, AuditAuditor, AuditStatus
from portal.testing.statements import statements_for

ROW_LINK = re.compile(r'<a class="govuk-link" href="/audits/(\d+)">([^<]+)</a>')


def rows(response) -> list[str]:
    """The case references of the audits the list links to, in order."""
    assert response.status_code == 200, response.status_code
    return [reference for _, reference in ROW_LINK.findall(response.get_data(as_text=True))]


def text_of(response) -> str:
    """The page's visible words, tags removed and spaces collapsed."""
    words = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    return " ".join(html.unescape(words).split())


@pytest.fixture
def add(app, world, mini):
    """Add an audit of the mini process: ``add("CS-1001", "tm_b", due=date(...), ...)``."""

    def make(reference, *auditors, status=AuditStatus.ALLOCATED, due=date(2026, 2, 23), **extra):
        with app.app_context():
            audit = Audit(
                case_id=world.cases[reference],
                process_key=extra.pop("process_key", "mini_audit"),
                process_version="1",
                status=status.value,
                allocated_on=date(2026, 2, 2),
                due_on=due,
                submitted_at=None if status.editable else datetime(2026, 2, 20, 10, 0),
                **extra,
            )
            audit.auditor_rows = [AuditAuditor(user_id=world.users[name]) for name in auditors]
            db.session.add(audit)
            db.session.commit()
            return audit.id

    return make


def test_every_audit_is_reachable_50_to_a_page_latest_due_first(client, login_as, add):
    for n in range(260):  # more than the 200 the old list stopped at
        add("CS-1001", "tm_b", due=date.fromordinal(date(2020, 1, 1).toordinal() + n))
    login_as("qa_lead")

    first = client.get("/audits/")
    last = client.get("/audits/?page=6")

    assert "1–50 of 260 audits" in text_of(first)
    assert "16 September 2020" in text_of(first)  # the latest due
    assert "251–260 of 260 audits" in text_of(last)
    assert len(rows(last)) == 10
    assert "1 January 2020" in text_of(last)  # the oldest is on the last page


def test_a_social_worker_sees_only_the_submitted_audits_of_their_cases(client, login_as, add):
    submitted = add("CS-1001", "tm_b", status=AuditStatus.SUBMITTED)
    add("CS-1001", "tm_b")  # a draft: not theirs to read yet
    add("CS-1002", "tm_a", status=AuditStatus.SUBMITTED)  # another worker's case
    login_as("sw_a")

    response = client.get("/audits/")

    assert ROW_LINK.findall(response.get_data(as_text=True)) == [(str(submitted), "CS-1001")]
    assert "1 audit" in text_of(response)
    assert 'name="auditor"' not in response.get_data(as_text=True)  # no one else's to pick


def test_a_partner_auditor_sees_only_their_own_audits(client, login_as, add):
    own = add("EH-2001", "police")
    add("CS-1001", "tm_b", status=AuditStatus.SUBMITTED)
    login_as("police")

    response = client.get("/audits/?status=submitted")
    everything = client.get("/audits/")

    assert rows(response) == []
    assert "No audits match these filters." in text_of(response)
    assert ROW_LINK.findall(everything.get_data(as_text=True)) == [(str(own), "EH-2001")]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=submitted", ["CS-1002", "CS-1001"]),
        ("due=2026-03", ["EH-2001", "CS-1002"]),
        ("due=2026-3", ["EH-2001", "CS-1002"]),
        ("submitted=2026-02", ["CS-1002", "CS-1001"]),
        ("q=cs-100", ["CS-1002", "CS-1001"]),
        ("q=%25", []),  # a LIKE wildcard is taken literally
        ("grade=good", ["CS-1001"]),
        ("auditor=tm_a", ["CS-1002"]),
        ("team=Early Help North", ["EH-2001"]),
        ("service=EH", ["EH-2001"]),
        ("service=CSC&status=submitted&grade=good", ["CS-1001"]),
        ("tool=mini_audit", ["EH-2001", "CS-1002", "CS-1001"]),
        ("tool=csc_audit", []),
        ("status=nonsense", ["EH-2001", "CS-1002", "CS-1001"]),  # no such status: no filter
    ],
)
def test_filters_narrow_the_list(client, login_as, world, add, query, expected):
    add("CS-1001", "tm_b", status=AuditStatus.SUBMITTED, due=date(2026, 2, 23), record_grade="good")
    add("CS-1002", "tm_a", status=AuditStatus.SUBMITTED, due=date(2026, 3, 2))
    add("EH-2001", "tm_b", due=date(2026, 3, 31))
    ids = {"auditor": world.users, "team": world.teams, "service": world.services}
    for name, values in ids.items():
        for key, value in values.items():
            query = query.replace(f"{name}={key}", f"{name}={value}")
    login_as("qa_lead")

    response = client.get(f"/audits/?{query}")

    assert rows(response) == expected


def test_a_malformed_month_is_explained_not_a_crash(client, login_as, add):
    add("CS-1001", "tm_b")
    login_as("qa_lead")

    response = client.get("/audits/?due=November&submitted=2026-13&status=allocated")

    assert response.status_code == 400
    page = text_of(response)
    assert "There is a problem" in page
    assert "Month due must be a year and month, like 2026-11" in page
    assert "Month submitted must be a year and month, like 2026-11" in page
    assert ROW_LINK.findall(response.get_data(as_text=True))  # the other filters still apply


def test_htmx_filters_and_page_links_answer_with_the_results_alone(client, login_as, add):
    for n in range(55):
        add("CS-1002", "tm_a", due=date.fromordinal(date(2026, 1, 1).toordinal() + n))
    add("CS-1001", "tm_b", status=AuditStatus.SUBMITTED)
    login_as("qa_lead")
    htmx = {"HX-Request": "true", "HX-Target": "audit-results"}

    fragment = client.get("/audits/?q=CS-1002&page=2", headers=htmx)
    bad = client.get("/audits/?due=soon", headers=htmx)

    markup = fragment.get_data(as_text=True)
    assert markup.lstrip().startswith('<div id="audit-results">')
    assert "<html" not in markup and "Apply filters" not in markup
    assert rows(fragment) == ["CS-1002"] * 5
    assert "51–55 of 55 audits" in text_of(fragment)
    assert "q=CS-1002" in markup and "page=1" in markup  # page links keep the filter
    # a bad filter loads the whole page, where the error summary is
    assert bad.headers["HX-Redirect"] == "/audits/?due=soon"


@pytest.mark.parametrize("person", ["qa_lead", "sm", "sw_a"])
def test_the_list_sends_as_many_statements_for_60_audits_as_for_2(
    app, client, login_as, add, person
):
    add("CS-1001", "tm_b", status=AuditStatus.SUBMITTED)
    add("CS-1002", "tm_a", status=AuditStatus.SUBMITTED)
    login_as(person)
    few = statements_for(app, client, "/audits/")
    for n in range(58):
        add(
            ["CS-1001", "CS-1002", "EH-2001"][n % 3],
            ["tm_a", "tm_b", "qa_lead"][n % 3],
            status=AuditStatus.SUBMITTED,
        )

    many = statements_for(app, client, "/audits/")

    assert many == few
