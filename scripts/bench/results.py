"""Result files: one JSON document per run, its schema, and an atomic write.

The site renders only what these files hold, so the schema check is what keeps a half-written
or hand-edited file from reaching a page.
"""

import json
import os
import statistics
import tempfile
from pathlib import Path
from typing import Any

from scripts.bench.wrk import WrkRun

SCHEMA_VERSION = 1
RESULTS_DIR = Path(__file__).resolve().parents[2] / "docs" / "data" / "benchmarks"
WRK_LIMIT = 0.9  # share of one core: above it, wrk (not the server) may have set the pace

ENVIRONMENT_KEYS = {
    "date": str,
    "cpu_model": str,
    "cores": int,
    "ram_gib": float,
    "os": str,
    "kernel": str,
    "python": str,
    "packages": dict,
    "wrk": str,
    "pinning": dict,
    "database": str,
}
CELL_KEYS = {
    "config": str,
    "framework": str,
    "label": str,
    "server": str,
    "interface": str,
    "endpoint": str,
    "workers": int,
    "concurrency": int,
    "runs": int,
    "status": str,
}
NUMBER_KEYS = ("rps", "rps_min", "rps_max", "peak_rss_mb")


def summarise(
    runs: list[WrkRun], wrk_cpu_share: float, server_cpu_share: float, peak_rss_mb: float
) -> dict[str, Any]:
    """Median and spread of the measured runs of one cell (all runs already error-free)."""
    rps = [r.rps for r in runs]

    def median(values: list[float]) -> float:
        return round(statistics.median(values), 3)

    return {
        "runs": len(runs),
        "rps": round(statistics.median(rps), 1),
        "rps_min": round(min(rps), 1),
        "rps_max": round(max(rps), 1),
        "rps_all": [round(v, 1) for v in rps],
        "latency_ms": {
            "p50": median([r.p50_ms for r in runs]),
            "p90": median([r.p90_ms for r in runs]),
            "p99": median([r.p99_ms for r in runs]),
        },
        "errors": sum(r.socket_errors + r.non2xx for r in runs),
        "peak_rss_mb": round(peak_rss_mb, 1),
        "wrk_cpu": round(wrk_cpu_share, 2),
        "server_cpu": round(server_cpu_share, 2),
        "wrk_limited": wrk_cpu_share >= WRK_LIMIT and server_cpu_share < WRK_LIMIT,
    }


def failure_reason(runs: list[WrkRun]) -> str | None:
    """Any non-2xx answer or socket error disqualifies the whole cell, as does an idle run."""
    if any(r.requests == 0 for r in runs):
        return "no request completed within a run"
    non2xx = sum(r.non2xx for r in runs)
    socket_errors = sum(r.socket_errors for r in runs)
    if non2xx:
        return f"{non2xx} non-2xx responses"
    if socket_errors:
        return f"{socket_errors} socket errors"
    return None


def validate(document: dict[str, Any]) -> list[str]:
    """Every way the document breaks the schema; empty when it is valid."""
    problems = []
    if document.get("schema") != SCHEMA_VERSION:
        problems.append(f"schema is {document.get('schema')!r}, expected {SCHEMA_VERSION}")
    environment = document.get("environment", {})
    for key, kind in ENVIRONMENT_KEYS.items():
        if not isinstance(environment.get(key), kind):
            problems.append(f"environment.{key} missing or not {kind.__name__}")
    results = document.get("results")
    if not isinstance(results, list) or not results:
        return [*problems, "results missing or empty"]
    for index, cell in enumerate(results):
        where = f"results[{index}]"
        for key, kind in CELL_KEYS.items():
            if not isinstance(cell.get(key), kind):
                problems.append(f"{where}.{key} missing or not {kind.__name__}")
        if cell.get("status") == "ok":
            for key in NUMBER_KEYS:
                if not isinstance(cell.get(key), int | float):
                    problems.append(f"{where}.{key} missing on an ok cell")
            latency = cell.get("latency_ms", {})
            if not all(isinstance(latency.get(p), int | float) for p in ("p50", "p90", "p99")):
                problems.append(f"{where}.latency_ms incomplete")
            if cell.get("errors") != 0:
                problems.append(f"{where} is ok but has errors")
            if cell["runs"] < 3:
                problems.append(f"{where} has fewer than 3 runs")
        elif cell.get("status") == "failed":
            if not cell.get("reason"):
                problems.append(f"{where} failed without a reason")
            if "rps" in cell:
                problems.append(f"{where} failed but carries a figure")
        else:
            problems.append(f"{where}.status is neither ok nor failed")
    costs = document.get("costs")
    if costs is not None and not isinstance(costs, list):
        problems.append("costs is not a list")
    return problems


def write_atomic(document: dict[str, Any], directory: Path, name: str) -> Path:
    """Write to a temporary file beside the target, then rename: readers never see half a file."""
    problems = validate(document)
    if problems:
        raise ValueError("result document breaks the schema: " + "; ".join(problems))
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / name
    with tempfile.NamedTemporaryFile(
        "w", dir=directory, prefix=".tmp-", suffix=".json", delete=False
    ) as handle:
        json.dump(document, handle, indent=1, sort_keys=False)
        handle.write("\n")
    os.replace(handle.name, target)
    return target


def load(path: Path) -> dict[str, Any]:
    document = json.loads(path.read_text())
    problems = validate(document)
    if problems:
        raise ValueError(f"{path}: " + "; ".join(problems))
    return document


def latest(directory: Path = RESULTS_DIR) -> Path | None:
    """The newest result file: names start with a UTC timestamp, so the last name sorts last."""
    files = sorted(directory.glob("*.json")) if directory.is_dir() else []
    return files[-1] if files else None


def find_cell(document: dict[str, Any], config: str, endpoint: str) -> dict[str, Any] | None:
    """The cell of a configuration and endpoint at the suite's main concurrency, failed or not."""
    level = document["suite"]["concurrency"]
    return next(
        (
            c
            for c in document["results"]
            if (c["config"], c["endpoint"], c["concurrency"]) == (config, endpoint, level)
        ),
        None,
    )
