"""The report on the demo council's year of history: its numbers add up, its PDF has the charts."""

import re
from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from portal.demo import seed_demo_council
from portal.demo_history import seed_audit_history
from portal.extensions import db
from portal.models import Action, ActionStatus, Audit
from portal.reports.export import to_pdf
from portal.reports.monthly import build_monthly_report
from tests.reports.conftest import pdf_objects

TODAY = date.today()
LAST_MONTH = (TODAY.replace(day=1) - date.resolution).replace(day=1)


@pytest.fixture
def demo(app):
    with app.app_context():
        seed_demo_council()
        db.session.commit()
        seed_audit_history(TODAY)
        db.session.commit()


def test_the_demo_reports_numbers_add_up(app, demo):
    with app.app_context(), app.test_request_context():
        report = build_monthly_report(LAST_MONTH, TODAY)
        completed = sum(report["audits_completed"].values())
        assert completed > 0
        assert sum(report["grade_distribution"].values()) == completed
        start = datetime(LAST_MONTH.year, LAST_MONTH.month, 1)
        end = datetime(TODAY.year, TODAY.month, 1)
        submitted = db.session.scalar(
            select(func.count())
            .select_from(Audit)
            .where(Audit.submitted_at >= start, Audit.submitted_at < end)
        )
        assert completed == submitted
        cumulative = report["cumulative"]
        assert sum(cumulative["grade_distribution"].values()) == sum(
            cumulative["audits_completed"].values()
        )
        assert sum(month["completed"] for month in report["trend"]) == sum(
            cumulative["audits_completed"].values()
        )
        # actions balance: what the report counts is what the table holds
        live = Action.status != ActionStatus.DRAFT.value
        created = db.session.scalar(
            select(func.count())
            .select_from(Action)
            .where(live, Action.created_at >= start, Action.created_at < end)
        )
        signed_off = db.session.scalar(
            select(func.count())
            .select_from(Action)
            .where(Action.signed_off_at >= start, Action.signed_off_at < end)
        )
        assert report["actions"]["created"] == created
        assert report["actions"]["signed_off"] == signed_off
        assert 0 < report["actions"]["weighted_progress"] <= 1
        assert report["actions"]["overdue"] <= db.session.scalar(
            select(func.count())
            .select_from(Action)
            .where(Action.status.in_([ActionStatus.OPEN.value, ActionStatus.COMPLETED.value]))
        )


def test_the_pdf_shows_the_charts(app, demo):
    """The bars are drawn in the charts' own colours (the orange and purple only they use)."""
    with app.app_context(), app.test_request_context():
        document = to_pdf(build_monthly_report(LAST_MONTH, TODAY))
    content = pdf_objects(document)
    orange = rb"0\.95\d* 0\.46\d* 0\.2[12]\d* (rg|sc|scn)"  # requires improvement, #f47738
    purple = rb"0\.29\d* 0\.17\d* 0\.57\d* (rg|sc|scn)"  # actions completed, #4c2c92
    assert re.search(orange, content), "no bar of the grades chart in the PDF"
    assert re.search(purple, content), "no bar of the actions chart in the PDF"
