"""The typing page's counts (strict mypy over the snippets) and the support-policy data and page."""

from __future__ import annotations

import datetime
import html
import os
import re
from pathlib import Path

import pytest

from verified_guide import support, typecheck
from verified_guide.topics import FRAMEWORK_TITLES, FRAMEWORKS, ROOT


def _page_text(site_dir: Path, name: str, tag: str = " ") -> str:
    """The page's text; tags become ``tag`` (a space keeps table cells apart, "" keeps
    highlighted code lines whole)."""
    page = (site_dir / name / "index.html").read_text(encoding="utf-8")
    return html.unescape(re.sub(r"<[^>]+>", tag, page))


# --------------------------------------------------------------------------- typing


def test_every_framework_snippet_is_typechecked() -> None:
    names = {p.name for p in typecheck.snippet_files()}
    assert {f"{fw}.py" for fw in FRAMEWORKS} <= names
    assert all(typecheck.framework_of(p) for p in typecheck.snippet_files())
    assert typecheck.framework_of(Path("snippets/deployment/gunicorn_conf.py")) is None


def test_errors_are_counted_per_file_and_code() -> None:
    files = [ROOT / "snippets/hello/flask.py", ROOT / "snippets/hello/django.py"]
    output = (
        "snippets/hello/flask.py:5: error: Function is missing a return type annotation"
        "  [no-untyped-def]\n"
        'snippets/hello/flask.py:5: note: Use "-> None" if function does not return a value\n'
        'snippets/hello/flask.py:9: error: Name "x" is not defined  [name-defined]\n'
        "demo_apps/other.py:1: error: elsewhere, not counted  [misc]\n"
        "Found 3 errors in 2 files (checked 2 source files)\n"
    )
    flask, django = typecheck.count(files, output)
    assert (flask.errors, flask.codes) == (2, {"name-defined": 1, "no-untyped-def": 1})
    assert (django.errors, django.topic, django.framework) == (0, "hello", "django")


def test_report_is_reused_only_while_its_inputs_are_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A report measured on other inputs (an edited snippet, a new lock) is measured again, but
    only shown as stale under ``mkdocs serve``; an older report without a digest is measured
    again too; an unchanged one is reused without running mypy."""
    path, runs = tmp_path / "report.json", []

    def measure() -> typecheck.Report:
        runs.append(1)
        return typecheck.Report(mypy_version="9", inputs=typecheck.inputs_digest(), files=[])

    monkeypatch.setattr(typecheck, "measure", measure)
    path.write_text('{"mypy_version": "9", "files": []}', encoding="utf-8")  # before the digest
    typecheck.current(path)
    typecheck.current(path)
    assert len(runs) == 1
    monkeypatch.setattr(typecheck, "inputs_digest", lambda: "an edited snippet")
    shown = typecheck.current(path, measure_stale=False)  # mkdocs serve: no mypy run
    assert len(runs) == 1 and typecheck.is_stale(shown)
    typecheck.current(path)
    assert len(runs) == 2


def test_mypy_reads_and_writes_no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """An incremental cache carried across edits changed the counts: every run is fresh."""
    seen = []

    def run(command: list[str], **_: object) -> object:
        seen.append(command)
        return type("Done", (), {"returncode": 0, "stdout": "mypy 9 (compiled)", "stderr": ""})

    monkeypatch.setattr(typecheck.subprocess, "run", run)
    typecheck.run_mypy([ROOT / "snippets/hello/flask.py"])
    fresh = ["--no-incremental", "--cache-dir", os.devnull]
    assert seen[0][3:] == [*fresh, "snippets/hello/flask.py"]


def test_report_covers_every_snippet_and_the_page_shows_its_totals(site_dir: Path) -> None:
    report = typecheck.load()
    assert [r.path for r in report.files] == [
        str(p.relative_to(ROOT)) for p in typecheck.snippet_files()
    ]
    text = _page_text(site_dir, "typing")
    totals = {fw: sum(r.errors for r in report.files if r.framework == fw) for fw in FRAMEWORKS}
    row = re.search(r"all topics\s+(\d+)\s+(\d+)\s+(\d+)", text)
    assert row, "typing page: no totals row"
    assert [int(n) for n in row.groups()] == [totals[fw] for fw in FRAMEWORKS]
    assert f"mypy {report.mypy_version}" in text
    # The page says these two kinds occur in FastAPI's column only.
    only_fastapi = {
        r.framework for r in report.files if {"arg-type", "return-value"} & set(r.codes)
    }
    assert only_fastapi <= {"fastapi"}, "docs/typing.md: arg-type/return-value sentence is stale"
    code_text = _page_text(site_dir, "typing", tag="")
    for framework in FRAMEWORKS:  # the validated-body examples are included from snippets/
        code = (ROOT / f"snippets/validation/{framework}.py").read_text(encoding="utf-8")
        for line in code.splitlines():
            assert line.strip() in code_text, f"typing page: {line!r} not shown"


# --------------------------------------------------------------------------- support


def test_support_file_loads_and_names_every_framework() -> None:
    data = support.load()
    assert sorted(data.frameworks) == sorted(FRAMEWORKS)
    django = {line.line: line for line in data.frameworks["django"].lines}
    assert django["5.2"].lts and django["5.2"].end_of_support == datetime.date(2028, 4, 30)


def test_flask_line_is_the_locked_feature_release() -> None:
    from importlib.metadata import version

    locked = ".".join(version("flask").split(".")[:2])
    assert support.load().frameworks["flask"].lines[0].line.startswith(locked)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda s: s.replace("    lts: true", "    lts: true\n        lst: true", 1), "lst"),
        (
            lambda s: s.replace(
                "released: 2025-12-03", "released: 2025-12-03\n        ends_with: x"
            ),
            "exactly one",
        ),
        (lambda s: s.replace("source: https://endoflife.date/django", "source: soon", 1), "source"),
    ],
    ids=["unknown key", "date and prose", "not a URL"],
)
def test_support_schema_rejects(tmp_path: Path, edit, message: str) -> None:
    broken = tmp_path / "support.yaml"
    broken.write_text(edit(support.SUPPORT_FILE.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(support.SupportError, match=message):
        support.load_model(broken, support.SupportFile, support.SupportError)


def test_support_page_renders_every_line_with_its_source(site_dir: Path) -> None:
    page = (site_dir / "support" / "index.html").read_text(encoding="utf-8")
    text = _page_text(site_dir, "support")
    assert "How long will my choice be supported?" in text
    for framework, policy in support.load().frameworks.items():
        assert str(policy.support_source) in page
        assert str(policy.breaking_changes_source) in page
        for line in policy.lines:
            assert f"{FRAMEWORK_TITLES[framework]} {line.line}" in text
            assert str(line.source) in page
            if line.end_of_support:
                assert line.end_of_support.isoformat() in text


def test_typing_page_facts_hold_for_the_installed_versions() -> None:
    """docs/typing.md: which libraries ship type information, and get_json's return type."""
    import importlib.util
    import typing

    from flask import Request

    def typed(package: str) -> bool:
        spec = importlib.util.find_spec(package)
        assert spec and spec.origin, f"{package} is not installed"
        return (Path(spec.origin).parent / "py.typed").exists()

    for package in ("fastapi", "starlette", "pydantic", "sqlalchemy", "flask", "werkzeug", "ninja"):
        assert typed(package), f"{package} no longer ships py.typed"
    for package in ("rest_framework", "flask_login", "flask_admin"):
        assert not typed(package), f"{package} ships py.typed now: update docs/typing.md"
    assert typing.get_type_hints(Request.get_json)["return"] == typing.Any | None
