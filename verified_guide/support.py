"""Each framework's release lines and support policy, from ``docs/data/support.yaml``.

Every date in the file carries the address it was checked against (``source``), and the
support page renders only what the file holds: a line whose end of support the project has not
announced says so rather than showing a guessed date.
"""

from __future__ import annotations

import datetime
from functools import cache

from pydantic import HttpUrl, field_validator, model_validator

from verified_guide.datafiles import ROOT, Strict, load_model
from verified_guide.topics import FRAMEWORKS

SUPPORT_FILE = ROOT / "docs" / "data" / "support.yaml"


class SupportError(Exception):
    """``docs/data/support.yaml`` is missing, malformed or incomplete."""


class ReleaseLine(Strict):
    """One release line (``5.2``): when it came out and until when it gets fixes."""

    line: str
    lts: bool
    #: None where the date could not be confirmed against a source.
    released: datetime.date | None = None
    #: The last day of security fixes, when the project has announced one.
    end_of_support: datetime.date | None = None
    #: What ends support when there is no date (e.g. "the next feature release").
    ends_with: str | None = None
    source: HttpUrl

    @model_validator(mode="after")
    def _one_end(self) -> ReleaseLine:
        if (self.end_of_support is None) == (self.ends_with is None):
            raise ValueError("give exactly one of end_of_support (a date) and ends_with (prose)")
        return self


class Policy(Strict):
    """A project's support rule and how it announces breaking changes, each with a source."""

    versioning: str
    support: str
    support_source: HttpUrl
    breaking_changes: str
    breaking_changes_source: HttpUrl
    lines: list[ReleaseLine]


class SupportFile(Strict):
    """The whole file: one policy per framework the guide covers."""

    frameworks: dict[str, Policy]

    @field_validator("frameworks")
    @classmethod
    def _every_framework(cls, value: dict[str, Policy]) -> dict[str, Policy]:
        if sorted(value) != sorted(FRAMEWORKS):
            raise ValueError(f"list exactly the frameworks {', '.join(FRAMEWORKS)}")
        return value


@cache
def load() -> SupportFile:
    """The support data, validated."""
    return load_model(SUPPORT_FILE, SupportFile, SupportError)
