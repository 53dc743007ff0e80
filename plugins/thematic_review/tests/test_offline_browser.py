"""The family-conversation page opens offline (issue 12, point 8), in a browser: the auditor
prepares the review for offline use while connected; then, with the browser offline from the
start (and the portal not even running), the review's page and its conversation page open,
reload, close and reopen from the device; the conversation typed there is sent once when
the connection returns. Every page passes axe-core's checks."""

from __future__ import annotations

import re
import threading
from contextlib import contextmanager

import pytest
from playwright.sync_api import expect
from sqlalchemy import select
from werkzeug.serving import make_server

from plugins.thematic_review.models import Conversation
from plugins.thematic_review.tests.family_world import make_review
from portal.plugin_api import db
from portal.plugin_api.testing import TEST_PASSWORD, AccessibilityChecker

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 667}
OFFLINE = (
    "Offline: your answers are kept on this device and will be sent when the connection returns"
)


@contextmanager
def portal_on(app, port: int = 0):
    """The portal served on 127.0.0.1 (on *port*, or a free one) while the block runs."""
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_port
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def tablet(browser_type, browser_type_launch_args, browser_context_args, tmp_path):
    """Open the auditor's tablet: a browser whose profile (cookies, storage, service workers,
    caches) outlives closing it, as a real one's does. ``tablet(offline=True)``."""
    opened = []

    def open_(*, offline: bool = False):
        context = browser_type.launch_persistent_context(
            str(tmp_path / "profile"),
            **browser_type_launch_args,
            **browser_context_args,
            viewport=PHONE,
            offline=offline,
        )
        opened.append(context)
        return context

    yield open_
    for context in opened:
        context.close()


def stored(app) -> list[Conversation]:
    with app.app_context():
        rows = list(db.session.scalars(select(Conversation)))
        db.session.expunge_all()
        return rows


def continue_(page) -> None:
    page.locator(".tr-step:not([hidden])").get_by_role("button", name="Continue").click()


def test_the_conversation_page_opens_offline_and_its_answers_arrive_once(app, world, tablet):
    review = make_review(app, world)
    with portal_on(app) as port:
        site = f"http://127.0.0.1:{port}"
        review_page = f"{site}/thematic_review/{review.review}"
        capture = f"{site}/thematic_review/cases/{review.review_case}/conversation"

        # connected, before the visit: sign in and prepare the review for offline use
        context = tablet()
        page = context.pages[0] if context.pages else context.new_page()
        axe_check = AccessibilityChecker(page)
        page.goto(f"{site}/login")
        axe_check("sign in")
        page.get_by_label("Email address").fill(world.emails["tm_b"])
        page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{site}/")
        axe_check("home")
        page.goto(review_page)
        axe_check("the review")
        page.get_by_role("button", name="Prepare for offline use").click()
        expect(page.locator("#offline-status")).to_contain_text(
            "Ready: this review's page and its 1 conversation page open on this device",
            timeout=20_000,
        )
        axe_check("prepared")
        context.close()

    # the portal is out of reach and the tablet offline from the moment it is opened
    context = tablet(offline=True)
    page = context.pages[0] if context.pages else context.new_page()
    axe_check = AccessibilityChecker(page)
    page.goto(review_page)
    axe_check("the review, offline")
    page.get_by_role("link", name="Talk with the family of CS-1001").click()
    axe_check("the conversation page, offline")
    expect(page.get_by_role("heading", name="Conversation with the family")).to_be_visible()
    assert page.evaluate("() => navigator.serviceWorker.controller !== null")
    status = page.locator("#capture-status")
    expect(status).to_have_text(OFFLINE)
    page.get_by_label("Yes, they consent").check()
    continue_(page)
    page.get_by_label("Who gave consent?").fill("Sam Jones, mother")
    page.get_by_label("Verbally").check()
    continue_(page)

    page.reload()  # reloaded offline: the page and what was typed are still there
    axe_check("reloaded offline")
    expect(page.get_by_label("Who gave consent?")).to_have_value("Sam Jones, mother")
    page.close()

    page = context.new_page()  # closed and opened again, still offline
    axe_check = AccessibilityChecker(page)
    page.goto(capture)
    axe_check("reopened offline")
    expect(page.get_by_label("Who gave consent?")).to_have_value("Sam Jones, mother")
    continue_(page)
    page.get_by_label("A parent").check()
    page.get_by_label("5 to 10").check()
    continue_(page)
    page.get_by_label("What do they think of the help").fill("She listened to us.")
    for _ in range(4):
        continue_(page)
    page.get_by_role("group", name=re.compile("Would they like a letter")).get_by_label(
        "No"
    ).check()
    continue_(page)
    page.get_by_role("group", name=re.compile("safeguarding concern")).get_by_label("No").check()
    continue_(page)
    axe_check("check your answers, offline")
    page.get_by_role("button", name="Send the conversation").click()
    expect(page.get_by_role("heading", name="Waiting to send")).to_be_visible()
    expect(page.locator("#capture-status")).to_have_text(OFFLINE)
    page.reload()  # queued, reloaded offline: still waiting, nothing sent twice
    axe_check("waiting, reloaded offline")
    expect(page.locator("#capture-status")).to_have_text(OFFLINE)
    assert stored(app) == []

    # the connection returns (the portal on the same address): sent, exactly once
    with portal_on(app, port):
        context.set_offline(False)
        expect(page.locator("#capture-status")).to_have_text("Sent", timeout=20_000)
        page.reload()
        axe_check("online again")
        expect(page.locator("#capture-status")).not_to_have_text("Sending…")
        [conversation] = stored(app)
        assert conversation.consent_by == "Sam Jones, mother"
        assert conversation.views_of_service == "She listened to us."
        assert conversation.participants == ["parent"]
        # signing out removes the pages kept for offline use from the device
        assert page.evaluate("async () => (await caches.keys()).length") > 0
        page.get_by_role("button", name="Sign out").click()
        page.wait_for_url(re.compile(r"/login"))
        kept = page.evaluate("async () => (await caches.keys()).length")
        for _ in range(50):  # the sign-in page removes them as it loads
            if not kept:
                break
            page.wait_for_timeout(100)
            kept = page.evaluate("async () => (await caches.keys()).length")
        assert kept == 0
        context.close()
