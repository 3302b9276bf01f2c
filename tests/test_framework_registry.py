"""The framework registry (verified_guide/frameworks.yaml) is the only list of the frameworks.

A second hand-kept list is how a fourth framework ends up half added: this test scans the core
package, the site's plugins and assets and the demo apps for a list, tuple, set or dict literal
(Python, YAML, JavaScript) that names every registered framework, and fails naming the file and
line. It also checks the registry's schema refuses what it does not know.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from verified_guide.datafiles import ROOT
from verified_guide.frameworks import (
    REGISTRY,
    REGISTRY_FILE,
    FrameworkRegistryError,
    load_registry,
)
from verified_guide.topics import TopicError, load_topic

SCANNED = ("verified_guide", "scripts", "docs/plugins", "docs/assets", "demo_apps")
SUFFIXES = {".py", ".yaml", ".yml", ".js", ".mjs"}
LITERALS = (ast.List, ast.Tuple, ast.Set, ast.Dict)


def _names(framework: str, title: str) -> re.Pattern[str]:
    """A string or identifier that means the framework: its id or title, alone or as the first
    or last word of a compound (``fastapi-uvicorn``, ``flask_app``, ``_measure_django``)."""
    return re.compile(rf"(^|[-_./]){re.escape(framework)}($|[-_./:])|^{re.escape(title)}$", re.I)


PATTERNS = {fw.id: _names(fw.id, fw.title) for fw in REGISTRY.frameworks}


def named(words: list[str]) -> set[str]:
    return {fw for fw, pattern in PATTERNS.items() for word in words if pattern.search(word)}


def _words(node: ast.AST) -> Iterator[str]:
    """Strings and identifiers in a literal, not descending into nested literals (each is
    judged on its own, so a long table of unrelated rows is not one list)."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, LITERALS):
            continue
        if isinstance(child, ast.Constant) and isinstance(child.value, str):
            yield child.value
        elif isinstance(child, ast.Name):
            yield child.id
        elif isinstance(child, ast.Attribute):
            yield child.attr
        yield from _words(child)


def python_lists(path: Path) -> Iterator[tuple[int, list[str]]]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, LITERALS):
            yield node.lineno, list(_words(node))


def yaml_lists(path: Path) -> Iterator[tuple[int, list[str]]]:
    def visit(node: yaml.Node) -> Iterator[tuple[int, list[str]]]:
        if isinstance(node, yaml.SequenceNode):
            yield (
                node.start_mark.line + 1,
                [n.value for n in node.value if isinstance(n, yaml.ScalarNode)],
            )
            for child in node.value:
                yield from visit(child)
        elif isinstance(node, yaml.MappingNode):
            yield (
                node.start_mark.line + 1,
                [k.value for k, _ in node.value if isinstance(k, yaml.ScalarNode)],
            )
            for _, value in node.value:
                yield from visit(value)

    root = yaml.compose(path.read_text(encoding="utf-8"))
    return visit(root) if root is not None else iter(())


#: An array or object literal with no nested brackets: good enough for hand-written lists.
JS_LITERAL = re.compile(r"\[[^\[\]{}]*\]|\{[^{}\[\]]*\}")
JS_WORD = re.compile(r"[A-Za-z_$][\w$.-]*")


def js_lists(path: Path) -> Iterator[tuple[int, list[str]]]:
    text = path.read_text(encoding="utf-8")
    for match in JS_LITERAL.finditer(text):
        yield text.count("\n", 0, match.start()) + 1, JS_WORD.findall(match.group())


def scanned_files() -> list[Path]:
    files = [
        p
        for folder in SCANNED
        for p in (ROOT / folder).rglob("*")
        if p.suffix in SUFFIXES and p.is_file() and "__pycache__" not in p.parts
    ]
    return sorted(p for p in files if p != REGISTRY_FILE and ".min." not in p.name)


def enumerations(path: Path) -> list[str]:
    """``path:line`` of each literal in ``path`` that names every registered framework."""
    reader = {".py": python_lists, ".js": js_lists, ".mjs": js_lists}.get(path.suffix, yaml_lists)
    rel = path.relative_to(ROOT)
    return [f"{rel}:{line}" for line, words in reader(path) if named(words) == set(PATTERNS)]


def test_no_module_lists_the_frameworks_but_the_registry() -> None:
    files = scanned_files()
    assert len(files) > 50, f"the scan found only {len(files)} files: is SCANNED right?"
    found = [where for path in files for where in enumerations(path)]
    assert not found, (
        "these list every framework by hand; derive the list from verified_guide/frameworks.py "
        "(REGISTRY, FRAMEWORKS, FRAMEWORK_TITLES) instead:\n  " + "\n  ".join(found)
    )


@pytest.mark.parametrize(
    ("source", "reader"),
    [
        ('SERVERS = ("fastapi-uvicorn", "django-gunicorn", "flask-gunicorn")\n', python_lists),
        ("x = [_measure_fastapi(), _measure_django(), _measure_flask()]\n", python_lists),
        ('TITLES = {"fastapi": "FastAPI", "django": "Django", "flask": "Flask"}\n', python_lists),
        ("requirements: [fastapi, django, flask, tzdata]\n", yaml_lists),
        ("runtime:\n  fastapi: [a]\n  django: [b]\n  flask: [c]\n", yaml_lists),
        ('const apps = ["fastapi", "django", "flask"];\n', js_lists),
        ("const titles = {fastapi: 'FastAPI', django: 'Django', flask: 'Flask'};\n", js_lists),
    ],
)
def test_the_scan_catches_a_hand_kept_list(source: str, reader, tmp_path: Path) -> None:
    path = tmp_path / "listing"
    path.write_text(source)
    assert any(named(words) == set(PATTERNS) for _, words in reader(path)), source


@pytest.mark.parametrize(
    "source",
    [
        'HEADLINE = (*(p for f in REGISTRY.frameworks for p in f.packages), "uvicorn")\n',
        'MIDDLEWARE = ["django.middleware.common.CommonMiddleware", "corsheaders"]\n',
        # Nested rows are judged one by one: each names one framework.
        'ROWS = [("fastapi", 1), ("django", 2), ("flask", 3)]\n',
    ],
)
def test_the_scan_passes_a_derived_or_partial_list(source: str, tmp_path: Path) -> None:
    path = tmp_path / "listing.py"
    path.write_text(source)
    assert not any(named(words) == set(PATTERNS) for _, words in python_lists(path))


def test_the_registry_refuses_an_unknown_key(tmp_path: Path) -> None:
    text = REGISTRY_FILE.read_text().replace("    test_client: asgi", "    test_clent: asgi", 1)
    path = tmp_path / "frameworks.yaml"
    path.write_text(text)
    with pytest.raises(FrameworkRegistryError, match="test_clent: unknown key"):
        load_registry(path)


def test_the_registry_refuses_a_server_on_the_wrong_interface(tmp_path: Path) -> None:
    text = REGISTRY_FILE.read_text().replace(
        "{server: uvicorn, interface: asgi,", "{server: uvicorn, interface: wsgi,", 1
    )
    path = tmp_path / "frameworks.yaml"
    path.write_text(text)
    with pytest.raises(FrameworkRegistryError, match="uvicorn serves asgi, not wsgi"):
        load_registry(path)


def test_the_registry_refuses_a_duplicate_id(tmp_path: Path) -> None:
    data = yaml.safe_load(REGISTRY_FILE.read_text())
    data["frameworks"].append(data["frameworks"][0])
    path = tmp_path / "frameworks.yaml"
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(FrameworkRegistryError, match="must be unique"):
        load_registry(path)


def test_a_demo_server_name_leads_back_to_its_framework() -> None:
    names = [demo.name for demo in REGISTRY.demo_servers]
    assert len(set(names)) == len(names), names
    assert REGISTRY.server("django-gunicorn").framework.id == "django"
    assert REGISTRY.server("fastapi-granian").framework.id == "fastapi"
    assert REGISTRY.server("flask-gunicorn").framework.id == "flask"
    with pytest.raises(FrameworkRegistryError, match="no demo server 'nope-uvicorn'"):
        REGISTRY.server("nope-uvicorn")


def _topic_folder(tmp_path: Path, topic_yaml: str, cases_yaml: str, files: list[str]) -> str:
    folder = tmp_path / "snippets" / "t"
    folder.mkdir(parents=True)
    (folder / "topic.yaml").write_text(topic_yaml)
    (folder / "cases.yaml").write_text(cases_yaml)
    for name in files:
        (folder / name).write_text("")
    return "t"


@pytest.fixture
def scratch_snippets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr("verified_guide.topics.SNIPPETS", tmp_path / "snippets")
    return tmp_path


CASE = "cases:\n  - {name: c, request: {path: /}, response: {status: 200}}\n"


def test_a_topic_covers_the_frameworks_it_has_snippets_for(scratch_snippets: Path) -> None:
    first, last = REGISTRY.ids[0], REGISTRY.ids[-1]
    files = [f"{last}.py", f"{first}.py"]
    slug = _topic_folder(scratch_snippets, "title: T\norder: 1\nsummary: s\n", CASE, files)
    topic = load_topic(slug)
    assert topic.frameworks() == (first, last)
    assert topic.cases[0].frameworks == (first, last)


def test_a_topic_declaring_a_framework_without_its_snippet_fails(scratch_snippets: Path) -> None:
    first, last = REGISTRY.ids[0], REGISTRY.ids[-1]
    meta = f"title: T\norder: 1\nsummary: s\nframeworks: [{first}, {last}]\n"
    slug = _topic_folder(scratch_snippets, meta, CASE, [f"{first}.py"])
    with pytest.raises(TopicError, match=rf"frameworks \['{last}'\] have no snippet"):
        load_topic(slug)


def test_a_case_for_a_framework_the_topic_does_not_cover_fails(scratch_snippets: Path) -> None:
    first, last = REGISTRY.ids[0], REGISTRY.ids[-1]
    case = "{name: c, request: {path: /}, response: {status: 200}, frameworks: [LAST]}"
    cases = "cases:\n  - " + case.replace("LAST", last) + "\n"
    slug = _topic_folder(
        scratch_snippets, "title: T\norder: 1\nsummary: s\n", cases, [f"{first}.py"]
    )
    with pytest.raises(TopicError, match="names frameworks the topic does not cover"):
        load_topic(slug)
