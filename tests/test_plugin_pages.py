"""Plugins with pages of their own: blueprints, menu items, home-page panels, schedule lines."""

import re
import sys
import textwrap
from datetime import date
from importlib.metadata import EntryPoint

import pytest

from portal import create_app
from portal.extensions import db
from portal.plugins import PluginError
from portal.testing.fixtures import PortalClient, login
from portal.testing.world import build_world

PLUGIN = """
from datetime import date

from flask import Blueprint
from markupsafe import Markup

from portal.hookspecs import (
    DashboardPanel, NavItem, PluginInfo, ScheduleEntry, hookimpl,
)

bp = Blueprint("{name}", __name__, url_prefix="{prefix}")


@bp.route("/")
def index():
    return "the reviews page"


@hookimpl
def portal_plugin_info():
    return PluginInfo("paged", "Paged", "1", "A plugin with pages.")


@hookimpl
def portal_blueprints():
    return [bp]


@hookimpl
def portal_navigation(user):
    items = [NavItem("Reviews", "paged.index")]
    if user.email.startswith("qa.lead"):
        items.append(NavItem("Elsewhere", "admin.index"))  # not its own: left out
    return items


@hookimpl
def portal_dashboard_panels(user):
    link = Markup('<a class="govuk-link" href="/paged/">{{}}</a>').format("Review <1>")
    return [DashboardPanel("Your reviews", "No reviews.", ["Review"], [[link]])]


@hookimpl
def portal_schedule_entries(start, end):
    return [ScheduleEntry(start, "Thematic review: neglect", "/paged/")]
"""


@pytest.fixture
def paged_app(tmp_path, monkeypatch, test_database):
    def make(name="paged", prefix="/paged"):
        folder = tmp_path / "paged"
        folder.mkdir(exist_ok=True)
        (folder / "__init__.py").write_text("")
        (folder / "plugin.py").write_text(textwrap.dedent(PLUGIN.format(name=name, prefix=prefix)))
        monkeypatch.syspath_prepend(str(tmp_path))
        for module in ("paged", "paged.plugin"):
            sys.modules.pop(module, None)
        entry = EntryPoint(name="paged", value="paged.plugin", group="portal.plugins")
        app = create_app(
            {
                "TESTING": True,
                "SQLALCHEMY_DATABASE_URI": test_database.fresh(),
                "SECRET_KEY": "test",
                "ARGON2_TIME_COST": 1,
                "ARGON2_MEMORY_COST": 8 * 1024,
                "PLUGIN_ENTRY_POINTS": [entry],
            }
        )
        app.test_client_class = PortalClient
        with app.app_context():
            world = build_world()
            app.extensions["portal.plugins"].set_enabled("paged", True, actor_id=None)
            db.session.commit()
        return app, world

    yield make
    for module in ("paged", "paged.plugin"):
        sys.modules.pop(module, None)


def signed_in(app, world, person):
    client = app.test_client()
    assert login(client, world.emails[person]).status_code == 302
    return client


def test_hook_portal_blueprints_adds_the_plugins_pages(paged_app):
    app, world = paged_app()
    client = signed_in(app, world, "sw_a")
    assert client.get("/paged/").get_data(as_text=True) == "the reviews page"
    assert app.test_client().get("/paged/").status_code == 302  # signed in first, always
    with app.app_context():
        app.extensions["portal.plugins"].set_enabled("paged", False, actor_id=None)
        db.session.commit()
    assert client.get("/paged/").status_code == 404  # disabled: its pages are gone


@pytest.mark.parametrize(("name", "prefix"), [("other", "/paged"), ("paged", "/reviews")])
def test_a_blueprint_must_carry_the_plugins_key(paged_app, name, prefix):
    with pytest.raises(PluginError, match="plugin 'paged': its blueprint must be named 'paged'"):
        paged_app(name, prefix)


def test_hook_portal_navigation_adds_menu_items_to_its_own_pages_only(paged_app):
    app, world = paged_app()
    page = signed_in(app, world, "qa_lead").get("/").get_data(as_text=True)
    navigation = page.split('aria-label="Main menu"')[1].split("</nav>")[0]
    assert re.search(r'href="/paged/"[^>]*>\s*Reviews\s*<', navigation)
    assert "Elsewhere" not in navigation


def test_hook_portal_dashboard_panels_adds_home_page_panels(paged_app):
    app, world = paged_app()
    page = signed_in(app, world, "sw_a").get("/").get_data(as_text=True)
    assert "Your reviews" in page
    assert '<a class="govuk-link" href="/paged/">Review &lt;1&gt;</a>' in page


def test_hook_portal_schedule_entries_adds_lines_to_the_schedule(paged_app):
    app, world = paged_app()
    page = signed_in(app, world, "qa_admin").get("/schedule/").get_data(as_text=True)
    assert "Thematic review: neglect" in page
    assert date.today().strftime("%B %Y") in page
