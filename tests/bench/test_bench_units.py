"""Fast tests of the harness's pure parts: wrk output, summaries, schema, ratios, rendering."""

import json
import time
from pathlib import Path

import pytest

from docs.plugins import bench_page, bench_tables, claims_page, context
from docs.plugins.claims_page import headline_table
from tests.support.reports import write_evidence
from verified_guide.bench import config, external, results, servers, stats, wrk
from verified_guide.claims.evidence import load_evidence
from verified_guide.claims.ledger import Verdict, judge_all
from verified_guide.claims.rules import (
    BORDERLINE,
    CONFIRMED,
    PARTLY,
    classify,
    finding,
    load_claims,
)

WRK_LINE = (
    'BENCH_JSON {"requests": 30000, "duration_us": 3000000, "bytes": 1, "connect": 0, '
    '"read": 2, "write": 0, "timeout": 1, "error_status": 5, "p50_us": 1500, "p90_us": 3000, '
    '"p99_us": 9000, "mean_us": 1800.5, "max_us": 12000}'
)


def run(rps: float, error_status: int = 0, errors: int = 0) -> wrk.WrkRun:
    return wrk.WrkRun(
        rps=rps,
        p50_ms=1.0,
        p90_ms=2.0,
        p99_ms=rps / 1000,
        socket_errors=errors,
        error_status=error_status,
        requests=int(rps),
        cpu_s=0.5,
        wall_s=1.0,
    )


def cell(
    config_id: str,
    endpoint: str,
    rps: float | None,
    spread: tuple[float, ...] = (1.0, 0.98, 1.02, 1.01, 0.99),
    **extra,
) -> dict:
    spec = config.CONFIGURATIONS[config_id]
    base = {
        "config": config_id,
        "framework": spec.framework,
        "label": spec.label,
        "variant": spec.variant,
        "standalone": spec.standalone,
        "server": spec.server.name,
        "interface": spec.server.interface,
        "endpoint": endpoint,
        "workers": 1,
        "concurrency": 64,
        "database": "sqlite",
        **extra,
    }
    if rps is None:
        return {**base, "runs": 0, "status": "failed", "reason": "check: status 500, expected 200"}
    runs = [run(rps * f) for f in spread]
    summary = results.summarise(runs, list(range(len(runs))), 0.3, 1.0, 0.0, 50.0)
    return {**base, **summary, "attempts": [], "noisy": summary["spread"] > 0.1, "status": "ok"}


def document(cells: list[dict]) -> dict:
    return {
        "schema_version": results.SCHEMA_VERSION,
        "suite": {
            "duration_s": 2.0,
            "warmup_s": 1.0,
            "runs": 5,
            "concurrency": 64,
            "max_spread": 0.1,
            "reruns": 1,
            "interleaved": True,
            "elapsed_s": 60.0,
            "groups": [
                {
                    "database": "sqlite",
                    "workers": 1,
                    "server_cpus": "0",
                    "wrk_cpus": "1",
                    "cells": len(cells),
                    "elapsed_s": 60.0,
                }
            ],
        },
        "environment": {
            "date": "2026-01-01T00:00:00+00:00",
            "git_commit": None,
            "cpu_model": "test cpu",
            "cores": 2,
            "ram_gib": 1.0,
            "os": "Linux",
            "kernel": "6",
            "python": "3.13",
            "packages": {"flask": "3"},
            "wrk": "wrk 4",
            "pinning": {"server_cpus": "0", "wrk_cpus": "1"},
            "database": "sqlite",
            "postgresql": None,
        },
        "results": cells,
        "costs": None,
    }


def test_wrk_output_is_parsed_from_the_lua_json_line() -> None:
    parsed = wrk.parse_output("Running 3s test\n" + WRK_LINE + "\n", cpu_s=1.0, wall_s=3.0)
    assert parsed.rps == pytest.approx(10_000)
    assert (parsed.p50_ms, parsed.p90_ms, parsed.p99_ms) == (1.5, 3.0, 9.0)
    assert (parsed.socket_errors, parsed.error_status) == (3, 5)


def test_wrk_output_without_result_line_is_an_error() -> None:
    with pytest.raises(ValueError, match="no result line"):
        wrk.parse_output("unable to connect", cpu_s=0, wall_s=0)


def test_lua_script_sends_the_cases_post_body_and_random_ids() -> None:
    fastapi = config.CONFIGURATIONS["fastapi-uvicorn"]
    post = wrk.lua_script(fastapi.request("post"))
    assert 'wrk.method = "POST"' in post and '\\"price\\": 9.5' in post
    db = wrk.lua_script(fastapi.request("db"))
    assert "local random_id = true" in db and "math.random(1, 10000)" in db
    mounted = config.CONFIGURATIONS["fastapi-uvicorn-mounted"].request("json")
    assert mounted.path == "/bench/json"
    assert config.CONFIGURATIONS["django-uvicorn"].request("db").path == "/async/db/{id}"


def test_every_endpoint_is_checked_by_a_case_of_the_bench_topic() -> None:
    for configuration in config.CONFIGURATIONS.values():
        for endpoint in configuration.endpoints:
            request = configuration.request(endpoint)
            assert request.case.name in config.bench_cases()
            assert request.case.expected(request.framework)["status"] in {200, 201}


def test_summary_is_median_interval_and_spread_of_runs() -> None:
    summary = results.summarise([run(100), run(300), run(200)], [0, 1, 2], 0.95, 0.5, 0.25, 42.0)
    assert (summary["rps"], summary["rps_min"], summary["rps_max"]) == (200, 100, 300)
    assert summary["spread"] == 1.0 and summary["rounds"] == [0, 1, 2]
    low, high = summary["rps_ci95"]
    # The t-interval of the mean: 200 ± t(0.975, 2 df) * 100 / sqrt(3) = 200 ± 4.303 * 57.74
    assert (low, high) == (pytest.approx(200 - 248.4, abs=0.1), pytest.approx(448.4, abs=0.1))
    assert summary["latency_ms"]["p99"] == 0.2
    assert summary["wrk_limited"] is True  # wrk busy, server not: the generator was the limit
    assert summary["server_wait"] == 0.25


@pytest.mark.parametrize(
    ("runs", "reason"),
    [
        ([run(100), run(100, error_status=4)], "4 answers with status 400 or above"),
        ([run(100, errors=2), run(100)], "2 socket errors"),
        ([run(100), run(0)], "no request completed within a run"),
        ([run(100), run(100)], None),
    ],
)
def test_any_error_fails_the_cell(runs: list[wrk.WrkRun], reason: str | None) -> None:
    assert results.failure_reason(runs) == reason


def test_schema_accepts_a_good_document_and_rejects_a_failed_cell_with_a_figure() -> None:
    good = document([cell("flask-gunicorn", "json", 1000), cell("fastapi-uvicorn", "json", None)])
    assert results.validate(good) == []
    bad = document([{**cell("fastapi-uvicorn", "json", None), "rps": 5.0}])
    assert any("carries no figure" in p for p in results.validate(bad))


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        ({"rps": 1100.0}, "median 1100.0"),
        ({"rps_max": 1500.0}, "range"),
        ({"spread": 0.01}, "spread 0.01"),
        ({"rps_all": [1000.0, 1000.0, 1000.0, 1000.0, 1300.0]}, "range"),
        ({"rps_mean": 1200.0}, "mean 1200.0"),
        ({"rps_ci95": [900.0, 1100.0]}, "95% interval"),
    ],
)
def test_schema_rejects_a_summary_that_is_not_its_runs(edit: dict, message: str) -> None:
    edited = document([{**cell("flask-gunicorn", "json", 1000), **edit}])
    problems = results.validate(edited)
    assert any("figures that are not its runs'" in p and message in p for p in problems), problems


def test_schema_rejects_a_noisy_flag_that_disagrees_with_the_limit() -> None:
    wide = cell("flask-gunicorn", "json", 1000, spread=(1.0, 0.9, 1.1, 1.0, 1.0))
    assert wide["noisy"] and results.validate(document([wide])) == []
    problems = results.validate(document([{**wide, "noisy": False}]))
    assert any("noisy is False" in p and "over the limit 0.1" in p for p in problems), problems
    tight = cell("flask-gunicorn", "json", 1000)
    problems = results.validate(document([{**tight, "noisy": True}]))
    assert any("noisy is True" in p and "within the limit" in p for p in problems), problems


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        ({"rounds": [0, 1, 2]}, "3 rounds listed for 5 runs"),
        ({"rounds": None}, "lists no round for its runs"),
        ({"wrk_cpu": 0.95, "server_cpu": 0.5}, "wrk_limited is False, but wrk used 95%"),
        ({"wrk_limited": True}, "wrk_limited is True"),
    ],
)
def test_schema_rejects_rounds_and_flags_that_disagree_with_the_cell(
    edit: dict, message: str
) -> None:
    """Ratios pair runs by their rounds, and the ⚑ flag is read from the file: neither may
    say something the cell's own figures do not."""
    problems = results.validate(document([{**cell("flask-gunicorn", "json", 1000), **edit}]))
    assert any(message in p for p in problems), problems


def test_schema_rejects_a_failed_cell_that_keeps_its_runs() -> None:
    failed = cell("fastapi-uvicorn", "json", None)
    runs = cell("fastapi-uvicorn", "json", 1000)["rps_all"]
    problems = results.validate(document([{**failed, "rps_all": runs}]))
    assert any("carries no figure, but has ['rps_all']" in p for p in problems), problems


def test_schema_names_a_misspelt_key_with_its_path() -> None:
    typo = document([{**cell("flask-gunicorn", "json", 1000), "rsp": 1.0}])
    assert any(p.startswith("results.0.rsp") for p in results.validate(typo))


def test_version_1_files_load_converted_as_mounted_sequential_runs(tmp_path: Path) -> None:
    old = {
        "schema": 1,
        "suite": {"duration_s": 5.0, "warmup_s": 2.0, "runs": 3, "concurrency": 64,
                  "sweep": [64], "sweep_endpoints": [], "workers": 1, "elapsed_s": 9.0},
        "environment": document([])["environment"] | {"postgresql": None},
        "results": [
            {k: v for k, v in cell("flask-gunicorn", "json", 1000, (1, 1.02, 0.98)).items()
             if k not in {"standalone", "database", "rps_mean", "rps_ci95", "rounds", "spread",
                          "attempts", "noisy"}}
        ],
        "costs": None,
    }  # fmt: skip
    del old["environment"]["postgresql"]
    assert results.validate(old) == []
    [converted] = results.upgrade(old)["results"]
    assert converted["standalone"] is False and converted["database"] == "sqlite"
    assert converted["spread"] == pytest.approx(0.04, abs=0.001)
    assert converted["noisy"] is False
    noisy = cell("flask-gunicorn", "json", 1000, (1, 1.2, 0.9))
    old["results"] = [{k: v for k, v in noisy.items() if k in old["results"][0]}]
    loaded = results.ResultFile.model_validate(results.upgrade(old)).model_dump(mode="json")
    assert loaded["results"][0]["noisy"] is True and results.validate(old) == []
    note = bench_tables.source_note(tmp_path / "old.json", loaded)
    assert "3 runs of 5 s per cell one cell after another after a 2 s warm-up." in note
    summary = bench_tables.noise_summary(loaded)
    assert "Above the limit, marked ⚠ in the tables: Flask on Gunicorn json" in summary


def test_write_is_atomic_and_refuses_invalid_documents(tmp_path: Path) -> None:
    good = document([cell("flask-gunicorn", "json", 1000)])
    path = results.write_atomic(good, tmp_path, "a.json")
    assert results.load(path)["results"][0]["rps"] == 1000
    with pytest.raises(ValueError, match="schema"):
        results.write_atomic(document([]), tmp_path, "b.json")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json"]


def test_headline_compares_ratios_and_shows_a_failed_cell_as_failed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GUIDE_CLAIMS_EVIDENCE", str(write_evidence(tmp_path / "evidence.json")))
    doc = document(
        [
            cell("fastapi-uvicorn", "json", 8000),
            cell("flask-gunicorn", "json", 2000),
            cell("django-gunicorn", "json", 2400),
            cell("django-uvicorn", "json", None),
        ]
    )
    rows = {
        line.split(" | ")[0].strip("| "): line.split(" | ")
        for line in headline_table(
            judge_all(load_claims(), doc, None, load_evidence())
        ).splitlines()[2:]
    }
    # The article: 20,000 / 2,500 = 8.00; measured 8,000 / 2,000 = 4.00, the same side of 1.
    fastapi = rows["FastAPI on Uvicorn"]
    assert fastapi[1:3] == ["20,000", "[8,000](benchmarks/index.md#cell-fastapi-uvicorn-json)"]
    assert fastapi[4:6] == ["8.00", "4.00 (4.00-4.00)"] and "partly true" in fastapi[6]
    # Sync Django: 3,000 / 2,500 = 1.20 claimed, 2,400 / 2,000 = 1.20 measured.
    assert "confirmed" in rows["Django (sync view) on Gunicorn"][6]
    async_row = rows["Django (async view) on Uvicorn"]
    assert async_row[2] == "failed" and async_row[5] == "n/a"
    assert "not checkable here" in async_row[6]


def test_headline_flags_a_noisy_reference_on_the_ratio_not_on_the_other_figure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GUIDE_CLAIMS_EVIDENCE", str(write_evidence(tmp_path / "evidence.json")))
    noisy = (1.0, 0.8, 1.2, 1.0, 1.0)
    doc = document(
        [
            cell("fastapi-uvicorn", "json", 8000),
            cell("flask-gunicorn", "json", 2000, spread=noisy),  # every claim's reference
            cell("django-gunicorn", "json", 2400),
            cell("django-uvicorn", "json", 600),
        ]
    )
    table = headline_table(judge_all(load_claims(), doc, None, load_evidence()))
    rows = {line.split(" | ")[0].strip("| "): line.split(" | ") for line in table.splitlines()}
    fastapi = rows["FastAPI on Uvicorn"]
    assert fastapi[2] == "[8,000](benchmarks/index.md#cell-fastapi-uvicorn-json)"
    assert fastapi[5].endswith(results.NOISY_FLAG)
    assert "beside a ratio, one of its two cells did" in table


def test_failed_cells_render_as_reasons_never_numbers() -> None:
    table = bench_tables.endpoint_table(document([cell("flask-gunicorn", "db", None)]), "db")
    assert "failed: <code>check: status 500" in table


def test_ceiling_share_divides_by_the_raw_app_on_the_same_server() -> None:
    doc = document(
        [
            cell("fastapi-uvicorn", "json", 5000),
            cell("raw-asgi-uvicorn", "json", 20000),
            cell("raw-asgi-granian", "json", 40000),
        ]
    )
    assert "| 25% |" in bench_tables.ceiling_table(doc)


def test_a_noisy_figure_keeps_its_flag_in_prose_charts_and_shares(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """⚠ goes wherever a noisy cell's figure goes: a sentence, a chart's label and summary, and
    a share of the ceiling that divides by it."""
    wide = (1.0, 0.8, 1.2, 1.0, 1.0)
    doc = document(
        [
            cell("fastapi-uvicorn", "json", 5000),
            cell("flask-gunicorn", "json", 2000),
            cell("raw-asgi-uvicorn", "json", 20000, wide),
        ]
    )
    path = tmp_path / "2026-01-01T00-00-00Z.json"
    path.write_text(json.dumps(doc))
    monkeypatch.setattr(results, "latest", lambda directory=None: path)
    monkeypatch.setattr(context, "_current", [context.BuildContext()])
    assert bench_page.bench_figure("raw-asgi-uvicorn", "json", 64, "rps") == "20,000 ⚠"
    assert bench_page.bench_figure("flask-gunicorn", "json", 64, "rps") == "2,000"
    assert "| 25% ⚠ |" in bench_tables.ceiling_table(doc)
    doc["results"][2] |= {"wrk_limited": True, "noisy": False}  # wrk held the ceiling down
    assert "| 25% ⚑ |" in bench_tables.ceiling_table(doc)
    doc["results"][2] |= {"wrk_limited": False, "noisy": True}
    chart = bench_tables.ceiling_chart.__wrapped__(doc)
    assert "uvicorn, json ⚠" in chart
    noisy_fastapi = document([cell("fastapi-uvicorn", "json", 5000, wide), doc["results"][1]])
    summary = bench_tables.endpoint_chart.__wrapped__(noisy_fastapi, "json")
    assert "Highest: FastAPI on uvicorn, 5,000 ⚠ requests/s" in summary


def test_charts_are_deterministic_svg() -> None:
    doc = document([cell("fastapi-uvicorn", "json", 5000), cell("flask-gunicorn", "json", 2000)])
    draw = bench_tables.endpoint_chart.__wrapped__  # drawn twice, not reused (drawn_once)
    first, second = draw(doc, "json"), draw(doc, "json")
    assert first == second
    # Inline in HTML: no XML declaration or DOCTYPE before the element, no timestamp in it.
    assert first.startswith('<div class="bench-chart"><svg role="img" ')
    assert "<?xml" not in first and "<!DOCTYPE" not in first and "<dc:date>" not in first


def test_a_chart_is_reused_for_the_same_document_and_redrawn_for_an_edited_one() -> None:
    doc = document([cell("fastapi-uvicorn", "json", 5000), cell("flask-gunicorn", "json", 2000)])
    edited = document([cell("fastapi-uvicorn", "json", 5000), cell("flask-gunicorn", "json", 900)])
    first = bench_tables.endpoint_chart(doc, "json")
    assert bench_tables.endpoint_chart(doc, "json") is first
    redrawn = bench_tables.endpoint_chart(edited, "json")
    assert redrawn != first and redrawn == bench_tables.endpoint_chart.__wrapped__(edited, "json")


def test_pages_say_so_when_there_is_no_result_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(results, "latest", lambda directory=None: None)
    monkeypatch.setattr(context, "_current", [context.BuildContext()])
    assert bench_page.bench_noise() == bench_page.NO_DATA


def test_paired_ratio_interval_cancels_a_load_spike_shared_by_a_round() -> None:
    a, b = [1000, 500, 1000, 1000, 1000], [500, 250, 500, 500, 500]  # round 2 at half speed
    paired = stats.log_ratio(a, b, range(5), range(5)).interval()
    assert paired.value == pytest.approx(2.0) and paired.high - paired.low < 1e-9
    unpaired = stats.log_ratio(a, b).interval()
    assert unpaired.low < 1.6 and unpaired.high > 2.4


@pytest.mark.parametrize(
    ("low", "high", "label"),
    [(2.1, 2.3, CONFIRMED), (1.2, 1.4, PARTLY), (1.4, 1.7, BORDERLINE)],
)
def test_an_interval_across_a_limit_is_borderline(low: float, high: float, label: str) -> None:
    def point(x: float) -> str:
        return CONFIRMED if x >= 1.5 else PARTLY

    verdict, note = classify(stats.Interval((low + high) / 2, low, high), (1.5,), point)
    assert verdict == label and (("borderline" in note) == (label == BORDERLINE))


def test_noise_summary_counts_cells_within_the_limit_and_names_the_rest() -> None:
    doc = document(
        [
            cell("fastapi-uvicorn", "json", 5000),
            cell("flask-gunicorn", "json", 2000, (1.0, 0.7, 1.3, 1.0, 1.0)),
        ]
    )
    text = bench_tables.noise_summary(doc)
    assert text.startswith("1 of 2 measured cells (50%)") and "Flask on Gunicorn json" in text


def test_noise_summary_shows_the_machines_floor_from_the_raw_apps() -> None:
    doc = document(
        [
            cell("raw-asgi-uvicorn", "json", 9000, (1.0, 0.9, 1.1, 1.0, 1.0)),
            cell("raw-wsgi-gunicorn", "json", 3000),
            cell("flask-gunicorn", "json", 2000),
        ]
    )
    text = bench_tables.noise_summary(doc)
    assert "the 2 raw-app cells (no framework code) spread from 4% to 20%, median 12%" in text
    assert "floor" not in bench_tables.noise_summary(
        document([cell("flask-gunicorn", "json", 2000)])
    )


def test_db_bound_is_judged_on_each_database_it_names() -> None:
    claim = next(c for c in load_claims() if c["id"] == "db-bound")
    cells = [
        cell(cfg, ep, rps, database=db)
        for db, factor in (("sqlite", 1.0), ("postgresql", 0.5))
        for cfg, ep, rps in (
            ("fastapi-uvicorn", "json", 8000),
            ("flask-gunicorn", "json", 2000),
            ("django-gunicorn", "json", 1600),
            ("fastapi-uvicorn", "db", 1000 * factor),
            ("flask-gunicorn", "db", 800),
            ("django-gunicorn", "db", 700),
        )
    ]
    doc = document(cells)
    found = finding(claim, doc)
    assert found.label == CONFIRMED  # PostgreSQL, the first listed: the gap shrinks below 1
    assert "On PostgreSQL" in found.text and "On SQLite" in found.text
    assert len(found.comparisons) == 4
    # A ratio of cells measured in different rounds says so wherever it is written.
    apart = [
        {**c, "rounds": [5, 6, 7, 8, 9]} if c["config"] == "flask-gunicorn" else c for c in cells
    ]
    assert "`json` 4.00 (" in finding(claim, document(apart)).text
    assert ", unpaired)" in finding(claim, document(apart)).text.split("the `db` ratio")[0]
    # The claims page lists and links the cells the verdict read, on each database.
    assert ("fastapi-uvicorn", "db", "postgresql") in found.cells
    verdict = Verdict(claim, found.label, found.text, (), found)
    listed = claims_page._evidence_list(verdict, doc)
    assert (
        "[`db` on PostgreSQL](benchmarks/index.md#cell-fastapi-uvicorn-db-postgresql) 500" in listed
    )
    assert "[`db`](benchmarks/index.md#cell-fastapi-uvicorn-db) 1,000" in listed


def test_external_figures_name_measured_configurations() -> None:
    figures = external.load()
    assert figures and all(f.ratio > 0 for f in figures)
    doc = document([cell("raw-asgi-granian", "json", 4000), cell("raw-asgi-uvicorn", "json", 2000)])
    shown = bench_tables.external_table(doc)
    assert "| 2.00 (2.00-2.00) (`json`) |" in shown and "| yes |" in shown
    # Two setups whose runs overlap: the order here is not known, so neither yes nor no.
    wobbly = (1.0, 1.1, 0.9, 1.05, 0.95)
    close = [
        cell("raw-asgi-granian", "json", 2000, spread=wobbly),
        cell("raw-asgi-uvicorn", "json", 2000),
    ]
    assert "| borderline (the interval reaches 1) |" in bench_tables.external_table(document(close))


def test_every_rps_claim_names_a_measured_configuration() -> None:
    claims = [c for c in load_claims() if c["rule"] == "rps_ratio"]
    assert {c["id"] for c in claims} == {
        "rps-fastapi",
        "rps-django-sync",
        "rps-django-async",
        "rps-flask",
    }
    for claim in claims:
        assert claim["endpoint"] in config.CONFIGURATIONS[claim["config"]].endpoints


def test_server_and_wrk_get_different_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(servers.os, "sched_getaffinity", lambda pid: {0, 1, 2, 3})
    assert servers.cpu_split(1) == ("0", "1,2,3")
    assert servers.cpu_split(2) == ("0,1", "2,3")
    assert servers.cpu_split(4) == (None, None)  # as many workers as cores: nothing pinned
    monkeypatch.setattr(servers.os, "sched_getaffinity", lambda pid: {0})
    assert servers.cpu_split(1) == (None, None)


def test_committed_result_files_match_the_schema() -> None:  # old versions convert
    paths = sorted(results.RESULTS_DIR.glob("*.json"))
    assert paths, f"no result file in {results.RESULTS_DIR}"
    for path in paths:
        assert results.validate(json.loads(path.read_text())) == [], path


def test_charts_follow_the_theme_have_a_name_and_leave_ceilings_out() -> None:
    doc = document(
        [
            cell("fastapi-uvicorn", "json", 5000),
            cell("flask-gunicorn", "json", 2000),
            cell("raw-asgi-uvicorn", "json", 70000),
        ]
    )
    svg = bench_tables.endpoint_chart(doc, "json")
    assert 'role="img"' in svg and '<title id="chart-json-title">' in svg
    assert "Highest: FastAPI on uvicorn, 5,000" in svg  # the description states the figures
    assert "raw ASGI" not in svg  # the ceiling has its own chart
    assert "currentColor" in svg and "var(--bench-c1" in svg
    assert "#ffffff" not in svg and "#000000;" not in svg and "<metadata>" not in svg
    shares = bench_tables.ceiling_chart(doc)
    assert 'id="chart-ceilings"' in shares and "7%" in shares


def test_the_sweep_chart_has_a_panel_per_framework_and_one_for_ceilings() -> None:
    levels = (16, 64, 256)
    doc = document(
        [
            cell(config_id, "json", rps * level / 64, concurrency=level)
            for config_id, rps in (
                ("fastapi-uvicorn", 5000),
                ("flask-gunicorn", 2000),
                ("raw-asgi-uvicorn", 70000),
            )
            for level in levels
        ]
    )
    doc["suite"]["sweep"] = list(levels)
    svg = bench_tables.sweep_chart(doc, "json")
    for panel in ("FastAPI", "Flask", "Framework-less apps (ceilings)"):
        assert f">{panel}<" in svg
    assert ">uvicorn<" in svg and ">gunicorn<" in svg  # direct labels, no legend


def test_the_sweep_chart_names_each_flagged_point_in_its_lines_label() -> None:
    """A noisy or wrk-paced point on a line is marked as in the tables, with its level."""
    noisy = (1.0, 0.7, 1.3, 1.0, 1.0)
    doc = document(
        [
            cell("flask-gunicorn", "json", 2000, concurrency=16),
            cell("flask-gunicorn", "json", 2100, noisy, concurrency=64),
            cell("flask-gunicorn", "json", 2050, noisy, concurrency=256),
            cell("fastapi-uvicorn", "json", 5000, concurrency=16),
            {**cell("fastapi-uvicorn", "json", 5100, concurrency=64), "wrk_limited": True},
        ]
    )
    doc["suite"]["sweep"] = [16, 64, 256]
    svg = bench_tables.sweep_chart(doc, "json")
    assert f">gunicorn ({results.NOISY_FLAG.strip()} at 64, 256)<" in svg
    assert f">uvicorn ({results.WRK_FLAG.strip()} at 64)<" in svg


def test_plurals_agree_with_their_count() -> None:
    assert bench_tables.plural(1, "worker") == "1 worker"
    assert bench_tables.plural(4, "worker") == "4 workers"


def _noisy_set(monkeypatch: pytest.MonkeyPatch) -> list:
    """Two cells whose every attempt spreads 40 %: each re-run finds them noisy again."""
    from scripts.bench import runner

    def rounds(cells, servers, suite, wrk_cpus, first_round, say) -> None:
        for state in cells:
            state.runs = [run(r) for r in (1000, 1400, 1100, 1200, 1000)]
            state.rounds = list(range(first_round, first_round + 5))

    monkeypatch.setattr(runner, "interleaved_rounds", rounds)
    spec = config.CONFIGURATIONS["flask-gunicorn"]
    return [
        runner.CellState(spec, endpoint, 64, 1, "sqlite", spec.request(endpoint))
        for endpoint in ("json", "plaintext")
    ]


def test_re_runs_stop_at_the_suites_limit_while_the_run_keeps_to_its_budget(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from scripts.bench import runner

    cells = _noisy_set(monkeypatch)
    suite = config.Suite((), warmup_s=0.0, reruns=3, rerun_budget_s=3600.0)
    pace = runner.Pace(total_cells=4, budget_s=3600.0)
    runner.measure_set(cells, {}, suite, None, lambda text: None, pace)
    assert [len(c.attempts) for c in cells] == [3, 3]  # three kept; the runs are the 3rd re-run's
    assert pace.measured == 2


def test_a_re_run_measures_the_whole_set_so_every_ratio_stays_paired(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Only one cell of the set is noisy, but both are measured again, in the same new rounds:
    re-measured alone, it would share no round with the cell it is compared with."""
    from scripts.bench import runner

    def rounds(cells, servers, suite, wrk_cpus, first_round, say) -> None:
        for state in cells:
            noisy = state.endpoint == "json" and first_round == 0
            values = (1000, 1400, 1100, 1200, 1000) if noisy else (1000, 1010, 1000, 990, 1000)
            state.runs = [run(r) for r in values]
            state.rounds = list(range(first_round, first_round + 5))

    monkeypatch.setattr(runner, "interleaved_rounds", rounds)
    spec = config.CONFIGURATIONS["flask-gunicorn"]
    cells = [
        runner.CellState(spec, endpoint, 64, 1, "sqlite", spec.request(endpoint))
        for endpoint in ("json", "plaintext")
    ]
    suite = config.Suite((), warmup_s=0.0, reruns=3, rerun_budget_s=3600.0)
    runner.measure_set(cells, {}, suite, None, lambda text: None, runner.Pace(2, 3600.0))
    assert [len(c.attempts) for c in cells] == [1, 1]
    assert cells[0].rounds == cells[1].rounds == [5, 6, 7, 8, 9]


def test_round_numbers_are_never_reused_within_a_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two sets measured minutes apart must not share round numbers: ratios pair runs by
    round, and a shared number would pair runs that were never side by side."""
    from scripts.bench import runner

    cells = _noisy_set(monkeypatch)
    suite = config.Suite((), warmup_s=0.0, reruns=1, rerun_budget_s=3600.0)
    pace = runner.Pace(total_cells=2, budget_s=3600.0)
    runner.measure_set(cells[:1], {}, suite, None, lambda text: None, pace)
    runner.measure_set(cells[1:], {}, suite, None, lambda text: None, pace)
    # Each set: five rounds, then five more for its re-run (both cells spread 40 %).
    assert cells[0].rounds == [5, 6, 7, 8, 9] and cells[1].rounds == [15, 16, 17, 18, 19]


def test_a_suite_numbers_its_rounds_from_the_first_round_it_is_given(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The claim tests re-measure a few cells beside an earlier measurement's: their rounds
    must start past it, or a ratio would pair runs made minutes apart."""
    import contextlib

    from scripts.bench import runner

    firsts: list[int] = []

    def group(blocks, suite, url, progress, say, pace) -> tuple[list, dict]:
        firsts.append(pace.new_rounds(suite.runs))
        return [], {}

    monkeypatch.setattr(runner, "sqlite_database", lambda demo_apps: contextlib.nullcontext(""))
    monkeypatch.setattr(runner, "measure_group", group)
    suite = config.Suite((config.Block(("flask-gunicorn",), ("json",)),), runs=3)
    runner.measure_suite(suite, print, first_round=12)
    runner.measure_suite(suite, print)
    assert firsts == [12, 0]


def test_a_warm_up_with_a_wrong_answer_fails_the_cell(monkeypatch: pytest.MonkeyPatch) -> None:
    from scripts.bench import runner

    monkeypatch.setattr(runner.wrk, "run", lambda *args: run(1000, error_status=7))
    measured: list = []
    monkeypatch.setattr(runner, "interleaved_rounds", lambda cells, *rest: measured.extend(cells))
    spec = config.CONFIGURATIONS["flask-gunicorn"]
    cells = [runner.CellState(spec, "json", 64, 1, "sqlite", spec.request("json"))]
    server = type("Server", (), {"base_url": "http://127.0.0.1:9"})()
    suite = config.Suite((), warmup_s=1.0, reruns=0)
    runner.measure_set(
        cells, {spec.id: server}, suite, None, lambda text: None, runner.Pace(1, None)
    )
    assert cells[0].failure == "warm-up: 7 answers with status 400 or above"


def test_a_run_behind_its_budget_makes_only_the_first_re_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from scripts.bench import runner

    cells = _noisy_set(monkeypatch)
    said: list[str] = []
    suite = config.Suite((), warmup_s=0.0, reruns=3, rerun_budget_s=60.0)
    # Half the suite's cells done, 40 s into a 60 s budget: behind the pace of 30 s.
    pace = runner.Pace(total_cells=4, budget_s=60.0, started=time.monotonic() - 40.0)
    runner.measure_set(cells, {}, suite, None, said.append, pace)
    assert [len(c.attempts) for c in cells] == [1, 1]
    assert "no time left for re-run 2, 2 cells flagged" in said[-1]


def test_pace_allows_what_the_budget_has_left_pro_rata() -> None:
    from scripts.bench import runner

    now = time.monotonic()
    assert runner.Pace(10, None, started=now - 1e6).allows(10)
    assert runner.Pace(10, 100.0, started=now - 40.0, measured=3).allows(2)  # 40 s <= 50 s
    assert not runner.Pace(10, 100.0, started=now - 60.0, measured=3).allows(2)


def test_waiting_for_a_quiet_machine_is_bounded() -> None:
    from scripts.bench import runner

    busy, total = runner._cpu_times()
    assert 0 <= busy <= total
    assert runner.wait_until_quiet(limit_s=0.3, window_s=0.1, busy=-1.0) < 1.0  # never quiet


def test_noise_summary_says_how_often_a_cell_was_measured_again() -> None:
    """A re-run measures the whole set again: the cells measured again are counted apart from
    the ones whose first attempt went over the limit."""
    wide = [1000.0, 1300.0, 1000.0, 1000.0, 1000.0]
    again = {**cell("flask-gunicorn", "json", 2000), "attempts": [wide, [2.0] * 5]}
    beside = {**cell("fastapi-uvicorn", "json", 5000), "attempts": [[5.0] * 5]}
    doc = document([beside, again, cell("django-gunicorn", "json", 2400)])
    doc["suite"].update(reruns=3, rerun_budget_s=2400.0)
    text = bench_tables.noise_summary(doc)
    assert "1 cell(s) went over it at first, and 2 (those cells and the cells" in text
    # Both re-run cells' first attempts (medians 1,000 and 5) lie far from their medians now.
    assert "For 2 cells measured again, the published median is more than 10% from" in text
    assert "FastAPI on Uvicorn json (c=64, 1 worker, SQLite), Flask on Gunicorn json" in text
    assert "(up to 3 times, any after the first only while the run kept to its 40-minute" in text
    assert "at most 2 times here, every earlier attempt kept in the result file)" in text
    doc["suite"]["reruns"] = 1
    assert "up to" not in bench_tables.noise_summary(doc)


def test_pages_show_the_newest_run_measured_on_a_quiet_machine(tmp_path: Path) -> None:
    """A newer run whose raw apps (no framework code) spread past the limit is committed and
    named, but does not replace a quiet one; with no quiet run the newest is shown."""
    quiet = document([cell("raw-asgi-uvicorn", "json", 9000), cell("flask-gunicorn", "json", 2000)])
    wide = (1.0, 0.7, 1.3, 1.0, 1.0)
    noisy = document(
        [cell("raw-asgi-uvicorn", "json", 9000, wide), cell("flask-gunicorn", "json", 1)]
    )
    older, newer = tmp_path / "2026-01-01T00-00-00Z.json", tmp_path / "2026-01-02T00-00-00Z.json"
    newer.write_text(json.dumps(noisy))
    assert results.latest(tmp_path) == newer  # nothing quieter to show
    older.write_text(json.dumps(quiet))
    assert results.machine_floor(quiet) == pytest.approx(0.04)
    assert results.latest(tmp_path) == older
    assert results.passed_over(older) == [(newer, pytest.approx(0.6))]
    note = bench_tables.source_note(older, quiet)
    assert f"A newer run, `{newer}`, is committed but not shown" in note
    assert "spread a median 60%" in note
    assert results.passed_over(newer) == []
    assert "No committed run was measured on a quiet machine" not in note


def test_a_run_that_cannot_show_a_quiet_machine_is_never_preferred(tmp_path: Path) -> None:
    """A newer file with no raw app measured (a partial run, or its raw apps failed) or a JSON
    file not named by the runner's timestamp does not replace a quiet run; shown for want of
    a quiet one, a run's note says it was not quiet."""
    quiet = document([cell("raw-asgi-uvicorn", "json", 9000), cell("flask-gunicorn", "json", 2000)])
    older = tmp_path / "2026-01-01T00-00-00Z.json"
    older.write_text(json.dumps(quiet))
    no_raw = document([cell("flask-gunicorn", "json", 2000, (1.0, 0.5, 1.5, 1.0, 1.0))])
    (tmp_path / "2026-01-02T00-00-00Z.json").write_text(json.dumps(no_raw))
    failed_raw = document([cell("raw-asgi-uvicorn", "json", None)])
    (tmp_path / "2026-01-03T00-00-00Z.json").write_text(json.dumps(failed_raw))
    (tmp_path / "manual.json").write_text(json.dumps(quiet))
    assert results.latest(tmp_path) == older
    note = bench_tables.source_note(older, quiet)
    assert note.count("no raw app was measured in it, so it cannot show") == 2
    assert "manual.json" not in note
    older.unlink()
    shown = results.latest(tmp_path)
    assert shown == tmp_path / "2026-01-03T00-00-00Z.json"
    note = bench_tables.source_note(shown, failed_raw)
    assert "No committed run was measured on a quiet machine, so this, the newest," in note
    assert "it measured no raw app, so how noisy the machine was is unknown." in note
    wide = (1.0, 0.7, 1.3, 1.0, 1.0)
    noisy = document([cell("raw-asgi-uvicorn", "json", 9000, wide)])
    assert "its raw apps spread a median 60%, over the 10% limit" in bench_tables.source_note(
        shown, noisy
    )


def test_the_schema_refuses_what_would_mislead_the_pages() -> None:
    """No spread limit (nothing could be flagged noisy), a round named twice (its runs would
    pair with one run twice), a string or a word where a number or a boolean belongs, a
    version 1 file with a key version 1 never wrote."""
    doc = document([cell("flask-gunicorn", "json", 2000)])
    assert results.validate(doc) == []
    del doc["suite"]["max_spread"]
    assert any("suite.max_spread" in p for p in results.validate(doc))
    twice = document([{**cell("flask-gunicorn", "json", 2000), "rounds": [0, 0, 1, 2, 3]}])
    assert any("name a round more than once" in p for p in results.validate(twice))
    coerced = document([cell("flask-gunicorn", "json", 2000)])
    coerced["results"][0] |= {"rps": "2000.0", "noisy": "no", "workers": "1"}
    coerced["results"][0]["wrk_limited"] = "false"
    problems = " ".join(results.validate(coerced))
    for key in ("rps", "noisy", "workers", "wrk_limited"):
        assert f"results.0.{key}:" in problems, problems
    old = {"schema": 1, "suite": {"runs": 3, "made_up": 1}, "results": [], "bogus": 1}
    [problem] = results.validate(old)
    assert "never had: bogus, suite.made_up" in problem


def test_a_ratio_of_cells_measured_in_different_rounds_says_unpaired() -> None:
    """Ratios pair runs round by round only where the two cells share rounds; otherwise the
    table says so, and says what it means."""
    alone = cell("fastapi-uvicorn", "json", 12000)
    mounted = {**cell("fastapi-uvicorn-mounted", "json", 10000), "rounds": [5, 6, 7, 8, 9]}
    table = bench_tables.mount_table(document([alone, mounted]))
    assert "1.20 (" in table and ", unpaired)" in table and "*unpaired*: the two cells" in table
    paired = bench_tables.mount_table(document([alone, {**mounted, "rounds": [0, 1, 2, 3, 4]}]))
    assert "unpaired" not in paired
    estimate = stats.log_ratio([2.0, 2.1, 1.9], [1.0] * 3, [0, 1, 2], [0, 1, 2])
    assert estimate.paired and not estimate.minus(stats.log_ratio([2.0] * 3, [1.0] * 3)).paired


@pytest.mark.parametrize(("df", "exact"), [(4, 2.776), (31, 2.040), (45, 2.014), (100, 1.984)])
def test_the_t_quantile_is_never_below_the_exact_one(df: int, exact: float) -> None:
    """Past 30 degrees of freedom the table once jumped to the normal's 1.96 (2.04 is right at
    31): an interval from 32 or more runs came out too narrow."""
    from verified_guide.bench.stats import t_quantile

    assert exact <= t_quantile(df) <= exact + 0.02


def test_a_run_from_a_changed_checkout_says_so_beside_its_commit(tmp_path: Path) -> None:
    """The commit names the code measured only when no tracked file had changed."""
    import subprocess

    from verified_guide.bench.environment import _git_dirty

    assert _git_dirty(tmp_path) is None  # not a checkout
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run([*git, "init", "-q"], cwd=tmp_path, check=True)
    (tmp_path / "app.py").write_text("x = 1\n")
    subprocess.run([*git, "add", "app.py"], cwd=tmp_path, check=True)
    subprocess.run([*git, "commit", "-qm", "one"], cwd=tmp_path, check=True)
    (tmp_path / "new-result.json").write_text("{}")  # untracked, like a fresh result file
    assert _git_dirty(tmp_path) is False
    (tmp_path / "app.py").write_text("x = 2\n")
    assert _git_dirty(tmp_path) is True
    doc = document([cell("flask-gunicorn", "json", 2000)])
    doc["environment"] |= {"git_commit": "0123456789abcdef", "git_dirty": True}
    assert results.validate(doc) == []
    note = bench_tables.source_note(tmp_path / "2026-01-01T00-00-00Z.json", doc)
    assert "commit 0123456789 with uncommitted changes" in note
    assert "| git_dirty | True |" in bench_tables.environment_table(doc)


def test_a_result_file_that_cannot_be_read_is_named_when_choosing_the_shown_run(
    tmp_path: Path,
) -> None:
    broken = tmp_path / "2026-01-02T00-00-00Z.json"
    broken.write_text(json.dumps({"schema": 1, "suite": {}, "results": [], "extra": 1}))
    with pytest.raises(ValueError, match=r"2026-01-02T00-00-00Z\.json: keys a version 1"):
        results.latest(tmp_path)
    broken.write_text("{not json")
    with pytest.raises(ValueError, match=r"2026-01-02T00-00-00Z\.json: "):
        results.latest(tmp_path)


RPS_KEYS = ("rps", "rps_mean", "rps_ci95", "rps_min", "rps_max", "rps_all")


def _committed_cell(key: tuple[str, str, str]) -> dict:
    """The committed run's cell at the claims' level (one worker, the main concurrency)."""
    from tests.bench.test_claim_figures import COMMITTED, QUICK

    config_id, endpoint, database = key
    found = results.find_cell(
        COMMITTED, config_id, endpoint, database=database, concurrency=QUICK.concurrency
    )
    assert found is not None, key
    return found


def _starve(cell: dict) -> dict:
    """The cell as a server starved of CPU shows it: half its CPU time, and waiting for a CPU
    half the run more than it did in the committed run."""
    return {**cell, "server_cpu": cell["server_cpu"] / 2, "server_wait": cell["server_wait"] + 0.5}


def _fresh_document(claim_id: str, starved: bool, swap: bool = True) -> tuple[dict, dict]:
    """The claim and a re-measurement of its two cells shaped like the claim test's: the
    committed figures, swapped (the order reversed) unless ``swap`` is false, each server
    starved of CPU when ``starved``."""
    from tests.bench.test_claim_figures import COMMITTED, QUICK

    [claim] = [c for c in load_claims() if c["id"] == claim_id]
    first, second = finding(claim, COMMITTED).cells
    cells = {key: _committed_cell(key) for key in (first, second)}
    results = [
        {**cells[key], **{k: cells[other][k] for k in RPS_KEYS if swap}}
        for key, other in ((first, second), (second, first))
    ]
    if starved:
        results = [_starve(c) for c in results]
    return claim, {"suite": {"concurrency": QUICK.concurrency}, "results": results}


def test_a_starved_reversal_is_measured_again_until_the_retries_end() -> None:
    from tests.bench.test_claim_figures import STARVED_RETRIES, RetryBudget, judge

    claim, starved = _fresh_document("rps-fastapi", starved=True)
    calls = []
    judged = judge(claim, starved, lambda cells, first: calls.append(1) or starved, RetryBudget())
    assert len(calls) == STARVED_RETRIES and judged.measurements == STARVED_RETRIES + 1
    assert judged.reversed and judged.starved and not judged.budget_spent


def test_a_quiet_re_measurement_is_the_one_judged() -> None:
    from tests.bench.test_claim_figures import RetryBudget, judge

    claim, starved = _fresh_document("rps-fastapi", starved=True)
    _, quiet = _fresh_document("rps-fastapi", starved=False, swap=False)
    judged = judge(claim, starved, lambda cells, first: quiet, RetryBudget())
    assert judged.measurements == 2 and not judged.reversed


def test_a_reversal_on_servers_that_were_not_starved_is_not_measured_again() -> None:
    from tests.bench.test_claim_figures import RetryBudget, judge

    claim, reversed_ = _fresh_document("rps-fastapi", starved=False)
    judged = judge(claim, reversed_, lambda *_: pytest.fail("measured again"), RetryBudget())
    assert judged.reversed and not judged.starved and judged.measurements == 1


def test_a_thread_pool_waiting_on_its_own_core_is_not_a_starved_server() -> None:
    """Flask on Granian's threads wait for each other (server_wait 50 and more on a quiet
    machine): with the server's CPU time as in the committed run, the reversal is the code's."""
    from tests.bench.test_claim_figures import RetryBudget, judge

    claim, reversed_ = _fresh_document("rps-fastapi", starved=False)
    for cell in reversed_["results"]:
        cell["server_wait"] = 50.0
    judged = judge(claim, reversed_, lambda *_: pytest.fail("measured again"), RetryBudget())
    assert judged.reversed and not judged.starved and judged.measurements == 1


def test_a_server_using_less_cpu_without_waiting_for_one_is_not_starved() -> None:
    """A server that waits on I/O (a slower query, a lock) uses less CPU too, but is not in the
    run queue: that slowdown is the code's."""
    from tests.bench.test_claim_figures import RetryBudget, judge

    claim, reversed_ = _fresh_document("rps-fastapi", starved=False)
    for cell in reversed_["results"]:
        cell["server_cpu"] /= 2
    judged = judge(claim, reversed_, lambda *_: pytest.fail("measured again"), RetryBudget())
    assert judged.reversed and not judged.starved


def _slowed(anchor_share: float) -> tuple[dict, dict]:
    """rps-fastapi reversed with both cells at 30 % of their committed req/s and the raw app
    measured beside them at ``anchor_share`` of its own."""
    from tests.bench.test_claim_figures import ANCHOR

    claim, reversed_ = _fresh_document("rps-fastapi", starved=False)
    cells = [_scaled(c, 0.3) for c in reversed_["results"]]
    reversed_["results"] = [*cells, _scaled(_committed_cell(ANCHOR), anchor_share)]
    return claim, reversed_


def test_a_reversal_on_a_slower_machine_is_measured_again() -> None:
    """Both servers had their CPU share, but they and the raw app served a third of their
    committed req/s: the machine is slower than the committed one, not one setup."""
    from tests.bench.test_claim_figures import ANCHOR, RetryBudget, judge

    claim, reversed_ = _slowed(anchor_share=0.35)
    asked = []
    judged = judge(claim, reversed_, lambda c, _: asked.append(c) or reversed_, RetryBudget())
    assert asked and all(ANCHOR in cells for cells in asked)
    assert judged.reversed and "a raw app with no framework code" in judged.starved[0]


def test_a_reversal_whose_raw_app_kept_its_speed_stands() -> None:
    """Both setups slow while the raw app keeps its committed speed: the frameworks' code (a
    change to what they share) slowed, not the machine."""
    from tests.bench.test_claim_figures import RetryBudget, judge

    claim, reversed_ = _slowed(anchor_share=1.0)
    judged = judge(claim, reversed_, lambda *_: pytest.fail("measured again"), RetryBudget())
    assert judged.reversed and not judged.starved


def test_re_measurements_stop_when_the_sessions_budget_is_spent() -> None:
    from tests.bench.test_claim_figures import RetryBudget, judge

    claim, starved = _fresh_document("rps-fastapi", starved=True)
    spent = RetryBudget(limit_s=0.05)
    judged = judge(claim, starved, lambda *_: time.sleep(0.06) or starved, spent, 0)
    assert judged.measurements == 2 and spent.spent_s >= 0.06
    judged = judge(claim, starved, lambda *_: pytest.fail("measured again"), spent, 0)
    assert judged.measurements == 1 and judged.reversed and judged.starved and judged.budget_spent


def test_a_re_measurement_that_would_pass_the_budget_is_not_started() -> None:
    from tests.bench.test_claim_figures import RetryBudget, judge

    claim, starved = _fresh_document("rps-fastapi", starved=True)
    budget = RetryBudget(limit_s=100.0, spent_s=40.0)
    never = lambda *_: pytest.fail("measured again")  # noqa: E731
    judged = judge(claim, starved, never, budget, seconds_per_cell=23)  # 3 cells: 69 s
    assert judged.measurements == 1 and judged.reversed and judged.starved
    judged = judge(claim, starved, lambda *_: starved, budget, seconds_per_cell=20)
    assert judged.measurements > 1 and budget.spent_s > 40.0


def _scaled(cell: dict, factor: float) -> dict:
    """The cell with every req/s figure multiplied by ``factor``."""
    scale = lambda x: [v * factor for v in x] if isinstance(x, list) else x * factor  # noqa: E731
    return {**cell, **{k: scale(cell[k]) for k in RPS_KEYS}}


def _gap_matters(starved: set[tuple[str, str, str]]) -> tuple[dict, dict, dict]:
    """fastapi-gap-matters from the committed cells, the servers of ``starved`` starved of CPU,
    and Flask three times FastAPI's figure on ``json`` and ``post`` (those two ratios fall below
    1); returns the claim, that document and the committed cells by key."""
    from tests.bench.test_claim_figures import COMMITTED, QUICK

    [claim] = [c for c in load_claims() if c["id"] == "fastapi-gap-matters"]
    quiet = {key: _committed_cell(key) for key in set(finding(claim, COMMITTED).cells)}
    cells = {key: _starve(c) if key in starved else c for key, c in quiet.items()}
    for endpoint in ("json", "post"):
        fastapi, flask = (
            ("fastapi-uvicorn", endpoint, "sqlite"),
            ("flask-gunicorn", endpoint, "sqlite"),
        )
        cells[flask] = _scaled(cells[flask], 3 * cells[fastapi]["rps"] / cells[flask]["rps"])
    document = {"suite": {"concurrency": QUICK.concurrency}, "results": list(cells.values())}
    return claim, document, quiet


def test_a_starved_reversal_measures_again_only_the_reversed_comparisons_cells() -> None:
    """fastapi-gap-matters reads 23 cells; two reversed ratios re-measure their four and the raw
    app, in rounds of their own, and ratios between a re-measured cell and the others are then
    unpaired."""
    from tests.bench.test_claim_figures import ANCHOR, RetryBudget, judge
    from verified_guide.claims.figures import rps_ratio_of

    reversed_cells = {
        (setup, endpoint, "sqlite")
        for setup in ("fastapi-uvicorn", "flask-gunicorn")
        for endpoint in ("json", "post")
    }
    claim, document, quiet = _gap_matters(starved=reversed_cells)
    asked: list[tuple[set, int]] = []

    def remeasure(cells: set, first_round: int) -> dict:
        asked.append((cells, first_round))
        fresh = [
            {**(quiet.get(k) or _committed_cell(k)), "rounds": [first_round + r for r in range(5)]}
            for k in sorted(cells)
        ]
        return {"suite": document["suite"], "results": fresh}

    judged = judge(claim, document, remeasure, RetryBudget())
    [(cells, first_round)] = asked
    assert cells == reversed_cells | {ANCHOR}
    assert first_round > max(r for c in document["results"] for r in c["rounds"])
    assert judged.measurements == 2 and not judged.reversed and not judged.starved
    assert len(judged.document["results"]) == len(document["results"]) + 1  # the raw app
    ratio = rps_ratio_of(judged.document, "fastapi-uvicorn", "django-gunicorn", "json")
    assert ratio is not None and ratio.paired is False


def test_one_reversal_the_machine_does_not_explain_stands_beside_one_it_does() -> None:
    """Two reversed ratios, one on starved servers and one on servers that had their CPU: the
    second is the code's whatever the first's reason, so nothing is measured again or excused."""
    from tests.bench.test_claim_figures import RetryBudget, judge

    starved = {("fastapi-uvicorn", "json", "sqlite"), ("flask-gunicorn", "json", "sqlite")}
    claim, document, _ = _gap_matters(starved=starved)
    judged = judge(claim, document, lambda *_: pytest.fail("measured again"), RetryBudget())
    assert len(judged.reversed) == 2 and not judged.starved and judged.measurements == 1
