"""Measure every cell of a suite in interleaved rounds and write one result file.

Cells that share a database and a worker count form a group: the group's servers all start
first and stay up, and every cell's answer is checked against its case. Then, one comparison
set at a time (the cells of one endpoint at one concurrency, which the ratios compare), each
cell is warmed up (not recorded) and the set is measured round after round, each cell one
run per round in an order that rotates, so slow drift on the machine (another job starting,
a thermal limit) lands on every configuration alike instead of on whichever was measured at
that moment. Cells whose run-to-run spread exceeds the suite's limit get their comparison set
measured again, every cell of it, in new rounds (so the ratios stay paired round by round; up
to the suite's ``reruns`` times, any after the first only while the run keeps to its time
budget); a cell still above it is kept but marked noisy, and every earlier attempt stays in
the result file. Any failure becomes a cell with status "failed"
and a reason, never a number.
"""

import datetime
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from scripts.bench import costs
from snippets.bench.seed import seed
from verified_guide.bench import environment, results, stats, wrk
from verified_guide.bench.checks import check_response
from verified_guide.bench.config import (
    CONFIGURATIONS,
    POSTGRESQL,
    SERVER_ENV,
    Block,
    Configuration,
    Request,
    Suite,
)
from verified_guide.bench.servers import cpu_split, serve
from verified_guide.frameworks import REGISTRY
from verified_guide.postgres import cluster
from verified_guide.servers import ROOT, RunningServer, ServerStartError

Progress = Callable[[dict], None]


@dataclass(frozen=True)
class Options:
    """What the command line can change about a suite."""

    suite: Suite
    out_dir: Path
    duration_s: float | None = None
    runs: int | None = None
    reruns: int | None = None


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


def prepare(url: str, demo_apps: bool) -> None:
    """Fill the database once, before any server starts.

    The snippets create their table when imported, and the Django demo migrates when it
    starts; with several workers doing so at once they would race to create the same tables,
    so the table is filled here, and when a mounted variant is measured one process imports
    the demo apps first.
    """
    seed(url)
    if not demo_apps:
        return  # the snippets find their table filled; standalone Django does not migrate
    apps = ", ".join(demo.target.split(":")[0] for demo in REGISTRY.first_servers())
    subprocess.run(
        [sys.executable, "-c", f"import {apps}"],
        env={**os.environ, **SERVER_ENV, "GUIDE_DATABASE_URL": url},
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=180,
    )


@contextmanager
def sqlite_database(demo_apps: bool) -> Iterator[str]:
    """A fresh SQLite file, filled, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="bench-db-") as folder:
        url = f"sqlite:///{folder}/bench.sqlite3"
        prepare(url, demo_apps)
        yield url


@contextmanager
def postgresql_database(demo_apps: bool) -> Iterator[tuple[str, str]]:
    """A throwaway PostgreSQL cluster, filled; yields (SQLAlchemy URL, server version)."""
    with cluster() as pg:
        prepare(pg.sqlalchemy_url, demo_apps)
        yield pg.sqlalchemy_url, pg.version


@dataclass
class CellState:
    """One cell while its group is measured."""

    config: Configuration
    endpoint: str
    concurrency: int
    workers: int
    database: str
    request: Request
    failure: str | None = None
    runs: list[wrk.WrkRun] = field(default_factory=list)
    rounds: list[int] = field(default_factory=list)
    attempts: list[list[float]] = field(default_factory=list)
    wrk_cpu_s: float = 0.0
    wall_s: float = 0.0
    server_cpu_s: float = 0.0
    server_wait_s: float = 0.0
    peak_rss_mb: float = 0.0

    def base(self) -> dict[str, Any]:
        c = self.config
        return {
            "config": c.id,
            "framework": c.framework,
            "label": c.label,
            "variant": c.variant,
            "standalone": c.standalone,
            "server": c.server.name,
            "interface": c.server.interface,
            "endpoint": self.endpoint,
            "workers": self.workers,
            "concurrency": self.concurrency,
            "database": self.database,
        }

    def result(self, server_cores: int, max_spread: float) -> dict[str, Any]:
        if self.failure:
            return {
                **self.base(),
                "runs": len(self.runs),
                "status": "failed",
                "reason": self.failure,
            }
        summary = results.summarise(
            self.runs,
            self.rounds,
            self.wrk_cpu_s / self.wall_s,
            self.server_cpu_s / self.wall_s / server_cores,
            self.server_wait_s / self.wall_s / server_cores,
            self.peak_rss_mb,
        )
        return {
            **self.base(),
            **summary,
            "attempts": self.attempts,
            "noisy": summary["spread"] > max_spread,
            "status": "ok",
        }


@dataclass
class Pace:
    """Whether the run has time for another re-run: it must be within its budget pro rata.

    After measuring a share of the suite's cells, the run may have used that share of the
    budget; a re-run beyond a cell's first is made only then. A run that falls behind (a
    noisy day, when most cells go over the limit) stops re-running and flags the cells
    instead, so its length stays bounded.
    """

    total_cells: int
    budget_s: float | None
    started: float = field(default_factory=time.monotonic)
    measured: int = 0
    rounds_used: int = 0

    def new_rounds(self, count: int) -> int:
        """The first of ``count`` round numbers that no other set of this run has used.

        Ratios pair two cells' runs by round number, so a number must mean one moment: were
        each set to count from 0, a cell of one set would pair with a cell of another (a
        1-worker and a 2-worker cell, say) as if measured side by side, minutes apart.
        """
        first, self.rounds_used = self.rounds_used, self.rounds_used + count
        return first

    def allows(self, cells: int) -> bool:
        """Whether a re-run of the set being measured (``cells`` of them) keeps to the pace."""
        if self.budget_s is None:
            return True
        share = min(1.0, (self.measured + cells) / max(1, self.total_cells))
        return time.monotonic() - self.started <= self.budget_s * share


def _cpu_times() -> tuple[int, int]:
    """(busy, total) jiffies of all CPUs since boot, from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields) - idle, sum(fields)


def wait_until_quiet(limit_s: float, window_s: float = 1.0, busy: float = 0.15) -> float:
    """Wait until the machine's CPUs are idle for a whole window, at most ``limit_s``; returns
    the seconds waited (each group records it as ``settled_s``).

    A group's first runs must not share the CPUs with work its own start left running (a
    server still importing, PostgreSQL's background writes after the seed). On this VM the
    machine was idle within 1-4 s in every group of the first run with this wait, so the
    slow first rounds seen before it came from elsewhere; the longer warm-up is the measure
    aimed at those. Without /proc/stat (not Linux) there is nothing to wait on.
    """
    if not Path("/proc/stat").exists():
        return 0.0
    started = time.monotonic()
    while time.monotonic() - started < limit_s:
        busy_before, total_before = _cpu_times()
        time.sleep(window_s)
        busy_after, total_after = _cpu_times()
        if (busy_after - busy_before) <= busy * max(1, total_after - total_before):
            break
    return round(time.monotonic() - started, 1)


def group_cells(blocks: list[Block]) -> list[CellState]:
    """Every cell of the blocks, once each (blocks may overlap)."""
    seen: dict[tuple, CellState] = {}
    for block in blocks:
        for config_id in block.configurations:
            config = CONFIGURATIONS[config_id]
            for endpoint in block.endpoints:
                if endpoint not in config.endpoints:
                    continue
                for level in block.concurrency:
                    key = (config_id, endpoint, level)
                    if key not in seen:
                        seen[key] = CellState(
                            config,
                            endpoint,
                            level,
                            block.workers,
                            block.database,
                            config.request(endpoint),
                        )
    return list(seen.values())


def one_run(
    cell: CellState, server: RunningServer, duration_s: float, wrk_cpus: str | None, round_: int
) -> None:
    """One measured run of a cell; a bad run fails the cell (it takes no further runs)."""
    cpu_before, wait_before = server.cpu_seconds(), server.wait_seconds()
    try:
        with RssSampler(server) as rss:
            run = wrk.run(server.base_url, cell.request, cell.concurrency, duration_s, wrk_cpus)
    except (RuntimeError, ValueError) as error:  # wrk crashed or printed nothing
        cell.failure = f"wrk: {error}"
        return
    if not server.alive():
        cell.failure = f"server died: {server.log_tail(5)}"
        return
    reason = results.failure_reason([run])
    if reason:
        cell.failure = f"run {len(cell.runs) + 1}: {reason}"  # (round_ counts the whole run)
        return
    cell.runs.append(run)
    cell.rounds.append(round_)
    cell.wrk_cpu_s += run.cpu_s
    cell.wall_s += run.wall_s
    cell.server_cpu_s += server.cpu_seconds() - cpu_before
    cell.server_wait_s += server.wait_seconds() - wait_before
    cell.peak_rss_mb = max(cell.peak_rss_mb, rss.peak_mb)


def interleaved_rounds(
    cells: list[CellState],
    servers: dict[str, RunningServer],
    suite: Suite,
    wrk_cpus: str | None,
    first_round: int,
    say: Callable[[str], None],
) -> None:
    """``suite.runs`` rounds; each round gives every live cell one run, in a rotated order."""
    for index in range(suite.runs):
        round_ = first_round + index
        live = [c for c in cells if not c.failure]
        if not live:
            return
        shift = (index * len(live)) // suite.runs
        for cell in live[shift:] + live[:shift]:
            one_run(cell, servers[cell.config.id], suite.duration_s, wrk_cpus, round_)
    say(f"{suite.runs} rounds of {len(cells)} cells")


def measure_group(
    blocks: list[Block],
    suite: Suite,
    url: str,
    progress: Progress,
    say: Callable[[str], None],
    pace: Pace,
) -> tuple[list[dict], dict[str, Any]]:
    """All cells of blocks sharing a database and worker count, interleaved."""
    workers, database = blocks[0].workers, blocks[0].database
    cells = group_cells(blocks)
    server_cpus, wrk_cpus = cpu_split(workers)
    server_cores = len(server_cpus.split(",")) if server_cpus else os.cpu_count() or 1
    started = time.monotonic()
    servers: dict[str, RunningServer] = {}
    say(f"group: {database}, {workers} worker(s), {len(cells)} cells")
    with ExitStack() as stack:
        for config_id in dict.fromkeys(c.config.id for c in cells):
            config = CONFIGURATIONS[config_id]
            mine = [c for c in cells if c.config.id == config_id]
            ready = mine[0].request.case.request["path"]
            env = {"GUIDE_DATABASE_URL": url}
            try:
                server, _ = stack.enter_context(
                    serve(config, config.prefix + ready, workers, server_cpus, env)
                )
            except ServerStartError as error:
                for cell in mine:
                    cell.failure = f"server: {error}"
                continue
            servers[config.id] = server
        for cell in cells:
            if not cell.failure:
                cell.failure = check_response(
                    servers[cell.config.id].base_url, cell.request, cell.config.prefix
                )
        settled_s = wait_until_quiet(suite.settle_limit_s)
        for subset in comparison_sets(cells):
            measure_set(subset, servers, suite, wrk_cpus, say, pace)
    finished = [c.result(server_cores, suite.max_spread) for c in cells]
    for cell in finished:
        progress(cell)
    group = {
        "database": database,
        "workers": workers,
        "server_cpus": server_cpus,
        "wrk_cpus": wrk_cpus,
        "cells": len(cells),
        "settled_s": settled_s,
        "elapsed_s": round(time.monotonic() - started, 1),
    }
    return finished, group


def comparison_sets(cells: list[CellState]) -> list[list[CellState]]:
    """Cells that ratios compare: the same endpoint at the same concurrency."""
    sets: dict[tuple[str, int], list[CellState]] = {}
    for cell in cells:
        sets.setdefault((cell.endpoint, cell.concurrency), []).append(cell)
    return list(sets.values())


def measure_set(
    cells: list[CellState],
    servers: dict[str, RunningServer],
    suite: Suite,
    wrk_cpus: str | None,
    say: Callable[[str], None],
    pace: Pace,
) -> None:
    """Warm up, then interleaved rounds, then re-runs, for one comparison set.

    Rounds run over one set at a time, so a cell's runs span a minute or two rather than
    the whole group: drift across a long run moves each cell's figures less, and the ratios
    the pages and claims compare (same endpoint, same concurrency) are still paired by round.
    """
    if suite.warmup_s > 0:
        for cell in cells:
            if cell.failure:
                continue
            try:  # warm-up, not recorded; a wrong answer or a socket error still fails the cell
                warm_up = wrk.run(
                    servers[cell.config.id].base_url,
                    cell.request,
                    cell.concurrency,
                    suite.warmup_s,
                    wrk_cpus,
                )
            except (RuntimeError, ValueError) as error:
                cell.failure = f"wrk warm-up: {error}"
                continue
            reason = results.failure_reason([warm_up])
            if reason:
                cell.failure = f"warm-up: {reason}"
    name = f"{cells[0].endpoint} c={cells[0].concurrency}"
    first = pace.new_rounds(suite.runs)
    interleaved_rounds(cells, servers, suite, wrk_cpus, first, lambda text: say(f"{name}: {text}"))
    for attempt in range(suite.reruns):
        noisy = [c for c in cells if not c.failure and stats.spread(_rps(c)) > suite.max_spread]
        if not noisy:
            break
        if attempt > 0 and not pace.allows(len(cells)):
            say(f"{name}: no time left for re-run {attempt + 1}, {len(noisy)} cells flagged")
            break
        say(f"{name}: re-run {attempt + 1}, {len(noisy)} cells above {suite.max_spread:.0%}")
        # The whole set again, not only its noisy cells: a ratio pairs its two cells' runs round
        # by round, and a cell re-measured alone would share no round with the cells it is
        # compared with (its ratio would fall back to an unpaired, wider interval).
        measured = [c for c in cells if not c.failure]
        for cell in measured:
            cell.attempts.append([round(r.rps, 1) for r in cell.runs])
            cell.runs, cell.rounds = [], []
            cell.wrk_cpu_s = cell.wall_s = cell.server_cpu_s = cell.server_wait_s = 0.0
        first = pace.new_rounds(suite.runs)
        interleaved_rounds(measured, servers, suite, wrk_cpus, first, lambda text: None)
    pace.measured += len(cells)


def _rps(cell: CellState) -> list[float]:
    return [r.rps for r in cell.runs]


def grouped(blocks: tuple[Block, ...]) -> dict[tuple[str, int], list[Block]]:
    """Blocks by (database, workers), in the order they first appear."""
    groups: dict[tuple[str, int], list[Block]] = {}
    for block in blocks:
        groups.setdefault((block.database, block.workers), []).append(block)
    return groups


def measure_suite(
    suite: Suite, progress: Progress, say: Callable[[str], None] = print, first_round: int = 0
) -> tuple[list[dict], list[dict], str | None]:
    """Every group of the suite: (cells, groups, PostgreSQL version or None).

    Round numbers start at ``first_round``: a caller that puts these cells beside cells of an
    earlier measurement (the claim tests' re-measurement of a few cells) starts past that
    measurement's rounds, so no ratio pairs two runs made minutes apart."""
    cells, groups, pg_version = [], [], None
    by_database: dict[str, list[list[Block]]] = {}
    for (database, _), blocks in grouped(suite.blocks).items():
        by_database.setdefault(database, []).append(blocks)
    total = sum(len(group_cells(blocks)) for blocks in grouped(suite.blocks).values())
    pace = Pace(total, suite.rerun_budget_s, rounds_used=first_round)
    for database, group_list in by_database.items():
        demo_apps = any(
            not CONFIGURATIONS[config].standalone
            for blocks in group_list
            for block in blocks
            for config in block.configurations
        )
        with ExitStack() as stack:
            if database == POSTGRESQL:
                url, pg_version = stack.enter_context(postgresql_database(demo_apps))
            else:
                url = stack.enter_context(sqlite_database(demo_apps))
            for blocks in group_list:
                found, group = measure_group(blocks, suite, url, progress, say, pace)
                cells += found
                groups.append(group)
    return cells, groups, pg_version


def run(options: Options, progress: Progress = print, say: Callable[[str], None] = print) -> Path:
    """Measure the suite and write its result file; returns the file's path."""
    suite = options.suite
    if options.duration_s:
        suite = replace(suite, duration_s=options.duration_s)
    if options.runs:
        suite = replace(suite, runs=options.runs)
    if options.reruns is not None:
        suite = replace(suite, reruns=options.reruns)
    wrk.wrk_path()  # fail before starting anything when wrk is missing
    started = time.monotonic()
    cells, groups, pg_version = measure_suite(suite, progress, say)
    server_cpus, wrk_cpus = cpu_split(1)
    cost_rows = costs.measure_all(server_cpus) if suite.costs else None
    env = environment.collect(
        {"server_cpus": server_cpus, "wrk_cpus": wrk_cpus}, " and ".join(sorted(suite.databases))
    )
    document = {
        "schema_version": results.SCHEMA_VERSION,
        "suite": {
            "duration_s": suite.duration_s,
            "warmup_s": suite.warmup_s,
            "runs": suite.runs,
            "concurrency": suite.concurrency,
            "max_spread": suite.max_spread,
            "reruns": suite.reruns,
            "rerun_budget_s": suite.rerun_budget_s,
            "interleaved": True,
            "elapsed_s": round(time.monotonic() - started, 1),
            "groups": groups,
        },
        "environment": {**env, "postgresql": pg_version},
        "results": cells,
        "costs": cost_rows,
    }
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H-%M-%SZ")
    return results.write_atomic(document, options.out_dir, f"{stamp}.json")
