"""What a person clicks: sign in, the dashboard, an administrator toggling an audit tool."""

import re

from playwright.sync_api import expect

from portal.testing.world import TEST_PASSWORD


def test_sign_in_and_see_the_dashboard(page, live_server, world, axe_check, sign_in):
    page.goto(f"{live_server}/")
    expect(page).to_have_url(re.compile(r"/login\?next="))
    axe_check()
    sign_in("sw_a")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Sophie Worker")
    expect(page.get_by_role("heading", name="Audits to complete")).to_be_visible()
    expect(page.get_by_text("You have no audits to complete.")).to_be_visible()
    navigation = page.get_by_role("navigation", name="Main menu")
    expect(navigation.get_by_role("link", name="Cases")).to_be_visible()
    expect(navigation.get_by_role("link", name="Administration")).to_have_count(0)


def test_wrong_password_shows_the_error_summary(page, live_server, world, axe_check):
    page.goto(f"{live_server}/login")
    axe_check()
    page.get_by_label("Email address").fill(world.emails["sw_a"])
    page.get_by_label("Password", exact=True).fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Enter a correct email address and password")
    expect(page).to_have_title(re.compile(r"^Error: Sign in"))
    axe_check("the sign-in page with an error")


def test_sign_in_with_the_keyboard_only(page, live_server, world, axe_check):
    page.goto(f"{live_server}/login")
    axe_check()
    page.keyboard.press("Tab")  # the skip link comes first
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.get_by_label("Email address").focus()
    page.keyboard.type(world.emails["qa_lead"])
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password", exact=True)).to_be_focused()
    page.keyboard.type(TEST_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/")
    axe_check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Quinn Lead")


def test_admin_enables_and_disables_a_plugin(page, live_server, sign_in, axe_check, app):
    sign_in("admin")
    page.get_by_role("navigation", name="Main menu").get_by_role(
        "link", name="Administration"
    ).click()
    axe_check()
    page.get_by_role("link", name="Audit tools (plugins)").click()
    axe_check()
    card = page.locator("#plugin-mash")
    expect(card.get_by_text("Disabled", exact=True)).to_be_visible()
    loads_before = len(axe_check.loads)
    card.get_by_role("button", name="Enable MASH audit").click()
    card = page.locator("#plugin-mash")
    expect(card.get_by_text("Enabled", exact=True)).to_be_visible()
    expect(page.locator("#plugin-status")).to_have_text("MASH audit is now enabled.")
    assert len(axe_check.loads) == loads_before, "htmx should swap the card, not reload the page"
    axe_check("the plugins page after enabling")
    with app.app_context():
        assert app.extensions["portal.plugins"].is_enabled("mash")
    # disabling asks first, saying what it affects (issue 12, point 7)
    card.get_by_role("link", name="Disable MASH audit").click()
    expect(page.locator("#disable-affects")).to_contain_text("Audits allocated, not yet submitted")
    axe_check("the question before disabling")
    page.get_by_role("button", name="Disable MASH audit").click()
    expect(page.locator("#plugin-mash").get_by_text("Disabled", exact=True)).to_be_visible()
    axe_check("the plugins page after disabling")
    with app.app_context():
        assert not app.extensions["portal.plugins"].is_enabled("mash")
    # the state survives a reload: it lives in the database
    page.reload()
    axe_check()
    expect(page.locator("#plugin-mash").get_by_text("Disabled", exact=True)).to_be_visible()


def test_sign_out(page, live_server, sign_in, axe_check):
    sign_in("sw_a")
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    axe_check()
    expect(page.get_by_text("You have signed out.")).to_be_visible()
