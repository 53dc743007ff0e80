"""The plugin API is the one door between a plugin and the portal.

Every shipped plugin (``plugins/*``, tests included) and the tutorial's example import
from the portal only through ``portal.plugin_api`` and, in their tests,
``portal.plugin_api.testing``; every name those modules promise in ``__all__`` is there.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import portal.plugin_api
import portal.plugin_api.testing

ROOT = Path(__file__).resolve().parent.parent
ALLOWED = {"portal.plugin_api", "portal.plugin_api.testing"}
PLUGIN_SOURCES = sorted(
    path
    for folder in [*(ROOT / "plugins").iterdir(), ROOT / "examples" / "s47_example"]
    if folder.is_dir()
    for path in folder.rglob("*.py")
    if "__pycache__" not in path.parts
)


def core_imports(source: str) -> list[tuple[int, str]]:
    """The imports of the portal other than the plugin API in *source*: (line, module)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules = [node.module]
            if node.module == "portal":  # from portal import plugin_api
                modules = [f"portal.{alias.name}" for alias in node.names]
        else:
            continue
        found += [
            (node.lineno, module)
            for module in modules
            if (module == "portal" or module.startswith("portal.")) and module not in ALLOWED
        ]
    return found


def test_the_walk_finds_the_shipped_plugins_and_the_example():
    folders = {path.relative_to(ROOT).parts[:2] for path in PLUGIN_SOURCES}
    assert {("plugins", "csc_audit"), ("plugins", "thematic_review")} <= folders
    assert ("examples", "s47_example") in folders


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from portal.plugin_api import db", []),
        ("from portal.plugin_api.testing import World", []),
        ("from portal.models import Case", [(1, "portal.models")]),
        ("import portal.extensions", [(1, "portal.extensions")]),
        ("from portal import plugin_api, models", [(1, "portal.models")]),
        (
            "def f():\n    from portal.reports.queries import section_grades",
            [(2, "portal.reports.queries")],
        ),
        ("from .process import X\nfrom plugins.mash import report", []),
    ],
)
def test_the_check_tells_the_plugin_api_from_the_rest_of_the_core(source, expected):
    assert core_imports(source) == expected


def test_plugins_and_the_example_import_the_portal_only_through_the_plugin_api():
    offences = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for path in PLUGIN_SOURCES
        for line, module in core_imports(path.read_text())
    ]
    assert offences == [], "use portal.plugin_api instead:\n" + "\n".join(offences)


@pytest.mark.parametrize("module", [portal.plugin_api, portal.plugin_api.testing])
def test_every_promised_name_resolves(module):
    missing = [name for name in module.__all__ if not hasattr(module, name)]
    assert missing == []
    assert len(set(module.__all__)) == len(module.__all__)


def test_the_api_has_a_version_of_two_numbers():
    major, minor = portal.plugin_api.API_VERSION
    assert (major, minor) >= (1, 1)
