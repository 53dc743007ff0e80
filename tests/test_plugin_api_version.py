"""A plugin names the plugin API version it needs; the portal refuses one it cannot meet,
and says so on the admin plugins page and in ``flask --app portal plugins list``."""

import types

import pytest

from portal.api_version import API_VERSION, incompatibility, parse_api_version
from portal.plugin_api import PluginInfo, hookimpl
from portal.plugins import PluginError, PluginHost
from tests.test_plugins import GOOD_PLUGIN, plugin_dir  # noqa: F401 (a fixture)

OURS = f"{API_VERSION[0]}.{API_VERSION[1]}"
NEWER_MINOR = f"{API_VERSION[0]}.{API_VERSION[1] + 1}"
NEXT_MAJOR = f"{API_VERSION[0] + 1}.0"


def plugin_module(key: str, requires_api: object) -> types.ModuleType:
    """A plugin module, as an entry point would load it, that needs *requires_api*."""
    module = types.ModuleType(f"{key}.plugin")

    @hookimpl
    def portal_plugin_info():
        return PluginInfo(key, "Future audit", "2.0.0", "Made for a later portal.", requires_api)

    module.portal_plugin_info = portal_plugin_info
    return module


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1.1", (1, 1)),
        (" 2.0 ", (2, 0)),
        ((1, 0), (1, 0)),
        ("1", None),
        ("one.two", None),
        ((1,), None),
        ((1, "1"), None),
        ((True, 1), None),
        (1.1, None),
    ],
)
def test_a_required_version_is_two_numbers(value, expected):
    assert parse_api_version(value) == expected


@pytest.mark.parametrize(
    ("required", "ours", "compatible"),
    [
        ((1, 0), (1, 1), True),
        ((1, 1), (1, 1), True),
        ((1, 2), (1, 1), False),
        ((2, 0), (1, 1), False),
        ((1, 0), (2, 0), False),
    ],
)
def test_same_major_and_a_minor_no_higher_than_ours_is_compatible(required, ours, compatible):
    assert (incompatibility(required, ours) is None) is compatible


@pytest.mark.parametrize("requires_api", [None, OURS, "1.0", (1, 0), API_VERSION])
def test_a_plugin_written_for_this_api_or_an_earlier_minor_loads(requires_api):
    host = PluginHost()
    assert host.add("fit_audit", plugin_module("fit_audit", requires_api)) is not None
    assert "fit_audit" in host.installed and host.refused == {}


@pytest.mark.parametrize("requires_api", [NEWER_MINOR, NEXT_MAJOR, "0.9"])
def test_a_plugin_written_for_an_api_we_do_not_have_is_refused_not_loaded(requires_api):
    host = PluginHost()
    assert host.add("future_audit", plugin_module("future_audit", requires_api)) is None
    assert "future_audit" not in host.installed
    assert host.manager.get_plugin("future_audit") is None  # its hooks are never called
    refused = host.refused["future_audit"]
    assert refused.reason.startswith(
        f"it needs version {requires_api} of the plugin API and this portal has {OURS}"
    )


def test_a_malformed_required_version_stops_the_start_up_naming_the_plugin():
    with pytest.raises(PluginError, match=r"plugin 'odd_audit': .*requires_api 'latest'"):
        PluginHost().add("odd_audit", plugin_module("odd_audit", "latest"))


def test_a_plugin_importing_a_name_the_api_does_not_have_is_refused(plugin_dir):  # noqa: F811
    source = GOOD_PLUGIN.format(key="later_audit").replace(
        "from portal.hookspecs import PluginInfo, hookimpl",
        "from portal.plugin_api import PluginInfo, hookimpl, a_name_from_the_future",
    )
    host = PluginHost()
    host.discover([plugin_dir("later_audit", source)])
    assert "later_audit" not in host.installed
    assert "imports a_name_from_the_future from portal.plugin_api" in (
        host.refused["later_audit"].reason
    )


@pytest.fixture
def with_future_plugin(app):
    """The test portal with a plugin that needs the next major version of the API."""
    app.extensions["portal.plugins"].add("future_audit", plugin_module("future_audit", NEXT_MAJOR))


def test_the_cli_lists_a_refused_plugin_with_the_reason(runner, with_future_plugin):
    result = runner.invoke(args=["plugins", "list"])
    assert result.exit_code == 0, result.output
    line = next(line for line in result.output.splitlines() if line.startswith("future_audit"))
    assert line.startswith("future_audit refused 2.0.0 Future audit: it needs version ")
    assert f"{NEXT_MAJOR} of the plugin API and this portal has {OURS}" in line


def test_the_admin_page_shows_a_refused_plugin_without_a_toggle(
    client, login_as, with_future_plugin
):
    login_as("admin")
    page = client.get("/admin/plugins").get_data(as_text=True)
    card = page[page.index('id="plugin-future_audit"') :]
    assert "Not loaded" in card
    assert f"needs version {NEXT_MAJOR} of the plugin API and this portal has {OURS}" in card
    assert "/admin/plugins/future_audit" not in page
    assert client.post_form("/admin/plugins/future_audit", {"enabled": "true"}).status_code == 404
