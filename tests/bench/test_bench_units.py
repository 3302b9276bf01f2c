"""Fast tests of the harness's pure parts: wrk output, summaries, schema, ratios, rendering."""

import json
from pathlib import Path

import pytest

from scripts.bench import config, report, results, servers, wrk
from scripts.claims import load_claims
from scripts.claims_page import headline_table
from tests.support.reports import write_evidence

WRK_LINE = (
    'BENCH_JSON {"requests": 30000, "duration_us": 3000000, "bytes": 1, "connect": 0, '
    '"read": 2, "write": 0, "timeout": 1, "non2xx": 5, "p50_us": 1500, "p90_us": 3000, '
    '"p99_us": 9000, "mean_us": 1800.5, "max_us": 12000}'
)


def run(rps: float, non2xx: int = 0, errors: int = 0) -> wrk.WrkRun:
    return wrk.WrkRun(
        rps=rps,
        p50_ms=1.0,
        p90_ms=2.0,
        p99_ms=rps / 1000,
        socket_errors=errors,
        non2xx=non2xx,
        requests=int(rps),
        cpu_s=0.5,
        wall_s=1.0,
    )


def cell(config_id: str, endpoint: str, rps: float | None, **extra) -> dict:
    spec = config.CONFIGURATIONS[config_id]
    base = {
        "config": config_id,
        "framework": spec.framework,
        "label": spec.label,
        "server": spec.server.name,
        "interface": spec.server.interface,
        "endpoint": endpoint,
        "workers": 1,
        "concurrency": 64,
        "runs": 3,
    }
    if rps is None:
        return {**base, "status": "failed", "reason": "check: status 500, expected 200", **extra}
    return {
        **base,
        **results.summarise([run(rps), run(rps * 0.9), run(rps * 1.1)], 0.3, 1.0, 50.0),
        "status": "ok",
        **extra,
    }


def document(cells: list[dict]) -> dict:
    return {
        "schema": results.SCHEMA_VERSION,
        "suite": {
            "duration_s": 5.0,
            "warmup_s": 2.0,
            "runs": 3,
            "concurrency": 64,
            "sweep": [16, 64, 256],
            "sweep_endpoints": ["json"],
            "workers": 1,
            "elapsed_s": 60.0,
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
        },
        "results": cells,
        "costs": None,
    }


def test_wrk_output_is_parsed_from_the_lua_json_line() -> None:
    parsed = wrk.parse_output("Running 3s test\n" + WRK_LINE + "\n", cpu_s=1.0, wall_s=3.0)
    assert parsed.rps == pytest.approx(10_000)
    assert (parsed.p50_ms, parsed.p90_ms, parsed.p99_ms) == (1.5, 3.0, 9.0)
    assert (parsed.socket_errors, parsed.non2xx) == (3, 5)


def test_wrk_output_without_result_line_is_an_error() -> None:
    with pytest.raises(ValueError, match="no result line"):
        wrk.parse_output("unable to connect", cpu_s=0, wall_s=0)


def test_lua_script_sends_the_post_body_and_random_ids() -> None:
    post = wrk.lua_script(config.ENDPOINTS["post"], "/bench/items")
    assert 'wrk.method = "POST"' in post and '\\"price\\": 9.5' in post
    db = wrk.lua_script(config.ENDPOINTS["db"], "/bench/db/{id}")
    assert "local random_id = true" in db and "math.random(1, 10000)" in db


def test_summary_is_median_and_spread_of_runs() -> None:
    summary = results.summarise([run(100), run(300), run(200)], 0.95, 0.5, 42.0)
    assert (summary["rps"], summary["rps_min"], summary["rps_max"]) == (200, 100, 300)
    assert summary["latency_ms"]["p99"] == 0.2
    assert summary["wrk_limited"] is True  # wrk busy, server not: the generator was the limit


@pytest.mark.parametrize(
    ("runs", "reason"),
    [
        ([run(100), run(100, non2xx=4)], "4 non-2xx responses"),
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
    assert any("carries a figure" in p for p in results.validate(bad))


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
        for line in headline_table(doc).splitlines()[2:]
    }
    # The article: 20,000 / 2,500 = 8.00; measured 8,000 / 2,000 = 4.00, the same side of 1.
    fastapi = rows["FastAPI on Uvicorn"]
    assert fastapi[1:3] == ["20,000", "[8,000](benchmarks/index.md#cell-fastapi-uvicorn-json)"]
    assert fastapi[4:6] == ["8.00", "4.00"] and "partly true" in fastapi[6]
    # Sync Django: 3,000 / 2,500 = 1.20 claimed, 2,400 / 2,000 = 1.20 measured.
    assert "confirmed" in rows["Django (sync view) on Gunicorn"][6]
    async_row = rows["Django (async view) on Uvicorn"]
    assert async_row[2] == "failed" and async_row[5] == "n/a"
    assert "not checkable here" in async_row[6]


def test_failed_cells_render_as_reasons_never_numbers() -> None:
    table = report.endpoint_table(document([cell("flask-gunicorn", "db", None)]), "db")
    assert "failed: check: status 500" in table


def test_ceiling_share_divides_by_the_raw_app_on_the_same_server() -> None:
    doc = document(
        [
            cell("fastapi-uvicorn", "json", 5000),
            cell("raw-asgi-uvicorn", "json", 20000),
            cell("raw-asgi-granian", "json", 40000),
        ]
    )
    assert "| 25% |" in report.ceiling_table(doc)


def test_charts_are_deterministic_svg() -> None:
    doc = document([cell("fastapi-uvicorn", "json", 5000), cell("flask-gunicorn", "json", 2000)])
    first, second = report.endpoint_chart(doc, "json"), report.endpoint_chart(doc, "json")
    assert first == second and "<svg" in first and "http://" not in first.split("<svg", 1)[0]


def test_pages_say_so_when_there_is_no_result_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(results, "latest", lambda directory=None: None)
    assert report.bench_claims() == report.NO_DATA


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


def test_server_and_wrk_get_different_cores() -> None:
    server_cpus, wrk_cpus = servers.cpu_split(1)
    if server_cpus is not None:
        assert not set(server_cpus.split(",")) & set(wrk_cpus.split(","))


def test_committed_result_files_match_the_schema() -> None:
    for path in sorted(results.RESULTS_DIR.glob("*.json")):
        assert results.validate(json.loads(path.read_text())) == [], path


def test_charts_follow_the_theme_have_a_name_and_leave_ceilings_out() -> None:
    doc = document(
        [
            cell("fastapi-uvicorn", "json", 5000),
            cell("flask-gunicorn", "json", 2000),
            cell("raw-asgi-uvicorn", "json", 70000),
        ]
    )
    svg = report.endpoint_chart(doc, "json")
    assert 'role="img"' in svg and '<title id="chart-json-title">' in svg
    assert "Highest: FastAPI on uvicorn, 5,000" in svg  # the description states the figures
    assert "raw ASGI" not in svg  # the ceiling has its own chart
    assert "currentColor" in svg and "var(--bench-c1" in svg
    assert "#ffffff" not in svg and "#000000;" not in svg and "<metadata>" not in svg
    shares = report.ceiling_chart(doc)
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
    svg = report.sweep_chart(doc, "json")
    for panel in ("FastAPI", "Flask", "Framework-less apps (ceilings)"):
        assert f">{panel}<" in svg
    assert ">uvicorn<" in svg and ">gunicorn<" in svg  # direct labels, no legend


def test_plurals_agree_with_their_count() -> None:
    assert report.plural(1, "worker") == "1 worker"
    assert report.plural(4, "worker") == "4 workers"
