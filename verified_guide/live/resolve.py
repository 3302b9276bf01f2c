"""Decide which distributions (name, version) the live-demo bundle needs.

The versions come from uv.lock, so the browser runs the same library versions as the tests.
The list starts from bundle.yaml's requirements plus whatever the snippets import, then follows
uv.lock's dependency edges whose markers hold on Pyodide (sys_platform == "emscripten").
"""

from __future__ import annotations

import ast
import functools
from importlib.metadata import packages_distributions
from pathlib import Path

from packaging.markers import Marker
from packaging.utils import canonicalize_name

from verified_guide.frameworks import REGISTRY
from verified_guide.lockfile import locked_packages
from verified_guide.topics import ROOT


def pyodide_environment(python_version: str) -> dict[str, str]:
    """Marker environment of Pyodide, to evaluate uv.lock's dependency markers for the browser."""
    return {
        "implementation_name": "cpython",
        "implementation_version": f"{python_version}.0",
        "os_name": "posix",
        "platform_machine": "wasm32",
        "platform_python_implementation": "CPython",
        "platform_release": "",
        "platform_system": "Emscripten",
        "platform_version": "",
        "python_full_version": f"{python_version}.0",
        "python_version": python_version,
        "sys_platform": "emscripten",
        "extra": "",
    }


def snippet_imports(snippets_dir: Path) -> set[str]:
    """Top-level modules imported by any snippet (relative imports excluded)."""
    modules: set[str] = set()
    for path in snippets_dir.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules.add(node.module.split(".")[0])
    return modules


@functools.cache
def _import_names() -> dict[str, list[str]]:
    """Import name -> distributions, read once per process: reading every installed package's
    file list takes seconds, and the build asks once per snippet (it was 85% of a site build).
    A package installed while ``mkdocs serve`` runs is seen after a restart."""
    return packages_distributions()


def distributions_for_imports(modules: set[str]) -> set[str]:
    """Map import names to installed distributions; stdlib and project modules map to none."""
    mapping = _import_names()
    names: set[str] = set()
    for module in modules:
        for dist in mapping.get(module, []):
            if canonicalize_name(dist) != "verified-guide":
                names.add(canonicalize_name(dist))
    return names


def _requirements(package: dict, extra: str, env: dict[str, str]) -> list[tuple[str, str]]:
    """(name, extra) of what one locked package (or one of its extras) requires on Pyodide."""
    deps = package.get("optional-dependencies", {}).get(extra, []) if extra else []
    found = []
    for dep in deps or package.get("dependencies", []):
        marker = dep.get("marker")
        if marker is None or Marker(marker).evaluate(env):
            found.append((dep["name"], ""))
            found.extend((dep["name"], e) for e in dep.get("extra", []))
    return found


def closure(
    roots: set[str], lock: dict[str, dict], python_version: str, exclude: set[str]
) -> dict[str, str]:
    """Every distribution reachable from roots on Pyodide, as {name: version from uv.lock}."""
    env = pyodide_environment(python_version)
    pinned: dict[str, str] = {}
    seen: set[tuple[str, str]] = set()
    pending: list[tuple[str, str]] = [(root, "") for root in sorted(roots)]
    while pending:
        raw_name, extra = pending.pop()
        name = canonicalize_name(raw_name)
        if (name, extra) in seen or name in exclude:
            continue
        seen.add((name, extra))
        package = lock.get(name)
        if package is None:
            raise SystemExit(f"live bundle: {name} is not in uv.lock")
        pinned[name] = package["version"]
        pending.extend(_requirements(package, extra, env))
    return pinned


def direct_dependencies(name: str, lock: dict[str, dict], python_version: str) -> list[str]:
    """What a distribution requires on Pyodide by uv.lock, without its optional extras: the
    `depends` of its entry in the bundle's pyodide-lock.json. (pyodide-lock reads a wheel's
    Requires-Dist extras as plain requirements: pydantic would fetch email-validator and
    dnspython, which only its "email" extra wants.)"""
    env = pyodide_environment(python_version)
    return sorted({canonicalize_name(dep) for dep, _ in _requirements(lock[name], "", env)})


def resolve(config: dict) -> dict[str, str]:
    """The bundle's distributions: configured roots plus snippet imports, closed over uv.lock."""
    frameworks = [
        spec.packages[0] for spec in REGISTRY.frameworks
    ]  # verified_guide/frameworks.yaml
    roots = {canonicalize_name(r) for r in [*frameworks, *config["requirements"]]}
    roots |= distributions_for_imports(snippet_imports(ROOT / "snippets"))
    exclude = {canonicalize_name(e) for e in config.get("exclude", [])}
    return closure(roots, locked_packages(), config["python_version"], exclude)
