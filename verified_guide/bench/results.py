"""Result files: one JSON document per run, its schema, and an atomic write.

The site renders only what these files hold, so the schema (pydantic models that reject
unknown keys and wrong types) is what keeps a half-written or hand-edited file from reaching
a page. Files carry ``schema_version``; version 1 files (sequential runs, mounted snippets,
no intervals) still load, converted on reading, with their cells marked as not standalone.
"""

import json
import os
import re
import statistics
import tempfile
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from verified_guide.bench import stats
from verified_guide.bench.wrk import WrkRun

SCHEMA_VERSION = 2
RESULTS_DIR = Path(__file__).resolve().parents[2] / "docs" / "data" / "benchmarks"
WRK_LIMIT = 0.9  # share of one core: above it, wrk (not the server) may have set the pace
MIN_RUNS = 3
V1_SPREAD_LIMIT = 0.10  # the limit that version 1 files, written before it, are judged by


class Strict(BaseModel):
    """No unknown key and no coercion: "2000.0" is not a number, nor "no" a boolean."""

    model_config = ConfigDict(extra="forbid", strict=True)


#: A JSON array of two numbers, read as the pair it is (strict mode takes only a tuple).
Pair = Annotated[
    tuple[float, float], BeforeValidator(lambda v: tuple(v) if isinstance(v, list) else v)
]


class Latency(Strict):
    p50: float
    p90: float
    p99: float


class Cell(Strict):
    """One configuration x endpoint x concurrency x workers x database."""

    config: str
    framework: str
    label: str
    variant: str = ""
    standalone: bool
    server: str
    interface: str
    endpoint: str
    workers: int = Field(ge=1)
    concurrency: int = Field(ge=1)
    database: str
    runs: int = Field(ge=0)
    status: Literal["ok", "failed"]
    reason: str | None = None
    rps: float | None = None  # median of the runs
    rps_mean: float | None = None
    rps_ci95: Pair | None = None  # t-interval of the mean
    rps_min: float | None = None
    rps_max: float | None = None
    rps_all: list[float] | None = None
    rounds: list[int] | None = None  # the interleaved round of each run (None: sequential)
    spread: float | None = None  # (max - min) / median
    noisy: bool = False  # spread still above the suite's limit after the re-run
    attempts: list[list[float]] = []  # earlier attempts' runs, replaced by a re-run
    latency_ms: Latency | None = None
    errors: int = 0
    peak_rss_mb: float | None = None
    wrk_cpu: float | None = None
    server_cpu: float | None = None
    # Run-queue wait of the server's whole process tree (every thread) per second of wall time
    # and per core: other work on its cores raises it, and so do the server's own threads
    # competing for one core (a thread pool's is far above 1 on a quiet machine), so the claim
    # tests judge starvation from ``server_cpu`` instead. Older files lack it.
    server_wait: float | None = None
    wrk_limited: bool = False

    @model_validator(mode="after")
    def _consistent(self) -> "Cell":
        if self.status == "failed":
            if not self.reason:
                raise ValueError("a failed cell needs a reason")
            if self.rps is not None:
                raise ValueError("a failed cell carries no figure")
            figures = ("rps_mean", "rps_ci95", "rps_min", "rps_max", "rps_all", "latency_ms")
            if carried := [name for name in figures if getattr(self, name) is not None]:
                raise ValueError(f"a failed cell carries no figure, but has {carried}")
            return self
        needed = ("rps", "rps_mean", "rps_ci95", "rps_min", "rps_max", "rps_all", "latency_ms")
        missing = [name for name in needed if getattr(self, name) is None]
        if missing:
            raise ValueError(f"an ok cell needs {missing}")
        if self.errors:
            raise ValueError("an ok cell cannot have errors")
        if self.runs < MIN_RUNS or len(self.rps_all or []) != self.runs:
            raise ValueError(f"an ok cell needs at least {MIN_RUNS} runs, all listed in rps_all")
        if self.rounds is not None and len(self.rounds) != self.runs:
            raise ValueError(f"{len(self.rounds)} rounds listed for {self.runs} runs")
        if self.rounds is not None and len(set(self.rounds)) != len(self.rounds):
            # Each run is one round's: a round named twice would pair one run with two.
            raise ValueError(f"rounds {self.rounds} name a round more than once")
        limited = (self.wrk_cpu or 0.0) >= WRK_LIMIT and (self.server_cpu or 0.0) < WRK_LIMIT
        if self.wrk_cpu is not None and self.wrk_limited != limited:
            raise ValueError(
                f"wrk_limited is {self.wrk_limited}, but wrk used {self.wrk_cpu:.0%} of its core"
                f" and the server {self.server_cpu:.0%} of its own (the limit is {WRK_LIMIT:.0%})"
            )
        if problem := _figures_disagree(self):
            raise ValueError(f"figures that are not its runs': {problem}")
        return self


def _figures_disagree(cell: Cell) -> str | None:
    """How an ok cell's summary differs from its own runs (``rps_all``), if it does.

    The pages show the median, range and spread and flag a noisy cell from them; a summary
    edited apart from its runs would publish a figure nobody measured. The runs are stored
    rounded to 0.1 req/s and the summary was computed before rounding, so the median and spread
    may differ by that rounding and no more.
    """
    runs = cell.rps_all or []
    median = statistics.median(runs)
    if (cell.rps_min, cell.rps_max) != (min(runs), max(runs)):
        return f"range {cell.rps_min}-{cell.rps_max}, runs {min(runs)}-{max(runs)}"
    if abs((cell.rps or 0.0) - median) > 0.1:
        return f"median {cell.rps}, runs' median {median}"
    if cell.spread is None or abs(cell.spread - stats.spread(runs)) > 0.1 / min(runs) + 1e-4:
        return f"spread {cell.spread}, runs' spread {stats.spread(runs):.4f}"
    # The interval was computed from the unrounded runs: rounding each to 0.1 moves the mean
    # by 0.05 at most and the interval's edges by less than 0.5 for five or more runs.
    interval = stats.mean_interval(runs)
    edges = (cell.rps_mean, *(cell.rps_ci95 or (None, None)))
    if any(
        abs((x or 0.0) - y) > 0.5
        for x, y in zip(edges, (interval.value, interval.low, interval.high), strict=True)
    ):
        return (
            f"mean {cell.rps_mean} (95% interval {cell.rps_ci95}), runs' {interval.value:.1f} "
            f"({interval.low:.1f}-{interval.high:.1f})"
        )
    return None


class Cost(Strict):
    framework: str
    package: str
    packages_installed: int
    install_mb: float
    import_ms: float
    server: str
    start_to_first_200_ms: float
    idle_rss_mb: float


class Environment(Strict):
    date: str
    git_commit: str | None
    git_dirty: bool | None = None  # tracked files changed since the commit (older files: unknown)
    cpu_model: str
    cores: int
    ram_gib: float
    os: str
    kernel: str
    python: str
    packages: dict[str, str | None]
    wrk: str
    pinning: dict[str, str | None]
    database: str
    postgresql: str | None = None  # the server version, when PostgreSQL cells were measured


class Group(Strict):
    """Cells measured together: same database and worker count, servers side by side."""

    database: str
    workers: int
    server_cpus: str | None
    wrk_cpus: str | None
    cells: int
    settled_s: float | None = None  # waited for an idle machine after the servers started
    elapsed_s: float


class SuiteInfo(Strict):
    duration_s: float
    warmup_s: float
    runs: int
    concurrency: int
    max_spread: float  # version 1 files, written before it, are given the 10% in force since
    reruns: int = 0
    rerun_budget_s: float | None = None
    interleaved: bool = False
    elapsed_s: float
    groups: list[Group] = []


class ResultFile(Strict):
    schema_version: Literal[2]
    suite: SuiteInfo
    environment: Environment
    results: list[Cell] = Field(min_length=1)
    costs: list[Cost] | None = None

    @model_validator(mode="after")
    def _noisy_flags_follow_the_limit(self) -> "ResultFile":
        """A cell is flagged noisy exactly when its spread is over the suite's limit: the pages
        read the flag, so it must say what the runs say (version 1 files, written before the
        limit, are judged by the 10% in force since: ``_convert_v1``)."""
        limit = self.suite.max_spread
        for index, cell in enumerate(self.results):
            if self.suite.interleaved and cell.status == "ok" and cell.rounds is None:
                raise ValueError(
                    f"results.{index} ({cell.config}, {cell.endpoint}): measured in interleaved"
                    " rounds, but lists no round for its runs (its ratios would go unpaired)"
                )
            over = cell.status == "ok" and (cell.spread or 0.0) > limit
            if cell.noisy != over:
                raise ValueError(
                    f"results.{index} ({cell.config}, {cell.endpoint}): noisy is {cell.noisy},"
                    f" but its spread {cell.spread} is {'over' if over else 'within'} the limit"
                    f" {limit}"
                )
        return self


def summarise(
    runs: list[WrkRun],
    rounds: list[int],
    wrk_cpu_share: float,
    server_cpu_share: float,
    server_wait_share: float,
    peak_rss_mb: float,
) -> dict[str, Any]:
    """Median, interval and spread of the measured runs of one cell (all error-free)."""
    rps = [r.rps for r in runs]
    interval = stats.mean_interval(rps)

    def median(values: list[float]) -> float:
        return round(statistics.median(values), 3)

    return {
        "runs": len(runs),
        "rps": round(statistics.median(rps), 1),
        "rps_mean": round(interval.value, 1),
        "rps_ci95": (round(interval.low, 1), round(interval.high, 1)),
        "rps_min": round(min(rps), 1),
        "rps_max": round(max(rps), 1),
        "rps_all": [round(v, 1) for v in rps],
        "rounds": rounds,
        "spread": round(stats.spread(rps), 4),
        "latency_ms": {
            "p50": median([r.p50_ms for r in runs]),
            "p90": median([r.p90_ms for r in runs]),
            "p99": median([r.p99_ms for r in runs]),
        },
        "errors": sum(r.socket_errors + r.error_status for r in runs),
        "peak_rss_mb": round(peak_rss_mb, 1),
        "wrk_cpu": round(wrk_cpu_share, 2),
        "server_cpu": round(server_cpu_share, 2),
        "server_wait": round(server_wait_share, 2),
        # From the rounded shares, as the file records them and the schema checks the flag
        "wrk_limited": round(wrk_cpu_share, 2) >= WRK_LIMIT
        and round(server_cpu_share, 2) < WRK_LIMIT,
    }


def failure_reason(runs: list[WrkRun]) -> str | None:
    """Any answer with status 400 or above or any socket error disqualifies the whole cell, as
    does an idle run. wrk counts no other status: a 3xx under load would pass, which is why
    each endpoint's answer is checked against its case before it is timed."""
    if any(r.requests == 0 for r in runs):
        return "no request completed within a run"
    error_status = sum(r.error_status for r in runs)
    socket_errors = sum(r.socket_errors for r in runs)
    if error_status:
        return f"{error_status} answers with status 400 or above"
    if socket_errors:
        return f"{socket_errors} socket errors"
    return None


#: What a version 1 file held: the top level and its suite (the sweep's levels, endpoints and
#: workers are not carried over, since version 2 reads them from the cells).
V1_KEYS = frozenset({"schema", "suite", "environment", "results", "costs"})
V1_SUITE_KEYS = frozenset(
    {"duration_s", "warmup_s", "runs", "concurrency", "elapsed_s"}
    | {"sweep", "sweep_endpoints", "workers"}
)


def _convert_v1(document: dict[str, Any]) -> dict[str, Any]:
    """A version 1 file as version 2: sequential runs of snippets mounted in the demo apps.
    A key version 1 never wrote is refused, as version 2's schema refuses one."""
    old_suite = document.get("suite", {})
    unknown = sorted(set(document) - V1_KEYS) + [
        f"suite.{key}" for key in sorted(set(old_suite) - V1_SUITE_KEYS)
    ]
    if unknown:
        raise ValueError(f"keys a version 1 result file never had: {', '.join(unknown)}")
    database = document.get("environment", {}).get("database", "sqlite")
    cells = []
    for old in document.get("results", []):
        cell = {**old, "standalone": False, "database": database}
        if old.get("status") == "ok" and old.get("rps_all"):
            interval = stats.mean_interval(old["rps_all"])
            cell["rps_mean"] = round(interval.value, 1)
            cell["rps_ci95"] = (round(interval.low, 1), round(interval.high, 1))
            cell["spread"] = round(stats.spread(old["rps_all"]), 4)
            # Version 1 had no spread limit: its cells are judged by the one in force since,
            # so the pages flag the same cells that the noise summary counts as over it.
            cell["noisy"] = cell["spread"] > V1_SPREAD_LIMIT
        cells.append(cell)
    return {
        "schema_version": SCHEMA_VERSION,
        "suite": {
            **{
                key: old_suite[key]
                for key in ("duration_s", "warmup_s", "runs", "concurrency", "elapsed_s")
                if key in old_suite
            },
            "max_spread": V1_SPREAD_LIMIT,
        },
        "environment": document.get("environment"),
        "results": cells,
        "costs": document.get("costs"),
    }


def upgrade(document: dict[str, Any]) -> dict[str, Any]:
    """Any supported version as the current one (unknown versions are left to fail)."""
    if document.get("schema") == 1 and "schema_version" not in document:
        return _convert_v1(document)
    return document


def _where(error: dict[str, Any]) -> str:
    return ".".join(str(part) for part in error["loc"]) or "(document)"


def validate(document: dict[str, Any]) -> list[str]:
    """Every way the document breaks the schema, with its key path; empty when valid."""
    try:
        ResultFile.model_validate(upgrade(document))
    except ValidationError as error:
        return [f"{_where(e)}: {e['msg']}" for e in error.errors()]
    except ValueError as error:  # a version 1 file with a key it never had
        return [f"(document): {error}"]
    return []


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
    """A result file, validated and upgraded to the current schema, as plain data."""
    document = json.loads(path.read_text())
    try:
        model = ResultFile.model_validate(upgrade(document))
    except ValidationError as error:
        problems = "; ".join(f"{_where(e)}: {e['msg']}" for e in error.errors())
        raise ValueError(f"{path}: breaks the result schema: {problems}") from None
    except ValueError as error:
        raise ValueError(f"{path}: breaks the result schema: {error}") from None
    return model.model_dump(mode="json")


WRK_FLAG = " ⚑"  # marks a cell where wrk, not the server, may have set the pace
NOISY_FLAG = " ⚠"  # marks a cell whose runs spread more than the suite allows, after a re-run


#: Each mark with the cell's flag that sets it.
FLAGS = ((WRK_FLAG, "wrk_limited"), (NOISY_FLAG, "noisy"))


def flags(cell: dict) -> str:
    """The marks every figure of an ok cell carries wherever it is shown: ⚑ when wrk may have
    set the pace, ⚠ when its runs spread past the limit."""
    return "".join(mark for mark, key in FLAGS if cell[key])


def raw_spreads(cells: list[dict[str, Any]]) -> list[float]:
    """The run-to-run spreads of the raw apps' measured cells (no framework code), lowest first:
    the machine's own noise."""
    return sorted(
        c["spread"]
        for c in cells
        if c.get("framework") == "raw" and c.get("status") == "ok" and c.get("spread") is not None
    )


def machine_floor(document: dict[str, Any]) -> float | None:
    """The machine's own noise during a run: the median spread of the raw apps' cells
    (``None`` in a file without them)."""
    raw = raw_spreads(document["results"])
    return statistics.median(raw) if raw else None


def spread_limit(document: dict[str, Any]) -> float:
    """The run-to-run spread a cell may have: the suite's, or 10% in files written before the
    suite recorded it."""
    return document["suite"].get("max_spread") or V1_SPREAD_LIMIT


def measured_quietly(document: dict[str, Any]) -> bool:
    """Whether the machine's floor stayed within the suite's spread limit; a run without a
    measured raw app (a partial run, or one whose raw apps failed) cannot show that it did."""
    floor = machine_floor(document)
    return floor is not None and floor <= spread_limit(document)


#: A result file's name: the UTC time the run started, as the runner writes it.
RESULT_NAME = re.compile(r"\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ\.json")


def _files(directory: Path) -> list[Path]:
    """Result files, oldest first, by the timestamp that names them; any other JSON file
    there (a copy, a hand-made file) is never a candidate."""
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.glob("*.json") if RESULT_NAME.fullmatch(p.name))


def latest(directory: Path = RESULTS_DIR) -> Path | None:
    """The result file the pages show: the newest one measured on a quiet machine, or the
    newest of all when none was.

    A run on a noisy virtual machine (its raw apps, with no framework code, spreading more
    than the limit) measures the machine more than the frameworks. Such a run is committed
    like any other, and the pages name it (``passed_over``), but it does not replace a run
    measured quietly. The rule reads only the raw apps, so it cannot favour a framework.
    """
    files = _files(directory)
    return next(
        (f for f in reversed(files) if measured_quietly(_peek(f))), files[-1] if files else None
    )


def _peek(path: Path) -> dict[str, Any]:
    """A result file's cells and suite, without the schema check: choosing the file must not
    cost a build a validation of every newer one (the build validates the chosen file once,
    with ``load``)."""
    try:
        return upgrade(json.loads(path.read_text(encoding="utf-8")))
    except ValueError as error:  # not JSON, or a version 1 file with a key it never had
        raise ValueError(f"{path}: {error}") from None


def passed_over(shown: Path) -> list[tuple[Path, float | None]]:
    """Newer result files than ``shown`` (runs ``latest`` passed over), with their machine
    floor (None: no raw app was measured in it)."""
    return [(f, machine_floor(_peek(f))) for f in _files(shown.parent) if f.name > shown.name]


def find_cell(
    document: dict[str, Any],
    config: str,
    endpoint: str,
    *,
    workers: int = 1,
    database: str = "sqlite",
    concurrency: int | None = None,
) -> dict[str, Any] | None:
    """One cell, failed or not; concurrency defaults to the suite's main level."""
    key = (config, endpoint, concurrency or document["suite"]["concurrency"], workers, database)
    return next(
        (
            c
            for c in document["results"]
            if (c["config"], c["endpoint"], c["concurrency"], c["workers"], c["database"]) == key
        ),
        None,
    )
