"""The figures behind the article's numeric claims, measured again: same rule, same verdict.

The claims page judges each numeric claim from the committed result file. These tests
re-measure, briefly and on this machine, exactly the benchmark cells and cost rows each of
those claims reads, apply the claim's own rule to the fresh figures, and require the verdict
the committed file gives. Ratios, not absolute figures, decide the verdicts, so a slower or
busier machine still agrees; a change to the code that reverses an ordering does not, and
through the evidence report it turns the claim to "evidence failing".
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from scripts.bench import config, costs, results, runner
from scripts.bench.wrk import INSTALL_HINT
from scripts.claims import finding, load_claims
from tests.conftest import require_tool

pytestmark = [pytest.mark.slow, pytest.mark.timing]  # wrk and servers: load-sensitive

COMMITTED_PATH = results.latest()
COMMITTED = results.load(COMMITTED_PATH) if COMMITTED_PATH else None
THROUGHPUT_RULES = {"rps_ratio", "faster", "gap_matters", "gap_narrows"}
COST_RULES = {"lowest_costs", "highest_cost"}
# Short but not trivial: enough requests that a 1.5x difference is far outside the noise.
QUICK = config.Suite(
    (), (), sweep=(), sweep_endpoints=(), duration_s=1.0, warmup_s=0.5, runs=2, costs=False
)


def _claims(rules: set[str]) -> list:
    return [
        pytest.param(c, id=c["id"], marks=pytest.mark.claim(c["id"]))
        for c in load_claims()
        if c["rule"] in rules
    ]


def _cells_read() -> dict[str, set[str]]:
    """configuration -> endpoints, for every cell a throughput claim's rule reads."""
    needed: dict[str, set[str]] = {}
    for claim in load_claims():
        if claim["rule"] in THROUGHPUT_RULES:
            for cfg, endpoint in finding(claim, COMMITTED).cells:
                needed.setdefault(cfg, set()).add(endpoint)
    return needed


def _progress(cell: dict) -> None:
    figure = f"{cell['rps']:.0f} req/s" if cell["status"] == "ok" else cell["reason"]
    print(f"{cell['config']} {cell['endpoint']}: {figure}")


@pytest.fixture(scope="module")
def fresh_throughput(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A result document holding a quick re-measurement of just the cells the claims read."""
    require_tool("wrk", INSTALL_HINT.split("`")[1])
    cells = []
    with runner.database(None) as url:
        for cfg, endpoints in sorted(_cells_read().items()):
            suite = replace(QUICK, configurations=(cfg,), endpoints=tuple(sorted(endpoints)))
            options = runner.Options(suite=suite, out_dir=tmp_path_factory.mktemp("bench"))
            cells += runner.measure_configuration(
                config.CONFIGURATIONS[cfg], options, {"GUIDE_DATABASE_URL": url}, _progress
            )
    return {"suite": {"concurrency": QUICK.concurrency}, "results": cells}


@pytest.fixture(scope="module")
def fresh_costs() -> dict:
    server_cpus, _ = runner.cpu_split(1)
    return {"costs": costs.measure_all(server_cpus)}


def _same_verdict(claim: dict, fresh: dict) -> None:
    assert COMMITTED is not None, "docs/data/benchmarks/ holds no result file: run `make bench`"
    committed, now = finding(claim, COMMITTED), finding(claim, fresh)
    assert now.label == committed.label, (
        f"claim {claim['id']}: the committed result file ({COMMITTED_PATH}) gives "
        f"{committed.label!r}, a fresh measurement gives {now.label!r}.\n"
        f"  committed: {committed.text}\n  fresh:     {now.text}"
    )


@pytest.mark.parametrize("claim", _claims(THROUGHPUT_RULES))
def test_throughput_claim_reproduces(claim: dict, fresh_throughput: dict) -> None:
    failed = [c for c in fresh_throughput["results"] if c["status"] != "ok"]
    assert not failed, f"re-measured cells failed: {[(c['config'], c['reason']) for c in failed]}"
    _same_verdict(claim, fresh_throughput)


@pytest.mark.parametrize("claim", _claims(COST_RULES))
def test_cost_claim_reproduces(claim: dict, fresh_costs: dict) -> None:
    _same_verdict(claim, fresh_costs)
