"""Which tests judge a mutated snippet file: every test that imports it, however indirectly.

A snippet file is exercised by more than its own topic's cases. ``validation/flask_strict.py``
is imported by the Flask snippets of eight topics; ``database/fastapi_db.py`` by the auth and
admin tests. Selecting ``-k <topic>`` for the file's own topic and framework left those tests
out, so a mutant in a shared helper could survive while another topic's cases would have
caught it. The selection here follows the imports instead:

- the file and every module that imports it, directly or through other modules (read from the
  syntax trees of ``snippets/`` and ``tests/``, imports inside functions included);
- for each of those that lives in a topic folder: that topic's cases (``tests/test_cases.py``)
  for the framework its name starts with (every framework of the topic for a shared file such as
  ``uploads/storage.py``), and the topic's own test module ``tests/topics/test_<topic>.py``;
- every test module among them (a ``tests/**/test_*.py`` that imports the file), browser tests
  excepted (they need a built site and a browser).

Two packages are not followed. The demo apps (``demo_apps/``) import every snippet, and their
tests start servers (marked ``slow``, left out of a mutation run), so following them would
select the whole suite for every mutant without adding a test that runs in-process. The site's
tooling (``verified_guide/``: page builders, claims, benchmarks) reaches snippets too, e.g. the
benchmark's seed data, but its tests check pages and figures, need a built site or a benchmark
run, and would select the site build for a change to a snippet's status code.
"""

from __future__ import annotations

import ast
from collections import deque
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from verified_guide.topics import FRAMEWORKS, ROOT, SNIPPETS, all_topics

#: The packages whose imports are followed (see the module docstring for ``demo_apps``).
FOLLOWED = ("snippets", "tests")
CASES_FILE = "tests/test_cases.py"
#: Test folders never selected: they need a built site, a browser or a server.
UNSELECTED_TEST_FOLDERS = ("tests/browser/",)


def module_name(path: Path, root: Path = ROOT) -> str:
    """``snippets/validation/flask_strict.py`` -> ``snippets.validation.flask_strict``."""
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_names(path: Path, name: str) -> set[str]:
    """Every module name the file's import statements could load, relative ones resolved.

    ``from a.b import c`` yields ``a.b`` and ``a.b.c`` (``c`` may be a module); names that are
    not project modules are dropped by the caller.
    """
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(filter(None, [*base_parts, node.module or ""]))
            else:
                base = node.module or ""
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


@dataclass(frozen=True)
class ImportGraph:
    """The project's modules and, for each, the modules that import it."""

    paths: dict[str, Path]
    importers: dict[str, frozenset[str]]

    @classmethod
    def build(cls, root: Path = ROOT) -> ImportGraph:
        paths = {
            module_name(path, root): path
            for package in FOLLOWED
            for path in sorted((root / package).rglob("*.py"))
            if "__pycache__" not in path.parts
        }
        importers: dict[str, set[str]] = {name: set() for name in paths}
        for name, path in paths.items():
            for imported in imported_names(path, name) & paths.keys():
                if imported != name:
                    importers[imported].add(name)
        return cls(paths, {name: frozenset(found) for name, found in importers.items()})

    def reaching(self, name: str) -> set[str]:
        """The module and every module that imports it, directly or through others."""
        seen, queue = {name}, deque([name])
        while queue:
            for importer in self.importers.get(queue.popleft(), ()):
                if importer not in seen:
                    seen.add(importer)
                    queue.append(importer)
        return seen


@dataclass(frozen=True)
class Selection:
    """The tests that judge one file: topic cases by (topic, framework), and whole test files."""

    cases: frozenset[tuple[str, str]]
    files: tuple[str, ...]

    def paths(self) -> list[str]:
        """The test files to hand to pytest (the cases file when any case is selected)."""
        return [*([CASES_FILE] if self.cases else []), *self.files]


def _framework_of(relative: Path) -> str | None:
    """The framework a file inside a topic folder belongs to (its name's prefix), if any."""
    return next((fw for fw in FRAMEWORKS if relative.parts[0].startswith(fw)), None)


def select(path: Path, graph: ImportGraph, root: Path = ROOT) -> Selection:
    """The tests that exercise ``path`` (a file under ``snippets/``)."""
    topics = {topic.slug: topic for topic in all_topics()}
    snippets = root / SNIPPETS.relative_to(ROOT)
    cases: set[tuple[str, str]] = set()
    files: set[str] = set()
    for name in graph.reaching(module_name(path, root)):
        module_path = graph.paths.get(name, path)
        relative = module_path.relative_to(root)
        if module_path.is_relative_to(snippets) and len(relative.parts) > 2:
            slug = relative.parts[1]
            if slug not in topics:
                continue
            own = _framework_of(module_path.relative_to(snippets / slug))
            frameworks = (own,) if own else topics[slug].frameworks()
            cases.update((slug, fw) for fw in frameworks if fw in topics[slug].frameworks())
            topic_tests = root / "tests" / "topics" / f"test_{slug}.py"
            if topic_tests.is_file():
                files.add(topic_tests.relative_to(root).as_posix())
        elif (
            relative.parts[0] == "tests"
            and relative.name.startswith("test_")
            and not relative.as_posix().startswith(UNSELECTED_TEST_FOLDERS)
        ):
            files.add(relative.as_posix())
    return Selection(frozenset(cases), tuple(sorted(files - {CASES_FILE})))


@cache
def project_graph() -> ImportGraph:
    """The checkout's import graph, built once per process."""
    return ImportGraph.build()
