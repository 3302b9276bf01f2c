"""What the claim rules read from a benchmark result file: the cells that ran without error,
ratios of two setups' throughput with their 95% intervals, the names the file gives a setup,
and the cost rows, with the phrases the rules' sentences quote them in.

Apart from the rules (``rules.py``), so the claims page (``docs/plugins/claims_page.py``) reads
the same cells and ratios as the verdicts without reaching into the rule registry.
"""

from __future__ import annotations

from typing import Any

from verified_guide.bench import results, stats
from verified_guide.bench.config import SQLITE
from verified_guide.bench.stats import Interval
from verified_guide.claims.evidence import ClaimError
from verified_guide.topics import FRAMEWORK_TITLES

Document = dict[str, Any]


def ok_cell(
    doc: Document, config: str, endpoint: str, database: str = SQLITE, workers: int = 1
) -> dict | None:
    """The cell at the suite's main concurrency, only if its run had no errors."""
    cell = results.find_cell(doc, config, endpoint, workers=workers, database=database)
    return cell if cell and cell["status"] == "ok" else None


def log_ratio_of(
    doc: Document, a: str, b: str, endpoint: str, database: str = SQLITE
) -> stats.LogEstimate | None:
    """The log of a\'s req/s ÷ b\'s with its spread (``None`` when a cell failed)."""
    return cells_log_ratio(ok_cell(doc, a, endpoint, database), ok_cell(doc, b, endpoint, database))


def cells_log_ratio(cell_a: dict | None, cell_b: dict | None) -> stats.LogEstimate | None:
    """The log of one cell's req/s ÷ another's, paired by round where they share rounds
    (``None`` unless both cells ran without errors)."""
    if not (cell_a and cell_b and cell_a["status"] == cell_b["status"] == "ok"):
        return None
    return stats.log_ratio(cell_a["rps_all"], cell_b["rps_all"], cell_a["rounds"], cell_b["rounds"])


def rps_ratio_of(
    doc: Document, a: str, b: str, endpoint: str, database: str = SQLITE
) -> Interval | None:
    """a's req/s ÷ b's, from the runs of both cells (paired by round where they can be)."""
    estimate = log_ratio_of(doc, a, b, endpoint, database)
    return estimate.interval() if estimate else None


def narrowing(
    doc: Document, a: str, other: str, wide: str, narrow: str, database: str
) -> Interval | None:
    """(a ÷ other on ``narrow``) ÷ (a ÷ other on ``wide``): below 1 when the gap shrinks."""
    estimates = [log_ratio_of(doc, a, other, ep, database) for ep in (narrow, wide)]
    if None in estimates:
        return None
    return estimates[0].minus(estimates[1]).interval()


def label_of(doc: Document, config: str) -> str:
    """``FastAPI on Uvicorn``: the label the result file gives the configuration (the name it
    was measured under, as on the benchmark page, even if the code has since renamed it)."""
    cell = next((c for c in doc["results"] if c["config"] == config), None)
    if cell is None:
        raise ClaimError(f"no cell of configuration {config!r} in the result file")
    return f"{cell['label']} on {cell['server'].capitalize()}"


# Beside a ratio whose two cells shared too few rounds to pair their runs (measured apart, as
# a cell re-run alone was before whole sets were): its interval is the wider, unpaired one.
UNPAIRED = ", unpaired"


def _ratio(interval: Interval, label: str = "") -> str:
    pairing = UNPAIRED if interval.paired is False else ""
    return f"{interval.value:.2f} ({label}{interval.low:.2f}-{interval.high:.2f}{pairing})"


def ratio_text(interval: Interval) -> str:
    """``1.23 (95% interval 1.10-1.37)``, with ``unpaired`` when the runs were not."""
    return _ratio(interval, "95% interval ")


def ratio_cell(interval: Interval | None) -> str:
    """A ratio in a table: ``1.23 (1.10-1.37)``, ``unpaired`` as in ``ratio_text``; ``n/a``
    when a cell failed or is missing."""
    return "n/a" if interval is None else _ratio(interval)


def unpaired_note(rows: list[list[str]]) -> str:
    """The line under a table that has an unpaired ratio in it, saying what that means."""
    if not any(UNPAIRED in text for row in rows for text in row):
        return ""
    return (
        f"\n*unpaired*: the two cells share fewer than {stats.MIN_PAIRED_ROUNDS} interleaved "
        "rounds (one was "
        "measured again on its own, or in another set), so their runs are not compared round "
        "by round; the interval adds both cells' spreads and is wider.\n"
    )


def ratios_of(
    doc: Document, claim: dict, database: str = SQLITE
) -> dict[tuple[str, str], Interval]:
    """The claim's setup ``a`` ÷ each of its ``others``, on each of its endpoints (failed cells
    left out)."""
    return {
        (other, ep): r
        for other in claim["others"]
        for ep in claim["endpoints"]
        if (r := rps_ratio_of(doc, claim["a"], other, ep, database=database)) is not None
    }


def ratio_lines(doc: Document, claim: dict, ratios: dict[tuple[str, str], Interval]) -> str:
    """``÷ Django on Gunicorn: `json` 2.10 (1.90-2.30), ...``: ``ratios_of`` in words."""
    return "; ".join(
        f"÷ {label_of(doc, other)}: "
        + ", ".join(f"`{ep}` {ratio_cell(r)}" for (o, ep), r in ratios.items() if o == other)
        for other in claim["others"]
    )


def costs_of(doc: Document | None) -> dict[str, dict]:
    """The cost step\'s rows by framework (none before the first run)."""
    return {c["framework"]: c for c in (doc or {}).get("costs") or []}


COST_NAMES = {
    "packages_installed": "packages installed",
    "install_mb": "install size (MiB)",
    "import_ms": "import time (ms)",
    "idle_rss_mb": "idle memory (MiB)",
}


def cost_figures(costs: dict[str, dict], metric: str) -> str:
    """``import time (ms): FastAPI 310, Django 420, ...``."""
    return f"{COST_NAMES[metric]}: " + ", ".join(
        f"{FRAMEWORK_TITLES[fw]} {c[metric]:g}" for fw, c in costs.items()
    )
