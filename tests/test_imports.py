"""The core modules' imports form no cycle, measuring and judging never import rendering nor
build HTML, and what ships into the browser imports only the standard library when it loads.

The layers, from the bottom: data and measurement (``verified_guide/``,
``verified_guide/bench/``), judging (``verified_guide/claims/``, ``verified_guide/decision.py``),
rendering (``docs/plugins/``), and on top the command-line tools (``scripts/``), which nothing
below imports. A page fragment is written in one place only if the layers below return data (a
verdict is a Markdown
sentence; the page's HTML around it is the renderer's); a measurement module that imported the
renderer would also make every benchmark run load MkDocs and matplotlib's page code. The graph
is read from the source with ``ast`` (nothing is imported), so the test costs a fraction of a
second and sees imports inside functions too.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import pytest

from verified_guide.live.mkdocs_hook import BROWSER_MODULES
from verified_guide.topics import ROOT

#: The core (everything the site, the apps and the tests import from) and the tools on top.
CORE = ("verified_guide", "docs/plugins", "scripts")
#: Modules that measure, judge or hold data (the whole core package below the renderer, and the
#: tools): they return data, never HTML, and never import ``docs/plugins/``.
DATA_LAYERS = ("verified_guide", "scripts")
#: The command-line tools: they import the core; the core and the site never import them.
TOOLS = "scripts"
#: An HTML element in a string (not ``(?P<code>...)``, a regular expression's named group).
HTML_TAG = re.compile(
    r"(?<!\?P)</?(a|abbr|br|button|code|details|div|em|fieldset|figure|form|h[1-6]|img|input"
    r"|label|legend|li|noscript|ol|p|pre|script|section|small|span|strong|summary|sup|svg"
    r"|table|tbody|td|th|thead|tr|ul)\b[^<>]*>",
    re.IGNORECASE,
)


@cache
def parsed(path: Path) -> ast.Module:
    """A source file's syntax tree, parsed once for all the checks below."""
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


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
        tree = parsed(path)
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


def tool_imports(graph: dict[str, set[str]]) -> list[str]:
    """``core.module -> scripts.tool`` for every edge from the core or the site into a tool."""
    return [
        f"{module} -> {target}"
        for module, targets in sorted(graph.items())
        if module.split(".")[0] != TOOLS
        for target in sorted(targets)
        if target.split(".")[0] == TOOLS
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


def test_the_core_and_the_site_never_import_a_command_line_tool(
    core_graph: dict[str, set[str]],
) -> None:
    assert tool_imports(core_graph) == []


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
            "verified_guide/__init__.py": "",
            "verified_guide/bench/__init__.py": "",
            "verified_guide/bench/report.py": "from verified_guide import claims_page\n",
            "verified_guide/claims_page.py": (
                "def f():\n    from verified_guide.bench import results\n"
            ),
            "verified_guide/bench/results.py": "from . import report\n",
            "verified_guide/bench/runner.py": "import docs.plugins.main\n",
            "docs/plugins/main.py": "from verified_guide.bench import runner\n",
            "scripts/__init__.py": "",
            "scripts/bench.py": "from verified_guide.bench import results\n",
            "verified_guide/topics.py": "def f():\n    from scripts import bench\n",
        },
    )
    graph = import_graph(root)
    assert sorted(cycles(graph)) == [
        ["docs.plugins.main", "verified_guide.bench.runner"],
        [
            "verified_guide.bench.report",
            "verified_guide.bench.results",
            "verified_guide.claims_page",
        ],
    ]
    assert rendering_imports(graph) == [
        "verified_guide.bench.report -> verified_guide.claims_page",
        "verified_guide.bench.runner -> docs.plugins.main",
    ]
    assert tool_imports(graph) == [
        "verified_guide.topics -> scripts",
        "verified_guide.topics -> scripts.bench",
    ]


# ---------------------------------------------------------------------------- no HTML below


def _docstrings(tree: ast.AST) -> set[int]:
    kinds = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
    return {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, kinds)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }


def html_in_data_layers(root: Path) -> list[str]:
    """``path:line`` of every string (docstrings aside) in the data layers that holds an HTML
    element: markup belongs to ``docs/plugins/``."""
    found = []
    for folder in {layer.split(".")[0] for layer in DATA_LAYERS}:
        for path in sorted((root / folder).rglob("*.py")):
            if not module_name(path, root).startswith(DATA_LAYERS):
                continue
            tree = parsed(path)
            docstrings = _docstrings(tree)
            found += [
                f"{path.relative_to(root)}:{node.lineno}"
                for node in ast.walk(tree)
                if isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in docstrings
                and HTML_TAG.search(node.value)
            ]
    return list(dict.fromkeys(found))  # an f-string's parts share their line


def test_measuring_and_judging_modules_build_no_html() -> None:
    assert html_in_data_layers(ROOT) == []


def test_the_html_check_catches_markup_and_spares_docstrings_and_regexes(tmp_path: Path) -> None:
    root = _package(
        tmp_path,
        {
            "verified_guide/verdicts.py": (
                '"""Returns <span> markup? No: docstrings may name elements."""\n'
                'PATTERN = r"(?P<code>[a-z]+)"\n'
                "def badge(label):\n    return f'<span class=\"verdict\">{label}</span>'\n"
            ),
        },
    )
    assert html_in_data_layers(root) == ["verified_guide/verdicts.py:4"]


# ---------------------------------------------------------------------------- browser modules


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def loading_imports(tree: ast.Module) -> list[str]:
    """The modules a module imports while it loads: at its top level and in ``if``/``try``
    blocks there, but not inside functions or classes (run later, if ever) nor under
    ``if TYPE_CHECKING:`` (never run)."""
    found: list[str] = []

    def visit(body: list[ast.stmt]) -> None:
        for node in body:
            if isinstance(node, ast.Import):
                found.extend(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                found.append(node.module)
            elif isinstance(node, ast.If):
                if not _is_type_checking(node.test):
                    visit(node.body)
                visit(node.orelse)
            elif isinstance(node, ast.Try):
                visit(node.body)
                visit(node.orelse)
                visit(node.finalbody)
                for handler in node.handlers:
                    visit(handler.body)

    visit(tree.body)
    return found


def non_stdlib_imports(shipped: dict[str, Path], root: Path) -> list[str]:
    """``module: import`` for every import a shipped module makes while it loads that is
    neither the standard library nor another shipped module (by its name in the browser or in
    CPython): Pyodide's standard library is all such a module can count on before the worker
    loads a snippet's packages."""
    own = {Path(name).stem for name in shipped} | {
        module_name(path, root) for path in shipped.values()
    }
    allowed = set(sys.stdlib_module_names) | {"__future__"}
    problems = []
    for name, path in shipped.items():
        tree = parsed(path)
        problems += [
            f"{name}: {module}"
            for module in loading_imports(tree)
            if module not in own and module.split(".")[0] not in allowed
        ]
    return problems


def test_modules_shipped_to_the_browser_load_with_the_standard_library_alone() -> None:
    """The live runner and the case module it builds requests with (and the rest of
    ``BROWSER_MODULES``) import nothing else when they load, in Pyodide or in CPython."""
    assert non_stdlib_imports(BROWSER_MODULES, ROOT) == []


def test_the_browser_import_check_catches_a_package_import_at_load_time(tmp_path: Path) -> None:
    root = _package(
        tmp_path,
        {
            "verified_guide/cases.py": (
                "from __future__ import annotations\nimport json\nimport httpx\n"
                "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import pydantic\n"
                "def later():\n    import django\n"
            ),
            "verified_guide/runner.py": (
                "import sys\nif sys.platform == 'emscripten':\n    from live_cases import f\n"
                "else:\n    from verified_guide.cases import f\ntry:\n    import yaml\n"
                "except ImportError:\n    pass\n"
            ),
        },
    )
    shipped = {
        "live_cases.py": root / "verified_guide" / "cases.py",
        "live_runner.py": root / "verified_guide" / "runner.py",
    }
    assert non_stdlib_imports(shipped, root) == ["live_cases.py: httpx", "live_runner.py: yaml"]
