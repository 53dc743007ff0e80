"""``seed-demo``'s circulation step: the QA lead's three distribution lists and her draft
commentary on last month's report, which the demo assistant director can approve."""

from datetime import date

from sqlalchemy import select

from portal.demo import DEMO_PASSWORD, seed_demo_council
from portal.demo_circulation import DRAFT, seed_circulation
from portal.extensions import db
from portal.models import DistributionList, ReportCommentary
from portal.reports.monthly import last_complete_month, month_key
from portal.testing.fixtures import login


def test_the_demo_has_three_lists_and_a_draft_on_last_month_s_report(app, client):
    today = date.today()
    with app.app_context():
        seed_demo_council(today)
        assert seed_circulation(today) == {"lists": 3, "commentaries": 1}
        assert seed_circulation(today) == {"lists": 0, "commentaries": 0}
        lists = db.session.scalars(select(DistributionList).order_by(DistributionList.name)).all()
        [draft] = db.session.scalars(select(ReportCommentary)).all()
    assert [item.name for item in lists] == [
        "Departmental Management Meeting",
        "Heads of service",
        "Safeguarding partnership",
    ]
    assert all(a.endswith("@example.org") for item in lists for a in item.addresses)
    period = month_key(last_complete_month(today))
    assert (draft.period, draft.approved_at) == (period, None)
    login(client, "qa.lead@council.example", DEMO_PASSWORD)
    page = client.get(f"/reports/monthly?month={period}").get_data(as_text=True)
    assert "Commentary (draft)" in page and DRAFT["key_messages"] in page
    director = app.test_client()
    login(director, "assistant.director@council.example", DEMO_PASSWORD)
    assert director.post_form(f"/circulation/report/monthly/{period}/approve").status_code == 302
