"""What a plugin's tests may use of the portal, and the pytest plugin that gives them the
portal's fixtures.

A plugin's ``conftest.py`` loads the fixtures with one line,
``pytest_plugins = ["portal.plugin_api.testing"]``: ``app``, ``client``, ``runner``,
``world`` (the test council), ``login_as``, ``enable_plugins``, the ``--database`` option
(SQLite or PostgreSQL), the real LDAP, OpenID Connect and SMTP servers, and the browser
fixtures (``live_server``, ``page``, ``sign_in``, ``axe_check``). Its tests may import the
names of ``__all__``: signing in, counting statements, the plugin host (to check that a
plugin is discovered through its entry point), the accessibility check of the browser
tests, and pointing the portal at the real SMTP server of the ``smtp_server`` fixture.
"""

from __future__ import annotations

from portal.plugins import PluginHost
from portal.testing.browser import AccessibilityChecker
from portal.testing.fixtures import CSRF_META, login
from portal.testing.smtp import SENDER, use_smtp
from portal.testing.statements import counted, statements_for
from portal.testing.world import TEST_PASSWORD, World

#: Loading this module as a pytest plugin loads the portal's own fixture plugins (pytest
#: registers each once, so a suite that also loads them directly is unaffected).
pytest_plugins = ["portal.testing.fixtures", "portal.testing.browser"]

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
