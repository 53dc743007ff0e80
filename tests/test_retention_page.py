"""The administrator's retention page: the cases due (50 a page) and the confirmed erasure."""

from datetime import date

from sqlalchemy import select, update

from portal.extensions import db
from portal.models import ActivityEntry, Case


def close_long_ago(app, world, reference: str = "CS-1001") -> None:
    """Close *reference* in 1990: due under any retention period up to 36 years."""
    with app.app_context():
        db.session.execute(
            update(Case).where(Case.id == world.cases[reference]).values(closed_on=date(1990, 5, 1))
        )
        db.session.commit()


def reference_of(app, world, reference: str) -> str:
    with app.app_context():
        return db.session.get(Case, world.cases[reference]).reference


def test_the_page_lists_the_cases_due_and_offers_the_erasure(app, world, login_as):
    close_long_ago(app, world)
    client = login_as("admin")

    page = client.get("/admin/retention").get_data(as_text=True)

    assert "1 case due for erasure" in page
    assert "CS-1001" in page and "CS-1002" not in page
    assert "Erase the records of 1 case" in page


def test_nothing_is_erased_without_the_confirmation(app, world, login_as):
    close_long_ago(app, world)
    client = login_as("admin")

    response = client.post_form("/admin/retention", {"due": "1"})

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "govuk-error-summary" in page and "Tick the box to confirm the erasure" in page
    assert reference_of(app, world, "CS-1001") == "CS-1001"


def test_a_list_that_changed_since_it_was_shown_is_not_erased(app, world, login_as):
    close_long_ago(app, world)
    client = login_as("admin")
    client.get("/admin/retention")
    close_long_ago(app, world, "CS-1002")  # falls due meanwhile

    response = client.post_form("/admin/retention", {"due": "1", "confirm": "y"})

    assert response.status_code == 400
    assert "The list changed since you opened it" in response.get_data(as_text=True)
    assert reference_of(app, world, "CS-1001") == "CS-1001"


def test_the_confirmed_erasure_erases_and_is_recorded(app, world, login_as):
    close_long_ago(app, world)
    client = login_as("admin")

    response = client.post_form(
        "/admin/retention", {"due": "1", "confirm": "y"}, follow_redirects=True
    )

    page = response.get_data(as_text=True)
    assert "The records of 1 case were erased." in page
    assert "No case is due for erasure today." in page
    assert reference_of(app, world, "CS-1001").startswith("Erased ")
    with app.app_context():
        entry = db.session.scalar(select(ActivityEntry).filter_by(verb="erased"))
        assert entry.actor_id == world.users["admin"] and entry.after["cases"] == 1
