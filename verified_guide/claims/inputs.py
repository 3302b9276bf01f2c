"""What a claim in ``docs/data/claims.yaml`` gives its rule: one model per kind of rule.

The models are apart from the rules so that the claims file's schema reads in one place; a
rule names its model when it registers (``rules.rule``), and a claim with a misspelt or
missing input stops the build with the file, line and key.
"""

from __future__ import annotations

from verified_guide.bench.config import SQLITE
from verified_guide.datafiles import Strict
from verified_guide.topics import Framework


class ClaimInputs(Strict):
    """What every claim in ``claims.yaml`` has; each rule's model adds the inputs it reads."""

    id: str
    title: str
    claim: str
    rule: str
    #: Pages (docs-relative, with an anchor) that show the evidence.
    pages: list[str] = []
    #: A sentence the verdict adds after the figures.
    finding: str = ""


class WithFinding(ClaimInputs):
    finding: str


class PublishedRankInputs(ClaimInputs):
    framework: Framework  # type: ignore[valid-type]
    #: A source id and one of its questions in docs/data/published.yaml.
    source: str
    question: str


class SnippetLinesInputs(ClaimInputs):
    topic: str
    framework: Framework  # type: ignore[valid-type]
    max_lines: int


class FewestLinesInputs(WithFinding):
    framework: Framework  # type: ignore[valid-type]
    topics: list[str]


class PackagesInputs(ClaimInputs):
    framework: Framework  # type: ignore[valid-type]
    #: Distribution names as on PyPI.
    packages: list[str]


class LowestCostsInputs(WithFinding):
    framework: Framework  # type: ignore[valid-type]
    metrics: list[str]


class HighestCostInputs(ClaimInputs):
    framework: Framework  # type: ignore[valid-type]
    metric: str


class RpsRatioInputs(ClaimInputs):
    #: The article's own figure, in requests per second.
    rps: int
    config: str
    endpoint: str
    reference_claim: str


class FasterInputs(ClaimInputs):
    a: str
    b: str
    endpoint: str
    min_ratio: float


class GapBetween(ClaimInputs):
    """One setup against the others, on some endpoints."""

    a: str
    others: list[str]
    endpoints: list[str]


class GapInputs(GapBetween):
    #: Databases the endpoints are judged on, the verdict's first (``bench.config``).
    databases: list[str] = [SQLITE]


class GapMattersInputs(GapBetween):  # judged on SQLite only: no ``databases`` to ignore
    same_server: list[str] | None = None


class Profile(Strict):
    name: str
    framework: Framework  # type: ignore[valid-type]
    #: Question id to option id in docs/data/decision.yaml.
    answers: dict[str, str]


class DecisionInputs(WithFinding):
    profiles: list[Profile]
