"""The suite's own judge and the page macro that shows its counts."""

from __future__ import annotations

from pathlib import Path

import pytest

from docs.plugins import context, main
from tests.hostile.inputs import HostileRequest
from tests.hostile.verdict import HANG_SECONDS, Answer, Report, problem


@pytest.mark.parametrize(
    ("answer", "why"),
    [
        (Answer(422, b'{"detail": "price"}', 0.01), ""),
        (Answer(201, b"{}", 0.01), ""),
        (Answer(500, b"", 0.01), "status 500"),
        (Answer(500, b"", 0.01, "KeyError: 'sub'"), "raised KeyError: 'sub'"),
        (Answer(400, b"", 6.0), "took 6.0s"),
        (Answer(400, b"Traceback (most recent call last):", 0.01), "leaks 'Traceback"),
        (Answer(404, b"see dist-packages/x.py", 0.01), "leaks 'dist-packages'"),
    ],
)
def test_an_answer_passes_only_as_a_quick_clean_non_5xx(answer: Answer, why: str) -> None:
    assert problem(answer).startswith(why) and bool(problem(answer)) == bool(why)


def _report_at(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    """A build whose hostile report is ``path``."""
    monkeypatch.setattr(context, "HOSTILE_REPORT", path)
    monkeypatch.setattr(context, "_current", [context.BuildContext()])


def test_page_says_not_run_here_without_a_report(monkeypatch, tmp_path: Path) -> None:
    _report_at(monkeypatch, tmp_path / "missing.json")
    text = main.hostile_survival("validation")
    assert text.count("not run here") == 3 and "tests/hostile/" in text
    assert "within" not in text  # no run, so no time limit to quote


def test_page_shows_the_counts_of_the_report(monkeypatch, tmp_path: Path) -> None:
    report, path = Report(), tmp_path / "report.json"
    tally = report.tally("validation", "flask", "in-process")
    request = HostileRequest("POST", "/items")
    for status in (422, 422, 500, 201):
        tally.record(request, Answer(status, b"", 0.01))
    report.write(path)
    _report_at(monkeypatch, path)
    text = main.hostile_survival("validation")
    assert "**Flask**: 3 of 4" in text
    assert "**FastAPI**: not run here" in text
    assert f"within {HANG_SECONDS:g} s," in text  # the limit the run judged by, from its row


def test_page_shows_a_variant_beside_the_main_snippets(monkeypatch, tmp_path: Path) -> None:
    report, path = Report(), tmp_path / "report.json"
    tally = report.tally("rest_api", "django_ninja", "in-process")
    tally.record(HostileRequest("GET", "/books"), Answer(200, b"", 0.01))
    report.write(path)
    _report_at(monkeypatch, path)
    text = main.hostile_survival("rest_api")
    assert "**Django (`django_ninja.py`)**: 1 of 1" in text
    assert "**Django**: not run here" in text
