"""Which bundled packages each live demo loads before it runs, computed from imports at build time.

A tab should fetch only what its snippet uses: the framework, the snippet's imports and those of
the project files it imports in turn (its helpers, shared topic files, for Django the demo app's
settings and "guide" app), closed over uv.lock's dependency edges on Pyodide. Packages a
framework needs on Pyodide whatever the snippet imports (tzdata for Django's time zones,
python-multipart, which Starlette tries once on import) are data in bundle.yaml (`runtime`).
The worker loads the set before running, so nothing is fetched on import; the parity test
fails when a set misses a package.
"""

from __future__ import annotations

import ast
import importlib
import os
from functools import cache
from pathlib import Path
from unittest import mock

from packaging.utils import canonicalize_name

from verified_guide.live.resolve import closure, distributions_for_imports
from verified_guide.live.runner import DEMO_SETTINGS as DJANGO_SETTINGS
from verified_guide.lockfile import locked_packages
from verified_guide.secret_env import throwaway_secrets
from verified_guide.topics import ROOT, get_topic

#: Top-level packages that are this project's own code, shipped in python.zip.
PROJECT_PACKAGES = ("snippets", "demo_apps")
DJANGO_APP = ROOT / "demo_apps" / "django_app" / "guide"


def _module_file(name: str) -> Path | None:
    """The project file of a dotted module name, or None when it is not one of ours."""
    base = ROOT.joinpath(*name.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _package_of(path: Path) -> str:
    """Dotted name of the package a project file belongs to (for relative imports)."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts if path.name == "__init__.py" else parts[:-1])


def imported_names(path: Path) -> set[str]:
    """Dotted names a file imports, `from a import b` giving both `a` and `a.b`."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = _package_of(path).split(".")
                package = package[: len(package) - node.level + 1]
                base = ".".join([*package, base] if base else package)
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def framework_roots(framework: str) -> set[str]:
    """Dotted names a run imports besides the snippet: the framework, and for Django the demo
    project's INSTALLED_APPS and MIDDLEWARE (read from its settings module, which only reads the
    environment) and the "guide" app's models. Not its migrations: the browser loads the
    database they made at build time (verified_guide/live/django_database.py)."""
    names = {framework}
    if framework == "django":
        # The settings refuse to load without their secrets; only their lists are read here.
        missing = {k: v for k, v in throwaway_secrets().items() if not os.environ.get(k)}
        with mock.patch.dict(os.environ, missing):
            settings = importlib.import_module(DJANGO_SETTINGS)
        names.update(settings.INSTALLED_APPS, settings.MIDDLEWARE)
        for path in DJANGO_APP.rglob("*.py"):
            if "migrations" not in path.relative_to(DJANGO_APP).parts:
                names.update(imported_names(path))
    return names


def project_closure(files: list[Path], names: set[str]) -> tuple[set[str], list[Path]]:
    """Every dotted name imported by `files`, `names` and the project modules they reach, and
    the project files visited (for what their source shows, e.g. password hashing)."""
    pending, seen_files, found = list(files), set(files), set(names)
    for name in names:
        path = _module_file(name)
        if path and path not in seen_files:
            seen_files.add(path)
            pending.append(path)
    while pending:
        for name in imported_names(pending.pop()):
            found.add(name)
            path = _module_file(name) if name.split(".")[0] in PROJECT_PACKAGES else None
            if path and path not in seen_files:
                seen_files.add(path)
                pending.append(path)
    return found, sorted(seen_files)


def topic_files(topic: str, framework: str) -> list[Path]:
    """The snippet's files: the framework's own, and the topic's shared ones (those no
    framework owns), which the snippet may import."""
    info = get_topic(topic)
    owners = tuple(info.frameworks())
    shared = [
        path for path in sorted(info.folder.glob("*.py"))
        if not path.name.startswith(owners) and path.name != "__init__.py"
    ]  # fmt: skip
    return [p for p in info.code_files(framework) if p.suffix == ".py"] + shared


@cache
def _lock() -> dict[str, dict]:
    return locked_packages()


def package_set(topic: str, framework: str, config: dict) -> list[str]:
    """Canonical names of every distribution the snippet's run imports, sorted."""
    names, _ = project_closure(topic_files(topic, framework), framework_roots(framework))
    top_level = {name.split(".")[0] for name in names} - set(PROJECT_PACKAGES)
    roots = distributions_for_imports(top_level)
    roots.update(canonicalize_name(d) for d in config.get("runtime", {}).get(framework, []))
    exclude = {canonicalize_name(e) for e in config.get("exclude", [])}
    return sorted(closure(roots, _lock(), config["python_version"], exclude))


def project_files(topic: str, framework: str) -> list[Path]:
    """Every project file a snippet's run imports (to look for what it does)."""
    _, files = project_closure(topic_files(topic, framework), set())
    return files
