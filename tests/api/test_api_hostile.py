"""The API, like the pages, answers hostile query values with a 4xx, never a 500."""

from urllib.parse import urlencode

from tests.api.conftest import bearer
from tests.test_hostile_input import HOSTILE

#: The query parameters the API reads (see docs: the OpenAPI description).
API_QUERY_NAMES = ["page", "month", "from", "to", "status", "process"]


def test_hostile_values_in_every_api_query_parameter(app, client, issue):
    token = issue("qa_lead")
    rules = [
        rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api.") and "GET" in rule.methods and not rule.arguments
    ]
    assert len(rules) >= 3
    for rule in rules:
        for value in HOSTILE:
            for name in API_QUERY_NAMES:
                url = f"{rule.rule}?{urlencode({name: value})}"
                response = client.get(url, headers=bearer(token))
                assert response.status_code < 500, url[:200]


def test_an_api_page_number_no_database_can_hold_is_a_400(client, issue):
    token = issue("qa_lead")
    for page in ("9" * 5000, str(2**63), "١٢", "0"):
        response = client.get(f"/api/v1/audits?page={page}", headers=bearer(token))
        assert response.status_code == 400, page
        assert "'page' must be a whole number from 1" in response.json["error"]
