"""Every extension a topic page names is installed from the lock and imported by its snippets."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from functools import cache
from importlib.metadata import packages_distributions, version

import pytest

from verified_guide.topics import ROOT, all_topics

#: The article's claims about each framework's extensions, which these tests are evidence for.
EXTENSION_CLAIMS = {"flask": "flask-extensions", "django": "django-ecosystem"}
PARAMS = [
    pytest.param(
        topic,
        framework,
        package,
        id=f"{topic.slug}/{framework}/{package}",
        marks=[pytest.mark.claim(EXTENSION_CLAIMS[framework])]
        if framework in EXTENSION_CLAIMS
        else [],
    )
    for topic in all_topics()
    for framework, packages in topic.meta.extensions.items()
    for package in packages
]


def _imported_modules(topic, framework: str) -> set[str]:
    names = set()
    for path in topic.code_files(framework):
        if path.suffix != ".py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
    return names


_by_module = cache(packages_distributions)


def _distributions_of(modules: set[str]) -> set[str]:
    by_module = _by_module()
    return {dist.lower().replace("_", "-") for m in modules for dist in by_module.get(m, [])}


LOADED_BY_IMPORT = """
import django, json, sys
django.setup()
import {module}
print(json.dumps(sorted(m.split(".")[0] for m in sys.modules)))
"""


def _loaded_at_runtime(topic, framework: str) -> set[str]:
    """Modules loaded once the snippet is imported in a fresh interpreter (Django set up),
    for extensions the framework loads on the snippet's behalf (jinja2 under
    ``Jinja2Templates``, python-multipart under ``Form``, apps named in settings)."""
    code = LOADED_BY_IMPORT.format(module=topic.module_name(framework))
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    ).stdout
    return set(json.loads(out.splitlines()[-1]))


@pytest.mark.parametrize(("topic", "framework", "package"), PARAMS)
def test_named_extension_is_installed_and_imported(topic, framework: str, package: str) -> None:
    assert version(package), f"{package} is not installed"
    wanted = package.lower().replace("_", "-")
    imported = _distributions_of(_imported_modules(topic, framework))
    if wanted not in imported:
        imported |= _distributions_of(_loaded_at_runtime(topic, framework))
    assert wanted in imported, (
        f"snippets/{topic.slug}/{framework}*.py name {package} in topic.yaml but never import it"
        f" (imports reach: {sorted(imported)})"
    )


ALSO_NAMED = [
    pytest.param(topic, name, id=f"{topic.slug}/{name}")
    for topic in all_topics()
    for name in topic.meta.also_named
]


@pytest.mark.parametrize(("topic", "name"), ALSO_NAMED)
def test_tools_named_but_untested_are_on_the_page_and_not_claimed(topic, name: str) -> None:
    """A tool a page names without testing it is listed as such, never as an extension."""
    page = (ROOT / "docs" / "guide" / f"{topic.slug}.md").read_text(encoding="utf-8")
    assert name in page, (
        f"docs/guide/{topic.slug}.md no longer names {name}: drop it from also_named"
    )
    claimed = {p.lower() for pkgs in topic.meta.extensions.values() for p in pkgs}
    assert name.lower() not in claimed, f"{name} is both an extension and an untested mention"
