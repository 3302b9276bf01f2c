"""The benchmark pages' macros: each renders from the build's result file (``context.py``),
or says there is none yet; ``bench_figure`` puts one measured figure into a sentence.
"""

import argparse
from pathlib import Path
from typing import Any

from docs.plugins.bench_tables import (
    ceiling_chart,
    ceiling_table,
    costs_table,
    data_note,
    database_table,
    endpoint_chart,
    endpoint_table,
    environment_table,
    external_table,
    flags,
    mount_table,
    noise_summary,
    source_note,
    sweep_chart,
    sweep_table,
    workers_table,
)
from docs.plugins.context import Results, current
from docs.plugins.markdown import spoken_list, table
from verified_guide.bench import external, results
from verified_guide.bench.config import FULL, SQLITE, endpoint_title
from verified_guide.bench.options import SUITE_FIELDS, add_run_options
from verified_guide.source_links import links
from verified_guide.topics import ROOT, get_topic

NO_DATA = (
    "*No benchmark result file in `docs/data/benchmarks/` yet: run `make bench` "
    "(see [how to reproduce](reproduce.md)).*\n"
)


# --------------------------------------------------------------------------- page macros
# Each reads the build's result file (the newest, loaded once per build: ``context.py``), so a
# new `make bench` changes the pages with no edit.


def _page(render: Any) -> Any:
    def macro(*args: Any) -> str:
        found = current().results
        return NO_DATA if found is None else render(found, *args)

    macro.__name__ = render.__name__
    macro.__doc__ = render.__doc__
    return macro


@_page
def bench_source(found: Results) -> str:
    """Which result file the page shows, and on what machine it was made."""
    return source_note(found.path, found.doc)


@_page
def bench_endpoint(found: Results, endpoint: str) -> str:
    """Chart and table of one endpoint at the main concurrency."""
    doc = found.doc
    return (
        f"`{endpoint_title(endpoint)}`\n\n"
        + endpoint_chart(doc, endpoint)
        + "\n"
        + endpoint_table(doc, endpoint)
        + data_note(found.path)
    )


@_page
def bench_ceilings(found: Results) -> str:
    """Frameworks as a share of the raw app on the same server."""
    doc = found.doc
    return ceiling_chart(doc) + "\n" + ceiling_table(doc) + data_note(found.path)


@_page
def bench_sweep(found: Results, endpoint: str) -> str:
    """Requests/s against the number of connections."""
    doc = found.doc
    return sweep_chart(doc, endpoint) + "\n" + sweep_table(doc, endpoint) + data_note(found.path)


@_page
def bench_costs(found: Results) -> str:
    """Install, import, start-up and memory figures."""
    return costs_table(found.doc) + data_note(found.path, "scripts/bench/costs.py")


@_page
def bench_workers(found: Results, endpoint: str, database: str = SQLITE) -> str:
    """The worker sweep of one endpoint."""
    return workers_table(found.doc, endpoint, database) + data_note(found.path)


@_page
def bench_databases(found: Results, endpoint: str = "db") -> str:
    """One endpoint (the database read unless named) on SQLite and on PostgreSQL."""
    return database_table(found.doc, endpoint) + data_note(found.path)


@_page
def bench_mount(found: Results) -> str:
    """Served alone against mounted in the demo app."""
    return mount_table(found.doc) + data_note(found.path)


@_page
def bench_noise(found: Results) -> str:
    """The share of cells within the spread limit, and the ones flagged."""
    return noise_summary(found.doc)


@_page
def bench_external(found: Results) -> str:
    """Independent suites' published ratios against ours."""
    return (
        external_table(found.doc)
        + f"\nTheir figures: {links().link(external.EXTERNAL_FILE.relative_to(ROOT))}.\n"
        + data_note(found.path)
    )


@_page
def bench_environment(found: Results) -> str:
    """Machine and versions of the shown run."""
    return environment_table(found.doc) + data_note(found.path)


@_page
def bench_elapsed(found: Results) -> str:
    """How long the shown run took, from its own record."""
    return f"{found.doc['suite']['elapsed_s'] / 60:.0f} minutes"


@_page
def bench_sweep_levels(found: Results) -> str:
    """The connection counts the shown run swept besides the main tables' one, for prose."""
    main = found.doc["suite"]["concurrency"]
    levels = sorted({c["concurrency"] for c in found.doc["results"]} - {main})
    if not levels:
        raise ValueError(f"bench_sweep_levels: {found.path} has no level besides {main}")
    return spoken_list([str(n) for n in levels])


@_page
def bench_worker_counts(found: Results, endpoint: str) -> str:
    """The worker counts the shown run measured an endpoint at ("1, 2 and 4"), for prose."""
    counts = sorted({c["workers"] for c in found.doc["results"] if c["endpoint"] == endpoint})
    if not counts:
        raise ValueError(f"bench_worker_counts: {found.path} has no {endpoint!r} cell")
    return spoken_list([str(n) for n in counts])


@_page
def bench_spread_limit(found: Results) -> str:
    """The run-to-run spread a cell may have in the shown run ("10%"), for prose."""
    return f"{results.spread_limit(found.doc):.0%}"


#: How the methodology states each setting of the full suite it describes.
HARNESS_SETTINGS = {
    "runs": lambda: f"{FULL.runs}",
    "concurrency": lambda: f"{FULL.concurrency}",
    "max_spread": lambda: f"{FULL.max_spread:.0%}",
    "settle_limit_s": lambda: f"{FULL.settle_limit_s:g} s",
}


def bench_harness(setting: str) -> str:
    """One setting of ``make bench``'s suite (``verified_guide/bench/config.py``), for the
    methodology's prose: the page describes the harness as it is configured, not as typed."""
    if setting not in HARNESS_SETTINGS:
        known = ", ".join(HARNESS_SETTINGS)
        raise ValueError(f"bench_harness: unknown setting {setting!r} (known: {known})")
    return HARNESS_SETTINGS[setting]()


def bench_options() -> str:
    """The `run` command's options as a table, read from its parser, with what `make bench`
    (the full suite) uses for each; the table cannot drift from ``--help``."""
    parser = argparse.ArgumentParser(add_help=False)
    add_run_options(parser)
    rows = []
    for action in parser._actions:  # argparse has no public list of a parser's options
        option = " ".join([action.option_strings[0], *([action.metavar] if action.metavar else [])])
        if action.dest in SUITE_FIELDS:
            full = f"{getattr(FULL, SUITE_FIELDS[action.dest]):g}"
        elif isinstance(action.default, Path):
            full = f"`{action.default.relative_to(ROOT).as_posix()}/`"
        else:
            full = "off"
        rows.append([f"`{option}`", action.help or "", full])
    source = links().link("verified_guide/bench/options.py")
    return table(["Option", "Effect", "In `make bench`"], rows) + f"\nSource: {source}.\n"


@_page
def bench_harness_of_run(found: Results) -> str:
    """Where the shown run's settings differ from the harness the methodology describes."""
    return harness_sentence(found)


def harness_sentence(found: Results) -> str:
    """The shown run's settings against the full suite's (``verified_guide/bench/config.py``):
    a run made by an older harness is shown as it was measured, and the methodology says so
    rather than describe steps that run did not take."""
    suite = found.doc["suite"]
    differences = []
    if suite.get("warmup_s") != FULL.warmup_s:
        differences.append(f"a {suite.get('warmup_s'):g} s warm-up (now {FULL.warmup_s:g} s)")
    if suite.get("runs") != FULL.runs:
        differences.append(f"{suite.get('runs')} measured runs per cell (now {FULL.runs})")
    if suite.get("duration_s") != FULL.duration_s:
        differences.append(f"runs of {suite.get('duration_s'):g} s (now {FULL.duration_s:g} s)")
    if suite.get("concurrency") != FULL.concurrency:
        differences.append(
            f"{suite.get('concurrency')} connections as its main level (now {FULL.concurrency})"
        )
    if suite.get("max_spread") != FULL.max_spread:
        differences.append(
            f"a spread limit of {suite.get('max_spread'):.0%} (now {FULL.max_spread:.0%})"
        )
    if suite.get("reruns") != FULL.reruns:
        differences.append(f"at most {suite.get('reruns')} re-run per cell (now {FULL.reruns})")
    if suite.get("rerun_budget_s") is None and FULL.rerun_budget_s is not None:
        differences.append("no time budget for re-runs")
    if all(group.get("settled_s") is None for group in suite.get("groups", [])):
        differences.append("no settling wait")
    if not differences:
        return f"The run the pages show ({found.path.name}) was measured with these settings."
    return (
        f"The run the pages show ({found.path.name}) was measured by an earlier version of the "
        f"harness, with {spoken_list(differences)}; its file records them "
        f"({links().link(found.path.relative_to(ROOT))}, `suite`)."
    )


def bench_figure(
    config: str,
    endpoint: str,
    concurrency: int,
    field: str,
    workers: int = 1,
    database: str = SQLITE,
) -> str:
    """One figure of a benchmark cell in the newest result file, for prose: requests per
    second with thousands separators, a CPU share as a percentage. A missing or failed cell
    stops the build: a sentence must never quote a figure the run did not produce."""
    found = current().results
    path, doc = (found.path, found.doc) if found else (None, {"results": []})
    key = (config, endpoint, concurrency, workers, database)
    cell = next(
        (
            c
            for c in doc["results"]
            if (c["config"], c["endpoint"], c["concurrency"], c["workers"], c["database"]) == key
        ),
        None,
    )
    if cell is None or cell["status"] != "ok" or cell.get(field) is None:
        raise ValueError(
            f"bench_figure: no {field} for {config} {endpoint} at {concurrency} connections, "
            f"{workers} worker(s), {database}, in {path or 'any result file'} "
            "(missing or failed cell)"
        )
    value = cell[field]
    if field.endswith("_cpu"):
        return f"{value:.0%}"
    return f"{value:,.0f}" + (flags(cell) if field == "rps" else "")


def bench_io_ceiling(concurrency: int) -> str:
    """The most requests a second the simulated-I/O endpoint can answer at ``concurrency``
    connections whatever the server: each connection waits the case's ``waited_ms`` per request."""
    waited_ms = get_topic("bench").case("simulated io").expected("fastapi")["json"]["waited_ms"]
    return f"{concurrency * 1000 / waited_ms:,.0f}"


MACROS = (
    bench_figure,
    bench_harness,
    bench_io_ceiling,
    bench_options,
    bench_harness_of_run,
    bench_source,
    bench_endpoint,
    bench_ceilings,
    bench_sweep,
    bench_sweep_levels,
    bench_worker_counts,
    bench_spread_limit,
    bench_costs,
    bench_workers,
    bench_databases,
    bench_mount,
    bench_noise,
    bench_external,
    bench_environment,
    bench_elapsed,
)
