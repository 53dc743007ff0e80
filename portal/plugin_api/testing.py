"""What a plugin's tests may import: the test council, signing in, counting statements,
and the plugin host (to check that a plugin is discovered through its entry point)."""

from __future__ import annotations

from portal.plugins import PluginHost
from portal.testing.fixtures import CSRF_META, login
from portal.testing.statements import counted, statements_for
from portal.testing.world import TEST_PASSWORD, World

__all__ = [
    "CSRF_META",
    "TEST_PASSWORD",
    "PluginHost",
    "World",
    "counted",
    "login",
    "statements_for",
]
