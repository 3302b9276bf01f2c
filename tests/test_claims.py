"""Claim verdicts follow the evidence: change a figure or fail a test and the verdict changes."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from docs.plugins.claims_page import (
    PUBLISHED_BASIS,
    claim_counts_sentence,
    claims_section,
    site_counts,
    verdict_badge,
)
from docs.plugins.context import BuildContext
from tests.support.reports import write_evidence
from verified_guide.bench.config import CONFIGURATIONS
from verified_guide.claims import ledger
from verified_guide.claims.evidence import ClaimError, Evidence, Outcome, load_evidence
from verified_guide.claims.figures import label_of
from verified_guide.claims.ledger import FAILING, LABELS, NOT_REMEASURED, judge
from verified_guide.claims.rules import (
    BORDERLINE,
    CONFIRMED,
    NOT_CHECKABLE,
    PARTLY,
    REFUTED,
    finding,
    load_claims,
)
from verified_guide.published import get_source
from verified_guide.topics import ROOT

#: The ids of the shared claims list (../shared/source-claims.md): every one must be judged.
SHARED_IDS = {
    "popularity", "django-batteries", "fastapi-api-default", "fastapi-event-loop",
    "fastapi-auto-docs", "flask-lightest", "flask-single-file", "flask-extensions",
    "django-ecosystem", "django-heavy-deps", "django-io-throughput", "rps-fastapi",
    "rps-django-sync", "rps-django-async", "rps-flask", "fastapi-gap-matters", "db-bound",
    "verdict",
}  # fmt: skip
CLAIMS = {c["id"]: c for c in load_claims()}


def _doc(
    cells: dict[tuple[str, str], float],
    failed: frozenset = frozenset(),
    costs=(),
    noise: tuple[float, ...] = (1.0, 1.0, 1.0),
) -> dict:
    """Cells measured in interleaved rounds; ``noise`` scales each round's runs alike."""
    results = [
        {"config": cfg, "endpoint": ep, "concurrency": 64, "workers": 1, "database": "sqlite",
         "label": CONFIGURATIONS[cfg].label, "server": CONFIGURATIONS[cfg].server.name,
         "rps": rps, "rps_all": [rps * f for f in noise], "rounds": list(range(len(noise))),
         "status": "failed" if (cfg, ep) in failed else "ok"}
        for (cfg, ep), rps in cells.items()
    ]  # fmt: skip
    return {"suite": {"concurrency": 64}, "results": results, "costs": list(costs)}


def _on_both_databases(doc: dict) -> dict:
    """The same cells on PostgreSQL beside SQLite (db-bound's verdict is PostgreSQL's)."""
    doc["results"] += [{**cell, "database": "postgresql"} for cell in doc["results"]]
    return doc


def _evidence(outcomes: dict[str, str], path: Path = Path("report.json")) -> Evidence:
    tests = tuple(
        Outcome(f"tests/test_x.py::test_{claim}", (claim,), outcome, 0.1, message)
        for claim, outcome in outcomes.items()
        for message in ["" if outcome == "passed" else "boom"]
    )
    return Evidence(path, "2026-11-25T00:00:00+00:00", 600, tests)


def _json_cells(fastapi: float, django: float, flask: float) -> dict:
    return {
        ("fastapi-uvicorn", "json"): fastapi,
        ("django-gunicorn", "json"): django,
        ("flask-gunicorn", "json"): flask,
    }


@pytest.mark.parametrize(
    ("fastapi_rps", "expected"),
    [(16_000, CONFIRMED), (20_000, CONFIRMED), (5_000, PARTLY), (1_500, REFUTED)],
)
def test_rps_claims_are_judged_by_their_ratio_to_the_reference(fastapi_rps, expected) -> None:
    # The article: FastAPI 20,000 and Flask 2,500, so 8 times; here Flask serves 2,000.
    doc = _doc(_json_cells(fastapi_rps, 1_000, 2_000))
    assert finding(CLAIMS["rps-fastapi"], doc).label == expected


def test_a_ratio_whose_interval_reaches_across_a_limit_is_borderline() -> None:
    # FastAPI ÷ Flask is 8 in two rounds and 5 in a third: the interval reaches across 6,
    # the lower edge of "within 25% of 8", so neither "confirmed" nor "partly true" holds.
    doc = _doc(_json_cells(16_000, 1_000, 2_000), noise=(1.0, 1.0, 1.0))
    for cell in doc["results"]:
        if cell["config"] == "fastapi-uvicorn":
            cell["rps_all"] = [16_000, 16_000, 10_000]
    found = finding(CLAIMS["rps-fastapi"], doc)
    assert found.label == BORDERLINE and "95% interval" in found.text


def test_a_round_that_slows_every_setup_alike_does_not_move_the_verdict() -> None:
    doc = _doc(_json_cells(16_000, 1_000, 2_000), noise=(1.0, 0.4, 1.0, 0.7, 1.0))
    assert finding(CLAIMS["rps-fastapi"], doc).label == CONFIRMED


def test_a_laptop_without_wrk_keeps_the_committed_verdict_marked_not_re_measured(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(ledger, "IN_CI", False)
    doc = _doc(_json_cells(16_000, 1_000, 2_000))
    verdict = judge(CLAIMS["rps-fastapi"], doc, _evidence({"rps-fastapi": "skipped"}))
    assert verdict.label == CONFIRMED and not verdict.remeasured
    assert NOT_REMEASURED in verdict.text.lower()
    monkeypatch.setattr(ledger, "IN_CI", True)
    in_ci = judge(CLAIMS["rps-fastapi"], doc, _evidence({"rps-fastapi": "skipped"}))
    assert in_ci.label == FAILING


def test_a_re_measurement_too_starved_to_judge_keeps_the_committed_verdict_and_says_so() -> None:
    # tests/bench/test_claim_figures.py passes without judging, with a note, when every
    # re-measurement of a reversal ran on a server starved of CPU by other work.
    doc = _doc(_json_cells(16_000, 1_000, 2_000))
    note = "the setups of this claim got much less of the machine than in the committed run"
    tests = (Outcome("tests/test_x.py::test_rps", ("rps-fastapi",), "passed", 0.1, note),)
    verdict = judge(CLAIMS["rps-fastapi"], doc, Evidence(Path("r.json"), "2026-11-29", 600, tests))
    assert verdict.label == CONFIRMED and not verdict.remeasured
    assert verdict.text.endswith(f"{NOT_REMEASURED.capitalize()}: {note}.")
    judged = judge(CLAIMS["rps-fastapi"], doc, _evidence({"rps-fastapi": "passed"}))
    assert judged.remeasured and NOT_REMEASURED not in judged.text.lower()


def test_a_failed_cell_never_yields_a_verdict_from_its_number() -> None:
    doc = _doc(_json_cells(16_000, 1_000, 2_000), failed=frozenset({("flask-gunicorn", "json")}))
    assert finding(CLAIMS["rps-fastapi"], doc).label == NOT_CHECKABLE


def test_a_setup_is_named_as_the_result_file_names_it_not_as_the_code_does_now() -> None:
    doc = _doc(_json_cells(16_000, 1_000, 2_000))
    doc["results"][0]["label"] = "FastAPI (as measured)"
    assert label_of(doc, "fastapi-uvicorn") == "FastAPI (as measured) on Uvicorn"
    assert "FastAPI (as measured) on Uvicorn" in finding(CLAIMS["rps-fastapi"], doc).text


def test_without_a_result_file_figure_claims_are_not_checkable() -> None:
    assert finding(CLAIMS["rps-fastapi"], None).label == NOT_CHECKABLE
    assert finding(CLAIMS["flask-lightest"], None).label == NOT_CHECKABLE


def test_db_bound_needs_the_gap_to_narrow_against_every_other_setup() -> None:
    cells = {**_json_cells(4_000, 1_000, 2_000), ("fastapi-uvicorn", "db"): 1_000}

    def doc(django_db: int, flask_db: int) -> dict:
        db = {("django-gunicorn", "db"): django_db, ("flask-gunicorn", "db"): flask_db}
        return _on_both_databases(_doc({**cells, **db}))

    narrows, half, widens = doc(800, 900), doc(200, 900), doc(200, 100)
    assert finding(CLAIMS["db-bound"], narrows).label == CONFIRMED
    assert finding(CLAIMS["db-bound"], half).label == PARTLY
    assert finding(CLAIMS["db-bound"], widens).label == REFUTED


def test_a_failed_cell_never_makes_every_pair_easier_to_reach() -> None:
    """A gap claim holds "on every endpoint against every setup": a pair whose cell failed
    counts either way, so the verdict cannot rise to confirmed by leaving it out."""
    claim = CLAIMS["fastapi-gap-matters"]
    cells = {(c, ep): 1_000.0 for c in (claim["a"], *claim["others"]) for ep in claim["endpoints"]}
    cells |= {(claim["a"], ep): 10_000.0 for ep in claim["endpoints"]}
    first_other = (claim["others"][0], claim["endpoints"][0])
    cells[first_other] = 20_000.0  # the one pair that does not reach the limit
    assert finding(claim, _doc(cells)).label == PARTLY
    failed = finding(claim, _doc(cells, failed=frozenset({first_other})))
    assert failed.label == BORDERLINE and "failed cell" in failed.text


def test_db_bound_without_figures_on_its_first_database_is_not_judged_on_the_next() -> None:
    claim = CLAIMS["db-bound"]
    cells = {**_json_cells(4_000, 1_000, 2_000), ("fastapi-uvicorn", "db"): 1_000}
    cells |= {("django-gunicorn", "db"): 800, ("flask-gunicorn", "db"): 900}
    doc = _doc(cells)  # SQLite's cells only: PostgreSQL, listed first, has none
    assert finding(claim, doc).label == NOT_CHECKABLE
    half = _on_both_databases(_doc(cells, failed=frozenset({("django-gunicorn", "db")})))
    found = finding(claim, half)
    assert found.label == BORDERLINE and "failed cell" in found.text


def test_io_throughput_needs_the_stated_multiple() -> None:
    claim = CLAIMS["django-io-throughput"]
    cells = {("fastapi-uvicorn", "io"): 5_000}
    assert finding(claim, _doc({**cells, ("django-gunicorn", "io"): 100})).label == CONFIRMED
    assert finding(claim, _doc({**cells, ("django-gunicorn", "io"): 4_000})).label == PARTLY
    assert finding(claim, _doc({**cells, ("django-gunicorn", "io"): 6_000})).label == REFUTED


def test_lightest_needs_the_lowest_cost_on_every_metric() -> None:
    row = {"packages_installed": 5, "install_mb": 5.0, "import_ms": 500, "idle_rss_mb": 50}
    costs = [
        {"framework": "fastapi", **row},
        {"framework": "django", **row, "packages_installed": 3},
        {"framework": "flask", **row, "install_mb": 2.0, "import_ms": 300, "idle_rss_mb": 40},
    ]
    assert finding(CLAIMS["flask-lightest"], _doc({}, costs=costs)).label == PARTLY
    assert finding(CLAIMS["django-heavy-deps"], _doc({}, costs=costs)).label == REFUTED


def test_lightest_leaves_a_one_sample_cost_within_the_margin_open() -> None:
    """Idle memory and import time are one sample each: 52.8 against 56.6 MiB could swap on
    the next run, so such a metric counts either way, and a verdict it decides is borderline."""
    row = {"packages_installed": 5, "install_mb": 5.0, "import_ms": 500, "idle_rss_mb": 50}
    costs = [
        {"framework": "fastapi", **row},
        {"framework": "django", **row},
        {"framework": "flask", **row, "packages_installed": 3, "install_mb": 2.0},
    ]
    claim = CLAIMS["flask-lightest"]
    close = [*costs[:2], {**costs[2], "import_ms": 300, "idle_rss_mb": 52}]  # 4 % more memory
    found = finding(claim, _doc({}, costs=close))
    assert found.label == BORDERLINE and "1 within 10% of the next" in found.text
    clear = [*costs[:2], {**costs[2], "import_ms": 300, "idle_rss_mb": 40}]
    assert finding(claim, _doc({}, costs=clear)).label == CONFIRMED
    exact = [*costs[:2], {**costs[2], "import_ms": 300, "idle_rss_mb": 40, "install_mb": 5.1}]
    assert finding(claim, _doc({}, costs=exact)).label == PARTLY  # sizes are exact: no margin


def test_a_claim_whose_test_failed_shows_evidence_failing() -> None:
    doc = _doc(_json_cells(16_000, 1_000, 2_000))
    passing = judge(CLAIMS["rps-fastapi"], doc, _evidence({"rps-fastapi": "passed"}))
    failing = judge(CLAIMS["rps-fastapi"], doc, _evidence({"rps-fastapi": "failed"}))
    assert passing.label == CONFIRMED
    assert failing.label == FAILING and "test_rps-fastapi" in failing.text


def test_a_checkable_claim_without_tests_stops_the_build() -> None:
    with pytest.raises(
        ClaimError, match=re.escape("no test marked @pytest.mark.claim('flask-lightest')")
    ):
        judge(CLAIMS["flask-lightest"], None, _evidence({}))


def test_a_missing_or_broken_report_names_the_file_and_the_fix(tmp_path: Path) -> None:
    with pytest.raises(ClaimError, match="make evidence"):
        load_evidence(tmp_path / "absent.json")
    broken = tmp_path / "broken.json"
    broken.write_text('{"schema": 1}')
    with pytest.raises(ClaimError, match=r"broken\.json"):
        load_evidence(broken)


def test_every_shared_claim_is_judged_with_a_title_and_a_rule() -> None:
    assert set(CLAIMS) == SHARED_IDS


def test_the_page_shows_a_failing_claim_as_failing(tmp_path, monkeypatch) -> None:
    report = write_evidence(tmp_path / "evidence.json", failing="fastapi-auto-docs")
    monkeypatch.setenv("GUIDE_CLAIMS_EVIDENCE", str(report))
    page = claims_section(BuildContext().ledger)
    section = page.split("{#fastapi-auto-docs}")[1].split("\n## ")[0]
    assert FAILING in section and "did not pass" in section
    # The reader sees which test disagreed and the figures, never the exception or a path.
    assert "AssertionError" not in section and "boom" not in section
    assert str(tmp_path) not in page and "/tmp/" not in section


@pytest.mark.slow
def test_failing_evidence_fails_the_strict_build(tmp_path: Path) -> None:
    write_evidence(tmp_path / "evidence.json", failing="flask-single-file")
    build = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "site")],
        cwd=ROOT,
        env={**os.environ, "GUIDE_CLAIMS_EVIDENCE": str(tmp_path / "evidence.json")},
        capture_output=True,
        text=True,
        check=False,
    )
    assert build.returncode != 0
    assert "claim flask-single-file: evidence failing" in build.stderr


EVIDENCE_TESTS = """
import pytest

@pytest.mark.claim("rps-flask")
def test_holds():
    pass

@pytest.mark.claim("rps-flask", "db-bound")
def test_breaks():
    assert 1 == 2, "the evidence broke"

def test_unrelated():
    pass
"""


def _inner_pytest(tmp_path: Path, source: str) -> subprocess.CompletedProcess:
    (tmp_path / "test_inner.py").write_text(source)
    return subprocess.run(
        [sys.executable, "-m", "pytest", str(tmp_path / "test_inner.py"), "-q",
         "-p", "tests.support.claim_evidence", "-p", "no:cacheprovider", "-c", os.devnull,
         "--rootdir", str(tmp_path), "--claims-report", str(tmp_path / "report.json")],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip


def test_the_report_records_each_claim_test_and_its_outcome(tmp_path: Path) -> None:
    run = _inner_pytest(tmp_path, EVIDENCE_TESTS)
    assert run.returncode == 1, run.stdout
    report = load_evidence(tmp_path / "report.json")
    assert report.suite_size == 3
    outcomes = {t.nodeid.split("::")[1]: (t.outcome, t.claims) for t in report.tests}
    assert outcomes == {
        "test_holds": ("passed", ("rps-flask",)),
        "test_breaks": ("failed", ("db-bound", "rps-flask")),
    }
    [broken] = [t for t in report.tests if t.outcome == "failed"]
    assert "the evidence broke" in broken.message


def test_an_unknown_claim_id_is_refused_at_collection(tmp_path: Path) -> None:
    run = _inner_pytest(
        tmp_path, '@__import__("pytest").mark.claim("fastest")\ndef test_x(): pass\n'
    )
    assert run.returncode != 0
    assert "unknown claim id(s) ['fastest']" in run.stdout + run.stderr


def test_every_claim_has_its_anchor_and_a_verdict_on_the_built_page(site_dir: Path) -> None:
    page = (site_dir / "claims" / "index.html").read_text(encoding="utf-8")
    for claim_id in SHARED_IDS:
        section = page.split(f'id="{claim_id}"', 1)[1].split("<h2", 1)[0]
        assert re.search(r'class="verdict verdict-[a-z-]+">', section), claim_id
    assert 'class="verdict verdict-evidence-failing"' not in page


def test_the_landing_page_counts_add_up_and_name_each_state_once(tmp_path, monkeypatch) -> None:
    report = write_evidence(tmp_path / "evidence.json", failing="fastapi-auto-docs")
    monkeypatch.setenv("GUIDE_CLAIMS_EVIDENCE", str(report))
    counts = site_counts(BuildContext().ledger)
    sentence = claim_counts_sentence(counts)
    stated = re.findall(r"(\d+) (" + "|".join(map(re.escape, LABELS)) + r")\b", sentence)
    assert sum(int(n) for n, _ in stated) == counts["claims"] == len(CLAIMS), sentence
    named = [label for _, label in stated]
    assert len(named) == len(set(named)), f"a state is named twice: {sentence}"
    assert FAILING in named and f"{counts['claims']} of the article's claims" in sentence
    assert "1 of them judged from published data" in sentence


def test_popularity_is_judged_from_the_cited_survey_and_labelled_so() -> None:
    claim = CLAIMS["popularity"]
    found = finding(claim, None)
    source = get_source(claim["source"])
    assert found.label == REFUTED  # the survey ranks FastAPI first, not Django
    for fact in (source.url, "18 August 2025", "more than 30,000 responses", "38%", "FastAPI"):
        assert fact in found.text
    assert found.text.startswith("Judged from published data")
    assert finding({**claim, "framework": "fastapi"}, None).label == CONFIRMED
    verdict = judge(claim, None, _evidence({}))  # needs no test: no test here can measure it
    assert PUBLISHED_BASIS in verdict_badge(verdict)
    assert PUBLISHED_BASIS not in verdict_badge(
        judge(CLAIMS["rps-fastapi"], None, _evidence({"rps-fastapi": "passed"}))
    )


def test_one_build_context_loads_each_data_file_once(tmp_path, monkeypatch) -> None:
    """The claims file, the decision rules, the result file and the evidence report are each
    read once per build, however many macros and rules ask: the ratio rules read their
    reference claims, and the decision rule the guide's questions, from the build's context."""
    report = write_evidence(tmp_path / "evidence.json", failing="fastapi-auto-docs")
    monkeypatch.setenv("GUIDE_CLAIMS_EVIDENCE", str(report))
    loads: Counter[str] = Counter()

    def counted(what: str, loader: Callable[..., Any]) -> Callable[..., Any]:
        def load(*args: Any, **kwargs: Any) -> Any:
            loads[what] += 1
            return loader(*args, **kwargs)

        return load

    from docs.plugins import context as build_context
    from verified_guide.bench import results
    from verified_guide.claims import rules

    for module, name, what in [
        (build_context, "load_claims", "claims"),
        (rules, "load_claims", "claims"),
        (build_context, "load_rules", "decision rules"),
        (rules, "load_rules", "decision rules"),
        (results, "load", "result file"),
        (build_context, "load_evidence", "evidence"),
    ]:
        monkeypatch.setattr(module, name, counted(what, getattr(module, name)))
    context = BuildContext()
    for _ in range(2):  # as many pages ask
        claims_section(context.ledger)
        site_counts(context.ledger)
        assert context.decision_rules and context.claims and context.evidence
    once = {"claims": 1, "decision rules": 1, "evidence": 1}
    if results.latest() is not None:  # before the first `make bench` there is none to read
        once["result file"] = 1
    assert loads == once
