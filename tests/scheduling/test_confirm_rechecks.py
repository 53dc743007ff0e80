"""Confirming a draft checks the month again: what was allocated by hand since the draw is
not allocated a second time (nobody gets two audits of a tool in a month, no case is
audited twice)."""

from datetime import date

import pytest
from sqlalchemy import func, select

from portal.demo import DEMO_PASSWORD, seed_demo_council
from portal.extensions import db
from portal.models import ActivityEntry, Audit, AuditAuditor, Case, MonthlySelection, User
from portal.plugins import plugin_host
from portal.scheduling import service
from portal.testing.fixtures import login

TODAY = date.today()
THIS_MONTH = TODAY.replace(day=1)
MONTH_TEXT = f"{THIS_MONTH:%Y-%m}"
TOOL = "supervision_quality"  # each service manager audits one case a month


@pytest.fixture
def council(app):
    """The demo council (500+ cases, every role), every plugin enabled."""
    with app.app_context():
        seed_demo_council()
        db.session.commit()


def qa_admin() -> User:
    return db.session.scalar(select(User).where(User.email == "qa.admin@council.example"))


def drafted_pair(selection: MonthlySelection) -> tuple[dict, dict]:
    """Two drafted audits of the tool, for two auditors, the first of whom may audit the
    second's case."""
    rows = [item for item in selection.draw["allocations"] if item["process"] == TOOL]
    for first in rows:
        auditor = db.session.get(User, first["auditor_id"])
        for second in rows:
            case = db.session.get(Case, second["case_id"])
            if second["auditor_id"] != first["auditor_id"] and not service.conflict_for(
                case, auditor
            ):
                return first, second
    raise AssertionError("the demo council drafts two supervision audits")


def audits_of(process_key: str, *, auditor_id: int | None = None, case_id: int | None = None):
    query = select(func.count(Audit.id)).where(
        Audit.process_key == process_key,
        Audit.allocated_on >= THIS_MONTH,
        Audit.allocated_on < service.next_month(THIS_MONTH),
    )
    if auditor_id is not None:
        query = query.join(AuditAuditor).where(AuditAuditor.user_id == auditor_id)
    if case_id is not None:
        query = query.where(Audit.case_id == case_id)
    return db.session.scalar(query)


def test_an_audit_allocated_by_hand_since_the_draw_is_not_allocated_again(app, council, client):
    """Draft, allocate by hand to a drafted auditor (the case drafted for another), confirm:
    the auditor holds one audit of the tool, the case one audit, and the page says which
    drafted audits were left out and why."""
    with app.app_context():
        selection = service.preview(THIS_MONTH, 31, qa_admin(), TODAY)
        db.session.commit()
        drafted = len(selection.draw["allocations"])
        first, second = drafted_pair(selection)

    assert login(client, "qa.admin@council.example", DEMO_PASSWORD).status_code == 302
    response = client.post_form(
        "/schedule/allocate",
        {
            "case_reference": second["case_ref"],
            "process_key": TOOL,
            "auditor_id": str(first["auditor_id"]),
            "reason": "Raised at the practice forum",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]

    response = client.post_form(f"/schedule/selection/{MONTH_TEXT}/confirm")
    assert response.status_code == 302
    page = client.get(f"/schedule/selection/{MONTH_TEXT}").get_data(as_text=True)
    assert f"{drafted - 2} audits are allocated" in page
    assert "2 drafted audits were left out" in page
    assert (
        f"{first['auditor_name']} has been allocated an audit with this tool in "
        f"{THIS_MONTH:%B %Y} since the draw"
    ) in page
    assert f"case {second['case_ref']} has been allocated an audit" in page

    with app.app_context():
        assert audits_of(TOOL, auditor_id=first["auditor_id"]) == 1
        assert audits_of(TOOL, case_id=second["case_id"]) == 1
        assert audits_of(TOOL, auditor_id=second["auditor_id"]) == 0  # for allocation by hand
        confirmed = db.session.scalar(select(MonthlySelection))
        assert len(confirmed.draw["allocations"]) == drafted - 2
        assert [(item["case_id"], item["auditor_id"]) for item in confirmed.draw["left_out"]] == [
            (first["case_id"], first["auditor_id"]),
            (second["case_id"], second["auditor_id"]),
        ]
        entry = db.session.scalar(select(ActivityEntry).where(ActivityEntry.verb == "confirmed"))
        assert f"{drafted - 2} audits allocated; 2 drafted left out" in entry.summary
        assert {item["case"] for item in entry.after["left_out"]} == {
            first["case_ref"],
            second["case_ref"],
        }
        assert len(entry.after["audits"]) == drafted - 2


def test_audits_allocated_before_the_draw_leave_nothing_out(app, council):
    """The draw counted what the month held when it was drawn: only what came since is
    checked (a shared quota may give a second audit of a tool knowingly)."""
    with app.app_context():
        earlier = service.run_draw(THIS_MONTH, 5, TODAY)["allocations"][0]
        service.allocate_by_hand(
            db.session.get(Case, earlier["case_id"]),
            plugin_host().process(earlier["process"]),
            db.session.get(User, earlier["auditor_id"]),
            "Complaint received",
            qa_admin(),
            TODAY,
        )
        db.session.commit()
        selection = service.preview(THIS_MONTH, 31, qa_admin(), TODAY)
        db.session.commit()
        drafted = len(selection.draw["allocations"])
        created = service.confirm(selection, qa_admin(), TODAY)
        db.session.commit()
        assert len(created) == drafted
        assert "left_out" not in selection.draw
        assert db.session.scalar(select(func.count(Audit.id))) == drafted + 1
