"""What a plugin's tests may import: the test council, signing in, counting statements,
the plugin host (to check that a plugin is discovered through its entry point), the
accessibility check of the browser tests, and pointing the portal at the real SMTP server
of the ``smtp_server`` fixture."""

from __future__ import annotations

from portal.plugins import PluginHost
from portal.testing.browser import AccessibilityChecker
from portal.testing.fixtures import CSRF_META, login
from portal.testing.smtp import SENDER, use_smtp
from portal.testing.statements import counted, statements_for
from portal.testing.world import TEST_PASSWORD, World

__all__ = [
    "CSRF_META",
    "SENDER",
    "TEST_PASSWORD",
    "AccessibilityChecker",
    "PluginHost",
    "World",
    "counted",
    "login",
    "statements_for",
    "use_smtp",
]
