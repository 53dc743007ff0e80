"""An administrator erases the records of a case whose retention period has run, with the
keyboard, after the page refused an unconfirmed erasure."""

from datetime import date

from playwright.sync_api import expect
from sqlalchemy import update

from portal.extensions import db
from portal.models import Case


def test_admin_confirms_and_erases_with_the_keyboard(
    page, live_server, world, sign_in, axe_check, app
):
    with app.app_context():
        db.session.execute(
            update(Case).where(Case.id == world.cases["CS-1001"]).values(closed_on=date(1990, 5, 1))
        )
        db.session.commit()
    sign_in("admin")
    page.goto(f"{live_server}/admin/")
    axe_check()
    page.get_by_role("link", name="Records retention").click()
    expect(page.get_by_role("table")).to_contain_text("CS-1001")
    axe_check()

    page.get_by_role("button", name="Erase the records of 1 case").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Tick the box to confirm")
    axe_check("the retention page with an error")

    page.get_by_label("I have checked the list").focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "The records of 1 case were erased."
    )
    expect(page.get_by_text("No case is due for erasure today.")).to_be_visible()
    axe_check("the retention page after the erasure")
