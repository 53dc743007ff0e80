"""The JSON API: bearer tokens only, the audits a token's user may see, the monthly report,
and the OpenAPI description."""

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from portal.api import views
from portal.api.openapi import MONTHLY_REPORT
from portal.audits.listing import visible_audits
from portal.extensions import db
from portal.models import ApiToken, Audit, User
from portal.reports.monthly import build_monthly_report, json_document, last_complete_month
from portal.testing.statements import statements_for
from portal.testing.world import PEOPLE
from tests.api.conftest import bearer

EVERYONE = [short for short, *_ in PEOPLE]


@pytest.fixture
def audits(allocated, submit) -> dict[str, int]:
    """Three audits: CS-1001 submitted and a draft (auditor tm_b); CS-1002 submitted (tm_a)."""
    ids = {
        "submitted": allocated("CS-1001", "tm_b"),
        "draft": allocated("CS-1001", "tm_b"),
        "other_team": allocated("CS-1002", "tm_a"),
    }
    submit(ids["submitted"], "outstanding")
    submit(ids["other_team"], "requires_improvement", allocated_on=date(2026, 9, 1))
    return ids


def listed(client, token: str, query: str = "") -> list[int]:
    response = client.get(f"/api/v1/audits{query}", headers=bearer(token))
    assert response.status_code == 200, response.get_data(as_text=True)
    return [audit["id"] for audit in response.json["audits"]]


def visible_ids(app, world, short_name: str) -> set[int]:
    with app.app_context():
        person = db.session.get(User, world.users[short_name])
        return set(db.session.scalars(visible_audits(person).with_only_columns(Audit.id)))


# Who sees what ------------------------------------------------------------------------


def test_a_workers_token_sees_only_the_submitted_audits_of_their_case(client, audits, issue):
    assert listed(client, issue("sw_a")) == [audits["submitted"]]


def test_a_partner_auditors_token_sees_nothing(client, audits, issue):
    response = client.get("/api/v1/audits", headers=bearer(issue("police")))
    assert response.json == {
        "audits": [],
        "page": 1,
        "per_page": 500,
        "pages": 1,
        "total": 0,
        "next": None,
    }


def test_the_qa_leads_token_sees_every_audit(client, audits, issue):
    assert listed(client, issue("qa_lead")) == sorted(audits.values())


@pytest.mark.parametrize("person", EVERYONE)
def test_every_token_sees_exactly_what_its_user_may_see(app, world, client, audits, issue, person):
    assert set(listed(client, issue(person))) == visible_ids(app, world, person)


def test_an_audit_as_the_api_shows_it(client, world, audits, issue):
    [audit] = client.get("/api/v1/audits", headers=bearer(issue("sw_a"))).json["audits"]
    assert audit == {
        "id": audits["submitted"],
        "case_reference": "CS-1001",
        "case_type": "CIN",
        "team": "Assessment Team",
        "service": "Children's Social Care",
        "process": "mini_audit",
        "process_version": "1",
        "status": "submitted",
        "allocated_on": "2026-11-02",
        "due_on": audit["due_on"],
        "submitted_at": "2026-11-05T10:30:00+00:00",
        "auditor_grade": "outstanding",
        "record_grade": "outstanding",
        "moderated": False,
        "auditors": [world.emails["tm_b"]],
    }
    assert date.fromisoformat(audit["due_on"]) > date(2026, 11, 2)


def test_a_joint_audit_lists_both_auditors(client, world, allocated, issue):
    allocated("CS-1002", "tm_a", "police")
    [audit] = client.get("/api/v1/audits", headers=bearer(issue("police"))).json["audits"]
    assert audit["auditors"] == sorted([world.emails["tm_a"], world.emails["police"]])
    assert audit["submitted_at"] is None and audit["record_grade"] is None


# Filters and pages --------------------------------------------------------------------


def test_the_filters_narrow_the_list(client, audits, issue):
    token = issue("qa_lead")
    assert listed(client, token, "?status=submitted") == sorted(
        [audits["submitted"], audits["other_team"]]
    )
    assert listed(client, token, "?status=allocated") == [audits["draft"]]
    assert listed(client, token, "?from=2026-11-01") == sorted(
        [audits["submitted"], audits["draft"]]
    )
    assert listed(client, token, "?to=2026-10-31") == [audits["other_team"]]
    assert listed(client, token, "?from=2026-09-01&to=2026-09-01") == [audits["other_team"]]
    assert len(listed(client, token, "?process=mini_audit")) == 3


@pytest.mark.parametrize(
    ("query", "complaint"),
    [
        ("?from=2026-13-01", "'from' must be a date"),
        ("?to=01/11/2026", "'to' must be a date"),
        ("?from=2026-11-02&to=2026-11-01", "'from' must be on or before 'to'"),
        ("?status=lost", "'status' must be one of allocated"),
        ("?process=no_such_tool", "'process' must be one of"),
        ("?page=0", "'page' must be a whole number"),
        ("?page=two", "'page' must be a whole number"),
        ("?page=" + "9" * 5000, "'page' must be a whole number"),
        ("?per_page=0", "'per_page' must be a whole number from 1 to 500"),
        ("?per_page=501", "'per_page' must be a whole number from 1 to 500"),
        ("?per_page=all", "'per_page' must be a whole number from 1 to 500"),
    ],
)
def test_bad_parameters_are_a_400_saying_which(client, audits, issue, query, complaint):
    response = client.get(f"/api/v1/audits{query}", headers=bearer(issue("qa_lead")))
    assert response.status_code == 400
    assert response.is_json and complaint in response.json["error"]


def test_the_list_comes_in_pages(client, allocated, issue, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    made = [allocated("CS-1001", "tm_b") for _ in range(5)]
    token = issue("qa_lead")
    pages = [
        client.get(f"/api/v1/audits?page={page}", headers=bearer(token)).json
        for page in (1, 2, 3, 4)
    ]
    assert [(p["page"], p["pages"], p["total"]) for p in pages] == [
        (1, 3, 5),
        (2, 3, 5),
        (3, 3, 5),
        (4, 3, 5),
    ]
    assert [[a["id"] for a in p["audits"]] for p in pages] == [made[:2], made[2:4], made[4:], []]


def test_per_page_and_next_walk_the_whole_list(client, allocated, issue):
    made = [allocated("CS-1001", "tm_b") for _ in range(5)]
    token = issue("qa_lead")
    url, seen, answers = "/api/v1/audits?status=allocated&per_page=2", [], []
    while url:
        answer = client.get(url, headers=bearer(token)).json
        answers.append(answer)
        seen += [audit["id"] for audit in answer["audits"]]
        url = answer["next"]
    assert seen == made
    assert [(a["page"], a["per_page"], a["pages"], a["total"]) for a in answers] == [
        (1, 2, 3, 5),
        (2, 2, 3, 5),
        (3, 2, 3, 5),
    ]
    assert answers[0]["next"] == "http://localhost/api/v1/audits?status=allocated&per_page=2&page=2"


def test_the_page_size_is_500():
    assert views.PAGE_SIZE == 500


def test_listing_more_audits_takes_no_more_queries(app, client, allocated, submit, issue):
    def statements_for_the_list() -> int:
        return statements_for(app, client, "/api/v1/audits", headers=bearer(token))

    token = issue("qa_lead")
    submit(allocated("CS-1001", "tm_b"))
    statements_for_the_list()  # the first use writes the token's "last used" time
    one = statements_for_the_list()
    for reference, auditors in [("CS-1002", ("tm_a", "police")), ("CS-1001", ("sm",))] * 2:
        submit(allocated(reference, *auditors))
    assert statements_for_the_list() == one


# Tokens -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "Bearer",
        "Bearer ",
        "Basic cWFfbGVhZDpwYXNzd29yZA==",
        "Token qap_abcdefghijklmnopqrstuvwxyz",
        "Bearer abcdefghijklmnopqrstuvwxyz0123456789",  # not one of ours
        "Bearer qap_abcdefghijklmnopqrstuvwxyz0123456789",  # ours in shape, never issued
        "Bearer qap_a b",
    ],
)
def test_a_request_without_a_working_token_is_a_401(client, world, header):
    headers = {} if header is None else {"Authorization": header}
    for url in ("/api/v1/audits", "/api/v1/reports/monthly"):
        response = client.get(url, headers=headers)
        assert response.status_code == 401, url
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        assert response.is_json and response.json["error"]


def test_every_api_endpoint_but_the_description_needs_a_token(app, client, world):
    urls = [
        rule.rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api.") and rule.endpoint not in views.OPEN_ENDPOINTS
    ]
    assert len(urls) >= 2
    for url in urls:
        response = client.get(url)
        assert response.status_code == 401, url
        assert response.is_json, url


def test_the_scheme_may_be_written_in_any_case(client, audits, issue):
    token = issue("sw_a")
    response = client.get("/api/v1/audits", headers={"Authorization": f"bearer {token}"})
    assert response.status_code == 200


def test_a_revoked_token_is_a_401(app, client, audits, issue):
    token = issue("qa_lead")
    assert client.get("/api/v1/audits", headers=bearer(token)).status_code == 200
    with app.app_context():
        db.session.scalars(select(ApiToken)).one().revoked_at = datetime(2026, 11, 20)
        db.session.commit()
    response = client.get("/api/v1/audits", headers=bearer(token))
    assert response.status_code == 401
    assert response.json == {"error": "This API token has been revoked"}


def test_the_token_of_an_inactive_account_is_a_401(app, world, client, audits, issue):
    token = issue("qa_lead")
    with app.app_context():
        db.session.get(User, world.users["qa_lead"]).active = False
        db.session.commit()
    response = client.get("/api/v1/audits", headers=bearer(token))
    assert response.status_code == 401
    assert "inactive" in response.json["error"]


def test_a_session_cookie_alone_gets_nothing(client, audits, login_as):
    login_as("qa_lead")
    assert client.get("/audits/").status_code == 200  # signed in, as a browser
    for url in ("/api/v1/audits", "/api/v1/reports/monthly"):
        response = client.get(url)
        assert response.status_code == 401, url
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_token_sent_with_a_session_sees_as_its_own_user(client, audits, issue, login_as):
    token = issue("sw_a")
    login_as("qa_lead")
    assert listed(client, token) == [audits["submitted"]]
    response = client.get("/api/v1/reports/monthly", headers=bearer(token))
    assert response.status_code == 403


def test_last_used_is_written_at_most_once_a_minute(app, client, issue):
    token = issue("sw_a")

    def last_used() -> datetime | None:
        with app.app_context():
            return db.session.scalars(select(ApiToken)).one().last_used_at

    assert last_used() is None
    client.get("/api/v1/audits", headers=bearer(token))
    first = last_used()
    assert first is not None
    client.get("/api/v1/audits", headers=bearer(token))
    assert last_used() == first
    with app.app_context():
        db.session.scalars(select(ApiToken)).one().last_used_at = first - timedelta(minutes=2)
        db.session.commit()
    client.get("/api/v1/audits", headers=bearer(token))
    assert last_used() > first - timedelta(minutes=2)


def test_answers_are_not_cached(client, issue):
    response = client.get("/api/v1/audits", headers=bearer(issue("sw_a")))
    assert response.headers["Cache-Control"] == "no-store"


# The monthly report -------------------------------------------------------------------


def test_the_report_for_a_qa_leads_token(app, client, allocated, submit, issue):
    submit(allocated("CS-1001", "tm_b"), "outstanding", datetime(2026, 10, 3, 10))
    submit(allocated("CS-1002", "tm_a"), "good", datetime(2026, 10, 15, 14))
    response = client.get("/api/v1/reports/monthly?month=2026-10", headers=bearer(issue("qa_lead")))
    assert response.status_code == 200
    report = response.json
    assert report["month"] == "2026-10"
    assert sum(report["audits_completed"].values()) == 2
    assert report["grade_distribution"]["outstanding"] == 1
    assert report["grade_distribution"]["good"] == 1
    # the equality section, with its small numbers withheld as in every other output
    by_age = report["equality"]["tables"][0]
    assert by_age["title"] == "Grades by age band"
    assert by_age["rows"][0][:3] == ["Not recorded", "fewer than 5", "fewer than 5"]
    with app.app_context():
        expected = json_document(build_monthly_report(date(2026, 10, 1), date.today()))
    built = report.pop("snapshot")
    assert report == expected  # the QA lead reads every example whole
    assert built["provisional"] is False and built["note"] is None


def test_the_report_is_of_the_last_complete_month_by_default(client, issue):
    response = client.get("/api/v1/reports/monthly", headers=bearer(issue("hos")))
    assert response.status_code == 200
    assert response.json["month"] == f"{last_complete_month(date.today()):%Y-%m}"


@pytest.mark.parametrize("person", ["sw_a", "tm_a", "police", "admin"])
def test_the_report_is_a_403_for_those_who_may_not_read_it(client, issue, person):
    response = client.get("/api/v1/reports/monthly", headers=bearer(issue(person)))
    assert response.status_code == 403
    assert response.is_json and "may not read the learning report" in response.json["error"]


@pytest.mark.parametrize("month", ["2026-13", "October", "2026-1", f"{date.today().year + 1}-01"])
def test_a_bad_month_is_a_400(client, issue, month):
    response = client.get(f"/api/v1/reports/monthly?month={month}", headers=bearer(issue("sgu")))
    assert response.status_code == 400
    assert response.is_json and response.json["error"]


# The description ----------------------------------------------------------------------


def test_the_openapi_description_needs_no_token(client, world):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json
    assert document["openapi"].startswith("3.1")
    assert document["servers"] == [{"url": "/api/v1"}]
    assert {"/audits", "/reports/monthly"} <= set(document["paths"])
    assert document["components"]["securitySchemes"]["bearerToken"]["scheme"] == "bearer"
    for path in ("/audits", "/reports/monthly"):
        responses = document["paths"][path]["get"]["responses"]
        assert {"200", "400", "401"} <= set(responses), path
    assert "403" in document["paths"]["/reports/monthly"]["get"]["responses"]


def test_every_reference_in_the_description_resolves(client, world):
    document = client.get("/api/v1/openapi.json").json

    def references(node):
        if isinstance(node, dict):
            if "$ref" in node:
                yield node["$ref"]
            for value in node.values():
                yield from references(value)
        elif isinstance(node, list):
            for value in node:
                yield from references(value)

    found = set(references(document))
    assert found
    for reference in found:
        target = document
        for part in reference.removeprefix("#/").split("/"):
            target = target[part]
        assert isinstance(target, dict), reference


def test_the_description_matches_what_the_api_sends(client, audits, issue):
    document = client.get("/api/v1/openapi.json").json
    schemas = document["components"]["schemas"]
    page = client.get("/api/v1/audits", headers=bearer(issue("qa_lead"))).json
    assert set(page) == set(schemas["AuditPage"]["properties"])
    for audit in page["audits"]:
        assert set(audit) == set(schemas["Audit"]["required"])
        assert audit["status"] in schemas["Audit"]["properties"]["status"]["enum"]
    report = client.get("/api/v1/reports/monthly", headers=bearer(issue("qa_lead"))).json
    assert set(report) == set(MONTHLY_REPORT["properties"])
    assert set(MONTHLY_REPORT["required"]) <= set(report)
    assert set(report["actions"]) == set(MONTHLY_REPORT["properties"]["actions"]["required"])
    assert set(report["trend"][0]) == set(
        MONTHLY_REPORT["properties"]["trend"]["items"]["required"]
    )


# The page for staff -------------------------------------------------------------------


def test_the_docs_page_is_for_signed_in_staff(client, login_as):
    response = client.get("/api/docs")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    page = login_as("sw_a").get("/api/docs").get_data(as_text=True)
    assert "Authorization" in page and "Bearer" in page
    assert "http://localhost/api/v1/audits" in page
