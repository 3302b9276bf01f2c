"""Run every topic's in-process cases in each release line's environment; write the results.

Each line runs ``tests/test_cases.py`` and ``tests/test_socket_cases.py`` (the socket
conversations) for its framework only (``GUIDE_CASE_FRAMEWORKS``) in its
own environment, with a JUnit report pytest writes; a topic passes on a line when all its cases
pass, fails with its first failing case (in ``cases.yaml`` order) and that case's error, or is
not applicable when the topic has no case for the framework. Lines run two at a time.
"""

from __future__ import annotations

import datetime
import os
import platform
import subprocess
import tempfile
import time
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from scripts.matrix.envs import ENVS, environment
from verified_guide.matrix.config import Line, MatrixError, line_title
from verified_guide.topics import ROOT, all_topics

SCHEMA = 1
PARALLEL = 2
#: The JUnit names of the case tests: ``test_case[<topic>/<framework>/<case>]``.
_TEST_IDS = ("test_case[", "test_socket_case[")


def _reason(message: str) -> str:
    """The error a reader can act on: the case's first mismatch, else the exception's line."""
    lines = [line.strip() for line in message.strip().splitlines() if line.strip()]
    if not lines:
        return "(no message)"
    reason = (
        lines[1]
        if lines[0].startswith("AssertionError: snippets/") and len(lines) > 1
        else lines[0]
    )
    for folder in (str(ENVS), str(ROOT)):
        reason = reason.replace(folder + "/", "")
    return reason[:240]


def _outcomes(junit: Path) -> dict[tuple[str, str], str | None]:
    """(topic, case) -> None when it passed, else the failure's reason."""
    outcomes: dict[tuple[str, str], str | None] = {}
    for testcase in ET.parse(junit).iter("testcase"):
        name = testcase.get("name", "")
        prefix = next((p for p in _TEST_IDS if name.startswith(p)), None)
        if prefix is None:
            continue
        topic, _framework, case = name[len(prefix) : -1].split("/", 2)
        problem = testcase.find("failure")
        if problem is None:
            problem = testcase.find("error")
        if testcase.find("skipped") is not None:
            raise MatrixError(f"{junit}: {name} was skipped; the matrix runs every case")
        outcomes[(topic, case)] = None if problem is None else _reason(problem.get("message", ""))
    return outcomes


def _topic_results(framework: str, outcomes: dict[tuple[str, str], str | None]) -> dict:
    results: dict[str, dict[str, Any]] = {}
    for topic in all_topics():
        cases = [
            case.name for case in [*topic.cases, *topic.sockets] if framework in case.frameworks
        ]
        if not cases:
            results[topic.slug] = {"status": "n/a"}
            continue
        missing = [name for name in cases if (topic.slug, name) not in outcomes]
        if missing:
            raise MatrixError(f"{topic.slug}: cases {missing} did not run for {framework}")
        failed = [
            (name, outcomes[(topic.slug, name)]) for name in cases if outcomes[(topic.slug, name)]
        ]
        entry: dict[str, Any] = {
            "status": "fail" if failed else "pass",
            "passed": len(cases) - len(failed),
            "total": len(cases),
        }
        if failed:
            entry["case"], entry["reason"] = failed[0]
        results[topic.slug] = entry
    return results


def run_line(framework: str, line: Line) -> dict[str, Any]:
    """Build (or reuse) the line's environment, run its cases, return its results."""
    started = time.monotonic()
    python = environment(framework, line)
    with tempfile.TemporaryDirectory(prefix="matrix-") as tmp:
        junit = Path(tmp) / "junit.xml"
        command = [
            str(python), "-m", "pytest", "tests/test_cases.py", "tests/test_socket_cases.py",
            "-q", "-p", "no:cacheprovider",
            "--ds", "verified_guide.matrix.django_settings", f"--junitxml={junit}",
        ]  # fmt: skip
        env = {**os.environ, "GUIDE_CASE_FRAMEWORKS": framework, "PYTHONPATH": str(ROOT)}
        env.pop("VIRTUAL_ENV", None)
        result = subprocess.run(
            command, cwd=ROOT, env=env, capture_output=True, text=True, check=False
        )
        if result.returncode not in (0, 1) or not junit.is_file():
            raise MatrixError(
                f"{line_title(framework, line)}: pytest exited {result.returncode} before running "
                f"the cases:\n{(result.stdout + result.stderr)[-3000:]}"
            )
        outcomes = _outcomes(junit)
    return {
        "framework": framework,
        "line": line.line,
        "pins": line.pins,
        "seconds": round(time.monotonic() - started, 1),
        "topics": _topic_results(framework, outcomes),
    }


def run_lines(lines: list[tuple[str, Line]]) -> list[dict[str, Any]]:
    """Every given line's results, in the given order."""
    with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
        return list(pool.map(lambda pair: run_line(*pair), lines))


def document(lines: list[dict[str, Any]]) -> dict[str, Any]:
    """The result file: the lines' results with where they were produced."""
    return {
        "schema": SCHEMA,
        "generated": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "lines": lines,
    }
