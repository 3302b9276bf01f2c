"""The site's HTML touch-ups and source links, without a build."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
import yaml

from docs.plugins.page_html import (
    exclude_code_from_search,
    label_table_cells,
    separate_tab_labels,
    unmark_abbreviations_in_code,
)
from verified_guide.decision import RulesError, best_measured, load_rules
from verified_guide.source_links import SourceLinks, is_loopback

TABLE = (
    "<table>\n<thead>\n<tr>\n<th></th>\n<th>Fast<abbr>API</abbr></th>\n<th>Flask</th>\n</tr>\n"
    "</thead>\n<tbody>\n<tr>\n<td>ORM</td>\n<td>no</td>\n<td>no &amp; never</td>\n</tr>\n"
    "</tbody>\n</table>"
)


def test_table_cells_get_their_header_as_a_label_and_wide_tables_can_stack() -> None:
    out = label_table_cells(TABLE)
    assert "<table data-stackable>" in out
    assert "<td>ORM</td>" in out  # an empty header labels nothing
    assert '<td data-label="FastAPI">no</td>' in out
    assert '<td data-label="Flask">no &amp; never</td>' in out


def test_a_two_column_table_keeps_its_columns() -> None:
    two = "<table><thead><tr><th>a</th><th>b</th></tr></thead><tbody><tr><td>1</td><td>2</td>"
    assert "data-stackable" not in label_table_cells(two + "</tr></tbody></table>")


def test_tab_labels_are_separated_and_code_is_left_out_of_search() -> None:
    labels = '<label for="a">FastAPI</label><label for="b">Django</label>'
    assert separate_tab_labels(labels) == labels.replace("</label><label", "</label> <label")
    code = '<div class="language-python highlight"><pre>x</pre></div>'
    assert 'highlight" data-search-exclude>' in exclude_code_from_search(code)


def test_source_links_point_at_the_commit_and_refuse_missing_files() -> None:
    links = SourceLinks("https://github.com/o/r/", "abc123")
    assert links.url("scripts") == "https://github.com/o/r/tree/abc123/scripts"
    assert links.link("Makefile") == "[`Makefile`](https://github.com/o/r/blob/abc123/Makefile)"
    with pytest.raises(FileNotFoundError, match="no-such-file"):
        links.url("no-such-file")
    with pytest.raises(ValueError, match="repo_url is empty"):
        SourceLinks("", "main")


@pytest.mark.parametrize(
    ("url", "loopback"),
    [
        ("http://127.0.0.1:8000/", True),
        ("http://localhost/x/", True),
        ("https://example.github.io/guide/", False),
    ],
)
def test_loopback_addresses_are_recognised(url: str, loopback: bool) -> None:
    assert is_loopback(url) is loopback


def _cell(framework: str, server: str, rps: float, status: str = "ok", **extra) -> dict:
    return {
        "config": f"{framework}-{server}", "framework": framework, "server": server,
        "variant": "", "endpoint": "io", "concurrency": 64, "workers": 1, "database": "sqlite",
        "status": status, "rps": rps, "noisy": False, "wrk_limited": False, **extra,
    }  # fmt: skip


def test_rules_cite_every_framework_at_its_best_configuration() -> None:
    doc = {
        "suite": {"concurrency": 64},
        "results": [
            _cell("fastapi", "uvicorn", 5000),
            _cell("flask", "gunicorn", 90),
            _cell("flask", "granian", 4000),
            _cell("django", "granian", 9999, status="failed"),
        ],
    }
    sentence = best_measured(doc, "io")
    assert "FastAPI 5,000 req/s (uvicorn)" in sentence
    assert "Flask 4,000 req/s (granian)" in sentence and "90" not in sentence
    assert "Django not measured" in sentence
    assert "has not been measured yet" in best_measured(None, "io")


def test_the_best_measured_figure_carries_its_flags_and_is_never_a_labelled_extra() -> None:
    """A noisy best cell is quoted with ⚠ as in the tables; a bare or mounted extra, not the
    code the page shows, is not "the best" of its framework."""
    doc = {
        "suite": {"concurrency": 64},
        "results": [
            _cell("fastapi", "uvicorn", 5000, noisy=True),
            _cell("django", "gunicorn", 3000),
            _cell("django", "gunicorn", 9000, config="django-gunicorn-bare", variant="bare"),
            _cell("flask", "gunicorn", 2000, wrk_limited=True),
        ],
    }
    sentence = best_measured(doc, "io")
    assert "FastAPI 5,000 ⚠ req/s (uvicorn)" in sentence
    assert "Django 3,000 req/s (gunicorn)" in sentence and "9,000" not in sentence
    assert "Flask 2,000 ⚑ req/s (gunicorn)" in sentence


def test_an_unknown_benchmark_endpoint_in_a_rule_is_named(tmp_path: Path) -> None:
    effect = {"framework": "flask", "points": 1, "reason": "r", "link": "guide/hello.md#verdict"}
    rules = [
        {
            "id": "q",
            "text": "Q?",
            "options": [
                {"id": "a", "label": "A", "effects": [{**effect, "endpoint": "nope"}]},
                {"id": "b", "label": "B"},
            ],
        }
    ]
    path = tmp_path / "decision.yaml"
    path.write_text(yaml.safe_dump(rules))
    with pytest.raises(RulesError, match="unknown endpoint 'nope'"):
        load_rules(path, doc=None)


def test_the_methodology_names_the_settings_an_older_run_was_measured_with() -> None:
    """The methodology describes the current harness; a shown run made by an older one is
    named with the settings it differs in, and a current one is not."""
    from docs.plugins.bench_page import harness_sentence
    from docs.plugins.context import Results
    from verified_guide.bench.config import FULL
    from verified_guide.source_links import configure

    configure("https://example.org/repo")
    path = Path(__file__)  # any file of the repository: the sentence links it
    current = {
        "runs": FULL.runs,
        "duration_s": FULL.duration_s,
        "concurrency": FULL.concurrency,
        "max_spread": FULL.max_spread,
        "warmup_s": FULL.warmup_s,
        "reruns": FULL.reruns,
        "rerun_budget_s": FULL.rerun_budget_s,
        "groups": [{"settled_s": 0.5}],
    }
    old = {**current, "warmup_s": 1.0, "reruns": 1, "groups": [{"settled_s": None}]}
    del old["rerun_budget_s"]
    said_current = harness_sentence(Results(path, {"suite": current}))
    said_old = harness_sentence(Results(path, {"suite": old}))
    assert said_current.endswith("was measured with these settings.")
    assert "a 1 s warm-up (now" in said_old and "no settling wait" in said_old
    assert "no time budget for re-runs" in said_old
    shorter = {**current, "runs": 3, "duration_s": 0.5, "concurrency": 16, "max_spread": 0.5}
    said = harness_sentence(Results(path, {"suite": shorter}))
    assert f"3 measured runs per cell (now {FULL.runs})" in said
    assert f"runs of 0.5 s (now {FULL.duration_s:g} s)" in said
    assert f"16 connections as its main level (now {FULL.concurrency})" in said
    assert f"a spread limit of 50% (now {FULL.max_spread:.0%})" in said


HOSTILE_REASON = "body was: '<img src=x onerror=alert(1)>'\n`ValueError: use `<b>`"


def test_a_failed_benchmark_cell_shows_its_reason_as_text() -> None:
    """A reason can hold a response body or server log lines: it reaches the page escaped."""
    from docs.plugins.bench_tables import _rps

    shown = _rps({"status": "failed", "reason": HOSTILE_REASON})
    assert "<img" not in shown and "<b>" not in shown and "\n" not in shown
    assert html.unescape(shown) == f"failed: <code>{' '.join(HOSTILE_REASON.split())}</code>"


def test_a_failed_matrix_cell_shows_its_reason_as_text() -> None:
    from docs.plugins.matrix_page import _cell
    from verified_guide.matrix.report import TopicResult

    result = TopicResult(status="fail", passed=0, total=1, case="c", reason=HOSTILE_REASON)
    shown = _cell(result)
    assert "<img" not in shown and "<b>" not in shown
    assert html.unescape(shown).endswith(f"*c*: <code>{' '.join(HOSTILE_REASON.split())}</code>")


#: Case data a contributor could write: Markdown, an extension's syntax, HTML and a newline.
ODD_VALUE = "a|b `c` *d* <i>e</i> [f](g) :smile: ==h== \\| x\ny {: onclick=alert(1) .hidden }"


def _rendered_cells(markdown_text: str) -> list[list[str]]:
    """The text of each body cell once the site's Markdown extensions have rendered a table."""
    from html.parser import HTMLParser

    import markdown

    from tests.test_site import mkdocs_config
    from verified_guide.topics import ROOT

    extensions = mkdocs_config((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))[
        "markdown_extensions"
    ]
    names = [e if isinstance(e, str) else next(iter(e)) for e in extensions]
    html_text = markdown.markdown(
        markdown_text, extensions=[n for n in names if "snippets" not in n]
    )

    class Cells(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.rows: list[list[str]] = []
            self.tags: list[str] = []
            self.cell_attributes: list = []
            self.inside = False

        def handle_starttag(self, tag: str, attrs: list) -> None:
            if tag == "tr":
                self.rows.append([])
            elif tag == "td":
                self.rows[-1].append("")
                self.inside = True
                self.cell_attributes += attrs
            elif self.inside:
                self.tags.append(tag)

        def handle_endtag(self, tag: str) -> None:
            self.inside = self.inside and tag != "td"

        def handle_data(self, data: str) -> None:
            if self.inside:
                self.rows[-1][-1] += data

    parser = Cells()
    parser.feed(html_text)
    assert set(parser.tags) <= {"code", "br", "strong"}, parser.tags
    assert parser.cell_attributes == [], parser.cell_attributes
    return [row for row in parser.rows if row]


def test_case_data_reaches_the_cases_table_as_written() -> None:
    """A request, an expected answer and a case name from cases.yaml are shown literally: no
    character in them can split the table's row, end the code, format or inject markup."""
    from docs.plugins.main import _request_summary, _response_summary
    from docs.plugins.markdown import literal, table

    request = {"method": "POST", "path": "/items?q=a|b", "headers": {"X-Odd": ODD_VALUE}}
    expected = {"status": 400, "text": ODD_VALUE}
    rows = _rendered_cells(
        table(
            ["Case", "Request", "Answer"],
            [[literal(ODD_VALUE), _request_summary(request), _response_summary(expected)]],
        )
    )
    shown = ODD_VALUE.replace("\n", "\\n")
    assert rows == [[shown, f"POST /items?q=a|bX-Odd: {shown}", f"400 {shown}"]]


def test_glossary_marks_are_taken_out_of_inline_code_only() -> None:
    term = '<abbr title="Cross-site request forgery">CSRF</abbr>'
    page = f"<p>{term} checks</p><p><code>{term} verification failed</code></p>"
    assert unmark_abbreviations_in_code(page) == (
        f"<p>{term} checks</p><p><code>CSRF verification failed</code></p>"
    )


def test_the_methodology_states_the_settings_of_make_bench() -> None:
    """The methodology's runs, connections, settling wait and spread limit are read from the
    full suite's configuration; an unknown setting stops the build."""
    from docs.plugins.bench_page import bench_harness
    from verified_guide.bench.config import FULL

    assert bench_harness("runs") == str(FULL.runs)
    assert bench_harness("concurrency") == str(FULL.concurrency)
    assert bench_harness("max_spread") == f"{FULL.max_spread:.0%}"
    assert bench_harness("settle_limit_s") == f"{FULL.settle_limit_s:g} s"
    with pytest.raises(ValueError, match="unknown setting 'warmup'"):
        bench_harness("warmup")


def test_the_n_plus_one_table_names_the_code_it_measured(monkeypatch: pytest.MonkeyPatch) -> None:
    """Its commit, and when the checkout had uncommitted changes, that the commit alone is not
    the code measured (older result files do not say: no claim is made for them)."""
    from docs.plugins.main import n_plus_one_timings
    from verified_guide import async_database
    from verified_guide.source_links import configure

    configure("https://example.org/repo")
    committed = async_database.load()
    commit = committed.environment.git_commit
    assert commit and f", commit {commit[:10]}. Result file" in n_plus_one_timings()
    env = committed.environment.model_copy(update={"git_dirty": True})
    dirty = committed.model_copy(update={"environment": env})
    monkeypatch.setattr(async_database, "load", lambda: dirty)
    assert f"commit {commit[:10]} with uncommitted changes, so that" in n_plus_one_timings()
