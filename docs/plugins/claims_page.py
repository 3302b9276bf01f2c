"""Markdown for the claims page and the landing page, from the build's ledger of verdicts.

Links are written as Markdown links to ``.md`` files, relative to the docs root (or to the
page, with ``base``), so MkDocs checks every one of them, anchors included, in a strict build.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docs.plugins.anchors import cell_anchor, cost_anchor
from docs.plugins.bench_tables import data_note
from docs.plugins.context import current
from docs.plugins.markdown import table
from verified_guide.bench import results, stats
from verified_guide.bench.config import DATABASE_NAMES, SQLITE
from verified_guide.bench.results import NOISY_FLAG
from verified_guide.claims.evidence import Outcome
from verified_guide.claims.figures import label_of, ratio_cell, rps_ratio_of, unpaired_note
from verified_guide.claims.ledger import (
    FAILING,
    LABELS,
    NOT_REMEASURED,
    Ledger,
    Verdict,
    label_counts,
    report_failures,
)
from verified_guide.claims.rules import BORDERLINE, NOT_CHECKABLE, UNTESTED_RULES, rule_descriptions
from verified_guide.frameworks import REGISTRY
from verified_guide.freshness import newer_inputs
from verified_guide.lockfile import locked_versions as read_lock
from verified_guide.source_links import links
from verified_guide.topics import FRAMEWORK_TITLES, ROOT, all_topics, page_of, snippet_files

#: The packages whose locked versions the landing page lists, in reading order: each
#: framework's own (verified_guide/frameworks.yaml), then the servers and the site's generator.
HEADLINE_PACKAGES = (
    *(name for spec in REGISTRY.frameworks for name in spec.packages),
    "uvicorn", "gunicorn", "granian", "mkdocs", "mkdocs-material",
)  # fmt: skip
PAGE_TITLES = {
    "benchmarks/index.md": "Benchmark results",
    "benchmarks/methodology.md": "Benchmark methodology",
    "decide.md": "Decision guide",
}


PUBLISHED_BASIS = "judged from published data"


def badge(label: str) -> str:
    css = label.replace(" ", "-")
    return f'<span class="verdict verdict-{css}">{label}</span>'


def verdict_badge(verdict: Verdict) -> str:
    """The verdict's label, and beside it, for a verdict no test computed, where it comes from,
    so a survey's verdict never reads like a measured one."""
    if verdict.claim["rule"] not in UNTESTED_RULES:
        return badge(verdict.label)
    return f'{badge(verdict.label)} <span class="verdict-basis">{PUBLISHED_BASIS}</span>'


def page_link(target: str, base: str = "") -> str:
    """``guide/admin.md#verdict`` -> ``[Admin (verdict)](guide/admin.md#verdict)``."""
    path, _, anchor = target.partition("#")
    topics = {page_of(t): t.title for t in all_topics()}
    title = topics.get(path) or PAGE_TITLES.get(path)
    if title is None:
        raise ValueError(f"docs/data/claims.yaml links to {target!r}, a page with no title here")
    if anchor:
        title += f": {anchor.replace('-', ' ')}"
    return f"[{title}]({base}{target})"


def _test_lines(tests: tuple[Outcome, ...]) -> list[str]:
    """One line per test function; parametrised runs are counted, not listed."""
    groups: dict[str, list[Outcome]] = {}
    for test in tests:
        groups.setdefault(test.function, []).append(test)
    lines = []
    for function, runs in groups.items():
        passed = sum(t.outcome == "passed" for t in runs)
        status = runs[0].outcome if len(runs) == 1 else f"{passed} of {len(runs)} runs passed"
        file, _, name = function.partition("::")
        shown = f"`{name or file}`"
        if (ROOT / file).is_file():  # a report from another checkout may name other files
            shown = links().link(file, shown)
        lines.append(f"{shown} (`{file}`): {status}")
    return lines


def _evidence_list(verdict: Verdict, doc: dict | None) -> str:
    items = []
    if verdict.tests:
        items.append("Tests: " + "; ".join(_test_lines(verdict.tests)) + ".")
    pages = verdict.claim.get("pages") or []
    if pages:
        items.append("Pages: " + ", ".join(page_link(p) for p in pages) + ".")
    by_config: dict[str, list[str]] = {}
    for config, endpoint, database in dict.fromkeys(verdict.finding.cells):
        cell = results.find_cell(doc, config, endpoint, database=database) if doc else None
        figure = f"{cell['rps']:,.0f}" if cell and cell["status"] == "ok" else "failed"
        figure += NOISY_FLAG if cell and cell.get("noisy") else ""
        where = f" on {DATABASE_NAMES[database]}" if database != SQLITE else ""
        anchor = cell_anchor(config, endpoint, database)
        by_config.setdefault(config, []).append(
            f"[`{endpoint}`{where}](benchmarks/index.md#{anchor}) {figure}"
        )
    if by_config:
        groups = "; ".join(f"{label_of(doc, cfg)}: {', '.join(c)}" for cfg, c in by_config.items())
        noisy = f" ({NOISY_LEGEND.strip()})" if NOISY_FLAG in groups else ""
        items.append(f"Benchmark cells (req/s): {groups}.{noisy}")
    if verdict.finding.costs:
        rows = ", ".join(
            f"[{FRAMEWORK_TITLES[fw]}](benchmarks/index.md#{cost_anchor(fw)})"
            for fw in verdict.finding.costs
        )
        items.append(f"Cost rows: {rows}.")
    return "".join(f"- {item}\n" for item in items)


def claims_page() -> str:
    """Everything below the introduction of ``docs/claims.md``: summary, one section per
    claim, and the rules; warns (failing the strict build) on failing evidence."""
    return claims_section(current().ledger)


def claims_section(ledger: Ledger) -> str:
    """The claims page's body for one ledger of verdicts."""
    verdicts, doc, path, evidence = ledger.verdicts, ledger.doc, ledger.doc_path, ledger.evidence
    report_failures(verdicts)
    summary = table(
        ["Claim", "Verdict"],
        [[f"[{v.claim['title']}](#{v.claim['id']})", verdict_badge(v)] for v in verdicts],
    )
    source = (
        f"Test outcomes from the evidence run that finished {evidence.finished} "
        f"({len(evidence.tests)} claim tests, recorded by "
        f"{links().link('tests/support/claim_evidence.py')}"
        + (f"; benchmark figures from {links().link(path.relative_to(ROOT))}" if path else "")
        + ").\n"
    )
    sections = []
    for v in verdicts:
        sections.append(
            f"## {v.claim['title']} {{#{v.claim['id']}}}\n\n"
            f"**The article says:** {v.claim['claim'].strip()}\n\n"
            f"**Verdict:** {verdict_badge(v)} (rule: [`{v.claim['rule']}`](#rules), "
            f"computed by {links().link('verified_guide/claims/rules.py')})\n\n"
            f"{v.text}\n\n"
            + (_evidence_list(v, doc) if v.label != NOT_CHECKABLE or v.tests else "")
        )
    rules = "".join(f"- **`{name}`**: {text}\n" for name, text in rule_descriptions())
    return (
        summary
        + "\n"
        + source
        + "\n"
        + "\n".join(sections)
        + "\n## How the verdicts are computed {#rules}\n\n"
        + "Each claim names one of these rules in `docs/data/claims.yaml`; the rule reads "
        "the figures, and the claim's tests must all have passed for its verdict to show. "
        f"A claim whose tests did not pass is marked *{FAILING}*, and the strict build of "
        "the site fails. Throughput claims are judged from ratios measured in interleaved "
        "rounds, each with a 95% interval; when that interval reaches across a limit of the "
        f"rule, the verdict is *{BORDERLINE}* instead of whichever side the noise fell on. "
        "A ratio marked *unpaired* compares two cells that share fewer than "
        f"{stats.MIN_PAIRED_ROUNDS} rounds (one "
        "was measured again on its own), so its interval adds both cells' spreads. "
        "Where the re-measurement could not run (no `wrk` on the machine that built this "
        f"site), the verdict comes from the committed result file and says *{NOT_REMEASURED}*."
        "\n\n" + rules
    )


# ----------------------------------------------------------------------------- landing page


def headline_table(ledger: Ledger, base: str = "") -> str:
    """The article's throughput figures next to ours, as absolute figures and as ratios (the
    ledger must have been judged from a result file)."""
    doc = ledger.doc
    if doc is None:
        raise ValueError("headline_table: the ledger was judged without a result file")
    verdicts = [v for v in ledger.verdicts if v.claim["rule"] == "rps_ratio"]
    claims = {v.claim["id"]: v.claim for v in verdicts}
    rows = []
    for v in verdicts:
        claim, reference = v.claim, claims[v.claim["reference_claim"]]
        cells = {
            cfg: results.find_cell(doc, cfg, claim["endpoint"])
            for cfg in (claim["config"], reference["config"])
        }
        ok = all(c and c["status"] == "ok" for c in cells.values())
        mine = cells[claim["config"]]
        rows.append(
            [
                label_of(doc, claim["config"]),
                f"{claim['rps']:,}",
                f"[{mine['rps']:,.0f}]({base}benchmarks/index.md#"
                f"{cell_anchor(claim['config'], claim['endpoint'])})"
                + (NOISY_FLAG if mine.get("noisy") else "")
                if ok
                else "failed",
                label_of(doc, reference["config"]),
                f"{claim['rps'] / reference['rps']:.2f}",
                ratio_cell(
                    rps_ratio_of(doc, claim["config"], reference["config"], claim["endpoint"])
                )
                + (NOISY_FLAG if any(c.get("noisy") for c in cells.values()) else "")
                if ok
                else "n/a",
                f"[{badge(v.label)}]({base}claims.md#{claim['id']})",
            ]
        )
    return (
        table(
            [
                "Setup (one worker, JSON)",
                "Article, req/s",
                "Measured, req/s",
                "Ratio to",
                "Article's ratio",
                "Measured ratio (95% interval)",
                "Verdict",
            ],
            rows,
        )
        + (HEADLINE_LEGEND if any(NOISY_FLAG in text for row in rows for text in row) else "")
        + unpaired_note(rows)
    )


#: What the flag beside a figure means, on the claims page (the benchmarks page has its own).
NOISY_LEGEND = (
    f"\n{NOISY_FLAG.strip()}: a cell of this comparison spread more than the suite's limit from "
    "run to run, even after a re-run; its 95% interval, which the verdict reads, is wider "
    "for it.\n"
)


#: The headline table's flags: a figure's own spread, and a ratio's two cells (a noisy
#: reference cell widens the ratio's interval, not the other setup's figure).
HEADLINE_LEGEND = (
    f"\n{NOISY_FLAG.strip()}: beside a figure, that cell spread more than the suite's limit from "
    "run to run, even after a re-run; beside a ratio, one of its two cells did, and the 95% "
    "interval, which the verdict reads, is wider for it.\n"
)


def locked_versions() -> str:
    """The versions the site was tested with, read from ``uv.lock``."""
    packages = read_lock()
    missing = [name for name in HEADLINE_PACKAGES if name not in packages]
    if missing:
        raise ValueError(f"uv.lock: no locked version for {missing}")
    return ", ".join(f"{name} {packages[name]}" for name in HEADLINE_PACKAGES)


def claim_counts_sentence(counts: dict[str, Any]) -> str:
    """The landing page's line about the claims: every verdict state named once, with counts
    that add up to the number of claims (``tests/test_claims.py`` checks both)."""
    states = ", ".join(f"{n} {label}" for label, n in counts["labels"].items())
    text = f"**{counts['claims']} of the article's claims judged**"
    if counts["published"]:
        text += f" ({counts['published']} of them {PUBLISHED_BASIS}, not by a test here)"
    return f"{text}, each with one verdict: {states};"


def site_counts(ledger: Ledger) -> dict[str, Any]:
    """The figures the landing page states about the site itself, counted at build time."""
    verdicts = ledger.verdicts
    counts = label_counts(verdicts)
    cells = ledger.doc["results"] if ledger.doc else []
    return {
        "snippets": len(snippet_files()),
        "topics": len(all_topics()),
        "tests": ledger.evidence.suite_size,
        "claims": len(verdicts),
        "published": sum(v.claim["rule"] in UNTESTED_RULES for v in verdicts),
        "cells": sum(c["status"] == "ok" for c in cells),
        "failed_cells": sum(c["status"] != "ok" for c in cells),
        "labels": {label: counts[label] for label in LABELS if counts[label]},
    }


def landing_counts() -> str:
    """What the site checks, counted at build time from the snippets, tests and results."""
    n = site_counts(current().ledger)
    return (
        f"- **{n['snippets']} snippet files** in {n['topics']} topics, every one embedded in a "
        "page and run by the tests;\n"
        f"- **{n['tests']} tests**, run on every change;\n"
        f"- {claim_counts_sentence(n)}\n"
        f"- **{n['cells']} benchmark cells** in the current result file"
        + (f", {n['failed_cells']} failed and not shown as figures" if n["failed_cells"] else "")
        + ".\n"
    )


def headline_comparison(base: str = "") -> str:
    """The article's throughput figures beside ours, with verdicts, from the newest result."""
    context = current()
    if context.results is None:
        return "*No benchmark result file yet: run `make bench`.*\n"
    return headline_table(context.ledger, base=base) + data_note(context.results.path)


def bench_claims() -> str:
    """The same table on the benchmark results page (links one level up)."""
    return headline_comparison(base="../")


def stale_notice(report: Path) -> str:
    """An admonition for the claims page when the report predates an input, else ``""``."""
    changed = newer_inputs(report)
    if not changed:
        return ""
    names = ", ".join(f"`{p.relative_to(ROOT)}`" for p in changed[:5])
    more = f" and {len(changed) - 5} more" if len(changed) > 5 else ""
    return (
        '!!! warning "Evidence is stale"\n'
        "    The claim tests last ran before these files changed: "
        f"{names}{more}. The verdicts below are from that run; `make evidence` re-runs the "
        "claim tests.\n\n"
    )


MACROS = (claims_page, landing_counts, headline_comparison, bench_claims, locked_versions)
