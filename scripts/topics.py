"""The registry of guide topics, read from the files under ``snippets/``.

Everything that needs to know "which topics exist" (the demo apps, the tests,
the site's macros, the browser bundle) asks this module, so adding a topic is
adding a folder: nobody keeps a list by hand.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
SNIPPETS = ROOT / "snippets"
FRAMEWORKS: tuple[str, ...] = ("fastapi", "django", "flask")
FRAMEWORK_TITLES = {"fastapi": "FastAPI", "django": "Django", "flask": "Flask"}
#: Files in a topic folder that are data, not code shown on the site.
DATA_FILES = frozenset({"cases.yaml", "topic.yaml", "__init__.py"})


class TopicError(Exception):
    """A topic's files are missing or malformed; the message says which file."""


def display(path: Path) -> str:
    """A path as messages show it: relative to the project when it is inside it."""
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


@dataclass(frozen=True)
class Case:
    """One example request and the response every framework must give."""

    topic: str
    name: str
    request: dict[str, Any]
    response: dict[str, Any]
    frameworks: tuple[str, ...]
    overrides: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: Requests sent first, on the same client (cookies kept), to set up state.
    before: tuple[dict[str, Any], ...] = ()

    def expected(self, framework: str) -> dict[str, Any]:
        """The expected response for one framework: the shared one plus its overrides."""
        return {**self.response, **self.overrides.get(framework, {})}

    def as_data(self) -> dict[str, Any]:
        """A plain dict, for JSON embedding in pages and the browser runner."""
        return {
            "name": self.name,
            "request": self.request,
            "response": self.response,
            "frameworks": list(self.frameworks),
            "overrides": self.overrides,
            "before": list(self.before),
        }


@dataclass(frozen=True)
class Topic:
    """A guide topic: its metadata (``topic.yaml``) and its cases (``cases.yaml``)."""

    slug: str
    title: str
    order: int
    meta: dict[str, Any]
    cases: tuple[Case, ...]

    @property
    def folder(self) -> Path:
        return SNIPPETS / self.slug

    def snippet_path(self, framework: str) -> Path:
        """The main snippet file of a framework, e.g. ``snippets/hello/flask.py``."""
        return self.folder / f"{framework}.py"

    def module_name(self, framework: str) -> str:
        return f"snippets.{self.slug}.{framework}"

    def frameworks(self) -> tuple[str, ...]:
        """The frameworks that have a main snippet for this topic."""
        return tuple(fw for fw in FRAMEWORKS if self.snippet_path(fw).exists())

    def code_files(self, framework: str) -> list[Path]:
        """Every file of one framework: the main snippet first, then its helpers.

        A file belongs to a framework when its path inside the topic starts with
        the framework's name: ``django_models.py``, ``django_templates/items.html``.
        """
        main = self.snippet_path(framework)
        owned = sorted(
            p
            for p in self.folder.rglob("*")
            if p.is_file()
            and p != main
            and "__pycache__" not in p.parts
            and p.relative_to(self.folder).parts[0].startswith(framework)
        )
        return [main, *owned]

    def lines_of_code(self, framework: str) -> int:
        """Lines that carry code in a framework's files: not blank, not only a comment."""
        return sum(
            1
            for path in self.code_files(framework)
            for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.strip().startswith("#")
        )


def load_yaml(path: Path, error: type[Exception]) -> Any:
    """A data file's content; a missing or unparsable file raises ``error`` naming it."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise error(f"{display(path)}: file is missing") from exc
    except yaml.YAMLError as exc:
        raise error(f"{display(path)}: invalid YAML: {exc}") from exc


def _read_yaml(path: Path) -> dict[str, Any]:
    data = load_yaml(path, TopicError)
    if not isinstance(data, dict):
        raise TopicError(f"{display(path)}: expected a mapping at the top level")
    return data


def _parse_case(slug: str, raw: dict[str, Any], source: Path) -> Case:
    where = f"{display(source)}: case {raw.get('name', '?')!r}"
    for key in ("name", "request", "response"):
        if key not in raw:
            raise TopicError(f"{where}: missing key {key!r}")
    if "status" not in raw["response"]:
        raise TopicError(f"{where}: response needs a status")
    frameworks = tuple(raw.get("frameworks", FRAMEWORKS))
    unknown = (set(frameworks) | set(raw.get("overrides", {}))) - set(FRAMEWORKS)
    if unknown:
        raise TopicError(f"{where}: unknown frameworks {sorted(unknown)}")
    request = {"method": "GET", **raw["request"]}
    before = tuple({"method": "GET", **r} for r in raw.get("before") or [])
    return Case(
        slug, raw["name"], request, raw["response"], frameworks, raw.get("overrides", {}), before
    )


def load_topic(slug: str) -> Topic:
    """Read one topic folder, failing with the file name when something is off."""
    folder = SNIPPETS / slug
    meta = _read_yaml(folder / "topic.yaml")
    cases_file = folder / "cases.yaml"
    raw_cases = _read_yaml(cases_file).get("cases") or []
    cases = tuple(_parse_case(slug, raw, cases_file) for raw in raw_cases)
    names = [case.name for case in cases]
    if len(names) != len(set(names)):
        raise TopicError(f"{display(cases_file)}: case names must be unique")
    for key in ("title", "order"):
        if key not in meta:
            raise TopicError(f"{display(folder / 'topic.yaml')}: missing key {key!r}")
    return Topic(slug, meta["title"], int(meta["order"]), meta, cases)


@cache
def all_topics() -> tuple[Topic, ...]:
    """Every topic, in navigation order."""
    slugs = [p.parent.name for p in SNIPPETS.glob("*/topic.yaml")]
    return tuple(sorted((load_topic(s) for s in slugs), key=lambda t: (t.order, t.slug)))


def get_topic(slug: str) -> Topic:
    for topic in all_topics():
        if topic.slug == slug:
            return topic
    raise TopicError(f"snippets/{slug}/: no such topic (expected snippets/{slug}/topic.yaml)")


def import_snippet(topic: Topic, framework: str) -> ModuleType:
    """Import a framework's snippet module, naming the file when it is missing."""
    path = topic.snippet_path(framework)
    if not path.exists():
        raise TopicError(f"{display(path)}: snippet file is missing")
    return importlib.import_module(topic.module_name(framework))


def snippet_files() -> list[Path]:
    """Every file under ``snippets/`` that is shown on the site (code and templates)."""
    return sorted(
        p
        for p in SNIPPETS.rglob("*")
        if p.is_file()
        and p.name not in DATA_FILES
        and "__pycache__" not in p.parts
        and p.parent != SNIPPETS
    )
