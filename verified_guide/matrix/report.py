"""The committed matrix results, ``docs/data/matrix.json``: schema, comparison, what needs what.

The site renders this file, so ``make serve`` never waits on installing release lines;
``make test`` re-runs the older lines and fails when they disagree with it.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from verified_guide.lockfile import locked_versions
from verified_guide.matrix.config import Line, Matrix, MatrixError, load_matrix
from verified_guide.topics import ROOT, display

RESULTS_FILE = ROOT / "docs" / "data" / "matrix.json"


class TopicResult(BaseModel):
    """A topic on one line: passes, fails (first failing case and its error), or not applicable."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    status: Literal["pass", "fail", "n/a"]
    passed: int = 0
    total: int = 0
    case: str = ""
    reason: str = ""

    @model_validator(mode="after")
    def _complete(self) -> TopicResult:
        if self.status == "fail" and not (self.case and self.reason):
            raise ValueError("a failing topic names its first failing case and the reason")
        if self.status != "n/a" and self.total < 1:
            raise ValueError("a topic that ran has at least one case")
        return self


class LineResult(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    framework: str
    line: str
    pins: dict[str, str]
    seconds: float
    topics: dict[str, TopicResult]


class Results(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_: Literal[1] = 1
    generated: str
    python: str
    lines: tuple[LineResult, ...]

    def get(self, framework: str, line: str) -> LineResult:
        for entry in self.lines:
            if (entry.framework, entry.line) == (framework, line):
                return entry
        raise MatrixError(
            f"{display(RESULTS_FILE)} has no results for {framework} {line}: run `make matrix`"
        )


@cache
def load_results(path: Path = RESULTS_FILE) -> Results:
    """The committed results, checked against the schema and against ``versions.yaml``'s pins."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise MatrixError(f"{display(path)} is missing: run `make matrix`") from exc
    raw["schema_"] = raw.pop("schema", None)
    try:
        results = Results.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        raise MatrixError(f"{display(path)}: {problems}") from exc
    for framework, line in load_matrix().lines():
        if results.get(framework, line.line).pins != line.pins:
            raise MatrixError(
                f"{display(path)}: {framework} {line.line} was run with other pins than "
                "docs/data/versions.yaml names: run `make matrix`"
            )
    return results


def locked_line(matrix: Matrix, framework: str) -> Line:
    """The framework's line that pins exactly ``uv.lock``'s versions (the main environment)."""
    locked = locked_versions()
    for line in matrix.frameworks[framework]:
        if all(locked.get(name) == version for name, version in line.pins.items()):
            return line
    raise MatrixError(
        f"docs/data/versions.yaml: no {framework} line pins uv.lock's versions; "
        "add one (or update the newest) after re-locking"
    )


def differences(committed: Results, fresh: list[dict[str, Any]]) -> list[str]:
    """Where a fresh run disagrees with the committed file, one line per topic."""
    problems = []
    for entry in fresh:
        old = committed.get(entry["framework"], entry["line"]).topics
        for slug, new in entry["topics"].items():
            before = old.get(slug)
            now = TopicResult.model_validate(new)
            if before != now:
                problems.append(
                    f"{entry['framework']} {entry['line']} / {slug}: committed "
                    f"{before.model_dump() if before else 'nothing'}, now {now.model_dump()}"
                )
    return problems


_MISSING_MODULE = re.compile(r"No module named '([\w.]+)'")
_MISSING_NAME = re.compile(r"cannot import name '(\w+)' from '([\w.]+)'")


def missing_feature(reason: str) -> str:
    """The module or name an import error says is missing, else ``""``."""
    if match := _MISSING_NAME.search(reason):
        return f"{match.group(2)}.{match.group(1)}"
    if match := _MISSING_MODULE.search(reason):
        return match.group(1)
    return ""


def first_passing(framework: str, slug: str) -> tuple[Line, Line] | None:
    """(oldest line it passes on, the line before it) when a topic needs a newer release.

    Judged from the results alone: the topic fails on an older line and passes on every line
    from a later one on.
    """
    lines = load_matrix().frameworks[framework]
    results = load_results()
    statuses = [results.get(framework, line.line).topics[slug].status for line in lines]
    if "fail" not in statuses or statuses[-1] != "pass":
        return None
    since = max(i for i, status in enumerate(statuses) if status == "fail") + 1
    return lines[since], lines[since - 1]
