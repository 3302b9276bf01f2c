"""The version matrix: its definition, the committed results the pages show, and the pages.

``make test`` re-runs the older release lines (``python -m scripts.matrix check``); the locked
lines' cases are ``tests/test_cases.py`` itself, so here the committed file must say they pass.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from docs.plugins.matrix_page import needs_newer
from scripts.matrix.run import _outcomes, _topic_results
from verified_guide.matrix.config import MatrixError, load_matrix
from verified_guide.matrix.report import load_results, locked_line, missing_feature
from verified_guide.topics import FRAMEWORKS, all_topics


def test_a_misspelt_key_names_the_file_and_the_key(tmp_path: Path) -> None:
    bad = tmp_path / "versions.yaml"
    bad.write_text(
        "frameworks:\n  django:\n    - {line: '5.2', pin: {django: 5.2.19}}\n", encoding="utf-8"
    )
    with pytest.raises(MatrixError, match=r"versions.yaml(.|\n)*django\.0\.pin"):
        load_matrix.__wrapped__(bad)


def test_loose_pins_are_refused(tmp_path: Path) -> None:
    bad = tmp_path / "versions.yaml"
    lines = "[{line: '5.2', pins: {django: '>=5.2'}}, {line: '6.0', pins: {django: 6.0.10}}]"
    bad.write_text(f"frameworks:\n  django: {lines}\n", encoding="utf-8")
    with pytest.raises(MatrixError, match="exact versions"):
        load_matrix.__wrapped__(bad)


def test_every_framework_has_two_lines_and_the_newest_is_the_lock() -> None:
    matrix = load_matrix()
    assert "5.2" in [line.line for line in matrix.frameworks["django"]], "Django 5.2 LTS"
    for framework in FRAMEWORKS:
        assert len(matrix.frameworks[framework]) >= 2
        assert locked_line(matrix, framework) == matrix.frameworks[framework][-1], (
            f"{framework}: the newest line in docs/data/versions.yaml must pin uv.lock's versions"
        )


def test_the_committed_results_cover_every_topic_on_every_line() -> None:
    results = load_results()
    for framework, line in load_matrix().lines():
        topics = results.get(framework, line.line).topics
        for topic in all_topics():
            assert topic.slug in topics, f"{topic.slug} not in docs/data/matrix.json: make matrix"
            applicable = any(framework in case.frameworks for case in topic.cases)
            assert (topics[topic.slug].status != "n/a") == applicable, (topic.slug, framework)


def test_the_locked_lines_pass_as_the_main_run_does() -> None:
    """tests/test_cases.py runs the locked lines in this very run; the file must agree."""
    matrix, results = load_matrix(), load_results()
    for framework in FRAMEWORKS:
        line = locked_line(matrix, framework)
        failing = {
            slug: r.reason
            for slug, r in results.get(framework, line.line).topics.items()
            if r.status == "fail"
        }
        assert not failing, f"{framework} {line.line} fails in docs/data/matrix.json: {failing}"


def test_a_junit_report_becomes_topic_results(tmp_path: Path) -> None:
    topic = next(t for t in all_topics() if any("django" in c.frameworks for c in t.cases))
    names = [c.name for c in topic.cases if "django" in c.frameworks]
    rows = "".join(
        f'<testcase name="test_case[{topic.slug}/django/{name}]">'
        + (
            '<failure message="AssertionError: snippets/x.py fails case:&#10;  status 500 != 200"/>'
            if i == 1
            else ""
        )
        + "</testcase>"
        for i, name in enumerate(names)
    )
    junit = tmp_path / "junit.xml"
    junit.write_text(f"<testsuites><testsuite>{rows}</testsuite></testsuites>", encoding="utf-8")
    outcomes = _outcomes(junit)
    with pytest.raises(MatrixError, match="did not run"):
        _topic_results("django", outcomes)  # the other topics' cases are missing
    only = {key: value for key, value in outcomes.items() if key[0] == topic.slug}
    assert only[(topic.slug, names[0])] is None
    if len(names) > 1:
        assert only[(topic.slug, names[1])] == "status 500 != 200"


def test_missing_features_are_read_from_import_errors() -> None:
    assert missing_feature("ModuleNotFoundError: No module named 'django.tasks'") == "django.tasks"
    assert (
        missing_feature("ImportError: cannot import name 'CSP' from 'django.utils' (x.py)")
        == "django.utils.CSP"
    )
    assert missing_feature("status 500 != 200") == ""


@pytest.mark.parametrize("topic", all_topics(), ids=lambda topic: topic.slug)
def test_every_topic_page_shows_its_matrix(site_dir: Path, topic) -> None:
    from verified_guide.topics import page_of

    page = (site_dir / page_of(topic).removesuffix(".md") / "index.html").read_text("utf-8")
    assert "version matrix" in page, f"{page_of(topic)} has no version matrix"
    for framework in topic.frameworks():
        for line in load_matrix().frameworks[framework]:
            assert f"{line.label} (" in page, (
                f"{page_of(topic)}: no row for {framework} {line.line}"
            )
        note = needs_newer(framework, topic.slug)
        if note:
            assert "Needs a newer release" in page, f"{page_of(topic)}: no note for {framework}"
