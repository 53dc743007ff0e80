"""A quality of supervision audit filled in and submitted through the pages: a last
supervision in the future is refused with the error summary, then the audit goes in."""

import re
from datetime import date

from plugins.supervision_quality.process import SUPERVISION_QUALITY_AUDIT
from portal.plugin_api import Audit, Case, User, allocate, db


def revision(client, audit_id: int) -> str:
    """The revision the edit page carries now, as the browser would send it back."""
    page = client.get(f"/audits/{audit_id}/edit").get_data(as_text=True)
    return re.search(r'name="revision" id="revision" value="(\d+)"', page).group(1)


def filled(**overrides: str) -> dict[str, str]:
    """The audit form as a browser posts it, every section Good."""
    data = {
        "frequency-last_supervision-day": "20",
        "frequency-last_supervision-month": "11",
        "frequency-last_supervision-year": "2026",
        "frequency-met_policy": "yes",
        "actions-previous_reviewed": "yes",
        "feedback-learning": "Keep recording the child's words.",
        "overall-summary": "Regular, reflective supervision.",
        "revision": "0",
        "intent": "submit",
    }
    for key in ("frequency", "reflection", "child_voice", "actions", "direction"):
        data[f"{key}-grade"] = "good"
        data[f"{key}-evidence"] = "Seen in the supervision records."
    return {**data, **overrides}


def test_a_last_supervision_in_the_future_is_refused_with_the_error_summary(
    app, world, client, login_as, enable_plugins
):
    enable_plugins("supervision_quality")
    with app.app_context():
        case = db.session.get(Case, world.cases["CS-1002"])
        auditor = db.session.get(User, world.users["sm"])
        audit_id = allocate(
            case, SUPERVISION_QUALITY_AUDIT, [auditor], allocated_by=None, allocated_on=date.today()
        ).id
        db.session.commit()
    login_as("sm")
    future = date.today().replace(year=date.today().year + 1)
    response = client.post_form(
        f"/audits/{audit_id}/edit",
        filled(
            **{
                "frequency-last_supervision-day": str(future.day),
                "frequency-last_supervision-month": str(future.month),
                "frequency-last_supervision-year": str(future.year),
                "frequency-met_policy": "no",
            }
        ),
    )
    page = response.get_data(as_text=True)
    assert "govuk-error-summary" in page
    assert "The date of the last supervision must be today or in the past" in page
    assert "Say why supervision was not as frequent as the policy requires" in page
    with app.app_context():
        assert db.session.get(Audit, audit_id).submitted_at is None  # nothing submitted
    response = client.post_form(
        f"/audits/{audit_id}/edit", filled(revision=revision(client, audit_id))
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Audit, audit_id).submitted_at is not None
