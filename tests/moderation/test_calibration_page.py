"""The calibration page: the hand-worked figures on screen, who may read it, bad periods."""

import re
from datetime import datetime

import pytest

from portal.extensions import db
from portal.moderation.calibration import GradedPair, Period, calibrate
from portal.moderation.calibration_views import kappa_chart
from portal.timeutil import to_london, utcnow
from tests.audits.conftest import mini  # noqa: F401  (fixture)
from tests.moderation.calibration_helpers import G, O, R, audit, judge, mixed_month, moderate

PERIOD = "/moderation/calibration?from=2026-01&to=2026-06"


def text_of(html: str) -> str:
    """The page's text with tags dropped and spaces squeezed, for reading like a person."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def calibrated(app, world, mini):  # noqa: F811  (the fixture imported above)
    """Ten hand-worked pairs for Tom Manager in March 2026 and one joint audit in April."""
    with app.app_context():
        mixed_month(world, "tm_b", month=3)
        row = audit(world, "CS-1002", ("tm_a", "sm"))
        judge(world, row, "tm_a", O, datetime(2026, 4, 2))
        judge(world, row, "sm", G, datetime(2026, 4, 3))
        db.session.commit()
    return world


@pytest.mark.parametrize("person", ["qa_lead", "qa_admin", "ad"])
def test_the_qa_team_and_the_assistant_director_read_it(client, login_as, person):
    login_as(person)
    response = client.get("/moderation/calibration")
    assert response.status_code == 200
    assert '<h1 class="govuk-heading-xl">Calibration</h1>' in response.get_data(as_text=True)


@pytest.mark.parametrize("person", ["sw_a", "tm_a", "hos", "police", "admin"])
def test_no_one_else_does(client, login_as, person):
    login_as(person)
    assert client.get("/moderation/calibration").status_code == 403


def test_visitors_are_sent_to_sign_in(client, world):
    response = client.get(PERIOD)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


@pytest.mark.parametrize(("person", "shown"), [("qa_lead", True), ("ad", True), ("sw_a", False)])
def test_readers_find_it_in_the_menu(client, login_as, person, shown):
    login_as(person)
    page = client.get("/").get_data(as_text=True)
    link = re.search(
        r'<a class="govuk-service-navigation__link" href="/moderation/calibration"', page
    )
    assert bool(link) is shown


def test_the_last_six_months_by_default(client, login_as):
    login_as("qa_lead")
    page = client.get("/moderation/calibration").get_data(as_text=True)
    default = Period.ending(to_london(utcnow()).date())
    assert default.label in page
    assert f'value="{default.first:%Y-%m}"' in page and f'value="{default.last:%Y-%m}"' in page
    assert "No pairs in this period" in page
    assert "Based on no pairs" in page


def test_the_page_shows_the_hand_worked_figures(client, login_as, calibrated):
    login_as("qa_lead")
    response = client.get(PERIOD)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    page = text_of(html)
    assert "January 2026 to June 2026" in page
    # overall: the ten moderation pairs and the joint pair (O against G)
    assert "Pairs 11 (10 moderated, 1 from joint audits)" in page
    assert "Exact agreement 64%" in page  # 7 of 11
    assert (
        "Auditors grade higher (more generously) than the moderator by 0.3 of a grade on average."
        in page
    )
    assert "4 of 11 pairs differ: 4 by one grade, 0 by two grades, 0 by three grades." in page
    # Tom Manager's own figures are the hand-worked ones: 70%, 0.71, +0.3, substantial
    assert "Tom Manager tm.b@council.example 10 70% 0.71 +0.3 Substantial agreement" in page
    assert (
        "Tara Manager tm.a@council.example 1 1 joint 0% 0.00 Not defined "
        "Slight agreement Too few pairs" in page
    )
    # the confusion matrix, auditors' grades in rows
    assert "Auditor’s grade against the moderated grade (10 moderated audits)" in page
    assert "Outstanding 1 (same grade) 1 0 0 2" in page
    assert "Good 0 3 (same grade) 1 0 4" in page
    # the chart: an image with a title and a description carrying the numbers. With the
    # joint pair (G against O) added to the ten, by hand: p_o = (7 + 4·2/3)/11 = 29/33;
    # rows O 2, G 5, R 3, I 1; columns O 2, G 4, R 3, I 2; Σ_j w_ij·c_j = 17/3, 8, 23/3, 16/3;
    # p_e = (34/3 + 40 + 23 + 16/3)/121 = 239/363; κ = (319 − 239)/(363 − 239) = 20/31 ≈ 0.65
    assert 'role="img"' in html and '<title id="kappa-chart-title">' in html
    assert "Mini audit: weighted kappa 0.65 from 11 pairs." in html
    # the joint audits
    assert "CS-1002 Mini audit Sam Service: Good Tara Manager: Outstanding No" in page
    assert "Too few pairs" in page


def test_tables_have_captions_and_header_cells(client, login_as, calibrated):
    login_as("qa_lead")
    html = client.get(PERIOD).get_data(as_text=True)
    for caption in (
        "Calibration by audit process",
        "Calibration by auditor",
        "Calibration by team",
        "Calibration of joint audits",
        "Each joint audit",
    ):
        assert caption in html
    assert html.count("<caption") == 6
    assert 'scope="row"' in html and 'scope="col"' in html


@pytest.mark.usefixtures("mini")
def test_the_warning_shows_when_there_are_too_few_pairs(client, login_as, app, world):
    with app.app_context():
        moderate(world, audit(world), G, R, datetime(2026, 2, 1))
        db.session.commit()
    login_as("qa_lead")
    page = text_of(client.get(PERIOD).get_data(as_text=True))
    assert "Warning Based on only 1 pair: fewer than 10 pairs are too few" in page


@pytest.mark.parametrize(
    ("query", "problems"),
    [
        ("from=2026-13&to=2026-06", {"from": "Enter the start month as YYYY-MM"}),
        ("from=June&to=2026-06", {"from": "Enter the start month as YYYY-MM"}),
        ("from=2026-01&to=2026", {"to": "Enter the end month as YYYY-MM"}),
        (
            "from=x&to=y",
            {"from": "Enter the start month as YYYY-MM", "to": "Enter the end month as YYYY-MM"},
        ),
        ("from=2026-07&to=2026-06", {"to": "The end month must be the same as or after"}),
    ],
)
def test_a_bad_period_is_explained(client, login_as, query, problems):
    login_as("qa_lead")
    response = client.get(f"/moderation/calibration?{query}")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "govuk-error-summary" in html and "There is a problem" in html
    for field, message in problems.items():
        assert f'href="#{field}"' in html and message in html
        assert f'id="{field}-error"' in html
    assert html.count("govuk-error-message") == len(problems)
    assert "<title>Error: Calibration" in html
    assert "All audits" not in html


def test_the_chart_scale_reaches_below_zero_only_when_a_kappa_does():
    def process(name, pairs):
        units = [
            GradedPair("moderation", (name, n), "a", "A", "T", name, name.title(), a, b)
            for n, (a, b) in enumerate(pairs)
        ]
        return next(group for group in calibrate(units) if group.kind == "process")

    negative = process("neg", [(O, G), (G, O), (G, G)])  # κ = −0.5
    single = process("one", [(G, G)] * 12)  # κ not defined
    chart = kappa_chart([negative, single])
    labels = [label for _, label in chart.ticks]
    assert (labels[0], labels[3], labels[-1]) == ("−0.60", "0.00", "1.00")
    bar, empty = chart.bars
    assert bar.x < chart.zero_x and bar.x + bar.width == pytest.approx(chart.zero_x)
    assert bar.label == "−0.50, 3 pairs (too few)" and bar.too_few
    assert empty.width == 0 and empty.label == "Not defined, 12 pairs"
    assert "Neg: weighted kappa −0.50 from 3 pairs (too few to mean much)" in chart.description
    assert kappa_chart([]) is None
    assert kappa_chart([single]).ticks[0][1] == "0.00"
