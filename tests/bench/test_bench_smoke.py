"""The harness end to end: real servers, real wrk, a result file that passes the schema."""

import json
from pathlib import Path

import pytest

from scripts.bench import __main__ as cli
from scripts.bench import config, runner
from scripts.bench.wrk import INSTALL_HINT
from tests.conftest import require_tool

pytestmark = [pytest.mark.slow, pytest.mark.timing]  # wrk and servers: load-sensitive
BROKEN = config.Configuration(
    "broken", "raw", config.UVICORN, "tests.bench.broken_app:app", "", endpoints=(config.PLAINTEXT,)
)


def tiny_options(tmp_path: Path) -> runner.Options:
    suite = config.Suite(("broken",), (config.PLAINTEXT,), sweep=(), costs=False)
    return runner.Options(suite=suite, out_dir=tmp_path)


def test_smoke_run_writes_a_valid_result_file(tmp_path: Path) -> None:
    require_tool("wrk", INSTALL_HINT.split("`")[1])
    assert cli.main(["run", "--smoke", "--out", str(tmp_path)]) == 0
    [path] = tmp_path.glob("*.json")
    assert cli.main(["check", str(path)]) == 0
    cells = json.loads(path.read_text())["results"]
    assert {(c["config"], c["endpoint"]) for c in cells} == {
        (cfg, ep) for cfg in config.SMOKE.configurations for ep in config.SMOKE.endpoints
    }
    assert all(c["status"] == "ok" and c["runs"] >= 3 for c in cells), cells


def test_an_endpoint_answering_500_is_marked_failed_not_measured(tmp_path: Path) -> None:
    [cell] = runner.measure_configuration(BROKEN, tiny_options(tmp_path), {}, lambda c: None)
    assert (cell["status"], cell["reason"]) == ("failed", "check: status 500, expected 200")
    assert "rps" not in cell


def test_a_server_that_cannot_start_fails_its_cells_with_the_log(tmp_path: Path) -> None:
    missing = config.Configuration(
        "missing",
        "raw",
        config.UVICORN,
        "tests.bench.nowhere:app",
        "",
        endpoints=(config.PLAINTEXT,),
    )
    [cell] = runner.measure_configuration(missing, tiny_options(tmp_path), {}, lambda c: None)
    assert cell["status"] == "failed" and "nowhere" in cell["reason"]
