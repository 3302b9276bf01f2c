"""Loading the project's YAML data files through typed models that refuse what they do not know.

A data file is read by one pydantic model (``extra="forbid"``, strict types). A typo such as
``contain:`` for ``contains:`` would otherwise be read as an unknown key and ignored, and the
check it meant would silently vanish; here it stops the build or the test run with the file, the
line, the key path and the likely fix::

    snippets/hello/cases.yaml:23: cases[2] (wrong method).response.contain:
    unknown key; did you mean `contains`?

Each module that owns a data file declares its model beside the code that reads it and loads
the file with :func:`load_model`.
"""

from __future__ import annotations

import difflib
from functools import cache
from pathlib import Path
from typing import Any, TypeVar, get_args, get_origin

import yaml
from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

ROOT = Path(__file__).resolve().parent.parent
MAX_REPORTED = 8  # errors listed per file; a wholesale mistake need not print hundreds

T = TypeVar("T")
#: libyaml's parser when PyYAML was built with it (several times faster), else PyYAML's own.
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Strict(BaseModel):
    """Base of every data-file model: unknown keys and wrong types are errors, not ignored."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, populate_by_name=False)


def display(path: Path) -> str:
    """A path as messages show it: relative to the project when it is inside it."""
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def load_yaml(path: Path, error: type[Exception]) -> Any:
    """A data file's content; a missing or unparsable file raises ``error`` naming it."""
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=SafeLoader)
    except FileNotFoundError as exc:
        raise error(f"{display(path)}: file is missing") from exc
    except yaml.YAMLError as exc:
        raise error(f"{display(path)}: invalid YAML: {exc}") from exc


def load_model(path: Path, model: Any, error: type[Exception]) -> Any:
    """``path`` read and validated as ``model`` (a model class or any type pydantic knows).

    Raises ``error`` naming the file, and for each problem its line, key path and a fix.
    """
    return validate(load_yaml(path, error), model, error, path)


@cache
def _adapter(model: Any) -> TypeAdapter:
    return TypeAdapter(model)


def validate(data: Any, model: Any, error: type[Exception], path: Path) -> Any:
    """``data`` (read from ``path``) validated as ``model``; on failure the file is parsed
    again into YAML nodes, only then, for the line numbers."""
    try:
        return _adapter(model).validate_python(data)
    except ValidationError as exc:
        node = _compose(path)
        problems = [_describe(e, data, node, model) for e in exc.errors()]
        shown = problems[:MAX_REPORTED]
        if len(problems) > MAX_REPORTED:
            shown.append(f"... and {len(problems) - MAX_REPORTED} more")
        prefix = display(path)
        raise error("\n".join(f"{prefix}:{p}" for p in shown)) from None


def _compose(path: Path) -> yaml.Node | None:
    try:
        return yaml.compose(path.read_text(encoding="utf-8"), Loader=SafeLoader)
    except yaml.YAMLError:  # already reported by load_yaml
        return None


def _describe(error: Any, data: Any, node: yaml.Node | None, model: Any) -> str:
    """One problem as ``<line>: <key path>: <what is wrong>; <the fix>``."""
    steps, line = _walk(error["loc"], data, node)
    where = _key_path(steps) or "top level"
    kind, got = error["type"], error.get("input")
    if kind == "extra_forbidden":
        known = sorted(field_names(model))
        guess = difflib.get_close_matches(str(steps[-1][0]) if steps else "", known, n=1)
        fix = f"did you mean `{guess[0]}`?" if guess else "remove it (see the file's header)"
        what = f"unknown key; {fix}"
    elif kind == "union_tag_invalid":  # e.g. a claim's `rule` naming no known rule
        ctx = error["ctx"]
        key, tag = ctx["discriminator"].strip("'"), ctx["tag"]
        tags = [t.strip(" '") for t in ctx["expected_tags"].split(",")]
        guess = difflib.get_close_matches(tag, tags, n=1)
        where += f".{key}"
        fix = f"did you mean `{guess[0]}`?" if guess else f"expected one of {', '.join(tags)}"
        what = f"unknown value {tag!r}; {fix}"
    elif kind == "missing":
        what = "missing key (required)"
    else:
        what = f"{error['msg']} (got {_short(got)})"
    return f"{line}: {where}: {what}" if line else f" {where}: {what}"


def _walk(
    loc: tuple[Any, ...], data: Any, node: yaml.Node | None
) -> tuple[list[tuple[Any, Any]], int | None]:
    """Follow pydantic's location through the data, skipping union tags that name no key.

    Returns the steps taken (key or index, and the value there) and the 1-based line of the
    deepest YAML node reached.
    """
    steps: list[tuple[Any, Any]] = []
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        if isinstance(data, dict) and part in data:
            node, key_node = _child(node, part)
            data = data[part]
            target = key_node if part == loc[-1] and key_node is not None else node
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            node, _ = _child(node, part)
            data = data[part]
            target = node
        elif isinstance(data, dict) and part == loc[-1] and isinstance(part, str):
            steps.append((part, None))  # a missing key: the line is its mapping's
            break
        else:
            continue
        steps.append((part, data))
        if target is not None:
            line = target.start_mark.line + 1
    return steps, line


def _child(node: yaml.Node | None, part: Any) -> tuple[yaml.Node | None, yaml.Node | None]:
    """The value node under ``node`` at key or index ``part``, and the key's own node."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == str(part):
                return value, key
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int):
        return node.value[part], None
    return None, None


def _key_path(steps: list[tuple[Any, Any]]) -> str:
    """``cases[2] (wrong method).response.contain``: entries named by name or id."""
    text = ""
    for part, value in steps:
        if isinstance(part, int):
            text += f"[{part}]"
            label = value.get("name") or value.get("id") if isinstance(value, dict) else None
            if isinstance(label, str):
                text += f" ({label})"
        else:
            text += f".{part}" if text else str(part)
    return text


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def field_names(model: Any) -> set[str]:
    """Every key any model reachable from ``model`` accepts (aliases as written in files)."""
    names: set[str] = set()
    seen: set[type] = set()

    def visit(annotation: Any) -> None:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            if annotation in seen:
                return
            seen.add(annotation)
            for name, info in annotation.model_fields.items():
                names.add(info.alias or name)
                visit(info.annotation)
            return
        if get_origin(annotation) is not None or get_args(annotation):
            for arg in get_args(annotation):
                visit(arg)

    visit(model)
    return names
