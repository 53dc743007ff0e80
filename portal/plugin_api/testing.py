"""What a plugin's tests may import: the test council, signing in, counting statements."""

from __future__ import annotations

from portal.testing.browser import AccessibilityChecker
from portal.testing.fixtures import CSRF_META, login
from portal.testing.statements import counted
from portal.testing.world import TEST_PASSWORD, World

__all__ = ["CSRF_META", "TEST_PASSWORD", "AccessibilityChecker", "World", "counted", "login"]
