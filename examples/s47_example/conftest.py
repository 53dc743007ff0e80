"""The plugin's tests use the portal's own fixtures: app, client, runner, world, login_as.

In a plugin's own repository this file is the one line ``pytest_plugins = [...]`` below,
naming the plugin API's testing module. This copy sits inside the portal's repository,
whose root conftest.py has already loaded the portal (and the same fixtures) whenever
pytest runs from there, and pytest refuses ``pytest_plugins`` in a conftest.py below the
folder it runs from. So the line applies only when pytest runs in this folder; run from
anywhere else, pytest leaves this folder's tests out (the portal's
tests/test_example_plugin.py runs them here, as the README says).
"""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

if "portal" not in sys.modules:  # pytest runs in this folder: nothing has loaded the portal
    pytest_plugins = ["portal.plugin_api.testing"]


def pytest_ignore_collect(collection_path: Path, config) -> bool | None:
    """Leave this folder out unless pytest runs in it (None: let pytest decide)."""
    return True if config.rootpath != HERE else None
