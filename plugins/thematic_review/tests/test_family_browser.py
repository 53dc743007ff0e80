"""A family conversation in a browser (issue 7, "Done when"): an auditor on a phone-sized
screen captures it one question at a time, loses the connection half-way (Playwright's offline
mode), sends it, comes back online, and the feedback arrives exactly once, even though the
portal's first answer is lost on the way back. Then the reply letter is produced."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Route, expect
from sqlalchemy import select

from plugins.thematic_review.models import Conversation
from plugins.thematic_review.tests.family_world import add_plan_item, make_review
from portal.plugin_api import db
from portal.plugin_api.testing import TEST_PASSWORD

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 667}
UNSAFE = "<script>alert('x')</script>"
OFFLINE = (
    "Offline: your answers are kept on this device and will be sent when the connection returns"
)


def stored(app) -> list[Conversation]:
    with app.app_context():
        rows = list(db.session.scalars(select(Conversation)))
        db.session.expunge_all()
        return rows


def kept_on_device(page) -> list[str]:
    """The conversations kept in the browser's localStorage, as stored."""
    return page.evaluate(
        "() => Object.keys(localStorage)"
        ".filter((key) => key.startsWith('thematic_review.conversation.'))"
        ".map((key) => localStorage.getItem(key))"
    )


def continue_(page) -> None:
    page.locator(".tr-step:not([hidden])").get_by_role("button", name="Continue").click()


def test_a_family_conversation_offline_half_way_arrives_once_and_gets_its_letter(
    page, live_server, app, world, sign_in, axe_check
):
    review = make_review(app, world)
    action = add_plan_item(
        app, world, review.review, "Text families the day before a visit", status="done"
    )
    page.set_viewport_size(PHONE)
    sign_in("tm_b")
    capture = f"{live_server}/thematic_review/cases/{review.review_case}/conversation"
    page.goto(capture)
    axe_check("the first question")
    status = page.locator("#capture-status")

    # one question per screen: consent first, nothing else in sight
    consent = page.get_by_role("group", name=re.compile("Do they agree to talk with us"))
    expect(consent).to_be_visible()
    expect(page.get_by_label("Who gave consent?")).to_be_hidden()
    continue_(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Record the family's consent first"
    )
    axe_check("a question left unanswered")
    consent.get_by_label("Yes, they consent").check()
    expect(status).to_have_text("Saved on this device")
    continue_(page)

    page.get_by_label("Who gave consent?").fill("Sam Jones, mother")
    page.get_by_label("In writing").check()
    continue_(page)
    page.get_by_label("The child").check()
    page.get_by_label("A parent").check()
    page.get_by_label("5 to 10").check()
    continue_(page)
    page.get_by_label("What do they think of the help").fill(f"She listened to us. {UNSAFE}")
    expect(status).to_have_text("Saved on this device")
    continue_(page)

    # the connection drops half-way: the answers stay on the device
    page.context.set_offline(True)
    expect(status).to_have_text(OFFLINE)
    page.get_by_label("What helped?").fill("Visits after school.")
    continue_(page)
    page.get_by_label("What did not help?").fill("Changing worker three times.")
    continue_(page)
    page.get_by_label("What ideas do they have").fill("Text us before a visit.")
    continue_(page)
    page.get_by_role("group", name=re.compile("Would they like a letter")).get_by_label(
        "Yes"
    ).check()
    continue_(page)
    page.get_by_role("group", name=re.compile("safeguarding concern")).get_by_label("No").check()
    expect(status).to_have_text(OFFLINE)
    continue_(page)

    expect(page.get_by_role("heading", name="Check your answers before sending")).to_be_visible()
    answers = page.locator("#capture-summary")
    expect(answers).to_contain_text(f"She listened to us. {UNSAFE}")  # as typed, not run
    expect(answers).to_contain_text("Sam Jones, mother")
    expect(answers).to_contain_text("The child, A parent")
    axe_check("check your answers")
    [draft] = kept_on_device(page)
    assert "Changing worker three times." in draft

    page.get_by_role("button", name="Send the conversation").click()
    expect(page.get_by_role("heading", name="Waiting to send")).to_be_visible()
    expect(status).to_have_text(OFFLINE)
    assert stored(app) == []

    # back online; the portal records the first try but its answer never reaches the
    # browser, which tries again: the second copy must not become a second conversation
    posts = []

    def lose_the_first_answer(route: Route) -> None:
        if route.request.method != "POST":
            route.continue_()
            return
        posts.append(route.request.url)
        if len(posts) == 1:
            route.fetch()
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route(capture, lose_the_first_answer)
    page.context.set_offline(False)
    expect(status).to_have_text("Sent", timeout=20_000)
    expect(page.get_by_role("heading", name="Conversation sent")).to_be_visible()
    axe_check("sent")
    assert len(posts) == 2
    [conversation] = stored(app)
    assert conversation.views_of_service == f"She listened to us. {UNSAFE}"
    assert conversation.consent_how == "written"
    assert conversation.participants == ["child", "parent"]
    assert conversation.wants_reply is True
    assert kept_on_device(page) == []  # sent: nothing of the family's is left on the device

    # "you said, we did": link the feedback to the action, write the reply, print the letter
    page.unroute(capture)
    page.get_by_role("link", name="What the families said for this case").click()
    axe_check("what the family said")
    assert len(stored(app)) == 1
    expect(page.get_by_text(f"She listened to us. {UNSAFE}")).to_be_visible()
    page.get_by_label("Text families the day before a visit").check()
    page.get_by_role("button", name="Save the linked actions").click()
    axe_check("the actions linked")
    expect(page.get_by_text("The actions this feedback led to have been saved.")).to_be_visible()
    page.get_by_role("link", name="Write the reply").click()
    axe_check("the reply drafted")
    letter = page.get_by_label("The letter", exact=True)
    expect(letter).to_have_value(
        re.compile("What we have done\n\n- Text families the day before a visit.\n")
    )
    page.get_by_label("Their name").fill("Ms Ada Jones")
    page.get_by_label("Their address").fill("4 Mill Lane\nNorthtown\nNT1 2AB")
    page.get_by_role("button", name="Save and check the letter").click()
    axe_check("the letter previewed")
    preview = page.get_by_role("region", name="The letter")
    expect(preview).to_contain_text("Dear Ms Ada Jones,")
    expect(preview).to_contain_text("NT1 2AB")
    expect(preview).to_contain_text("Text families the day before a visit.")
    page.get_by_role("button", name="Record the letter as sent").click()
    axe_check("the reply sent")
    expect(page.get_by_text(re.compile(r"Sent on .* by Tom Manager\."))).to_be_visible()
    pdf = page.request.get(
        f"{live_server}/thematic_review/conversations/{conversation.id}/letter.pdf"
    )
    assert pdf.ok
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    with app.app_context():
        linked = db.session.get(Conversation, conversation.id)
        assert [item.id for item in linked.plan_items] == [action]
        assert linked.reply.sent_by_id == world.users["tm_b"]


def test_a_reloaded_page_keeps_the_answers_and_a_refusal_waits_for_the_portal(
    page, live_server, app, world, sign_in, axe_check
):
    review = make_review(app, world)
    page.set_viewport_size(PHONE)
    sign_in("eh_m")
    capture = f"{live_server}/thematic_review/cases/{review.review_case}/conversation"
    page.goto(capture)
    axe_check()
    page.get_by_label("Yes, they consent").check()
    continue_(page)
    continue_(page)
    expect(page.get_by_label("Who gave consent?")).to_have_class(re.compile("govuk-input--error"))
    axe_check("two answers missing")
    page.get_by_label("Who gave consent?").fill("Sam Jones, mother")
    continue_(page)  # how they consented is still to answer
    expect(page.get_by_label("Who gave consent?")).not_to_have_class(re.compile("--error"))
    expect(page.locator(".govuk-error-summary")).to_have_text(
        re.compile("^There is a problem\\s*Select how they gave consent$")
    )

    page.reload()  # the tablet's browser was closed half-way
    axe_check("the page opened again")
    expect(page.get_by_label("Who gave consent?")).to_have_value("Sam Jones, mother")
    expect(page.locator("#capture-status")).to_have_text("Saved on this device")

    # they change their mind: the refusal alone is sent, and the capture ends
    page.get_by_role("button", name="Back").click()
    page.get_by_label("No, they do not consent").check()
    continue_(page)
    expect(page.locator("#capture-summary")).to_have_text(re.compile("No, they do not consent"))
    expect(page.locator("#capture-summary")).not_to_contain_text("Sam Jones")
    axe_check("a refusal to check")

    page.route(
        capture,
        lambda route: route.abort() if route.request.method == "POST" else route.continue_(),
    )
    page.get_by_role("button", name="Record that they do not consent").click()
    expect(page.get_by_role("heading", name="Waiting to send")).to_be_visible()
    expect(page.locator("#capture-status")).to_have_text(
        "Not sent yet: your answers are kept on this device and will be sent again shortly"
    )
    assert stored(app) == []

    page.unroute(capture)
    page.reload()  # the next visit sends what was waiting
    axe_check("the next visit")
    expect(page.locator("#capture-status")).to_have_text("Sent", timeout=20_000)
    [refusal] = stored(app)
    assert refusal.consent == "refused"
    assert refusal.consent_by == ""  # typed before they refused: never sent
    assert kept_on_device(page) == []


def test_an_auditor_signed_out_while_talking_loses_nothing(
    page, live_server, app, world, sign_in, axe_check
):
    review = make_review(app, world)
    page.set_viewport_size(PHONE)
    sign_in("tm_b")
    page.goto(f"{live_server}/thematic_review/cases/{review.review_case}/conversation")
    axe_check()
    page.get_by_label("No, they do not consent").check()
    continue_(page)
    axe_check("a refusal to check")

    page.context.clear_cookies()  # signed out (the session ended while they talked)
    page.get_by_role("button", name="Record that they do not consent").click()
    status = page.locator("#capture-status")
    expect(status).to_contain_text("You have been signed out. Your answers are kept")
    axe_check("signed out")
    assert stored(app) == []

    status.get_by_role("link", name="Sign in again").click()
    axe_check("the sign-in page")
    page.get_by_label("Email address").fill(world.emails["tm_b"])
    page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(status).to_have_text("Sent", timeout=20_000)  # back on the page, it is sent
    axe_check("back on the conversation page")
    assert [row.consent for row in stored(app)] == ["refused"]
    assert kept_on_device(page) == []
