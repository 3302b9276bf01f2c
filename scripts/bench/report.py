"""Result files -> Markdown tables and SVG charts for the benchmark pages (build time).

Every function takes figures only from the newest result file (or the one passed in), so no
number on the performance pages is typed by hand. Failed cells render as "failed: reason".
"""

import io
from pathlib import Path
from typing import Any

import matplotlib

from scripts.anchors import cell_anchor, cost_anchor
from scripts.bench import external, results
from scripts.bench.config import ENDPOINTS, POSTGRESQL, SQLITE, bench_cases
from scripts.markdown import table
from scripts.topics import ROOT

matplotlib.use("Agg")
import matplotlib.pyplot as plt

NO_DATA = (
    "*No benchmark result file in `docs/data/benchmarks/` yet: run `make bench` "
    "(see [how to reproduce](reproduce.md)).*\n"
)
WRK_FLAG = " ⚑"  # marks a cell where wrk, not the server, may have set the pace
NOISY_FLAG = " ⚠"  # marks a cell whose runs spread more than the suite allows, after a re-run
DATABASE_NAMES = {SQLITE: "SQLite", POSTGRESQL: "PostgreSQL"}

Document = dict[str, Any]


def newest() -> tuple[Path, Document] | None:
    path = results.latest()
    return (path, results.load(path)) if path else None


def _cells(
    doc: Document,
    endpoint: str,
    concurrency: int | None = None,
    workers: int = 1,
    database: str = SQLITE,
) -> list[dict]:
    level = doc["suite"]["concurrency"] if concurrency is None else concurrency
    return [
        c
        for c in doc["results"]
        if (c["endpoint"], c["concurrency"], c["workers"], c["database"])
        == (endpoint, level, workers, database)
    ]


def _rps(cell: dict | None) -> str:
    if cell is None:
        return "not measured"
    if cell["status"] != "ok":
        return f"failed: {cell['reason']}"
    return (
        f"{cell['rps']:,.0f}"
        + (WRK_FLAG if cell["wrk_limited"] else "")
        + (NOISY_FLAG if cell["noisy"] else "")
    )


def _interval(cell: dict | None) -> str:
    """The 95% interval of the mean, or nothing for a failed or unmeasured cell."""
    if cell is None or cell["status"] != "ok" or not cell.get("rps_ci95"):
        return ""
    low, high = cell["rps_ci95"]
    return f"{low:,.0f}-{high:,.0f}"


def _figure(cell: dict | None) -> str:
    """Median, interval and p99 in one table cell."""
    if cell is None or cell["status"] != "ok":
        return _rps(cell)
    return f"{_rps(cell)} ({_interval(cell)}; p99 {cell['latency_ms']['p99']:.0f} ms)"


def _pinning(group: dict) -> str:
    if group["server_cpus"] is None:
        return "server and wrk share every core"
    return f"server on CPU {group['server_cpus']}, wrk on CPU {group['wrk_cpus']}"


def source_note(doc_path: Path, doc: Document) -> str:
    env, suite = doc["environment"], doc["suite"]
    rel = doc_path.relative_to(ROOT) if doc_path.is_relative_to(ROOT) else doc_path
    commit = (env.get("git_commit") or "uncommitted tree")[:10]
    groups = "; ".join(
        f"{DATABASE_NAMES.get(g['database'], g['database'])}, {g['workers']} worker(s): "
        f"{_pinning(g)}"
        for g in suite["groups"]
    )
    postgres = f", PostgreSQL {env['postgresql']}" if env.get("postgresql") else ""
    return (
        f"Figures from **`{rel}`** ({env['date']}, commit {commit}): {env['cpu_model']}, "
        f"{env['cores']} cores, {env['ram_gib']} GiB, Python {env['python']}, {env['wrk']}"
        f"{postgres}. {suite['runs']} runs of {suite['duration_s']:g} s per cell in "
        f"interleaved rounds after a {suite['warmup_s']:g} s warm-up ({groups}).\n"
    )


def endpoint_table(doc: Document, endpoint: str) -> str:
    rows = []
    for cell in _cells(doc, endpoint):
        anchor = f'<span id="{cell_anchor(cell["config"], endpoint)}"></span>'
        name = [anchor + cell["label"], cell["server"]]
        if cell["status"] != "ok":
            rows.append([*name, _rps(cell), "", "", "", ""])
            continue
        lat = cell["latency_ms"]
        rows.append(
            [
                *name,
                _rps(cell),
                _interval(cell),
                f"{cell['spread']:.0%}",
                f"{lat['p50']:.1f} / {lat['p99']:.1f}",
                f"{cell['peak_rss_mb']:.0f}",
            ]
        )
    return table(
        [
            "Framework",
            "Server",
            "Requests/s (median)",
            "95% interval (mean)",
            "Spread",
            "p50 / p99 ms",
            "peak RSS MiB",
        ],
        rows,
    )


def _svg(figure: Any) -> str:
    """Deterministic inline SVG: fixed hash salt, no date, text kept as text."""
    buffer = io.StringIO()
    with plt.rc_context({"svg.hashsalt": "verified-guide", "svg.fonttype": "none"}):
        figure.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")
    plt.close(figure)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    return '<div class="bench-chart">' + " ".join(svg.splitlines()) + "</div>\n"


def endpoint_chart(doc: Document, endpoint: str) -> str:
    ok = [c for c in _cells(doc, endpoint) if c["status"] == "ok"]
    if not ok:
        return ""
    labels = [f"{c['label']}\n{c['server']}" for c in ok]
    medians = [c["rps"] for c in ok]
    spread = [[c["rps"] - c["rps_min"] for c in ok], [c["rps_max"] - c["rps"] for c in ok]]
    figure, axes = plt.subplots(figsize=(7, 0.45 * len(ok) + 0.8))
    axes.barh(labels, medians, xerr=spread, color="#4b6cb7", capsize=3)
    axes.invert_yaxis()
    axes.set_xlabel(
        f"requests/s, {endpoint}, {ok[0]['concurrency']} connections (bar: median, "
        "whiskers: min-max)"
    )
    axes.tick_params(labelsize=8)
    return _svg(figure)


def ceiling_table(doc: Document) -> str:
    """Each framework as a fraction of a framework-less app on the same server."""
    rows = []
    raw = [c for c in doc["results"] if c["framework"] == "raw"]
    for endpoint in ("plaintext", "json"):
        for cell in _cells(doc, endpoint):
            if cell["framework"] == "raw":
                continue
            ceiling = next(
                (
                    r
                    for r in raw
                    if r["endpoint"] == endpoint
                    and r["server"] == cell["server"]
                    and r["interface"] == cell["interface"]
                    and r["concurrency"] == cell["concurrency"]
                ),
                None,
            )
            share = (
                "n/a"
                if cell["status"] != "ok" or ceiling is None or ceiling["status"] != "ok"
                else f"{cell['rps'] / ceiling['rps']:.0%}"
            )
            rows.append([endpoint, cell["label"], cell["server"], _rps(cell), _rps(ceiling), share])
    return table(
        ["Endpoint", "Framework", "Server", "Framework req/s", "Raw app req/s", "Share of ceiling"],
        rows,
    )


def _levels(doc: Document, endpoint: str) -> list[int]:
    return sorted(
        {
            c["concurrency"]
            for c in doc["results"]
            if c["endpoint"] == endpoint and c["workers"] == 1 and c["database"] == SQLITE
        }
    )


def sweep_table(doc: Document, endpoint: str) -> str:
    levels = _levels(doc, endpoint)
    configs = dict.fromkeys(
        c["config"]
        for c in doc["results"]
        if c["endpoint"] == endpoint and c["concurrency"] != doc["suite"]["concurrency"]
    )
    rows = []
    for config in configs:
        cells = {
            c["concurrency"]: c
            for c in doc["results"]
            if (c["config"], c["endpoint"], c["workers"], c["database"])
            == (config, endpoint, 1, SQLITE)
        }
        any_cell = next(iter(cells.values()))
        rows.append(
            [any_cell["label"], any_cell["server"]]
            + [
                _rps(cells.get(level))
                + (
                    f" (p99 {cells[level]['latency_ms']['p99']:.0f} ms)"
                    if level in cells and cells[level]["status"] == "ok"
                    else ""
                )
                for level in levels
            ]
        )
    return table(["Framework", "Server", *[f"{n} connections" for n in levels]], rows)


def sweep_chart(doc: Document, endpoint: str) -> str:
    levels = _levels(doc, endpoint)
    figure, axes = plt.subplots(figsize=(7, 3.5))
    configs = dict.fromkeys(
        c["config"]
        for c in doc["results"]
        if c["endpoint"] == endpoint and c["concurrency"] != doc["suite"]["concurrency"]
    )
    for config in configs:
        ok = sorted(
            (c["concurrency"], c["rps"])
            for c in doc["results"]
            if (c["config"], c["endpoint"], c["workers"], c["database"])
            == (config, endpoint, 1, SQLITE)
            and c["status"] == "ok"
        )
        if len(ok) > 1:
            label = next(
                f"{c['label']} / {c['server']}" for c in doc["results"] if c["config"] == config
            )
            axes.plot(*zip(*ok, strict=True), marker="o", label=label)
    axes.set_xscale("log", base=2)
    axes.set_xticks(levels, [str(n) for n in levels])
    axes.set_xlabel("concurrent connections")
    axes.set_ylabel(f"requests/s ({endpoint})")
    axes.legend(fontsize=7)
    return _svg(figure)


def _by_key(doc: Document) -> dict[tuple, dict]:
    return {
        (c["config"], c["endpoint"], c["concurrency"], c["workers"], c["database"]): c
        for c in doc["results"]
    }


def _configs_with(doc: Document, **match: Any) -> list[dict]:
    """One representative cell per configuration among cells matching ``match``."""
    found: dict[str, dict] = {}
    for cell in doc["results"]:
        if all(cell[key] == value for key, value in match.items()):
            found.setdefault(cell["config"], cell)
    return list(found.values())


def workers_table(doc: Document, endpoint: str, database: str = SQLITE) -> str:
    """Requests/s (interval, p99) with 1, 2 and 4 workers, per configuration."""
    level, cells = doc["suite"]["concurrency"], _by_key(doc)
    counts = sorted({c["workers"] for c in doc["results"] if c["endpoint"] == endpoint})
    rows = [
        [
            f"{cell['label']}",
            cell["server"],
            *[_figure(cells.get((cell["config"], endpoint, level, n, database))) for n in counts],
        ]
        for cell in _configs_with(doc, endpoint=endpoint, workers=2, database=database)
    ]
    return table(["Framework", "Server", *[f"{n} worker(s)" for n in counts]], rows)


def database_table(doc: Document) -> str:
    """The database endpoint on SQLite and on PostgreSQL, per configuration and worker count."""
    level, cells = doc["suite"]["concurrency"], _by_key(doc)
    counts = sorted({c["workers"] for c in doc["results"] if c["database"] == POSTGRESQL})
    headers = [
        f"{DATABASE_NAMES[db]}, {n} worker(s)" for n in counts for db in (SQLITE, POSTGRESQL)
    ]
    rows = [
        [
            cell["label"],
            cell["server"],
            *[
                _figure(cells.get((cell["config"], "db", level, n, db)))
                for n in counts
                for db in (SQLITE, POSTGRESQL)
            ],
        ]
        for cell in _configs_with(doc, endpoint="db", database=POSTGRESQL, workers=1)
    ]
    return table(["Framework", "Server", *headers], rows)


def mount_table(doc: Document) -> str:
    """Each bench snippet served alone against the same code mounted in its demo app."""
    level, cells, rows = doc["suite"]["concurrency"], _by_key(doc), []
    for mounted in _configs_with(doc, standalone=False, workers=1, database=SQLITE):
        alone = next(
            (
                c
                for c in _configs_with(doc, standalone=True, workers=1, database=SQLITE)
                if (c["framework"], c["server"]) == (mounted["framework"], mounted["server"])
                and c["interface"] == mounted["interface"]
            ),
            None,
        )
        if alone is None:
            continue
        for endpoint in ("plaintext", "json"):
            a = cells.get((alone["config"], endpoint, level, 1, SQLITE))
            m = cells.get((mounted["config"], endpoint, level, 1, SQLITE))
            if m is None:
                continue
            ratio = (
                f"{a['rps'] / m['rps']:.2f}"
                if a and m and a["status"] == m["status"] == "ok"
                else "n/a"
            )
            rows.append([alone["label"], endpoint, _figure(a), _figure(m), ratio])
    return table(
        ["Framework", "Endpoint", "Served alone", "Mounted in the demo app", "Alone ÷ mounted"],
        rows,
    )


def noise_summary(doc: Document) -> str:
    """How many cells kept their spread within the suite's limit, and which did not."""
    ok = [c for c in doc["results"] if c["status"] == "ok"]
    limit = doc["suite"].get("max_spread") or 0.10
    tight = [c for c in ok if c["spread"] is not None and c["spread"] <= limit]
    noisy = [c for c in ok if c not in tight]
    rerun = sum(bool(c["attempts"]) for c in ok)
    text = (
        f"{len(tight)} of {len(ok)} measured cells ({len(tight) / len(ok):.0%}) have a "
        f"run-to-run spread (max - min, over the median) of at most {limit:.0%}; {rerun} "
        f"cell(s) went over it at first and were measured again in rounds of their own."
    )
    if noisy:
        text += (
            " Above the limit, marked"
            + NOISY_FLAG
            + " in the tables: "
            + ", ".join(
                f"{c['label']} {c['endpoint']} (c={c['concurrency']}, {c['workers']} worker(s), "
                f"{DATABASE_NAMES.get(c['database'], c['database'])}, {c['spread']:.0%})"
                for c in noisy
            )
        )
        text += "."
    failed = [c for c in doc["results"] if c["status"] != "ok"]
    if failed:
        text += f" {len(failed)} cell(s) failed and show no figure."
    return text + "\n"


def external_table(doc: Document) -> str:
    """Published figures from independent suites next to the ratios measured here."""
    level, rows = doc["suite"]["concurrency"], []
    for figure in external.load():
        mine = [
            results.find_cell(doc, config, figure.endpoint, concurrency=level)
            for config in figure.configs
        ]
        ours = (
            f"{mine[0]['rps'] / mine[1]['rps']:.2f}"
            if all(c and c["status"] == "ok" for c in mine)
            else "n/a"
        )
        same = (
            "n/a"
            if ours == "n/a"
            else "yes"
            if (mine[0]["rps"] > mine[1]["rps"]) == (figure.ratio > 1)
            else "no"
        )
        rows.append(
            [
                f"[{figure.suite}]({figure.url}) ({figure.date})",
                figure.test,
                figure.comparison,
                f"{figure.ratio:.2f}",
                ours if ours == "n/a" else f"{ours} (`{figure.endpoint}`)",
                figure.hardware,
                same,
            ]
        )
    return table(
        [
            "Source (date)",
            "Test",
            "Ratio of",
            "Their ratio",
            "Ratio here",
            "Their hardware",
            "Same order here?",
        ],
        rows,
    )


def costs_table(doc: Document) -> str:
    if not doc.get("costs"):
        return "*This result file has no cost figures (a smoke run).*\n"
    rows = [
        [
            f'<span id="{cost_anchor(c["framework"])}"></span>{c["framework"]}',
            c["package"],
            str(c["packages_installed"]),
            f"{c['install_mb']:.1f}",
            f"{c['import_ms']:.0f}",
            f"{c['start_to_first_200_ms']:.0f} ({c['server']})",
            f"{c['idle_rss_mb']:.0f}",
        ]
        for c in doc["costs"]
    ]
    return table(
        [
            "Framework",
            "Installed",
            "Packages",
            "Install MiB",
            "Import ms",
            "Start to first 200, ms",
            "Idle RSS MiB",
        ],
        rows,
    )


def environment_table(doc: Document) -> str:
    env = doc["environment"]
    rows = [
        [key, str(env[key])]
        for key in (
            "date",
            "git_commit",
            "cpu_model",
            "cores",
            "ram_gib",
            "os",
            "kernel",
            "python",
            "wrk",
            "database",
        )
    ]
    rows += [[name, version or "not installed"] for name, version in env["packages"].items()]
    return table(["", "value"], rows)


def endpoint_title(endpoint: str) -> str:
    sent = bench_cases()[ENDPOINTS[endpoint].case].request
    return f"{sent['method']} {ENDPOINTS[endpoint].load_path or sent['path']}"


# --------------------------------------------------------------------------- page macros
# Each reads the newest result file, so a new `make bench` changes the pages with no edit.


def _page(render: Any) -> Any:
    def macro(*args: Any) -> str:
        found = newest()
        return NO_DATA if found is None else render(found, *args)

    macro.__name__ = render.__name__
    macro.__doc__ = render.__doc__
    return macro


@_page
def bench_source(found: tuple[Path, Document]) -> str:
    """Which result file the page shows, and on what machine it was made."""
    return source_note(*found)


@_page
def bench_endpoint(found: tuple[Path, Document], endpoint: str) -> str:
    """Chart and table of one endpoint at the main concurrency."""
    doc = found[1]
    return (
        f"`{endpoint_title(endpoint)}`\n\n"
        + endpoint_chart(doc, endpoint)
        + "\n"
        + endpoint_table(doc, endpoint)
    )


@_page
def bench_ceilings(found: tuple[Path, Document]) -> str:
    """Frameworks as a share of the raw app on the same server."""
    return ceiling_table(found[1])


@_page
def bench_sweep(found: tuple[Path, Document], endpoint: str) -> str:
    """Requests/s against the number of connections."""
    return sweep_chart(found[1], endpoint) + "\n" + sweep_table(found[1], endpoint)


@_page
def bench_costs(found: tuple[Path, Document]) -> str:
    """Install, import, start-up and memory figures."""
    return costs_table(found[1])


@_page
def bench_workers(found: tuple[Path, Document], endpoint: str, database: str = SQLITE) -> str:
    """The worker sweep of one endpoint."""
    return workers_table(found[1], endpoint, database)


@_page
def bench_databases(found: tuple[Path, Document]) -> str:
    """The database endpoint on SQLite and on PostgreSQL."""
    return database_table(found[1])


@_page
def bench_mount(found: tuple[Path, Document]) -> str:
    """Served alone against mounted in the demo app."""
    return mount_table(found[1])


@_page
def bench_noise(found: tuple[Path, Document]) -> str:
    """The share of cells within the spread limit, and the ones flagged."""
    return noise_summary(found[1])


@_page
def bench_external(found: tuple[Path, Document]) -> str:
    """Independent suites' published ratios against ours."""
    return external_table(found[1])


@_page
def bench_environment(found: tuple[Path, Document]) -> str:
    """Machine and versions of the shown run."""
    return environment_table(found[1])


@_page
def bench_elapsed(found: tuple[Path, Document]) -> str:
    """How long the shown run took, from its own record."""
    return f"{found[1]['suite']['elapsed_s'] / 60:.0f} minutes"


MACROS = (
    bench_source,
    bench_endpoint,
    bench_ceilings,
    bench_sweep,
    bench_costs,
    bench_workers,
    bench_databases,
    bench_mount,
    bench_noise,
    bench_external,
    bench_environment,
    bench_elapsed,
)
