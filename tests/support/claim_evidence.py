"""pytest plugin: the ``claim`` marker, and the evidence report the site's claims page reads.

A test that checks one of the article's claims says so with ``@pytest.mark.claim("<id>")``.
Run with ``--claims-report PATH`` (``make evidence`` does), pytest writes every such test's
outcome to PATH as JSON; ``verified_guide/claims/`` turns those outcomes into verdicts at build
time, so the page can only say "confirmed" for a claim whose tests passed in the run it reads.
"""

from __future__ import annotations

import datetime
import json
import os
import tempfile
from pathlib import Path

import pytest

from verified_guide.claims.evidence import EVIDENCE_SCHEMA
from verified_guide.claims.rules import known_claim_ids


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--claims-report",
        metavar="PATH",
        help="write the outcome of every @pytest.mark.claim test to PATH (JSON)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "claim(*ids): the test is evidence for these claims of the article"
    )
    config.pluginmanager.register(
        EvidenceRecorder(config.getoption("--claims-report")), RECORDER_NAME
    )


#: The name the recorder is registered under, for ``provisional_report``.
RECORDER_NAME = "claim-evidence-recorder"
NOT_RUN = "not run in this session: `make evidence` runs the claim tests and gives verdicts"


def claim_ids(item: pytest.Item) -> list[str]:
    """The claim ids an item's markers name; a bare or unknown id is a usage error."""
    ids = []
    for mark in item.iter_markers("claim"):
        if not mark.args:
            raise pytest.UsageError(f"{item.nodeid}: @pytest.mark.claim needs a claim id")
        ids.extend(mark.args)
    unknown = sorted(set(ids) - known_claim_ids())
    if unknown:
        raise pytest.UsageError(
            f"{item.nodeid}: unknown claim id(s) {unknown}; the ids are in docs/data/claims.yaml"
        )
    return sorted(set(ids))


def _failure_message(report: pytest.TestReport) -> str:
    """The exception's own first line (``AssertionError: ...``), else the report's last line."""
    crash = getattr(report.longrepr, "reprcrash", None)
    text = crash.message if crash is not None else report.longreprtext
    lines = text.strip().splitlines() or ["(no message)"]
    return (lines[0] if crash is not None else lines[-1])[:300]


class EvidenceRecorder:
    """Collects the outcome of each claim test and writes the report at the end of the session."""

    def __init__(self, path: str | None) -> None:
        self.path = Path(path) if path else None
        self.suite_size = 0
        self.outcomes: dict[str, dict] = {}
        self.collected: dict[str, list[str]] = {}

    @pytest.hookimpl(tryfirst=True)
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        """Count the whole suite before ``-m`` deselects; tag claim tests for their reports."""
        self.suite_size = len(items)
        for item in items:
            ids = claim_ids(item)
            if ids:
                item.user_properties.append(("claims", ids))
                self.collected[item.nodeid] = ids

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """Keep the worst phase of each claim test: an error in setup counts against it."""
        claims = dict(report.user_properties).get("claims")
        if not claims:
            return
        entry = self.outcomes.setdefault(
            report.nodeid,
            {"claims": claims, "outcome": "passed", "duration_s": 0.0, "message": ""},
        )
        entry["duration_s"] = round(entry["duration_s"] + report.duration, 3)
        if report.failed:
            entry["outcome"] = "failed" if report.when == "call" else "error"
            entry["message"] = _failure_message(report)
        elif report.passed and report.when == "call":
            # A test that passed without judging (a re-measurement the machine's load made
            # meaningless) says so, and the claims page shows that beside the verdict.
            entry["message"] = str(dict(report.user_properties).get("evidence_note", ""))
        elif report.skipped and entry["outcome"] == "passed":
            entry["outcome"] = "skipped"
            longrepr = report.longrepr
            entry["message"] = str(longrepr[-1]) if isinstance(longrepr, tuple) else ""

    def pytest_sessionfinish(self, exitstatus: int) -> None:
        if self.path is None:
            return
        _write(self.path, self.suite_size, int(exitstatus), self.outcomes)

    def provisional_report(self, path: Path) -> None:
        """A report where every claim test of the suite is *skipped, not run*.

        For a site built by a test session on a fresh clone (``pytest -k <topic>`` before any
        ``make evidence``): the claims then read "evidence failing: not run in this session"
        and, outside CI, the strict build goes on, so the topic's site tests can run.
        """
        tests = dict(self.collected)
        covered = {claim for ids in tests.values() for claim in ids}
        # A session given a path collects only some claim tests; stand in for the others.
        tests |= {f"(not collected)::{c}": [c] for c in sorted(known_claim_ids() - covered)}
        outcomes = {
            nodeid: {"claims": ids, "outcome": "skipped", "duration_s": 0.0, "message": NOT_RUN}
            for nodeid, ids in tests.items()
        }
        _write(path, self.suite_size, 0, outcomes)


def _write(path: Path, suite_size: int, exit_status: int, outcomes: dict[str, dict]) -> None:
    """Write a report atomically, so a reader never sees half a file."""
    document = {
        "schema": EVIDENCE_SCHEMA,
        "finished": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "suite_size": suite_size,
        "exit_status": exit_status,
        "tests": [{"nodeid": key, **entry} for key, entry in sorted(outcomes.items())],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(
        "w", dir=path.parent, delete=False, suffix=".tmp", encoding="utf-8"
    ) as tmp:
        json.dump(document, tmp, indent=1)
    os.replace(tmp.name, path)
