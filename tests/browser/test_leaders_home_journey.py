"""Each leader's home page in a real browser (issue 12, point 1): what it shows against the
data of ``leaders_world`` (tests/conftest.py), every page checked with axe-core."""

from playwright.sync_api import expect

from portal.reports.monthly import add_months


def sign_out(page, axe_check):
    page.get_by_role("button", name="Sign out").click()
    axe_check()


def section(page, title: str):
    """The home page panel headed *title*."""
    return page.locator("section").filter(has=page.get_by_role("heading", name=title, exact=True))


def test_each_leaders_home_page_shows_their_part_of_the_service(
    page, live_server, leaders_world, enable_plugins, sign_in, axe_check
):
    enable_plugins()
    today = leaders_world.today

    sign_in("qa_lead")
    expect(section(page, "Audits waiting for moderation")).to_contain_text("3 audits are waiting")
    expect(section(page, "Monthly selection")).to_contain_text(
        f"{add_months(today, 1):%B %Y} Drawn, not confirmed"
    )
    services = section(page, "How each service is doing")
    expect(services.get_by_role("row", name="Children's Social Care")).to_contain_text("17%")
    expect(section(page, "Safeguarding concerns awaiting a response")).to_contain_text(
        "Overdue: response was due"
    )
    services.get_by_role("row", name="Early Help").get_by_role("link", name="1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Actions across services")
    expect(page.locator("caption")).to_have_text("1 action")
    expect(page.get_by_role("row", name="EH-2001")).to_contain_text("Overdue")
    axe_check("actions across services, filtered")
    sign_out(page, axe_check)

    sign_in("qa_admin")
    expect(section(page, "Overdue audits to chase")).to_contain_text("Pat Constable")
    expect(section(page, "Case records")).to_contain_text("2 created, 1 updated")
    sign_out(page, axe_check)

    sign_in("sm")
    mine = section(page, "How your services are doing")
    expect(mine.get_by_role("row")).to_have_count(2)  # the heading row and CSC
    expect(mine).not_to_contain_text("Early Help")
    sign_out(page, axe_check)

    sign_in("tm_b")
    expect(section(page, "Your teams")).to_contain_text("Child Protection Team")
    expect(section(page, "Audits of your teams' cases under way")).to_contain_text("(overdue)")
    sign_out(page, axe_check)

    sign_in("mash_hos")
    expect(
        section(page, f"MASH audits in {today:%B %Y}").get_by_role("row", name="Police")
    ).to_contain_text("2 short of 3")
