"""The core modules' imports form no cycle, and measuring and judging never import rendering.

The layers, from the bottom: data and measurement (``scripts/``, ``scripts/bench/``), judging
(``scripts/claims/``, ``scripts/decision.py``), rendering (``docs/plugins/``). A page fragment
is written in one place only if the layers below return data; a measurement module that
imported the renderer would also make every benchmark run load MkDocs and matplotlib's page
code. The graph is read from the source with ``ast`` (nothing is imported), so the test costs
a fraction of a second and sees imports inside functions too.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path

import pytest

from scripts.topics import ROOT

#: The core: everything the site, the apps and the tests import from.
CORE = ("scripts", "docs/plugins")
#: Modules that measure or judge: they return data, never Markdown or HTML.
DATA_LAYERS = ("scripts.bench", "scripts.claims", "scripts.decision")


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imported(node: ast.AST, importer: str, is_package: bool) -> Iterable[str]:
    """Every module name an import statement may load (``from a import b`` may load ``a.b``)."""
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
    elif isinstance(node, ast.ImportFrom):
        base = node.module or ""
        if node.level:
            package = importer.split(".")
            package = package if is_package else package[:-1]
            package = package[: len(package) - (node.level - 1)]
            base = ".".join([*package, base] if base else package)
        yield base
        yield from (f"{base}.{alias.name}" for alias in node.names)


def import_graph(root: Path, folders: Iterable[str] = CORE) -> dict[str, set[str]]:
    """Module -> the core modules it imports, anywhere in its source."""
    files = {
        module_name(path, root): path
        for folder in folders
        for path in sorted((root / folder).rglob("*.py"))
        if "__pycache__" not in path.parts
    }
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        is_package = path.name == "__init__.py"
        graph[name] = {
            target
            for node in ast.walk(tree)
            for target in _imported(node, name, is_package)
            if target in files and target != name
        }
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def is_rendering(module: str) -> bool:
    return module.startswith("docs.plugins") or module.endswith("_page")


def rendering_imports(graph: dict[str, set[str]]) -> list[str]:
    """``measuring.module -> rendering.module`` for every forbidden edge."""
    return [
        f"{module} -> {target}"
        for module, targets in sorted(graph.items())
        if module.startswith(DATA_LAYERS)
        for target in sorted(targets)
        if is_rendering(target)
    ]


@pytest.fixture(scope="module")
def core_graph() -> dict[str, set[str]]:
    return import_graph(ROOT)


def test_the_core_modules_import_no_cycle(core_graph: dict[str, set[str]]) -> None:
    found = cycles(core_graph)
    assert not found, "import cycles among the core modules: " + "; ".join(
        " <-> ".join(c) for c in found
    )


def test_measuring_and_judging_modules_never_import_rendering(
    core_graph: dict[str, set[str]],
) -> None:
    assert rendering_imports(core_graph) == []


def _package(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_the_checks_catch_a_cycle_and_a_measurement_module_that_renders(tmp_path: Path) -> None:
    """The failing example: a cycle through a function-level and a relative import, and a
    benchmark module importing a ``*_page`` module and the plugins."""
    root = _package(
        tmp_path,
        {
            "scripts/__init__.py": "",
            "scripts/bench/__init__.py": "",
            "scripts/bench/report.py": "from scripts import claims_page\n",
            "scripts/claims_page.py": "def f():\n    from scripts.bench import results\n",
            "scripts/bench/results.py": "from . import report\n",
            "scripts/bench/runner.py": "import docs.plugins.main\n",
            "docs/plugins/main.py": "from scripts.bench import runner\n",
        },
    )
    graph = import_graph(root)
    assert sorted(cycles(graph)) == [
        ["docs.plugins.main", "scripts.bench.runner"],
        ["scripts.bench.report", "scripts.bench.results", "scripts.claims_page"],
    ]
    assert rendering_imports(graph) == [
        "scripts.bench.report -> scripts.claims_page",
        "scripts.bench.runner -> docs.plugins.main",
    ]
