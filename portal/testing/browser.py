"""Browser-test support: the portal served on a real port, Debian's Chromium driven by
Playwright, and an axe-core accessibility check that every page visited must pass.

Load with ``pytest_plugins = ["portal.testing.browser"]`` beside the portal fixtures.
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from portal.testing.ci import in_ci
from portal.testing.world import TEST_PASSWORD

AXE_SCRIPT = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def chromium_path() -> str | None:
    """Debian's Chromium, where apt puts it."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Launch Debian's Chromium (Playwright cannot download its own here)."""
    path = chromium_path()
    if path is None:
        reason = "Chromium is not installed (apt-get install chromium, or make browsers)"
        if in_ci():
            pytest.fail(reason)
        pytest.skip(reason)
    return {**browser_type_launch_args, "executable_path": path, "args": CHROMIUM_FLAGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """Let the axe-core script in despite the portal's Content-Security-Policy."""
    return {**browser_context_args, "bypass_csp": True, "locale": "en-GB"}


@pytest.fixture
def live_server(app):
    """The portal served on 127.0.0.1 on a free port, for the length of one test."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


class AccessibilityChecker:
    """Runs axe-core on the page; remembers which page loads were checked."""

    def __init__(self, page) -> None:
        self.page = page
        self.loads: list[str] = []
        self.checked: set[int] = set()
        page.on("load", lambda loaded: self.loads.append(loaded.url))

    def __call__(self, context: str = "") -> None:
        """Assert that the page as it is now has no axe-core violations."""
        self.page.wait_for_load_state()
        if not self.page.evaluate("() => typeof window.axe !== 'undefined'"):
            self.page.add_script_tag(path=str(AXE_SCRIPT))
        result = self.page.evaluate(
            "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
            AXE_TAGS,
        )
        self.checked.add(len(self.loads))
        problems = [
            f"{violation['id']} ({violation['impact']}): {violation['help']} — "
            + "; ".join(node["target"][0] for node in violation["nodes"][:3])
            for violation in result["violations"]
        ]
        where = context or self.page.url
        assert not problems, f"axe-core found problems on {where}:\n" + "\n".join(problems)

    def not_the_portal(self) -> None:
        """Count the page now shown as seen without a check: it is not the portal's (an
        identity provider's sign-in page, which the council does not build)."""
        self.page.wait_for_load_state()
        self.checked.add(len(self.loads))

    def unchecked_pages(self) -> list[str]:
        """Pages that loaded but were never checked."""
        return [url for index, url in enumerate(self.loads, 1) if index not in self.checked]


@pytest.fixture
def axe_check(page):
    """Call ``axe_check()`` after each page load; the test fails if a page went unchecked."""
    checker = AccessibilityChecker(page)
    yield checker
    unchecked = checker.unchecked_pages()
    assert not unchecked, f"pages visited without an accessibility check: {unchecked}"


@pytest.fixture
def sign_in(page, live_server, world, axe_check):
    """Sign in through the real form as one of the world's people: ``sign_in("admin")``."""

    def as_person(short_name: str) -> None:
        page.goto(f"{live_server}/login")
        axe_check()
        page.get_by_label("Email address").fill(world.emails[short_name])
        page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{live_server}/")
        axe_check()

    return as_person
