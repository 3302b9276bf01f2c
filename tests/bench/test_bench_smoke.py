"""The harness end to end: real servers, real wrk, a result file that passes the schema."""

import json
import tempfile
from dataclasses import replace
from pathlib import Path

import pytest

from scripts.bench import __main__ as cli
from scripts.bench import runner
from tests.conftest import require_tool
from verified_guide.bench import config
from verified_guide.bench.wrk import INSTALL_HINT

pytestmark = [pytest.mark.slow, pytest.mark.timing]  # wrk and servers: load-sensitive
BROKEN = config.Configuration(
    "broken",
    "fastapi",
    config.UVICORN,
    "tests.bench.broken_app:app",
    endpoints=(config.PLAINTEXT,),
)
MISSING = replace(BROKEN, id="missing", target="tests.bench.nowhere:app")


def measure(configuration: config.Configuration) -> dict:
    """One cell of a configuration that is not in the table, through the real runner."""
    config.CONFIGURATIONS[configuration.id] = configuration
    try:
        suite = config.Suite(
            (config.Block((configuration.id,), (config.PLAINTEXT,)),),
            duration_s=1.0,
            warmup_s=0.0,
            runs=3,
            reruns=0,
            costs=False,
        )
        [cell], _, _ = runner.measure_suite(suite, lambda c: None, say=lambda s: None)
    finally:
        del config.CONFIGURATIONS[configuration.id]
    return cell


def test_smoke_run_writes_a_valid_result_file(tmp_path: Path) -> None:
    require_tool("wrk", INSTALL_HINT.split("`")[1])
    assert cli.main(["run", "--smoke", "--out", str(tmp_path)]) == 0
    [path] = tmp_path.glob("*.json")
    assert cli.main(["check", str(path)]) == 0
    document = json.loads(path.read_text())
    [block] = config.SMOKE.blocks
    assert {(c["config"], c["endpoint"], c["concurrency"]) for c in document["results"]} == {
        (cfg, ep, n) for cfg in block.configurations for ep in block.endpoints
        for n in block.concurrency
    }  # fmt: skip
    assert document["suite"]["interleaved"] is True
    for cell in document["results"]:
        assert cell["status"] == "ok" and cell["runs"] >= 3, (
            f"{cell}: a smoke cell failed; if the reason is a timeout or no request completed, "
            "it depends on machine load: re-run on a quieter machine"
        )
        assert sorted(cell["rounds"]) == cell["rounds"]  # one run per round, in order


def test_an_endpoint_answering_500_is_marked_failed_not_measured() -> None:
    cell = measure(BROKEN)
    assert cell["status"] == "failed" and "status 500, expected 200" in cell["reason"]
    assert "rps" not in cell


def test_a_server_that_cannot_start_fails_its_cells_with_the_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # the log is kept: not in /tmp
    cell = measure(MISSING)
    assert cell["status"] == "failed" and "nowhere" in cell["reason"]
    [log] = tmp_path.glob("missing-*.log")
    assert "nowhere" in log.read_text()
