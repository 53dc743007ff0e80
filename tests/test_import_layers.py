"""The hook specifications sit below the code that calls the hooks: no import circle.

``portal.hookspecs`` (and the types it owns, ``portal.hooktypes``) must not import,
directly or through other modules, the modules that use the hooks' results
(``portal.reports.sections``, ``portal.scheduling.jobs``), so those three form no circle.
Read from the source with ``ast``, imports under ``if TYPE_CHECKING:`` and inside
functions included: a circle hidden there still ties the modules together.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PORTAL = Path(__file__).resolve().parent.parent / "portal"
WATCHED = ("portal.hookspecs", "portal.reports.sections", "portal.scheduling.jobs")


def module_name(path: Path) -> str:
    parts = path.relative_to(PORTAL.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(source: str, known: set[str]) -> set[str]:
    """The portal modules *source* imports: ``from a import b`` counts ``a.b`` when that is
    a module, ``a`` otherwise. The portal uses absolute imports only."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, "the portal uses absolute imports"
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                found.add(submodule if submodule in known else node.module)
    return found & known


def import_graph() -> dict[str, set[str]]:
    """Every portal module, with the portal modules it imports."""
    paths = {module_name(path): path for path in PORTAL.rglob("*.py")}
    known = set(paths)
    return {name: imports_of(path.read_text(), known) for name, path in paths.items()}


def reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    """The modules *start* imports, directly or through others."""
    seen: set[str] = set()
    todo = list(graph[start])
    while todo:
        module = todo.pop()
        if module not in seen:
            seen.add(module)
            todo.extend(graph.get(module, ()))
    return seen


def test_the_graph_sees_the_imports_that_made_the_old_circle():
    graph = import_graph()
    assert "portal.plugins" in graph["portal.reports.sections"]
    assert "portal.hookspecs" in reachable(graph, "portal.reports.sections")
    assert "portal.hookspecs" in reachable(graph, "portal.scheduling.jobs")


@pytest.mark.parametrize("module", WATCHED)
def test_no_import_circle_runs_through_the_hooks(module):
    graph = import_graph()
    assert module not in reachable(graph, module)


def test_the_hook_specifications_import_nothing_that_calls_the_hooks():
    below = reachable(import_graph(), "portal.hookspecs")
    assert not below & {"portal.plugins", "portal.reports.sections", "portal.scheduling.jobs"}


def test_the_old_homes_of_the_hook_types_still_export_them():
    from portal import hooktypes
    from portal.reports import sections
    from portal.scheduling import jobs

    assert sections.ReportSection is hooktypes.ReportSection
    assert sections.ReportTable is hooktypes.ReportTable
    assert sections.Cell is hooktypes.Cell
    assert jobs.ScheduledJob is hooktypes.ScheduledJob
