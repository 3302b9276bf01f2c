"""Result files -> Markdown tables and SVG charts for the benchmark pages (build time).

Every function takes figures only from the newest result file (or the one passed in), so no
number on the performance pages is typed by hand. Failed cells render as "failed: reason".
"""

import io
from pathlib import Path
from typing import Any

import matplotlib

from scripts.bench import results
from scripts.bench.config import ENDPOINTS
from scripts.claims_page import cell_anchor, cost_anchor, headline_table
from scripts.markdown import table
from scripts.topics import ROOT

matplotlib.use("Agg")
import matplotlib.pyplot as plt

NO_DATA = (
    "*No benchmark result file in `docs/data/benchmarks/` yet: run `make bench` "
    "(see [how to reproduce](reproduce.md)).*\n"
)
WRK_FLAG = " ⚑"  # marks a cell where wrk, not the server, may have set the pace

Document = dict[str, Any]


def newest() -> tuple[Path, Document] | None:
    path = results.latest()
    return (path, results.load(path)) if path else None


def _cells(doc: Document, endpoint: str, concurrency: int | None = None) -> list[dict]:
    level = doc["suite"]["concurrency"] if concurrency is None else concurrency
    return [c for c in doc["results"] if c["endpoint"] == endpoint and c["concurrency"] == level]


def _rps(cell: dict | None) -> str:
    if cell is None:
        return "not measured"
    if cell["status"] != "ok":
        return f"failed: {cell['reason']}"
    return f"{cell['rps']:,.0f}" + (WRK_FLAG if cell["wrk_limited"] else "")


def source_note(doc_path: Path, doc: Document) -> str:
    env = doc["environment"]
    rel = doc_path.relative_to(ROOT) if doc_path.is_relative_to(ROOT) else doc_path
    commit = (env.get("git_commit") or "uncommitted tree")[:10]
    return (
        f"Figures from **`{rel}`** ({env['date']}, commit {commit}): {env['cpu_model']}, "
        f"{env['cores']} cores, {env['ram_gib']} GiB, Python {env['python']}, {env['wrk']}; "
        f"server on CPU {env['pinning']['server_cpus']}, wrk on CPU "
        f"{env['pinning']['wrk_cpus']}; {doc['suite']['runs']} runs of "
        f"{doc['suite']['duration_s']:g} s per cell after a {doc['suite']['warmup_s']:g} s "
        f"warm-up; {doc['suite']['workers']} worker(s).\n"
    )


def endpoint_table(doc: Document, endpoint: str) -> str:
    rows = []
    for cell in _cells(doc, endpoint):
        anchor = f'<span id="{cell_anchor(cell["config"], endpoint)}"></span>'
        name = [anchor + cell["label"], cell["server"]]
        if cell["status"] != "ok":
            rows.append([*name, _rps(cell), "", "", ""])
            continue
        lat = cell["latency_ms"]
        rows.append(
            [
                *name,
                _rps(cell),
                f"{cell['rps_min']:,.0f}-{cell['rps_max']:,.0f}",
                f"{lat['p50']:.1f} / {lat['p99']:.1f}",
                f"{cell['peak_rss_mb']:.0f}",
            ]
        )
    return table(
        ["Framework", "Server", "Requests/s (median)", "min-max", "p50 / p99 ms", "peak RSS MiB"],
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


def sweep_table(doc: Document, endpoint: str) -> str:
    levels = doc["suite"]["sweep"]
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
            if c["config"] == config and c["endpoint"] == endpoint
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
    levels = doc["suite"]["sweep"]
    figure, axes = plt.subplots(figsize=(7, 3.5))
    configs = dict.fromkeys(c["config"] for c in doc["results"] if c["endpoint"] == endpoint)
    for config in configs:
        ok = sorted(
            (c["concurrency"], c["rps"])
            for c in doc["results"]
            if c["config"] == config
            and c["endpoint"] == endpoint
            and c["status"] == "ok"
            and c["concurrency"] in levels
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
    spec = ENDPOINTS[endpoint]
    return f"{spec.method} {spec.path}"


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
def bench_claims(found: tuple[Path, Document]) -> str:
    """The article's four figures against ours, as ratios too, with their verdicts."""
    return headline_table(found[1], base="../")


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
    bench_claims,
    bench_environment,
    bench_elapsed,
)
