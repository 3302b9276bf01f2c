"""Published data (surveys, download statistics) that judges a claim no test here can.

``docs/data/published.yaml`` holds each source with its publisher, date, method, biases and
the figures it states. The claims page cites all of that beside the verdict and marks the
verdict as judged from published data, so a reader never mistakes it for a measurement.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path

from verified_guide.datafiles import ROOT, Strict, load_model

PUBLISHED_FILE = ROOT / "docs" / "data" / "published.yaml"


class PublishedDataError(Exception):
    """published.yaml is malformed or a claim names a source or question it lacks."""


class Ranking(Strict):
    """The answer a source ranks first for one question, with its share of respondents."""

    question: str
    first: str
    share_percent: float
    #: The same figure in the source's previous edition, when it states one.
    previous_percent: float | None = None


class Source(Strict):
    id: str
    title: str
    publisher: str
    url: str
    published: date
    collected: str
    #: The source says "more than" this many responses.
    responses_over: int
    method: str
    biases: str
    rankings: list[Ranking]

    def ranking(self, question: str) -> Ranking:
        for ranking in self.rankings:
            if ranking.question == question:
                return ranking
        raise PublishedDataError(
            f"{PUBLISHED_FILE.relative_to(ROOT)}: source {self.id!r} has no question "
            f"{question!r} (it has: {', '.join(r.question for r in self.rankings)})"
        )


class PublishedFile(Strict):
    sources: list[Source]


@cache
def load_sources(path: Path = PUBLISHED_FILE) -> dict[str, Source]:
    """Every source by id, checked against the schema."""
    return {s.id: s for s in load_model(path, PublishedFile, PublishedDataError).sources}


def get_source(source_id: str) -> Source:
    sources = load_sources()
    if source_id not in sources:
        raise PublishedDataError(
            f"{PUBLISHED_FILE.relative_to(ROOT)}: no source {source_id!r} "
            f"(known: {', '.join(sources)})"
        )
    return sources[source_id]
