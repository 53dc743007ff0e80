"""Browser tests: Playwright driving Debian's Chromium against the live portal."""

import pytest


def pytest_collection_modifyitems(items):
    for item in items:
        if "/tests/browser/" in str(item.path):
            item.add_marker(pytest.mark.browser)
