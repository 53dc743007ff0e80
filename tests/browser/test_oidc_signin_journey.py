"""A member of staff signs in with the council's single sign-on (a real OpenID provider,
``portal/testing/oidc.py``), lands on the home page, and signs out of both."""

from playwright.sync_api import expect


def test_sign_in_with_the_council_and_sign_out(
    page, live_server, world, axe_check, app, oidc_provider
):
    oidc_provider.reset_people()
    app.config.update(oidc_provider.settings())
    page.goto(f"{live_server}/login")
    axe_check("the sign-in page with its single sign-on button")

    page.get_by_role("button", name="Sign in with Test Council").click()
    page.wait_for_url(f"{oidc_provider.issuer}/**")
    axe_check.not_the_portal()
    page.locator('input[name="login"]').fill("0001-sw-a")
    page.locator('input[name="password"]').fill("any")
    page.get_by_role("button", name="Sign-in").click()
    page.get_by_role("button", name="Continue").wait_for()
    axe_check.not_the_portal()
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url(f"{live_server}/")
    expect(page.get_by_text("Hello, Sophie Worker")).to_be_visible()
    axe_check("the home page after single sign-on")

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{oidc_provider.issuer}/session/end**")
    axe_check.not_the_portal()
    page.get_by_role("button", name="Yes, sign me out").click()
    page.wait_for_url(f"{live_server}/login**")
    expect(page.get_by_role("button", name="Sign in with Test Council")).to_be_visible()
    axe_check("the sign-in page after signing out")
