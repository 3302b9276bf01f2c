"""The matrix definition, ``docs/data/versions.yaml``, read through a schema that rejects typos."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from verified_guide.topics import FRAMEWORK_TITLES, FRAMEWORKS, ROOT, display, load_yaml

VERSIONS_FILE = ROOT / "docs" / "data" / "versions.yaml"
_EXACT = re.compile(r"^\d+(\.\d+)*$")


class MatrixError(Exception):
    """The matrix definition, an environment or a run is broken; the message says which."""


class Line(BaseModel):
    """One release line of a framework, with the exact versions it installs."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    line: str
    note: str = ""
    pins: dict[str, str]

    @field_validator("pins")
    @classmethod
    def _exact(cls, pins: dict[str, str]) -> dict[str, str]:
        loose = {name: spec for name, spec in pins.items() if not _EXACT.match(str(spec))}
        if loose:
            raise ValueError(f"pins must be exact versions like 5.2.19, got {loose}")
        return {name.lower(): str(spec) for name, spec in pins.items()}

    @property
    def label(self) -> str:
        """``5.2 LTS``: the line with its note, as tables show it."""
        return f"{self.line} {self.note}".strip()


class Matrix(BaseModel):
    """Every framework's lines, oldest first."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    frameworks: dict[str, tuple[Line, ...]]

    @model_validator(mode="after")
    def _consistent(self) -> Matrix:
        if set(self.frameworks) != set(FRAMEWORKS):
            raise ValueError(f"frameworks must be exactly {sorted(FRAMEWORKS)}")
        for framework, lines in self.frameworks.items():
            if len(lines) < 2:
                raise ValueError(f"{framework}: at least two release lines")
            for line in lines:
                if framework not in line.pins:
                    raise ValueError(f"{framework} {line.line}: pins must name {framework}")
            versions = [_key(line.pins[framework]) for line in lines]
            if versions != sorted(versions) or len(set(versions)) != len(versions):
                raise ValueError(f"{framework}: lines must be listed oldest first, each once")
        return self

    def lines(self) -> list[tuple[str, Line]]:
        """Every (framework, line), in FRAMEWORKS order then oldest first."""
        return [(fw, line) for fw in FRAMEWORKS for line in self.frameworks[fw]]


def _key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def line_title(framework: str, line: Line) -> str:
    """``Django 5.2 LTS``."""
    return f"{FRAMEWORK_TITLES[framework]} {line.label}"


@cache
def load_matrix(path: Path = VERSIONS_FILE) -> Matrix:
    """The matrix definition; a wrong key or value raises naming the file and the key path."""
    try:
        return Matrix.model_validate(load_yaml(path, MatrixError))
    except ValidationError as exc:
        problems = "\n  ".join(
            f"{'.'.join(str(p) for p in err['loc']) or '(top level)'}: {err['msg']}"
            for err in exc.errors()
        )
        raise MatrixError(f"{display(path)}:\n  {problems}") from exc
