"""One result file -> the Markdown tables, SVG charts and notes of the benchmark pages.

The benchmark package measures and writes result files; it never imports this module. Every
function takes its figures from the result file it is given (``bench_page.py`` gives the
build's), so no number on the performance pages is typed by hand. Failed cells render as
"failed: reason".
"""

import statistics
from pathlib import Path
from typing import Any

from docs.plugins.anchors import cell_anchor, cost_anchor
from docs.plugins.charts import dot_plot, drawn_once, line_panels, to_svg
from docs.plugins.markdown import quoted_code, table
from verified_guide.bench import external, results, stats
from verified_guide.bench.config import DATABASE_NAMES, POSTGRESQL, SQLITE, endpoint_title
from verified_guide.bench.environment import measured_code
from verified_guide.bench.results import FLAGS, NOISY_FLAG, flags
from verified_guide.claims.figures import cells_log_ratio, ratio_cell, unpaired_note
from verified_guide.source_links import links
from verified_guide.topics import FRAMEWORK_TITLES, ROOT

Document = dict[str, Any]


def plural(count: int, noun: str) -> str:
    """``1 worker``, ``2 workers``: the count always agrees with its noun."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


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
        return f"failed: {quoted_code(cell['reason'])}"
    return f"{cell['rps']:,.0f}{flags(cell)}"


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


def _in_repo(path: Path) -> Path:
    """A result file's path as the pages name it: from the repository's root when it is in it
    (a reader's own run may be elsewhere)."""
    return path.relative_to(ROOT) if path.is_relative_to(ROOT) else path


def _file_link(path: Path) -> str:
    """A result file as a link to the repository, or its path when it is outside it."""
    rel = _in_repo(path)
    return f"`{rel}`" if rel.is_absolute() else links().link(rel)


def source_note(doc_path: Path, doc: Document) -> str:
    env, suite = doc["environment"], doc["suite"]
    commit = measured_code(env.get("git_commit"), env.get("git_dirty"))
    groups = "; ".join(
        f"{DATABASE_NAMES.get(g['database'], g['database'])}, {plural(g['workers'], 'worker')}: "
        f"{_pinning(g)}"
        for g in suite["groups"]
    )
    postgres = f", PostgreSQL {env['postgresql']}" if env.get("postgresql") else ""
    skipped = "".join(
        f" A newer run, `{_in_repo(newer)}`, is committed but not shown: "
        + (
            f"the machine itself was noisy while it ran (its raw apps, which run no framework"
            f" code, spread a median {floor:.0%})."
            if floor is not None
            else "no raw app was measured in it, so it cannot show the machine was quiet."
        )
        for newer, floor in results.passed_over(doc_path)
    )
    if not results.measured_quietly(doc):
        floor = results.machine_floor(doc)
        skipped += (
            " No committed run was measured on a quiet machine, so this, the newest, is shown:"
            + (
                f" its raw apps spread a median {floor:.0%}, over the"
                f" {results.spread_limit(doc):.0%} limit; read its figures with that in mind."
                if floor is not None
                else " it measured no raw app, so how noisy the machine was is unknown."
            )
        )
    return (
        f"Figures from **{_file_link(doc_path)}** ({env['date']}, {commit}): "
        f"{env['cpu_model']}, {env['cores']} cores, {env['ram_gib']} GiB, "
        f"Python {env['python']}, {env['wrk']}"
        f"{postgres}. {suite['runs']} runs of {suite['duration_s']:g} s per cell "
        f"{'in interleaved rounds' if suite['interleaved'] else 'one cell after another'} "
        f"after a {suite['warmup_s']:g} s warm-up{f' ({groups})' if groups else ''}.{skipped}\n"
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


def _is_ceiling(cell: dict) -> bool:
    """A framework-less app: the server's ceiling, charted apart from the frameworks."""
    return cell["framework"] not in FRAMEWORK_TITLES


def _frameworks_in(cells: list[dict]) -> list[str]:
    return list(dict.fromkeys(c["framework"] for c in cells))


def _servers_in(cells: list[dict]) -> list[str]:
    return sorted({c["server"] for c in cells})


def _setup_name(cell: dict) -> str:
    """What tells a framework's configurations apart: its config id without the framework."""
    return cell["config"].removeprefix(f"{cell['framework']}-")


def _range_rows(cells: list[dict]) -> list[tuple[str, float, float, float]]:
    return [
        (f"{c['label']}\n{c['server']}{flags(c)}", c["rps"], c["rps_min"], c["rps_max"])
        for c in cells
    ]


def _summary(cells: list[dict], unit: str) -> str:
    best = max(cells, key=lambda c: c["rps"])
    worst = min(cells, key=lambda c: c["rps"])
    return (
        f"Highest: {best['label']} on {best['server']}, {best['rps']:,.0f}{flags(best)} {unit}; "
        f"lowest: {worst['label']} on {worst['server']}, {worst['rps']:,.0f}{flags(worst)} "
        f"{unit}. "
        "The table below gives every figure."
    )


@drawn_once
def endpoint_chart(doc: Document, endpoint: str) -> str:
    """Median and min-max requests/s of each framework configuration; framework-less apps
    (ceilings) are left to their own chart so they do not shrink the frameworks' scale."""
    ok = [c for c in _cells(doc, endpoint) if c["status"] == "ok" and not _is_ceiling(c)]
    if not ok:
        return ""
    frameworks, servers = _frameworks_in(ok), _servers_in(ok)
    level = ok[0]["concurrency"]
    figure = dot_plot(
        _range_rows(ok),
        [frameworks.index(c["framework"]) for c in ok],
        [servers.index(c["server"]) for c in ok],
        f"requests/s at {level} connections (dot: median; line: slowest to fastest run)",
    )
    title = f"Requests per second, {endpoint_title(endpoint)}, {level} connections"
    return to_svg(figure, f"chart-{endpoint}", title, _summary(ok, "requests/s"))


@drawn_once
def ceiling_chart(doc: Document) -> str:
    """Each framework's throughput as a share of the framework-less app on its server."""
    rows, colours, markers = [], [], []
    shares = _ceiling_shares(doc)
    frameworks = _frameworks_in([cell for _, cell, _ in shares])
    servers = _servers_in([cell for _, cell, _ in shares])
    for endpoint, cell, share in shares:
        if share is None:
            continue
        mark = _share_flag(doc, cell)
        rows.append((f"{cell['label']}\n{cell['server']}, {endpoint}{mark}", share, share, share))
        colours.append(frameworks.index(cell["framework"]))
        markers.append(servers.index(cell["server"]))
    if not rows:
        return ""
    figure = dot_plot(rows, colours, markers, "share of the raw app's requests/s", "{:.0%}")
    best = max(rows, key=lambda r: r[1])
    worst = min(rows, key=lambda r: r[1])
    description = (
        f"Highest share: {' on '.join(best[0].splitlines())}, {best[1]:.0%}; lowest: "
        f"{' on '.join(worst[0].splitlines())}, {worst[1]:.0%}. "
        "The table below gives every figure."
    )
    return to_svg(figure, "chart-ceilings", "Share of the server's ceiling", description)


def data_note(doc_path: Path, measured_by: str = "scripts/bench") -> str:
    """Where a figure's numbers come from: the result file and the harness that wrote it."""
    source = links()
    data, harness = _file_link(doc_path), source.link(measured_by)
    return f"\nData: {data}, written by the harness in {harness}.\n"


def _ceiling_of(doc: Document, cell: dict) -> dict | None:
    return next(
        (
            r
            for r in doc["results"]
            if _is_ceiling(r)
            and r["endpoint"] == cell["endpoint"]
            and r["server"] == cell["server"]
            and r["interface"] == cell["interface"]
            and r["concurrency"] == cell["concurrency"]
        ),
        None,
    )


def _ceiling_shares(doc: Document) -> list[tuple[str, dict, float | None]]:
    """(endpoint, framework cell, share of its ceiling or None) for every endpoint that has a
    framework-less app in the result file."""
    endpoints = dict.fromkeys(c["endpoint"] for c in doc["results"] if _is_ceiling(c))
    shares = []
    for endpoint in endpoints:
        for cell in _cells(doc, endpoint):
            if _is_ceiling(cell):
                continue
            ceiling = _ceiling_of(doc, cell)
            ok = cell["status"] == "ok" and ceiling is not None and ceiling["status"] == "ok"
            shares.append((endpoint, cell, cell["rps"] / ceiling["rps"] if ok else None))
    return shares


def _share_flag(doc: Document, cell: dict) -> str:
    """The marks of a share of the ceiling: a ratio of two medians, it carries both figures'.
    ⚠ when either spread past the limit; ⚑ when wrk may have set either's pace (a ceiling
    held down by wrk makes every share of it look larger)."""
    pair = [cell, _ceiling_of(doc, cell) or {}]
    return flags({key: any(c.get(key) for c in pair) for _, key in FLAGS})


def ceiling_table(doc: Document) -> str:
    """Each framework as a fraction of a framework-less app on the same server."""
    rows = [
        [
            endpoint,
            cell["label"],
            cell["server"],
            _rps(cell),
            _rps(_ceiling_of(doc, cell)),
            "n/a" if share is None else f"{share:.0%}{_share_flag(doc, cell)}",
        ]
        for endpoint, cell, share in _ceiling_shares(doc)
    ]
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


def _flagged_levels(runs: list[dict]) -> str:
    """A line's flags, as its legend carries them: each mark with the connection counts whose
    point carries it (a point on a line has no label of its own)."""
    marks = []
    for flag, key in FLAGS:
        levels = sorted(c["concurrency"] for c in runs if c[key])
        if levels:
            marks.append(f"{flag} at {', '.join(map(str, levels))}")
    return f" ({';'.join(marks).strip()})" if marks else ""


@drawn_once
def sweep_chart(doc: Document, endpoint: str) -> str:
    """Requests/s against connections: one panel per framework, one line per configuration,
    and the framework-less apps (ceilings) in a panel of their own."""
    levels = _levels(doc, endpoint)
    cells = [
        c
        for c in doc["results"]
        if c["endpoint"] == endpoint
        and c["status"] == "ok"
        and c["concurrency"] in levels
        and (c["workers"], c["database"]) == (1, SQLITE)
    ]
    groups: dict[str, dict[str, list[dict]]] = {}
    for cell in cells:
        group = "ceiling" if _is_ceiling(cell) else cell["framework"]
        groups.setdefault(group, {}).setdefault(cell["config"], []).append(cell)
    panels = []
    for group, configs in groups.items():
        series = [
            (
                (_setup_name(runs[0]) if group != "ceiling" else runs[0]["config"])
                + _flagged_levels(runs),
                sorted((c["concurrency"], c["rps"]) for c in runs),
            )
            for runs in configs.values()
            if len(runs) > 1
        ]
        if series:
            title = FRAMEWORK_TITLES.get(group, "Framework-less apps (ceilings)")
            panels.append((title, series))
    if not panels:
        return ""
    figure = line_panels(panels, levels, "requests/s")
    title = f"Requests per second against connections, {endpoint_title(endpoint)}"
    frameworks = [c for c in cells if not _is_ceiling(c)]
    description = (
        f"One panel per framework and one for the framework-less apps; each panel has its own "
        f"scale. {_summary(frameworks, 'requests/s') if frameworks else ''}"
    )
    return to_svg(figure, f"chart-sweep-{endpoint}", title, description)


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
    return table(["Framework", "Server", *[plural(n, "worker") for n in counts]], rows)


def database_table(doc: Document, endpoint: str = "db") -> str:
    """One endpoint on SQLite and on PostgreSQL, per configuration and worker count (the
    PostgreSQL cells' anchors are here: the claims page links them)."""
    level, cells = doc["suite"]["concurrency"], _by_key(doc)
    counts = sorted(
        {
            c["workers"]
            for c in doc["results"]
            if (c["database"], c["endpoint"]) == (POSTGRESQL, endpoint)
        }
    )
    headers = [
        f"{DATABASE_NAMES[db]}, {plural(n, 'worker')}"
        for n in counts
        for db in (SQLITE, POSTGRESQL)
    ]
    rows = [
        [
            f'<span id="{cell_anchor(cell["config"], endpoint, POSTGRESQL)}"></span>'
            + cell["label"],
            cell["server"],
            *[
                _figure(cells.get((cell["config"], endpoint, level, n, db)))
                for n in counts
                for db in (SQLITE, POSTGRESQL)
            ],
        ]
        for cell in _configs_with(doc, endpoint=endpoint, database=POSTGRESQL, workers=1)
    ]
    return table(["Framework", "Server", *headers], rows)


def _ratio(a: dict | None, b: dict | None) -> stats.Interval | None:
    """a's req/s ÷ b's with its 95% interval, or None when either cell failed or is missing."""
    estimate = cells_log_ratio(a, b)
    return estimate.interval() if estimate else None


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
            ratio = ratio_cell(_ratio(a, m))
            rows.append([alone["label"], endpoint, _figure(a), _figure(m), ratio])
    return table(
        [
            "Framework",
            "Endpoint",
            "Served alone",
            "Mounted in the demo app",
            "Alone ÷ mounted (95% interval)",
        ],
        rows,
    ) + unpaired_note(rows)


def cell_name(cell: dict) -> str:
    """``FastAPI on Uvicorn json (c=64, 1 worker, SQLite``, the closing parenthesis left to the
    caller: the setup with its server, since a framework and endpoint alone can name two
    cells (Flask on Gunicorn and on Granian)."""
    return (
        f"{cell['label']} on {cell['server'].capitalize()} {cell['endpoint']} "
        f"(c={cell['concurrency']}, {plural(cell['workers'], 'worker')}, "
        f"{DATABASE_NAMES.get(cell['database'], cell['database'])}"
    )


def noise_summary(doc: Document) -> str:
    """How many cells kept their spread within the suite's limit, and which did not."""
    ok = [c for c in doc["results"] if c["status"] == "ok"]
    limit = results.spread_limit(doc)
    tight = [c for c in ok if c["spread"] is not None and c["spread"] <= limit]
    noisy = [c for c in ok if c not in tight]
    # A re-run measures a noisy cell's whole comparison set again (older files: the cell
    # alone), so the cells measured again outnumber those that went over the limit.
    over = sum(stats.spread(c["attempts"][0]) > limit for c in ok if c["attempts"])
    again = sum(bool(c["attempts"]) for c in ok)
    text = (
        f"{len(tight)} of {len(ok)} measured cells ({len(tight) / len(ok):.0%}) have a "
        f"run-to-run spread (max - min, over the median) of at most {limit:.0%}; {over} "
        f"cell(s) went over it at first, and {again} (those cells and the cells they are "
        f"compared with) were measured again in new rounds{rerun_policy(doc['suite'], ok)}."
    )
    if noisy:
        text += (
            " Above the limit, marked"
            + NOISY_FLAG
            + " in the tables: "
            + ", ".join(f"{cell_name(c)}, {c['spread']:.0%})" for c in noisy)
        )
        text += "."
    text += moved_sentence(ok, limit)
    text += floor_sentence(ok)
    failed = [c for c in doc["results"] if c["status"] != "ok"]
    if failed:
        text += f" {len(failed)} cell(s) failed and show no figure."
    return text + "\n"


def rerun_policy(suite: dict, ok: list[dict]) -> str:
    """How many times a noisy cell could be measured again, and how many were: every earlier
    attempt stays in the result file, so a reader can see what a re-run replaced."""
    most = max((len(c["attempts"]) for c in ok), default=0)
    if (suite.get("reruns") or 0) <= 1 or not most:
        return ""
    budget = suite.get("rerun_budget_s")
    pace = (
        f", any after the first only while the run kept to its {budget / 60:g}-minute budget"
        if budget
        else ""
    )
    return (
        f" (up to {plural(suite['reruns'], 'time')}{pace}; at most "
        f"{plural(most, 'time')} here, every earlier attempt kept in the result file)"
    )


def moved_sentence(ok: list[dict], limit: float) -> str:
    """The re-run cells whose published median lies more than the limit from their first
    attempt's: a cell's interval comes from its last attempt alone, so it does not show that
    the attempts disagreed (each attempt is in the result file)."""
    moved = [
        c
        for c in ok
        if c["attempts"] and abs(statistics.median(c["attempts"][0]) / c["rps"] - 1) > limit
    ]
    if not moved:
        return ""
    return (
        f" For {plural(len(moved), 'cell')} measured again, the published median is more than"
        f" {limit:.0%} from the first attempt's; their intervals, computed from the last"
        " attempt alone, do not show that disagreement: "
        + ", ".join(f"{cell_name(c)})" for c in moved)
        + "."
    )


def floor_sentence(ok: list[dict]) -> str:
    """The machine's own noise, seen on the raw apps, which run no framework code at all.

    When a raw app's runs spread as much as a framework's, the spread comes from the machine
    (a virtual CPU shares its physical core with guests this one cannot see), not from the
    framework; a reader should read such a run's ratios through their intervals.
    """
    raw = results.raw_spreads(ok)
    if not raw:
        return ""
    return (
        f" The machine's own floor: the {plural(len(raw), 'raw-app cell')} (no framework code)"
        f" spread from {raw[0]:.0%} to {raw[-1]:.0%}, median {statistics.median(raw):.0%}."
    )


def external_table(doc: Document) -> str:
    """Published figures from independent suites next to the ratios measured here."""
    level, rows = doc["suite"]["concurrency"], []
    for figure in external.load():
        mine = [
            results.find_cell(doc, config, figure.endpoint, concurrency=level)
            for config in figure.configs
        ]
        ratio = _ratio(mine[0], mine[1])
        ours = ratio_cell(ratio)
        same = (
            "n/a"
            if ratio is None
            else "borderline (the interval reaches 1)"
            if ratio.straddles(1)
            else "yes"
            if (ratio.value > 1) == (figure.ratio > 1)
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
    ) + unpaired_note(rows)


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
        [key, str(env[key]) if env.get(key) is not None else "not recorded"]
        for key in (
            "date",
            "git_commit",
            "git_dirty",
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
    return table(["Setting", "Value"], rows)
