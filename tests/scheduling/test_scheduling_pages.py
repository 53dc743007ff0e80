"""The scheduling pages: theme, draw, confirm, allocation by hand, joint audits."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import ActivityEntry, Audit, AuditAuditor, MonthlySelection, ThemeMonth

NEXT_MONTH = (date.today().replace(day=1) + timedelta(days=32)).replace(day=1)
MONTH = f"{NEXT_MONTH:%Y-%m}"


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("person", ["sw_a", "tm_a", "police", "admin"])
def test_only_the_qa_team_reaches_the_schedule(client, login_as, person):
    login_as(person)
    for url in ("/schedule/", f"/schedule/selection/{MONTH}", "/schedule/allocate"):
        assert client.get(url).status_code == 403, url
    assert client.post_form(f"/schedule/selection/{MONTH}/draw", {"seed": "1"}).status_code == 403


def test_the_qa_administrator_sets_a_theme(client, login_as, app, world):
    login_as("qa_admin")
    assert "Thematic schedule" in client.get("/schedule/").get_data(as_text=True)
    response = client.post_form(
        f"/schedule/{MONTH}/theme",
        {
            "theme": "Neglect",
            "case_types": ["CIN", "CP"],
            "team_ids": [world.teams["Assessment Team"]],
        },
    )
    assert response.status_code == 302
    with app.app_context():
        theme = db.session.scalar(select(ThemeMonth))
        assert (theme.theme, theme.case_types) == ("Neglect", ["CIN", "CP"])
        assert theme.team_ids == [world.teams["Assessment Team"]]
        entry = db.session.scalars(
            select(ActivityEntry).where(ActivityEntry.object_type == "theme")
        ).one()
        assert entry.after["theme"] == "Neglect"
    response = client.post_form(f"/schedule/{MONTH}/theme", {"theme": ""})
    assert response.status_code == 400 and "Enter the month" in response.get_data(as_text=True)
    response = client.post_form("/schedule/2020-01/theme", {"theme": "Old"})
    assert response.status_code == 400 and "in the past" in response.get_data(as_text=True)


def test_draw_check_and_confirm_through_the_pages(client, login_as, app, mini):
    login_as("qa_admin")
    response = client.post_form(f"/schedule/selection/{MONTH}/draw", {"seed": "not a number"})
    assert response.status_code == 400
    assert "The seed must be a whole number" in response.get_data(as_text=True)
    response = client.post_form(f"/schedule/selection/{MONTH}/draw", {"seed": "11"})
    assert response.status_code == 302
    page = client.get(f"/schedule/selection/{MONTH}").get_data(as_text=True)
    assert "Seed 11" in page and "Confirm and allocate the audits" in page
    response = client.post_form(f"/schedule/selection/{MONTH}/confirm")
    assert response.status_code == 302
    with app.app_context():
        audits = count(Audit)
        assert audits == len(db.session.scalar(select(MonthlySelection)).draw["allocations"])
    response = client.post_form(f"/schedule/selection/{MONTH}/confirm")
    assert response.status_code == 409
    assert "already confirmed" in response.get_data(as_text=True)
    with app.app_context():
        assert count(Audit) == audits


def test_allocation_by_hand_needs_a_reason_and_refuses_a_conflict(
    client, login_as, app, world, mini
):
    login_as("qa_admin")
    data = {
        "case_reference": "CS-1001",
        "process_key": "mini_audit",
        "auditor_id": str(world.users["tm_a"]),
    }
    response = client.post_form("/schedule/allocate", {**data, "reason": ""})
    assert response.status_code == 400
    assert "Give a reason for choosing this case by hand" in response.get_data(as_text=True)
    response = client.post_form("/schedule/allocate", {**data, "reason": "Complaint received"})
    assert response.status_code == 400
    assert "manages the team that holds case CS-1001" in response.get_data(as_text=True)
    response = client.post_form(
        "/schedule/allocate", {**data, "case_reference": "CS-9999", "reason": "x"}
    )
    assert "No case has that reference" in response.get_data(as_text=True)
    with app.app_context():
        assert count(Audit) == 0
    response = client.post_form(
        "/schedule/allocate",
        {**data, "auditor_id": str(world.users["tm_b"]), "reason": "Complaint received"},
    )
    assert response.status_code == 302
    with app.app_context():
        audit = db.session.scalar(select(Audit))
        assert audit.allocation_reason == "Complaint received"
        assert [a.id for a in audit.auditors] == [world.users["tm_b"]]


def test_a_joint_audit_names_two_auditors_who_can_both_edit(
    client, login_as, app, world, allocated
):
    audit_id = allocated("CS-1001", "tm_b")
    login_as("qa_lead")
    response = client.post_form(
        f"/schedule/joint/{audit_id}",
        {"auditor_id": str(world.users["tm_a"]), "reason": "Calibration"},
    )
    assert response.status_code == 400  # tm_a manages the case's team
    assert "manages the team" in response.get_data(as_text=True)
    response = client.post_form(
        f"/schedule/joint/{audit_id}",
        {"auditor_id": str(world.users["eh_m"]), "reason": "Calibration"},
    )
    assert response.status_code == 302
    with app.app_context():
        names = {row.user_id for row in db.session.scalars(select(AuditAuditor))}
        assert names == {world.users["tm_b"], world.users["eh_m"]}
    client.post_form("/logout")
    login_as("eh_m")
    assert client.get(f"/audits/{audit_id}/edit").status_code == 200


def stored_draw(app, allocations: int):
    """A draft selection for MONTH with *allocations* audits of two tools and one shortfall."""
    items = [
        {
            "case_ref": f"CS-{number:04d}",
            "case_team": "Assessment Team",
            "process_title": "Mini audit" if number % 3 else "Other audit",
            "auditor_name": "Tom Manager",
            "auditor_agency": "",
            "due_date": "2027-01-15",
        }
        for number in range(allocations)
    ]
    shortfall = {
        "quota": "Child protection",
        "process_key": "mini_audit",
        "got": 1,
        "wanted": 3,
        "reason": "Not enough open cases.",
    }
    with app.app_context():
        db.session.add(
            MonthlySelection(
                month=NEXT_MONTH,
                seed=7,
                draw={"allocations": items, "shortfalls": [shortfall]},
            )
        )
        db.session.commit()


def test_the_selection_is_paged_and_keeps_its_summary(client, login_as, app):
    stored_draw(app, 61)
    login_as("qa_lead")

    first = client.get(f"/schedule/selection/{MONTH}").get_data(as_text=True)
    last = client.get(f"/schedule/selection/{MONTH}?page=2").get_data(as_text=True)
    fragment = client.get(
        f"/schedule/selection/{MONTH}?page=2",
        headers={"HX-Request": "true", "HX-Target": "selection-results"},
    ).get_data(as_text=True)

    assert "1–50 of 61 audits in the selection" in first and "Seed 7: 61 audits" in first
    assert first.count('<td class="govuk-table__cell">CS-') == 50
    assert "51–61 of 61 audits in the selection" in last
    assert last.count('<td class="govuk-table__cell">CS-') == 11 and "CS-0060" in last
    for page in (first, last):  # the shortfalls and the count by tool stay on every page
        assert "Child protection" in page and "1 of 3. Not enough open cases." in page
        assert "Mini audit: 40 audits" in page and "Other audit: 21 audits" in page
    assert "15 January 2027" in first and "2027-01-15" not in first
    assert fragment.lstrip().startswith('<div id="selection-results">')
    assert "<html" not in fragment and "CS-0060" in fragment
