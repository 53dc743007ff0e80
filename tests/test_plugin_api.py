"""The plugin API is the one door between a plugin and the portal.

Every shipped plugin (``plugins/*``, tests included) and the tutorial's example import
from the portal only through ``portal.plugin_api`` and, in their tests,
``portal.plugin_api.testing``, which is also the one pytest plugin their ``conftest.py``
may load (``pytest_plugins``); the example's code names no other module of the portal in
a string either (its docstrings may). Every name those modules promise in ``__all__`` is
there.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import portal.plugin_api
import portal.plugin_api.testing

ROOT = Path(__file__).resolve().parent.parent
ALLOWED = {"portal.plugin_api", "portal.plugin_api.testing"}
EXAMPLE = ROOT / "examples" / "s47_example"
#: A dotted name of the portal in a string: ``portal.testing.fixtures``, ``portal.models``.
PORTAL_MODULE = re.compile(r"(?<![\w./-])portal(?:\.\w+)+")
PLUGIN_SOURCES = sorted(
    path
    for folder in [*(ROOT / "plugins").iterdir(), EXAMPLE]
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


def loaded_pytest_plugins(source: str) -> list[tuple[int, str]]:
    """The pytest plugins *source* names in ``pytest_plugins`` other than the plugin API's
    testing module: (line, name)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign | ast.AugAssign):
            targets = [node.target]
        else:
            continue
        if not any(isinstance(t, ast.Name) and t.id == "pytest_plugins" for t in targets):
            continue
        if node.value is None:
            continue
        names = [
            (value.lineno, value.value)
            for value in ast.walk(node.value)
            if isinstance(value, ast.Constant) and isinstance(value.value, str)
        ]
        if not names:  # built some other way: name it plainly, as a list of strings
            names = [(node.lineno, ast.unparse(node.value))]
        found += [(line, name) for line, name in names if name != "portal.plugin_api.testing"]
    return found


def docstrings(tree: ast.AST) -> set[int]:
    """The ids of the docstring nodes of a module and its classes and functions."""
    owners = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
    return {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, owners)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
        and isinstance(node.body[0].value.value, str)
    }


def core_names_in_strings(source: str) -> list[tuple[int, str]]:
    """The modules of the portal other than the plugin API named in *source*'s strings
    (docstrings aside): (line, name)."""
    tree = ast.parse(source)
    skipped = docstrings(tree)
    return [
        (node.lineno, name)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
        if id(node) not in skipped
        for name in PORTAL_MODULE.findall(node.value)
        if name not in ALLOWED
    ]


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


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('pytest_plugins = ["portal.plugin_api.testing"]', []),
        ('pytest_plugins = ["portal.testing.fixtures"]', [(1, "portal.testing.fixtures")]),
        (
            'if "x" not in sys.modules:\n    pytest_plugins = ("portal.testing.browser",)',
            [(2, "portal.testing.browser")],
        ),
        ('pytest_plugins = "portal.testing.fixtures"', [(1, "portal.testing.fixtures")]),
        ("pytest_plugins = PLUGINS", [(1, "PLUGINS")]),
        ('plugins = ["portal.testing.fixtures"]', []),
    ],
)
def test_the_check_reads_the_pytest_plugins_a_module_loads(source, expected):
    assert loaded_pytest_plugins(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('"""Loads portal.testing.fixtures, as the portal does."""', []),
        ('def f():\n    """Not portal.models."""\n    return 1', []),
        ('NAME = "portal.plugin_api.testing"', []),
        ('NAME = "portal.testing.fixtures"', [(1, "portal.testing.fixtures")]),
        ('importlib.import_module("portal.models")', [(1, "portal.models")]),
        ('x = f"{a}portal.extensions"', [(1, "portal.extensions")]),
        ('if "portal" not in sys.modules:\n    pass', []),
        ('path = "s47_example/portal.txt"', []),
    ],
)
def test_the_check_finds_the_core_named_in_a_string(source, expected):
    assert core_names_in_strings(source) == expected


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


def test_plugins_and_the_example_load_only_the_plugin_apis_pytest_plugin():
    offences = [
        f"{path.relative_to(ROOT)}:{line} loads {name}"
        for path in PLUGIN_SOURCES
        for line, name in loaded_pytest_plugins(path.read_text())
    ]
    assert offences == [], 'use pytest_plugins = ["portal.plugin_api.testing"]:\n' + "\n".join(
        offences
    )


def test_the_example_names_no_other_module_of_the_portal_in_its_code():
    sources = [path for path in PLUGIN_SOURCES if path.is_relative_to(EXAMPLE)]
    assert EXAMPLE / "conftest.py" in sources
    offences = [
        f"{path.relative_to(ROOT)}:{line} names {name}"
        for path in sources
        for line, name in core_names_in_strings(path.read_text())
    ]
    assert offences == [], "name only portal.plugin_api:\n" + "\n".join(offences)
