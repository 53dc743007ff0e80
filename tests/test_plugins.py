"""The plugin host: discovery through entry points, validation, enable/disable, CLI, admin page."""

import sys
import textwrap
from importlib.metadata import EntryPoint

import pytest
from sqlalchemy import select

from portal import create_app
from portal.extensions import db
from portal.hookspecs import PluginInfo
from portal.models import ActivityEntry, PluginState
from portal.plugins import PluginError, PluginHost
from tests.audits.conftest import allocated, mini  # noqa: F401  (fixtures)
from tests.audits.test_disable_and_cancel import two_audits  # noqa: F401  (a fixture)

SHIPPED = {
    "csc_audit",
    "early_help",
    "fostering_oversight",
    "management_oversight",
    "mash",
    "practice_observation",
    "s47_audit",
    "supervision_quality",
    "thematic_review",
    "tool_builder",
}

GOOD_PLUGIN = """
from portal.hookspecs import PluginInfo, hookimpl

@hookimpl
def portal_plugin_info():
    return PluginInfo(key="{key}", name="Test audit", version="1.2.3", description="A test.")
"""


@pytest.fixture
def plugin_dir(tmp_path, monkeypatch):
    """Write plugin packages to a folder on sys.path, as pip would install them."""
    monkeypatch.syspath_prepend(str(tmp_path))
    written = []

    def write(package: str, source: str, files: dict[str, str] | None = None) -> EntryPoint:
        folder = tmp_path / package
        folder.mkdir()
        (folder / "__init__.py").write_text("")
        (folder / "plugin.py").write_text(textwrap.dedent(source))
        for name, text in (files or {}).items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(text)
        written.append(package)
        return EntryPoint(name=package, value=f"{package}.plugin", group="portal.plugins")

    yield write
    for package in written:
        for name in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
            del sys.modules[name]


def test_hook_portal_plugin_info_identifies_each_shipped_plugin():
    host = PluginHost()
    host.discover()
    assert set(host.installed) >= SHIPPED
    for key in SHIPPED:
        info = host.installed[key].info
        assert isinstance(info, PluginInfo)
        assert info.key == key
        assert info.name and info.version and info.description
        assert "portal_plugin_info" in host.installed[key].hooks


def test_a_third_party_package_is_discovered_through_its_entry_point(tmp_path, monkeypatch):
    """A plugin installed from outside the repository is found like the shipped ones."""
    package = tmp_path / "outside_audit"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "plugin.py").write_text(GOOD_PLUGIN.format(key="outside_audit"))
    dist = tmp_path / "outside_audit-1.2.3.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: outside-audit\nVersion: 1.2.3\n")
    (dist / "entry_points.txt").write_text(
        "[portal.plugins]\noutside_audit = outside_audit.plugin\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        host = PluginHost()
        host.discover()
        assert "outside_audit" in host.installed
        assert host.installed["outside_audit"].info.version == "1.2.3"
    finally:
        for name in ("outside_audit", "outside_audit.plugin"):
            sys.modules.pop(name, None)


@pytest.mark.parametrize(
    ("package", "source", "files", "message"),
    [
        ("Bad_Key", GOOD_PLUGIN.format(key="Bad_Key"), None, "lower-case"),
        ("wrong_key", GOOD_PLUGIN.format(key="other_key"), None, "gives the key 'other_key'"),
        (
            "no_info",
            "from portal.hookspecs import hookimpl\n",
            None,
            "must implement portal_plugin_info",
        ),
        (
            "loose_dict",
            "from portal.hookspecs import hookimpl\n@hookimpl\n"
            "def portal_plugin_info():\n    return {'key': 'loose_dict'}\n",
            None,
            "returned dict, not PluginInfo",
        ),
        (
            "blank_name",
            "from portal.hookspecs import PluginInfo, hookimpl\n@hookimpl\n"
            "def portal_plugin_info():\n"
            "    return PluginInfo(key='blank_name', name=' ', version='1', description='d')\n",
            None,
            "empty name",
        ),
        (
            "misspelt",
            GOOD_PLUGIN.format(key="misspelt")
            + "\n@hookimpl\ndef portal_plugn_info():\n    return None\n",
            None,
            "portal_plugn_info",
        ),
        (
            "stray_templates",
            GOOD_PLUGIN.format(key="stray_templates"),
            {"templates/base.html": "x"},
            "templates must sit in templates/stray_templates/",
        ),
    ],
)
def test_start_up_refuses_a_plugin_that_breaks_the_rules(
    plugin_dir, package, source, files, message
):
    entry_point = plugin_dir(package, source, files)
    host = PluginHost()
    with pytest.raises(PluginError) as raised:
        host.discover([entry_point])
    assert f"plugin {package!r}" in str(raised.value)
    assert message in str(raised.value)


def test_start_up_refuses_a_package_not_named_after_its_key(plugin_dir):
    entry_point = plugin_dir("real_name", GOOD_PLUGIN.format(key="other_name"))
    entry_point = EntryPoint(name="other_name", value="real_name.plugin", group="portal.plugins")
    with pytest.raises(PluginError, match="package must be named after the key"):
        PluginHost().discover([entry_point])


def test_start_up_refuses_a_plugin_that_cannot_be_imported(plugin_dir):
    entry_point = plugin_dir("broken", "import a_module_that_does_not_exist\n")
    with pytest.raises(PluginError, match="plugin 'broken': cannot load"):
        PluginHost().discover([entry_point])


def test_start_up_refuses_a_plugin_table_without_the_key_prefix(plugin_dir):
    entry_point = plugin_dir("tabled", GOOD_PLUGIN.format(key="tabled"))
    host = PluginHost()
    host.discover([entry_point])
    host.check_tables([("tabled.models", "tabled_reviews")])  # the rule kept: no error
    with pytest.raises(PluginError, match="plugin 'tabled': table 'reviews' must start with"):
        host.check_tables([("tabled.models", "reviews")])


def test_create_app_stops_with_the_plugins_name(plugin_dir, test_database):
    entry_point = plugin_dir("wrong_key", GOOD_PLUGIN.format(key="other_key"))
    with pytest.raises(PluginError, match="plugin 'wrong_key'"):
        create_app(
            {
                "TESTING": True,
                "SQLALCHEMY_DATABASE_URI": test_database.url,
                "PLUGIN_ENTRY_POINTS": [entry_point],
            }
        )


def test_installed_plugins_start_disabled_and_enabling_persists(app):
    with app.app_context():
        host = app.extensions["portal.plugins"]
        assert host.enabled_keys() == frozenset()
        assert host.set_enabled("mash", True, actor_id=None) is True
        db.session.commit()
    with app.app_context():
        assert app.extensions["portal.plugins"].enabled_keys() == {"mash"}
        state = db.session.get(PluginState, "mash")
        assert state.enabled is True


def test_enabling_in_one_worker_is_seen_by_another_without_restart(app):
    """Two application instances on one database stand for two gunicorn workers."""
    other_worker = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "SECRET_KEY": "x",
        }
    )
    with other_worker.app_context():
        assert not other_worker.extensions["portal.plugins"].is_enabled("csc_audit")
    with app.app_context():
        app.extensions["portal.plugins"].set_enabled("csc_audit", True, actor_id=None)
        db.session.commit()
    with other_worker.app_context():
        assert other_worker.extensions["portal.plugins"].is_enabled("csc_audit")
        db.engine.dispose()


def test_hook_calls_leave_disabled_plugins_out(app, enable_plugins):
    enable_plugins("csc_audit", "mash")
    with app.app_context():
        host = app.extensions["portal.plugins"]
        keys = {info.key for info in host.hook("portal_plugin_info")()}
        assert keys == {"csc_audit", "mash"}
        host.set_enabled("mash", False, actor_id=None)
        db.session.commit()
    with app.app_context():
        keys = {info.key for info in app.extensions["portal.plugins"].hook("portal_plugin_info")()}
        assert keys == {"csc_audit"}


def test_enabling_and_disabling_is_recorded_in_the_activity_history(app, world, enable_plugins):
    enable_plugins("early_help")
    with app.app_context():
        app.extensions["portal.plugins"].set_enabled("early_help", False, world.users["admin"])
        db.session.commit()
        entries = db.session.scalars(
            select(ActivityEntry).where(ActivityEntry.object_type == "plugin")
        ).all()
    assert [(e.verb, e.object_id, e.actor_id) for e in entries] == [
        ("enabled", "early_help", None),
        ("disabled", "early_help", world.users["admin"]),
    ]
    assert entries[-1].before == {"enabled": True}
    assert entries[-1].after == {"enabled": False}


def test_setting_an_unchanged_state_records_nothing(app):
    with app.app_context():
        host = app.extensions["portal.plugins"]
        assert host.set_enabled("mash", False, actor_id=None) is False
        db.session.commit()
        assert db.session.scalars(select(ActivityEntry)).all() == []


# Command line ------------------------------------------------------------------------


def test_cli_lists_every_plugin_with_its_state(runner, enable_plugins):
    enable_plugins("mash")
    result = runner.invoke(args=["plugins", "list"])
    assert result.exit_code == 0, result.output
    lines = {line.split()[0]: line.split()[1] for line in result.output.splitlines()}
    assert lines == {
        "csc_audit": "disabled",
        "early_help": "disabled",
        "fostering_oversight": "disabled",
        "management_oversight": "disabled",
        "mash": "enabled",
        "practice_observation": "disabled",
        "s47_audit": "disabled",
        "supervision_quality": "disabled",
        "thematic_review": "disabled",
        "tool_builder": "disabled",
    }


def test_cli_enables_and_disables(runner, app):
    result = runner.invoke(args=["plugins", "enable", "thematic_review"])
    assert result.exit_code == 0, result.output
    assert "thematic_review enabled" in result.output
    with app.app_context():
        assert app.extensions["portal.plugins"].is_enabled("thematic_review")
    result = runner.invoke(args=["plugins", "disable", "thematic_review"], input="y\n")
    assert result.exit_code == 0, result.output
    assert "thematic_review disabled" in result.output
    with app.app_context():
        assert not app.extensions["portal.plugins"].is_enabled("thematic_review")


@pytest.mark.usefixtures("two_audits")
def test_cli_disable_says_what_it_affects_and_asks_first(runner, app):
    """As the administrators' page does: its audits allocated, actions open and audits
    submitted, then the question; no disables nothing."""
    result = runner.invoke(args=["plugins", "disable", "mini_audit"], input="n\n")
    assert result.exit_code == 1
    assert "Disabling Mini audit (mini_audit) affects:" in result.output
    assert "Audits allocated, not yet submitted: 1" in result.output
    assert "Actions open: 1" in result.output
    assert "Audits submitted: 1" in result.output
    assert "Its 1 allocated audit can still be finished" in result.output
    assert "its 1 open action stays open" in result.output
    assert "Disable mini_audit? [y/N]" in result.output
    assert "mini_audit is still enabled: nothing changed." in result.output
    with app.app_context():
        assert app.extensions["portal.plugins"].is_enabled("mini_audit")

    result = runner.invoke(args=["plugins", "disable", "mini_audit"], input="y\n")
    assert result.exit_code == 0, result.output
    assert result.output.rstrip().endswith("mini_audit disabled")
    with app.app_context():
        assert not app.extensions["portal.plugins"].is_enabled("mini_audit")


@pytest.mark.usefixtures("two_audits")
def test_cli_disable_yes_skips_the_question(runner, app):
    result = runner.invoke(args=["plugins", "disable", "mini_audit", "--yes"])
    assert result.exit_code == 0, result.output
    assert result.output == "mini_audit disabled\n"
    with app.app_context():
        assert not app.extensions["portal.plugins"].is_enabled("mini_audit")


def test_cli_disable_asks_nothing_of_a_plugin_already_disabled(runner):
    result = runner.invoke(args=["plugins", "disable", "thematic_review"])
    assert (result.exit_code, result.output) == (0, "thematic_review was already disabled\n")
    result = runner.invoke(args=["plugins", "disable", "nonsense"])
    assert result.exit_code != 0
    assert "No plugin is installed with the key 'nonsense'" in result.output


def test_cli_refuses_an_unknown_key(runner):
    result = runner.invoke(args=["plugins", "enable", "nonsense"])
    assert result.exit_code != 0
    assert "No plugin is installed with the key 'nonsense'" in result.output
    assert "csc_audit" in result.output


# Admin page --------------------------------------------------------------------------


def test_admin_page_lists_every_plugin(client, login_as, enable_plugins):
    enable_plugins("mash")
    login_as("admin")
    page = client.get("/admin/plugins").get_data(as_text=True)
    for key in SHIPPED:
        assert f'id="plugin-{key}"' in page
    assert "MASH audit" in page
    assert "portal_plugin_info" in page
    assert page.count("govuk-tag--green") == 1


def test_admin_toggles_a_plugin_without_javascript(client, login_as, app):
    login_as("admin")
    response = client.post_form("/admin/plugins/csc_audit", {"enabled": "true"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "is now enabled" in page
    with app.app_context():
        assert app.extensions["portal.plugins"].is_enabled("csc_audit")


def test_admin_toggle_through_htmx_returns_the_plugins_card(client, login_as, app):
    login_as("admin")
    response = client.post_form(
        "/admin/plugins/early_help", {"enabled": "true"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    fragment = response.get_data(as_text=True)
    assert fragment.lstrip().startswith('<div class="govuk-summary-card" id="plugin-early_help">')
    assert "<html" not in fragment
    assert "Enabled" in fragment and "Disable" in fragment
    assert 'hx-swap-oob="true"' in fragment


def test_toggle_without_csrf_token_changes_nothing(client, login_as, app):
    login_as("admin")
    response = client.post("/admin/plugins/csc_audit", data={"enabled": "true"})
    assert response.status_code == 400
    with app.app_context():
        assert not app.extensions["portal.plugins"].is_enabled("csc_audit")


def test_toggle_of_an_unknown_plugin_is_404(client, login_as):
    login_as("admin")
    assert client.post_form("/admin/plugins/nonsense", {"enabled": "true"}).status_code == 404


@pytest.mark.parametrize("person", ["qa_lead", "sw_a", "police"])
def test_only_admins_reach_the_plugins_page(client, login_as, app, person):
    login_as(person)
    assert client.get("/admin/plugins").status_code == 403
    assert client.post_form("/admin/plugins/mash", {"enabled": "true"}).status_code == 403
    with app.app_context():
        assert not app.extensions["portal.plugins"].is_enabled("mash")
