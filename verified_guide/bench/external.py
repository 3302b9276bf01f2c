"""Published figures from independent benchmark suites (docs/data/external_benchmarks.yaml).

Absolute figures from other machines say little about this one, so each entry is reduced to
a ratio between two setups, the same ratio the results page computes from this site's own
cells. The file is typed: an unknown key or a missing figure stops the build naming it.
"""

from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from verified_guide.bench.config import CONFIGURATIONS, ENDPOINTS
from verified_guide.topics import ROOT

EXTERNAL_FILE = ROOT / "docs" / "data" / "external_benchmarks.yaml"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Setup(Strict):
    name: str
    rps: float = Field(gt=0)


class Ours(Strict):
    a: str
    b: str
    endpoint: str


class Figure(Strict):
    suite: str
    url: str = Field(pattern=r"^https://")
    date: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")
    hardware: str
    test: str
    a: Setup
    b: Setup
    ours: Ours

    @property
    def ratio(self) -> float:
        return self.a.rps / self.b.rps

    @property
    def comparison(self) -> str:
        return f"{self.a.name} ÷ {self.b.name}"

    @property
    def configs(self) -> tuple[str, str]:
        return self.ours.a, self.ours.b

    @property
    def endpoint(self) -> str:
        return self.ours.endpoint


class ExternalFile(Strict):
    figures: list[Figure]


@cache
def load(path: Path = EXTERNAL_FILE) -> tuple[Figure, ...]:
    """Every published figure, checked against the schema and this site's configurations."""
    try:
        figures = ExternalFile.model_validate(yaml.safe_load(path.read_text())).figures
    except ValidationError as error:
        where = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
        raise ValueError(f"{path}: {where}") from None
    for index, figure in enumerate(figures):
        unknown = {figure.ours.a, figure.ours.b} - CONFIGURATIONS.keys()
        if unknown or figure.ours.endpoint not in ENDPOINTS:
            raise ValueError(
                f"{path}: figures.{index}.ours names an unknown configuration or endpoint: "
                f"{sorted(unknown) or figure.ours.endpoint}"
            )
    return tuple(figures)
