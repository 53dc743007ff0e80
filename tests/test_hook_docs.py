"""Every hook is documented in docs/plugin-hooks.md and has a test of its own."""

import inspect
import re
from pathlib import Path

import pytest

from portal import hookspecs

ROOT = Path(__file__).resolve().parent.parent
HOOK_DOCS = ROOT / "docs" / "plugin-hooks.md"


def hook_names() -> list[str]:
    return sorted(
        name
        for name, value in vars(hookspecs).items()
        if callable(value) and hasattr(value, "portal_spec")
    )


def doc_sections() -> dict[str, str]:
    text = HOOK_DOCS.read_text()
    parts = re.split(r"^## (\w+)\s*$", text, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def test_there_are_hooks():
    assert "portal_plugin_info" in hook_names()


@pytest.mark.parametrize("name", hook_names())
def test_each_hook_is_documented_with_signature_and_example(name):
    sections = doc_sections()
    assert name in sections, f"{name} has no '## {name}' section in docs/plugin-hooks.md"
    section = sections[name]
    assert f"def {name}(" in section, f"the section on {name} does not show its signature"
    assert "**When:**" in section, f"the section on {name} does not say when it is called"
    assert "**Example:**" in section and "@hookimpl" in section, f"{name} has no example"


@pytest.mark.parametrize("name", hook_names())
def test_each_hook_has_a_docstring(name):
    assert inspect.getdoc(getattr(hookspecs, name)), f"{name} has no docstring"


def test_no_section_documents_a_hook_that_does_not_exist():
    assert set(doc_sections()) <= set(hook_names())


@pytest.mark.parametrize("name", hook_names())
def test_each_hook_has_a_test_of_its_own(name):
    pattern = re.compile(rf"^def test_hook_{name}\w*\(", re.MULTILINE)
    test_files = [*ROOT.glob("tests/**/test_*.py"), *ROOT.glob("plugins/*/tests/test_*.py")]
    assert any(pattern.search(path.read_text()) for path in test_files), (
        f"no test named test_hook_{name}... exercises the hook {name}"
    )
