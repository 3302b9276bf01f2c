"""What one site build reads from result and evidence files, each loaded once.

Many macros on many pages show the same benchmark result file, the same claim verdicts, the
same decision-guide rules, the hostile suite's tallies and the typecheck report. Loading them
per macro call read the newest result file once per ``bench_*`` call (fifteen times on the
results page) and judged every claim four times per build; worse, a result file written
during a long build could have given two pages two different runs. The claim rules get
the claims file and the decision rules from here too (``judge_all``) instead of loading them
again. ``define_env`` starts a new ``BuildContext`` for every build (``mkdocs serve`` rebuilds
in one process), and everything is loaded lazily from it, at most once
(``tests/test_site_parts.py`` counts the loads of one context).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

from verified_guide import typecheck
from verified_guide.bench import results
from verified_guide.claims.evidence import Evidence, evidence_path, load_evidence
from verified_guide.claims.ledger import Ledger, judge_all
from verified_guide.claims.rules import load_claims
from verified_guide.decision import Question, load_rules
from verified_guide.topics import ROOT

Document = dict[str, Any]
#: Written by the hostile-request suite (tests/hostile/); ``make test`` runs its in-process
#: part before the build, so a page shows the counts of the same run.
HOSTILE_REPORT = ROOT / ".cache" / "hostile" / "report.json"


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
    def claims(self) -> list[dict[str, Any]]:
        """The article's claims (``docs/data/claims.yaml``), checked against their rules."""
        return load_claims()

    @cached_property
    def ledger(self) -> Ledger:
        """Every claim's verdict, judged from this build's result file, evidence, claims and
        decision rules (the decision rule reads the same questions the guide's page shows)."""
        path = self.results.path if self.results else None
        return judge_all(self.claims, self.doc, path, self.evidence, self.decision_rules)

    @cached_property
    def hostile_runs(self) -> list[dict[str, Any]]:
        """The hostile suite's in-process tallies (every topic page shows its own), or nothing
        when the suite has not run here."""
        if not HOSTILE_REPORT.exists():
            return []
        try:
            report = json.loads(HOSTILE_REPORT.read_text(encoding="utf-8"))
        except ValueError as exc:
            raise PluginError(f"{HOSTILE_REPORT.relative_to(ROOT)}: not JSON ({exc})") from exc
        return [row for row in report.get("runs", []) if row["server"] == "in-process"]

    @cached_property
    def typecheck(self) -> typecheck.Report:
        """Strict mypy's counts per snippet file, measured first when the report is missing, and
        when it predates an edit, except under ``mkdocs serve`` (``serving``)."""
        try:
            return typecheck.current(measure_stale=not serving())
        except typecheck.TypecheckError as exc:
            raise PluginError(str(exc)) from exc

    @cached_property
    def decision_rules(self) -> list[Question]:
        """The decision guide's questions, their benchmark citations from this result file."""
        return load_rules(doc=self.doc)


_current: list[BuildContext] = [BuildContext()]
#: The MkDocs command of this process, set by the ``on_startup`` hook: "build" or "serve" (None
#: when MkDocs is driven from Python, which calls no ``on_startup``).
_command: list[str | None] = [None]


def set_command(command: str) -> None:
    _command[0] = command


def mkdocs_command() -> str | None:
    """Whether this is ``mkdocs build`` (published), ``mkdocs serve`` (local preview) or None."""
    return _command[0]


def serving() -> bool:
    """Whether this is ``mkdocs serve``'s local preview, which must rebuild within seconds."""
    return mkdocs_command() == "serve"


def start_build() -> BuildContext:
    """A fresh context for a new build: files edited since the last one are read again."""
    _current[0] = BuildContext()
    return _current[0]


def current() -> BuildContext:
    """The context of the build in progress (the macros' single source of loaded data)."""
    return _current[0]
