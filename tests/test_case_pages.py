"""The case list and the case page: who sees what, filters, pages and audits."""

import html
import re
from datetime import date, datetime

import pytest

from portal.extensions import db
from portal.models import Audit, AuditAuditor, AuditStatus, Case, CaseType
from portal.plugins import plugin_host
from portal.testing.statements import statements_for

ALL = {"CS-1001", "CS-1002", "EH-2001"}
CASE_LINK = re.compile(r'<a class="govuk-link" href="/cases/\d+">([^<]+)</a>')


def listed(response) -> list[str]:
    """The references the case list links to, in order."""
    assert response.status_code == 200
    return CASE_LINK.findall(response.get_data(as_text=True))


def text_of(response) -> str:
    """The page's visible words, tags removed and spaces collapsed."""
    words = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    return " ".join(html.unescape(words).split())


def add_audit(app, world, reference, process_key, auditors, status=AuditStatus.ALLOCATED):
    with app.app_context():
        audit = Audit(
            case_id=world.cases[reference],
            process_key=process_key,
            process_version="1",
            status=status.value,
            allocated_on=date(2026, 2, 2),
            due_on=date(2026, 2, 23),
            submitted_at=None if status.editable else datetime(2026, 2, 20, 10, 0),
        )
        audit.auditor_rows = [AuditAuditor(user_id=world.users[name]) for name in auditors]
        db.session.add(audit)
        db.session.commit()


def add_cases(app, world, *cases):
    """Add cases given as (reference, case type, team name, closed on)."""
    with app.app_context():
        db.session.add_all(
            Case(
                reference=reference,
                case_type=case_type.value,
                team_id=world.teams[team],
                opened_on=date(2025, 6, 1),
                closed_on=closed_on,
            )
            for reference, case_type, team, closed_on in cases
        )
        db.session.commit()


@pytest.mark.parametrize(
    ("person", "expected"),
    [
        ("sw_a", {"CS-1001"}),
        ("sw_b", {"CS-1002"}),
        ("eh_w", {"EH-2001"}),
        ("tm_a", {"CS-1001"}),
        ("tm_b", {"CS-1002"}),
        ("sm", {"CS-1001", "CS-1002"}),
        ("hos", ALL),
        ("qa_admin", ALL),
        ("qa_lead", ALL),
        ("sgu", ALL),
        ("police", set()),
        ("admin", set()),
    ],
)
def test_the_list_shows_only_the_cases_each_person_may_see(client, login_as, person, expected):
    login_as(person)

    assert set(listed(client.get("/cases/"))) == expected


def test_an_empty_list_says_so(client, login_as):
    login_as("police")

    response = client.get("/cases/")

    assert "There are no cases for you to see." in text_of(response)
    assert "<table" not in response.get_data(as_text=True)


def test_a_partner_auditor_sees_the_case_they_audit(app, client, login_as, world):
    add_audit(app, world, "CS-1002", "retired_tool", ["police"])
    login_as("police")

    assert listed(client.get("/cases/")) == ["CS-1002"]
    assert client.get(f"/cases/{world.cases['CS-1002']}").status_code == 200
    assert client.get(f"/cases/{world.cases['CS-1001']}").status_code == 403


def test_the_list_shows_each_case_in_a_row(client, login_as):
    login_as("sw_a")

    page = text_of(client.get("/cases/"))

    assert "CS-1001 Child in need Assessment Team Sophie Worker 5 January 2026 Not closed" in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["CS-1001", "CS-1002", "CS-50%", "CS-5099", "EH-2001", "EH-2002"]),
        ("?q=cs-1", ["CS-1001", "CS-1002"]),
        ("?q=+eh-+", ["EH-2001", "EH-2002"]),
        ("?q=50%25", ["CS-50%"]),
        ("?q=_", []),
        ("?case_type=CP", ["CS-1002", "CS-5099"]),
        ("?case_type=EARLY_HELP&status=closed", ["EH-2002"]),
        ("?status=open", ["CS-1001", "CS-1002", "CS-50%", "EH-2001"]),
        ("?status=closed", ["CS-5099", "EH-2002"]),
        ("?team={Child Protection Team}", ["CS-1002", "CS-5099"]),
        ("?team={Child Protection Team}&status=open&q=cs", ["CS-1002"]),
        ("?case_type=BOGUS&team=abc&status=maybe&page=-3", None),
    ],
)
def test_filters(app, client, login_as, world, query, expected):
    add_cases(
        app,
        world,
        ("CS-50%", CaseType.CIN, "Assessment Team", None),
        ("CS-5099", CaseType.CP, "Child Protection Team", date(2025, 12, 1)),
        ("EH-2002", CaseType.EARLY_HELP, "Early Help North", date(2025, 12, 1)),
    )
    login_as("qa_admin")
    url = "/cases/" + query.replace(
        "{Child Protection Team}", str(world.teams["Child Protection Team"])
    )

    response = client.get(url)

    everything = ["CS-1001", "CS-1002", "CS-50%", "CS-5099", "EH-2001", "EH-2002"]
    assert listed(response) == (everything if expected is None else expected)
    if expected == []:
        assert "No cases match these filters." in text_of(response)


def test_the_team_filter_offers_only_the_teams_of_visible_cases(client, login_as, world):
    login_as("sm")

    markup = client.get("/cases/").get_data(as_text=True)

    assert f'value="{world.teams["Assessment Team"]}">Assessment Team' in markup
    assert f'value="{world.teams["Child Protection Team"]}">Child Protection Team' in markup
    assert "Early Help North" not in markup


def test_the_list_is_paginated_50_to_a_page(app, client, login_as, world):
    add_cases(
        app,
        world,
        *[(f"P-{n:03d}", CaseType.CIN, "Assessment Team", None) for n in range(120)],
    )
    login_as("tm_a")

    first = client.get("/cases/?q=P-")
    third = client.get("/cases/?q=P-&page=3")
    beyond = client.get("/cases/?q=P-&page=99")

    assert listed(first) == [f"P-{n:03d}" for n in range(50)]
    assert "1–50 of 120 cases" in text_of(first)
    first_markup = first.get_data(as_text=True)
    assert 'class="govuk-pagination"' in first_markup
    assert 'href="/cases/?q=P-&amp;page=2" rel="next"' in first_markup
    assert 'aria-current="page"' in first_markup
    assert listed(third) == [f"P-{n:03d}" for n in range(100, 120)]
    assert "101–120 of 120 cases" in text_of(third)
    assert 'rel="prev"' in third.get_data(as_text=True)
    assert 'rel="next"' not in third.get_data(as_text=True)
    assert listed(beyond) == listed(third)


def test_htmx_filters_and_page_links_answer_with_the_results_alone(app, client, login_as, world):
    add_cases(
        app,
        world,
        *[(f"P-{n:03d}", CaseType.CIN, "Assessment Team", None) for n in range(60)],
    )
    login_as("tm_a")
    htmx = {"HX-Request": "true", "HX-Target": "case-results"}

    fragment = client.get("/cases/?q=P-&page=2", headers=htmx)
    whole = client.get("/cases/?q=P-&page=2", headers={"HX-Request": "true"})

    markup = fragment.get_data(as_text=True)
    assert markup.lstrip().startswith('<div id="case-results">')
    assert "<html" not in markup and "Apply filters" not in markup
    assert listed(fragment) == [f"P-{n:03d}" for n in range(50, 60)]
    assert "51–60 of 60 cases" in text_of(fragment)
    assert "<html" in whole.get_data(as_text=True)  # aimed elsewhere: the whole page


def page_numbers(response) -> list[str]:
    """The page links and ellipses of the pagination component, in order."""
    nav = response.get_data(as_text=True).split('class="govuk-pagination"')[1].split("</nav>")[0]
    return re.findall(r'aria-label="Page (\d+)"|(&ctdot;)', nav)


def test_pagination_shows_the_pages_around_the_current_one(app, client, login_as, world):
    add_cases(
        app,
        world,
        *[(f"P-{n:03d}", CaseType.CIN, "Assessment Team", None) for n in range(260)],
    )
    login_as("qa_admin")

    def pages(number):
        found = page_numbers(client.get(f"/cases/?q=P-&page={number}"))
        return [page or "…" for page, ellipsis in found]

    assert pages(1) == ["1", "2", "…", "6"]
    assert pages(3) == ["1", "2", "3", "4", "5", "6"]
    assert pages(6) == ["1", "…", "5", "6"]


def test_one_page_has_no_pagination(client, login_as):
    login_as("qa_admin")

    assert "govuk-pagination" not in client.get("/cases/").get_data(as_text=True)


def test_the_case_page_shows_the_case_and_why_the_user_sees_it(client, login_as, world):
    login_as("sw_a")

    response = client.get(f"/cases/{world.cases['CS-1001']}")

    assert response.status_code == 200
    page = text_of(response)
    assert "<title>Case CS-1001" in response.get_data(as_text=True)
    assert "Reference CS-1001" in page
    assert "Case type Child in need" in page
    assert "Team Assessment Team" in page
    assert "Allocated worker Sophie Worker" in page
    assert "Opened 5 January 2026" in page
    assert "Closed Not closed" in page
    assert "You are the allocated worker for this case." in page
    assert "You manage" not in page
    assert "This case has not been audited." in page


@pytest.mark.parametrize(
    ("person", "sentences"),
    [
        ("tm_a", ["You manage Assessment Team, or a manager who reports to you does."]),
        ("sm", ["You manage Assessment Team, or a manager who reports to you does."]),
        ("qa_lead", ["Your role lets you see every case."]),
        ("police", ["You are named as an auditor on an audit of this case."]),
    ],
)
def test_the_case_page_says_how_each_person_stands_to_the_case(
    app, client, login_as, world, person, sentences
):
    add_audit(app, world, "CS-1001", "retired_tool", ["police"])
    login_as(person)

    page = text_of(client.get(f"/cases/{world.cases['CS-1001']}"))

    for sentence in sentences:
        assert sentence in page
    assert "You are the allocated worker" not in page


def test_the_case_page_lists_the_audits(app, client, login_as, world):
    with app.app_context():
        key, plugin = next(iter(plugin_host().installed.items()))
    add_audit(app, world, "CS-1001", key, ["tm_b", "qa_lead"], AuditStatus.IN_PROGRESS)
    add_audit(app, world, "CS-1001", "retired_tool", ["sm"], AuditStatus.CLOSED)
    login_as("qa_lead")

    page = text_of(client.get(f"/cases/{world.cases['CS-1001']}"))

    assert (
        f"{plugin.info.name} In progress 2 February 2026 23 February 2026 Quinn Lead, Tom Manager"
    ) in page
    assert "retired_tool Closed 2 February 2026 23 February 2026 Sam Service" in page
    assert "This case has not been audited." not in page


def test_the_case_page_lists_only_the_audits_the_user_may_read(app, client, login_as, world):
    """The worker sees submitted audits; an auditor of one audit sees only that one."""
    with app.app_context():
        key, plugin = next(iter(plugin_host().installed.items()))
    add_audit(app, world, "CS-1001", key, ["tm_b"], AuditStatus.IN_PROGRESS)
    add_audit(app, world, "CS-1001", "retired_tool", ["police"], AuditStatus.CLOSED)
    login_as("sw_a")
    page = text_of(client.get(f"/cases/{world.cases['CS-1001']}"))
    assert "retired_tool Closed" in page
    assert f"{plugin.info.name} In progress" not in page  # a draft is not theirs to read yet
    client.post_form("/logout")
    login_as("police")
    page = text_of(client.get(f"/cases/{world.cases['CS-1001']}"))
    assert "retired_tool Closed" in page
    assert "Tom Manager" not in page


@pytest.mark.parametrize("person", ["qa_lead", "sw_a", "police"])
def test_the_case_page_sends_as_many_statements_for_30_audits_as_for_2(
    app, client, login_as, world, person
):
    with app.app_context():
        key = next(iter(plugin_host().installed))
    add_audit(app, world, "CS-1001", key, ["police"], AuditStatus.CLOSED)
    add_audit(app, world, "CS-1001", key, ["tm_b", "qa_lead"], AuditStatus.CLOSED)
    login_as(person)
    url = f"/cases/{world.cases['CS-1001']}"
    few = statements_for(app, client, url)
    for n in range(28):
        add_audit(app, world, "CS-1001", key, [["tm_b", "police", "sm"][n % 3]], AuditStatus.CLOSED)

    many = statements_for(app, client, url)

    assert many == few
    shown = text_of(client.get(url)).count("Closed 2 February 2026")
    assert shown == (10 if person == "police" else 30)


def test_an_unrelated_user_is_refused_the_case_page(client, login_as, world):
    login_as("sw_b")

    assert client.get(f"/cases/{world.cases['CS-1001']}").status_code == 403


def test_an_unknown_case_is_not_found(client, login_as, world):
    login_as("qa_admin")

    assert client.get("/cases/9999").status_code == 404


@pytest.mark.parametrize("url", ["/cases/", "/cases/1"])
def test_signed_out_visitors_are_sent_to_sign_in(client, world, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
