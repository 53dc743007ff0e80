"""Hostile input never makes a 500: every route of the URL map, with hostile values in its
path and in the query parameters the portal reads, as a QA lead and as an administrator.

Huge, negative, non-numeric, non-ASCII and overlong values, months like 0000-01 and
9999-12, a revision number no database can hold: each answer is a page or a 4xx.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.routing import Rule

from portal.testing.fixtures import login

#: The query parameters any page reads (request.args and the filter forms).
QUERY_NAMES = [
    "page",
    "month",
    "from",
    "to",
    "revision",
    "section",
    "show",
    "status",
    "process",
    "q",
    "role",
    "case_type",
    "team",
    "object_type",
    "actor",
    "next",
    "redraft",
    "auditor",
    "service",
    "year",
]
HUGE = [
    str(2**31),
    str(2**63),
    str(2**64),
    "9" * 30,
    "9" * 5000,  # more digits than Python's int() takes by default
]
HOSTILE = [
    *HUGE,
    "-1",
    "0",
    "-" + str(2**63 + 1),
    "abc",
    "1.5",
    "1e309",
    "NaN",
    "é",
    "١٢",  # Arabic-Indic digits: str.isdigit() says yes, the database says no
    "\u202e",
    "\x00",
    "x" * 5000,
    "0000-01",
    "9999-12",
    "2026-13",
    "2026-00",
    "-001-01",
    "10000-01",
    "2026-1",
    " ",
    "../../etc/passwd",
    "<script>",
]
PARAM = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")
values = st.one_of(
    st.sampled_from(HOSTILE),
    st.integers(min_value=-(2**80), max_value=2**80).map(str),
    st.text(max_size=40),
    st.from_regex(r"\A-?\d{1,6}-\d{1,3}\Z"),
)


def url_for_rule(rule: Rule, path_values: dict[str, str]) -> str:
    """*rule*'s path with the raw *path_values* put in, percent-encoded, unchecked."""

    def fill(match: re.Match) -> str:
        return quote(path_values[match.group(2)], safe="")

    return PARAM.sub(fill, rule.rule)


def walked_rules(app, method: str) -> list[Rule]:
    return [
        rule
        for rule in app.url_map.iter_rules()
        if method in rule.methods and rule.endpoint != "static"
    ]


@pytest.fixture
def signed_in(app, client, world, enable_plugins):
    """The client, signed in as *short*, and a function that sends one request."""
    enable_plugins()

    def as_person(short: str):
        assert login(client, world.emails[short]).status_code == 302
        token = client.csrf_token()

        def send(method: str, url: str):
            if method == "GET":
                return client.get(url)
            return client.post(url, data={"csrf_token": token})

        return send

    return as_person


def no_server_error(send, method: str, url: str) -> None:
    response = send(method, url)
    assert response.status_code < 500, f"{method} {url[:200]} answered {response.status_code}"


@pytest.mark.parametrize("short", ["qa_lead", "admin"])
def test_every_id_too_large_for_the_database_is_not_found(app, signed_in, short):
    send = signed_in(short)
    rules = [
        rule
        for rule in walked_rules(app, "GET") + walked_rules(app, "POST")
        if "<int:" in rule.rule
    ]
    assert len(rules) >= 50
    for rule in rules:
        method = "GET" if "GET" in rule.methods else "POST"
        for value in HUGE:
            url = url_for_rule(rule, dict.fromkeys(rule.arguments, value))
            response = send(method, url)
            assert response.status_code in {400, 404, 405}, f"{method} {url[:80]}"


def walker(send, method: str, rule: Rule):
    """A hypothesis test sending hostile path and query values to *rule*."""

    @settings(max_examples=6, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(
        path=st.fixed_dictionaries({name: values for name in sorted(rule.arguments)}),
        query=st.dictionaries(st.sampled_from(QUERY_NAMES), values, max_size=4),
    )
    def walk(path, query):
        url = url_for_rule(rule, path)
        if query:
            url += "?" + urlencode(query)
        no_server_error(send, method, url)

    return walk


@pytest.mark.parametrize("short", ["qa_lead", "admin"])
def test_hostile_values_in_every_path_and_query_parameter(app, signed_in, short):
    send = signed_in(short)
    for method in ("GET", "POST"):
        for rule in walked_rules(app, method):
            if method == "POST" and not rule.arguments:
                continue  # the form pages: tests of each form send their bad input
            walker(send, method, rule)()


IMPOSSIBLE_MONTHS = ["0000-01", "2026-13", "2026-00", "1-01", "99999-01", "10000-01", "-001-01"]


@pytest.mark.parametrize(
    "url",
    [
        "/reports/monthly?month={month}",
        "/reports/monthly.csv?month={month}",
        "/moderation/?month={month}",
        "/moderation/calibration?from={month}&to={month}",
        "/moderation/calibration?from=2026-01&to={month}",
        "/schedule/selection/{month}",
        "/schedule/{month}/theme",
    ],
)
def test_impossible_months_are_a_clear_400_or_404(signed_in, url):
    send = signed_in("qa_lead")
    for month in IMPOSSIBLE_MONTHS:
        response = send("GET", url.format(month=month))
        assert response.status_code in {400, 404}, url.format(month=month)
    # the last month a date can be in: a page, or a clear refusal
    assert send("GET", url.format(month="9999-12")).status_code < 500


@pytest.mark.parametrize("short", ["qa_lead", "admin"])
def test_a_huge_page_number_on_every_list_is_never_a_server_error(app, signed_in, short):
    send = signed_in(short)
    lists = [rule for rule in walked_rules(app, "GET") if not rule.arguments]
    for rule in lists:
        for page in (str(2**63), "9" * 30, "-" + str(2**63)):
            no_server_error(send, "GET", f"{rule.rule}?page={page}")
