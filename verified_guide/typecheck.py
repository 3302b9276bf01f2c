"""Strict static typing of every framework snippet, measured: mypy's error count per file.

``python -m scripts.typecheck`` runs one mypy process (``strict = true`` with the django-stubs
and pydantic plugins, configured under ``[tool.mypy]`` in pyproject.toml) over every
``snippets/<topic>/<framework>*.py`` and writes the count of errors mypy reports in each file to
``.cache/typecheck/report.json``, which the typing page renders. One process over all files is
several times faster than one per file.

Every run starts from an empty cache: mypy's incremental cache, carried across edits of the
snippets, gave django 174 errors where a fresh run of the same files gave 178 (four ``misc``
errors missing; where in mypy's incremental mode they were lost was not traced). Instead, the
report records a digest of everything the counts depend on, and an unchanged digest reuses the
report without running mypy at all.

A file mypy reports nothing for counts 0; a file it could not analyse at all (a crash, a
syntax error, an unknown option) stops the run, since a count of 0 would then be a lie.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

from verified_guide.datafiles import ROOT, Strict, load_model
from verified_guide.secret_env import throwaway_secrets
from verified_guide.topics import FRAMEWORKS

REPORT = ROOT / ".cache" / "typecheck" / "report.json"
#: ``path:line: error: message  [code]`` as mypy prints it with ``show_error_codes``.
ERROR_LINE = re.compile(r"^(?P<path>[^:]+\.py):\d+: error: .*?(?:\s+\[(?P<code>[a-z-]+)\])?$")


class TypecheckError(Exception):
    """mypy could not produce a trustworthy count (or the report is missing or malformed)."""


class FileResult(Strict):
    """One snippet file: its topic, framework, and what strict mypy reported in it."""

    path: str
    topic: str
    framework: str
    errors: int
    codes: dict[str, int]


class Report(Strict):
    """The whole run: the mypy version that measured, the digest of what it read (``inputs``)
    and every file's result."""

    mypy_version: str
    inputs: str
    files: list[FileResult]


def framework_of(path: Path) -> str | None:
    """The framework a snippet file belongs to, from its name (``django_models.py`` -> django)."""
    for framework in FRAMEWORKS:
        if path.stem == framework or path.stem.startswith(f"{framework}_"):
            return framework
    return None


def snippet_files() -> list[Path]:
    """Every framework snippet file, in a stable order."""
    files = sorted((ROOT / "snippets").glob("*/*.py"))
    return [f for f in files if framework_of(f) is not None]


def inputs_digest() -> str:
    """A digest of what the counts depend on: the snippets and the demo apps they import (mypy
    follows imports), the locked versions (mypy, the stubs, the frameworks) and the mypy
    settings in pyproject.toml."""
    paths = sorted([*ROOT.glob("snippets/**/*.py"), *ROOT.glob("demo_apps/**/*.py")])
    digest = hashlib.sha256()
    for path in [*paths, ROOT / "uv.lock", ROOT / "pyproject.toml"]:
        digest.update(f"{path.relative_to(ROOT)}\0".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def run_mypy(files: list[Path]) -> tuple[str, str]:
    """mypy's version and its output over ``files``, from an empty cache (none read, none
    written: see the module's docstring); exit status 2 (crash, bad config) raises."""
    env = {**throwaway_secrets(), **os.environ}  # the django plugin imports the settings
    fresh = ["--no-incremental", "--cache-dir", os.devnull]
    command = [sys.executable, "-m", "mypy", *fresh, *(str(f.relative_to(ROOT)) for f in files)]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode not in (0, 1):
        raise TypecheckError(f"mypy failed (exit {done.returncode}):\n{done.stdout}{done.stderr}")
    version = subprocess.run(
        [sys.executable, "-m", "mypy", "--version"], capture_output=True, text=True, check=True
    ).stdout.split()[1]
    return version, done.stdout


def count(files: list[Path], output: str) -> list[FileResult]:
    """Errors per file from mypy's output (notes and other files' errors are not counted)."""
    codes: dict[str, Counter[str]] = {str(f.relative_to(ROOT)): Counter() for f in files}
    for line in output.splitlines():
        match = ERROR_LINE.match(line)
        if match and match["path"] in codes:
            codes[match["path"]][match["code"] or "other"] += 1
    results = []
    for path, found in codes.items():
        parts = Path(path).parts
        results.append(
            FileResult(
                path=path,
                topic=parts[1],
                framework=framework_of(Path(path)) or "",
                errors=sum(found.values()),
                codes=dict(sorted(found.items())),
            )
        )
    return results


def measure() -> Report:
    """Run mypy over every framework snippet and count its errors per file."""
    files, inputs = snippet_files(), inputs_digest()
    version, output = run_mypy(files)
    return Report(mypy_version=version, inputs=inputs, files=count(files, output))


def load(path: Path = REPORT) -> Report:
    """The report ``make test`` wrote; a missing one names the command that writes it."""
    if not path.exists():
        raise TypecheckError(f"{path}: no type-check report; run `python -m scripts.typecheck`")
    return load_model(path, Report, TypecheckError)


def write(path: Path = REPORT) -> Report:
    """Measure and write the report to ``path``."""
    report = measure()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(report.model_dump_json(indent=1) + "\n", encoding="utf-8")
    return report


def is_stale(report: Report) -> bool:
    """Whether a snippet, demo app, pin or mypy setting changed since ``report`` was measured."""
    return report.inputs != inputs_digest()


def current(path: Path = REPORT, *, measure_stale: bool = True) -> Report:
    """The report, measured first when there is none or it was measured on other inputs (a
    fresh clone's site build, a snippet edited since, a report written before the digest was
    recorded): a built page never shows a stale count. ``mkdocs serve`` passes
    ``measure_stale=False``, so that an edit shows within seconds: mypy takes tens of seconds,
    and the typing page then says its counts predate the edit."""
    if path.exists():
        try:
            report = load(path)
        except TypecheckError:
            report = None  # an older layout of this generated file: measure again
        if report is not None and not (measure_stale and is_stale(report)):
            return report
    return write(path)


def main(argv: list[str] | None = None) -> None:
    """Write the report (unless its inputs are unchanged) and print the totals per framework."""
    parser = argparse.ArgumentParser(
        prog="python -m scripts.typecheck",
        description=f"Strict mypy over every snippet; writes {REPORT.relative_to(ROOT)} for the"
        " typing page (reused while the snippets, the demo apps, the mypy settings and uv.lock"
        " are unchanged).",
    )
    parser.parse_args(argv)
    report = current()
    totals: Counter[str] = Counter()
    for result in report.files:
        totals[result.framework] += result.errors
    summary = ", ".join(f"{fw} {totals[fw]}" for fw in FRAMEWORKS)
    print(f"mypy {report.mypy_version} --strict: errors per framework: {summary} -> {REPORT}")
