"""The core's tests use the shared portal fixtures (see portal/testing)."""

pytest_plugins = ["portal.testing.fixtures", "portal.testing.browser"]
