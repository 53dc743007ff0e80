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


def expect_cells(row, cells: list[str]) -> None:
    """*row* of a panel's table holds exactly *cells*, in order."""
    expect(row.locator("th, td")).to_have_text(cells)


#: Children's Social Care's figures this month, on every leader's page that shows it: 2
#: audits, 1 Good or better; before, 1 of 1; 1 open action, 1 overdue; 17% weighted
#: progress; 1 open concern (tests/conftest.py, leaders_world).
CSC = ["Children's Social Care", "2", "1 of 2 (50%)", "1 of 1 (100%)", "1", "1", "17%", "1"]
EARLY_HELP = ["Early Help", "0", "No audits", "0 of 1 (0%)", "1", "1", "0%", "1"]


def test_each_leaders_home_page_shows_their_part_of_the_service(
    page, live_server, leaders_world, enable_plugins, sign_in, axe_check
):
    enable_plugins()
    today = leaders_world.today

    sign_in("qa_lead")
    expect(section(page, "Audits waiting for moderation")).to_contain_text("3 audits are waiting")
    selection = section(page, "Monthly selection")
    expect_cells(selection.get_by_role("row", name=f"{today:%B %Y}"), [
        f"{today:%B %Y}", "Confirmed", "4", "None"
    ])  # fmt: skip
    expect(selection).to_contain_text(f"{add_months(today, 1):%B %Y} Drawn, not confirmed")
    overdue = section(page, "Overdue audits")
    expect_cells(overdue.get_by_role("row", name="MASH audit"), ["MASH audit", "1"])
    services = section(page, "How each service is doing")
    expect_cells(services.get_by_role("row", name="Children's Social Care"), CSC)
    expect(section(page, "Safeguarding concerns awaiting a response")).to_contain_text(
        "Overdue: response was due"
    )
    services.get_by_role("row", name="Early Help").get_by_role("link", name="1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Actions across services")
    expect(page.locator("caption")).to_have_text("1 action")
    expect(page.get_by_role("row", name="EH-2001")).to_contain_text("Overdue")
    axe_check("actions across services, filtered")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Actions").click()
    expect(page.locator("caption")).to_have_text("4 actions")  # every service's, unfiltered
    axe_check("actions across services")
    sign_out(page, axe_check)

    sign_in("qa_admin")
    expect(section(page, "Monthly selection")).to_contain_text(
        "At least 3 audits a month by Police auditors: 1 of 3"
    )  # the quota next month's draw did not fill
    expect(section(page, "Overdue audits to chase")).to_contain_text("Pat Constable")
    expect(section(page, "Case records")).to_contain_text("2 created, 1 updated")
    sign_out(page, axe_check)

    sign_in("ad")
    mine = section(page, "How your services are doing")
    expect(mine.get_by_role("row")).to_have_count(3)  # the heading row, CSC and Early Help
    expect_cells(mine.get_by_role("row", name="Children's Social Care"), CSC)
    expect_cells(mine.get_by_role("row", name="Early Help"), EARLY_HELP)
    mine.get_by_role("link", name="See the monthly learning report").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("learning report")
    axe_check("the monthly learning report")
    sign_out(page, axe_check)

    sign_in("hos")
    mine = section(page, "How your services are doing")
    expect(mine.get_by_role("row")).to_have_count(3)
    expect_cells(mine.get_by_role("row", name="Early Help"), EARLY_HELP)
    expect(section(page, "Safeguarding concerns awaiting a response")).to_contain_text(
        "Overdue: response was due"
    )
    sign_out(page, axe_check)

    sign_in("sm")
    mine = section(page, "How your services are doing")
    expect(mine.get_by_role("row")).to_have_count(2)  # the heading row and CSC
    expect_cells(mine.get_by_role("row", name="Children's Social Care"), CSC)
    sign_out(page, axe_check)

    sign_in("tm_a")
    expect(section(page, "Actions awaiting your sign-off")).to_contain_text(
        "1 action is waiting for your sign-off."
    )
    expect(section(page, "Audits to complete")).to_contain_text("(overdue)")
    expect_cells(section(page, "Your teams").get_by_role("row", name="Assessment Team"), [
        "Assessment Team", "1", "1 of 1 (100%)", "1 of 1 (100%)", "1", "1", "17%", "0"
    ])  # fmt: skip
    sign_out(page, axe_check)

    sign_in("tm_b")
    expect(section(page, "Your teams")).to_contain_text("Child Protection Team")
    expect(section(page, "Audits of your teams' cases under way")).to_contain_text("(overdue)")
    sign_out(page, axe_check)

    sign_in("mash_hos")
    expect(
        section(page, f"MASH audits in {today:%B %Y}").get_by_role("row", name="Police")
    ).to_contain_text("2 short of 3")
    expect(section(page, f"MASH audits in {today:%B %Y}")).to_contain_text(
        "1 MASH audit is overdue."
    )
