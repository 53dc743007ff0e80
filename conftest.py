"""Every test (the core's and each plugin's) runs with the portal's shared fixtures."""

pytest_plugins = ["portal.testing.fixtures", "portal.testing.browser"]
