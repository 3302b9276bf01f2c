"""Measure every cell of a suite and write one result file.

For each configuration: start its server once, then per endpoint check the answer, warm up
(not recorded), and time the measured runs at each concurrency. Any failure becomes a cell with
status "failed" and a reason, never a number.
"""

import datetime
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from scripts.bench import costs, environment, results, wrk
from scripts.bench.checks import check_response
from scripts.bench.config import CONFIGURATIONS, ENDPOINTS, SERVER_ENV, Configuration, Suite
from scripts.bench.servers import cpu_split, serve
from scripts.servers import ROOT, RunningServer, ServerStartError
from snippets.bench.seed import seed


@dataclass(frozen=True)
class Options:
    """What the command line can change about a suite."""

    suite: Suite
    out_dir: Path
    workers: int = 1
    db: str | None = None
    duration_s: float | None = None


class RssSampler:
    """Peak resident memory of a server tree, sampled in the background during a run."""

    def __init__(self, server: RunningServer, interval_s: float = 0.25) -> None:
        self.server, self.interval_s, self.peak_mb = server, interval_s, server.rss_mb()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(self.interval_s):
            self.peak_mb = max(self.peak_mb, self.server.rss_mb())

    def __enter__(self) -> "RssSampler":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def prepare(url: str) -> None:
    """Fill the database once, before any server starts.

    Snippets create their tables when imported, and the Django demo migrates when it starts;
    with several workers doing so at once they would race to create the same tables, so one
    process imports the three demo apps first.
    """
    seed(url)
    apps = "demo_apps.fastapi_app.main, demo_apps.flask_app.main, demo_apps.django_app.config.wsgi"
    subprocess.run(
        [sys.executable, "-c", f"import {apps}"],
        env={**os.environ, **SERVER_ENV, "GUIDE_DATABASE_URL": url},
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=120,
    )


@contextmanager
def database(dsn: str | None) -> Iterator[str]:
    """The benchmark database: the given DSN, or a fresh SQLite file removed afterwards."""
    if dsn:
        prepare(dsn)
        yield dsn
        return
    with tempfile.TemporaryDirectory(prefix="bench-db-") as folder:
        url = f"sqlite:///{folder}/bench.sqlite3"
        prepare(url)
        yield url


def cell_base(config: Configuration, endpoint: str, workers: int, concurrency: int) -> dict:
    return {
        "config": config.id,
        "framework": config.framework,
        "label": config.label,
        "variant": config.variant,
        "server": config.server.name,
        "interface": config.server.interface,
        "endpoint": endpoint,
        "workers": workers,
        "concurrency": concurrency,
        "runs": 0,
    }


def failed(base: dict, reason: str) -> dict:
    return {**base, "status": "failed", "reason": reason}


def measure_cell(
    server: RunningServer,
    base: dict,
    path: str,
    suite: Suite,
    wrk_cpus: str | None,
    server_cores: int,
) -> dict:
    """Warm-up, then the measured runs of one endpoint at one concurrency."""
    endpoint = ENDPOINTS[base["endpoint"]]
    connections = base["concurrency"]
    wrk.run(server.base_url, endpoint, path, connections, suite.warmup_s, wrk_cpus)
    runs, server_cpu_start, started = [], server.cpu_seconds(), time.monotonic()
    with RssSampler(server) as rss:
        for _ in range(suite.runs):
            runs.append(
                wrk.run(server.base_url, endpoint, path, connections, suite.duration_s, wrk_cpus)
            )
            if not server.alive():
                return failed(base, f"server died: {server.log_tail(5)}")
    wall = time.monotonic() - started
    reason = results.failure_reason(runs)
    if reason:
        return failed({**base, "runs": len(runs)}, reason)
    wrk_share = sum(r.cpu_s for r in runs) / sum(r.wall_s for r in runs)
    server_share = (server.cpu_seconds() - server_cpu_start) / wall / server_cores
    return {**base, **results.summarise(runs, wrk_share, server_share, rss.peak_mb), "status": "ok"}


def measure_configuration(
    config: Configuration, options: Options, env: dict[str, str], progress: Any
) -> list[dict]:
    """All cells of one configuration, from one server process."""
    suite, workers = options.suite, options.workers
    server_cpus, wrk_cpus = cpu_split(workers)
    server_cores = len(server_cpus.split(",")) if server_cpus else 1
    plan = [
        (name, level)
        for name in suite.endpoints
        if name in config.endpoints
        for level in (suite.sweep if name in suite.sweep_endpoints else (suite.concurrency,))
    ]
    if not plan:
        return []
    cells = []
    ready_path = config.prefix + ENDPOINTS[plan[0][0]].path.replace("{id}", "1")
    try:
        with serve(config, ready_path, workers, server_cpus, env) as (server, _):
            checked: dict[str, str | None] = {}
            for name, level in plan:
                base = cell_base(config, name, workers, level)
                path = config.prefix + ENDPOINTS[name].path
                if name not in checked:
                    checked[name] = check_response(server.base_url, ENDPOINTS[name], path)
                if not server.alive():
                    cell = failed(base, f"server died: {server.log_tail(5)}")
                elif checked[name]:
                    cell = failed(base, checked[name])
                else:
                    try:
                        cell = measure_cell(server, base, path, suite, wrk_cpus, server_cores)
                    except (RuntimeError, ValueError) as error:  # wrk crashed or printed nothing
                        cell = failed(base, f"wrk: {error}")
                progress(cell)
                cells.append(cell)
    except ServerStartError as error:
        done = {(c["endpoint"], c["concurrency"]) for c in cells}
        for name, level in plan:
            if (name, level) not in done:
                cell = failed(cell_base(config, name, workers, level), f"server: {error}")
                progress(cell)
                cells.append(cell)
    return cells


def run(options: Options, progress: Any = print) -> Path:
    """Measure the suite and write its result file; returns the file's path."""
    suite = options.suite
    if options.duration_s:
        suite = replace(suite, duration_s=options.duration_s)
    options = replace(options, suite=suite)
    wrk.wrk_path()  # fail before starting anything when wrk is missing
    server_cpus, wrk_cpus = cpu_split(options.workers)
    started = time.monotonic()
    with database(options.db) as url:
        env = {"GUIDE_DATABASE_URL": url}
        cells = [
            cell
            for config_id in suite.configurations
            for cell in measure_configuration(CONFIGURATIONS[config_id], options, env, progress)
        ]
    cost_rows = costs.measure_all(server_cpus) if suite.costs else None
    document = {
        "schema": results.SCHEMA_VERSION,
        "suite": {
            "duration_s": suite.duration_s,
            "warmup_s": suite.warmup_s,
            "runs": suite.runs,
            "concurrency": suite.concurrency,
            "sweep": list(suite.sweep),
            "sweep_endpoints": list(suite.sweep_endpoints),
            "workers": options.workers,
            "elapsed_s": round(time.monotonic() - started, 1),
        },
        "environment": environment.collect(
            {"server_cpus": server_cpus, "wrk_cpus": wrk_cpus},
            "postgresql" if options.db and options.db.startswith("postgres") else "sqlite",
        ),
        "results": cells,
        "costs": cost_rows,
    }
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H-%M-%SZ")
    return results.write_atomic(document, options.out_dir, f"{stamp}.json")
