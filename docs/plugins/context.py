"""What one site build reads from result and evidence files, each loaded once.

Many macros on many pages show the same benchmark result file, the same claim verdicts and
the same decision-guide rules. Loading them per macro call read the newest result file once
per ``bench_*`` call (fifteen times on the results page) and judged every claim four times
per build; worse, a result file written during a long build could have given two pages two
different runs. ``define_env`` starts a new ``BuildContext`` for every build (``mkdocs serve``
rebuilds in one process), and everything is loaded lazily from it, at most once.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from scripts.bench import results
from scripts.claims.evidence import Evidence, evidence_path, load_evidence
from scripts.claims.ledger import Ledger, judge_all
from scripts.claims.rules import load_claims
from scripts.decision import Question, load_rules

Document = dict[str, Any]


@dataclass(frozen=True)
class Results:
    """The result file the pages show, with the path every figure links to."""

    path: Path
    doc: Document


class BuildContext:
    """The build's inputs; each property reads its files the first time it is asked for."""

    @cached_property
    def results(self) -> Results | None:
        """The newest benchmark result file, or ``None`` before the first ``make bench``."""
        path = results.latest()
        return Results(path, results.load(path)) if path else None

    @property
    def doc(self) -> Document | None:
        return self.results.doc if self.results else None

    @cached_property
    def evidence(self) -> Evidence:
        return load_evidence(evidence_path())

    @cached_property
    def ledger(self) -> Ledger:
        """Every claim's verdict, judged from this build's result file and evidence."""
        path = self.results.path if self.results else None
        return judge_all(load_claims(), self.doc, path, self.evidence)

    @cached_property
    def decision_rules(self) -> list[Question]:
        """The decision guide's questions, their benchmark citations from this result file."""
        return load_rules(doc=self.doc)


_current: list[BuildContext] = [BuildContext()]


def start_build() -> BuildContext:
    """A fresh context for a new build: files edited since the last one are read again."""
    _current[0] = BuildContext()
    return _current[0]


def current() -> BuildContext:
    """The context of the build in progress (the macros' single source of loaded data)."""
    return _current[0]
