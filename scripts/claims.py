"""Verdicts on the article's claims, computed at build time from the evidence.

Each claim in ``docs/data/claims.yaml`` names one kind of evidence; a function
here turns that evidence (the newest benchmark result file, the snippet files,
the topics' data, the tests that check behaviour) into a verdict and the
figures behind it. No verdict is typed: change the evidence and the page changes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from statistics import median
from typing import Any

import yaml

from scripts.bench import results
from scripts.markdown import table
from scripts.topics import FRAMEWORK_TITLES, ROOT, all_topics, get_topic

CLAIMS_FILE = ROOT / "docs" / "data" / "claims.yaml"
Document = dict[str, Any]


class ClaimError(Exception):
    """A claim's evidence is misconfigured (unknown kind, missing test file...)."""


@dataclass(frozen=True)
class Verdict:
    """What the evidence says: a one-word label and the sentence with the figures."""

    label: str  # "supported", "partly", "not supported", "not checked"
    detail: str


def load_claims(path: Path = CLAIMS_FILE) -> list[dict[str, Any]]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["claims"]


# --------------------------------------------------------------------- benchmark helpers


def _ok_cell(doc: Document, config: str, endpoint: str) -> dict | None:
    level = doc["suite"]["concurrency"]
    for cell in doc["results"]:
        if (cell["config"], cell["endpoint"], cell["concurrency"]) == (config, endpoint, level):
            return cell if cell["status"] == "ok" else None
    return None


def _rps_ratio(doc: Document, a: str, b: str, endpoint: str) -> float | None:
    cell_a, cell_b = _ok_cell(doc, a, endpoint), _ok_cell(doc, b, endpoint)
    return cell_a["rps"] / cell_b["rps"] if cell_a and cell_b else None


def _no_bench() -> Verdict:
    return Verdict("not checked", "No benchmark result file yet (run `make bench`).")


# --------------------------------------------------------------------- evidence kinds


def not_reproducible(claim: dict, doc: Document | None) -> Verdict:
    return Verdict("not checked", claim["reason"])


def tests(claim: dict, doc: Document | None) -> Verdict:
    """Behaviour checked by named tests: they run on every change and a failure blocks it."""
    missing = [t for t in claim["tests"] if not (ROOT / t.split("::")[0]).is_file()]
    if missing:
        raise ClaimError(f"claim {claim['id']}: test files not found: {missing}")
    names = ", ".join(f"`{t}`" for t in claim["tests"])
    return Verdict("supported", f"{claim['finding']} Checked by {names}.")


def snippet_lines(claim: dict, doc: Document | None) -> Verdict:
    topic = get_topic(claim["topic"])
    path = topic.snippet_path(claim["framework"])
    lines = sum(1 for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    label = "supported" if lines <= claim["max_lines"] else "not supported"
    return Verdict(
        label, f"`{path.relative_to(ROOT)}` has {lines} non-blank lines and passes its cases."
    )


def loc_compare(claim: dict, doc: Document | None) -> Verdict:
    totals = {
        fw: sum(get_topic(slug).lines_of_code(fw) for slug in claim["topics"])
        for fw in FRAMEWORK_TITLES
    }
    least = min(totals, key=totals.get)
    figures = ", ".join(f"{FRAMEWORK_TITLES[fw]} {n}" for fw, n in totals.items())
    label = "supported" if least == claim["expect_least"] else "partly"
    topics = ", ".join(get_topic(s).title.lower() for s in claim["topics"])
    return Verdict(label, f"Lines of code for {topics} together: {figures}.")


def extensions(claim: dict, doc: Document | None) -> Verdict:
    named = {
        pkg.lower()
        for topic in all_topics()
        for pkg in (topic.meta.get("extensions") or {}).get(claim["framework"], [])
    }
    covered, uncovered = [], []
    for pkg in claim["packages"]:
        try:
            installed = version(pkg)
        except PackageNotFoundError:
            installed = None
        if pkg.lower() in named and installed:
            covered.append(f"{pkg} {installed}")
        else:
            uncovered.append(pkg)
    label = "supported" if not uncovered else ("partly" if covered else "not checked")
    detail = "Tested in the guide: " + (", ".join(covered) or "none") + "."
    if uncovered:
        detail += " Not covered by a snippet: " + ", ".join(uncovered) + "."
    return Verdict(label, detail)


def _costs(doc: Document) -> dict[str, dict]:
    return {c["framework"]: c for c in doc.get("costs") or []}


def costs_least(claim: dict, doc: Document | None) -> Verdict:
    costs = _costs(doc) if doc else {}
    if not costs:
        return _no_bench()
    metrics = claim["metrics"]
    wins = []
    parts = []
    for metric in metrics:
        values = {fw: c[metric] for fw, c in costs.items()}
        wins.append(min(values, key=values.get) == claim["framework"])
        parts.append(f"{metric}: " + ", ".join(f"{fw} {v:g}" for fw, v in values.items()))
    label = "supported" if all(wins) else ("partly" if any(wins) else "not supported")
    return Verdict(label, "; ".join(parts) + ".")


def costs_most(claim: dict, doc: Document | None) -> Verdict:
    costs = _costs(doc) if doc else {}
    if not costs:
        return _no_bench()
    metric = claim["metric"]
    values = {fw: c[metric] for fw, c in costs.items()}
    most = max(values, key=values.get)
    label = "supported" if most == claim["framework"] else "not supported"
    figures = ", ".join(f"{fw} {v:g}" for fw, v in values.items())
    return Verdict(label, f"{metric} in a fresh virtual environment: {figures}.")


def rps(claim: dict, doc: Document | None) -> Verdict:
    if not doc:
        return _no_bench()
    cell = _ok_cell(doc, claim["config"], claim["endpoint"])
    if cell is None:
        return Verdict("not checked", f"The {claim['config']} {claim['endpoint']} cell failed.")
    share = cell["rps"] / claim["rps"]
    label = "supported" if 0.67 <= share <= 1.5 else "not supported"
    return Verdict(
        label,
        f"Measured median {cell['rps']:,.0f} req/s against {claim['rps']:,} claimed "
        f"({share:.0%} of the claim) on the recorded machine; ratios are on the results page.",
    )


def faster(claim: dict, doc: Document | None) -> Verdict:
    """Config ``a`` beats ``b`` on an endpoint by at least ``min_ratio``."""
    if not doc:
        return _no_bench()
    ratio = _rps_ratio(doc, claim["a"], claim["b"], claim["endpoint"])
    if ratio is None:
        return Verdict("not checked", "One of the two cells failed.")
    label = "supported" if ratio >= claim["min_ratio"] else "not supported"
    return Verdict(
        label,
        f"{claim['a']} ÷ {claim['b']} on `{claim['endpoint']}`: {ratio:.2f} times (median req/s).",
    )


def gap_by_endpoint(claim: dict, doc: Document | None) -> Verdict:
    """Ratio of ``a`` to ``b`` per endpoint; with ``narrow``, whether the gap shrinks there."""
    if not doc:
        return _no_bench()
    ratios = {
        ep: r
        for ep in claim["endpoints"]
        if (r := _rps_ratio(doc, claim["a"], claim["b"], ep)) is not None
    }
    if not ratios:
        return Verdict("not checked", "The cells failed.")
    figures = ", ".join(f"`{ep}` {r:.2f} times" for ep, r in ratios.items())
    detail = f"{claim['a']} ÷ {claim['b']}: {figures}."
    if "narrow" in claim:
        wide, narrow = ratios.get(claim["wide"]), ratios.get(claim["narrow"])
        if wide is None or narrow is None:
            return Verdict("not checked", detail)
        return Verdict("supported" if narrow < wide else "not supported", detail)
    typical = median(ratios.values())
    return Verdict("supported" if typical >= claim["min_ratio"] else "partly", detail)


def decision(claim: dict, doc: Document | None) -> Verdict:
    pages = ", ".join(f"[{get_topic(s).title}](guide/{s}.md#verdict)" for s in claim["topics"])
    return Verdict("partly", f"{claim['finding']} See the per-topic verdicts: {pages}.")


KINDS: dict[str, Callable[[dict, Document | None], Verdict]] = {
    f.__name__: f
    for f in (
        not_reproducible,
        tests,
        snippet_lines,
        loc_compare,
        extensions,
        costs_least,
        costs_most,
        rps,
        faster,
        gap_by_endpoint,
        decision,
    )
}


def verdict(claim: dict, doc: Document | None) -> Verdict:
    kind = claim.get("evidence")
    if kind not in KINDS:
        raise ClaimError(f"claim {claim.get('id')}: unknown evidence kind {kind!r}")
    return KINDS[kind](claim, doc)


def claims_verdicts() -> str:
    """Every claim with its computed verdict, for ``docs/claims.md``."""
    path = results.latest()
    doc = results.load(path) if path else None
    rows = []
    for claim in load_claims():
        result = verdict(claim, doc)
        rows.append([f"`{claim['id']}`", claim["claim"], f"**{result.label}**", result.detail])
    source = f"Benchmark figures from `{path.relative_to(ROOT)}`." if path else ""
    return (
        table(["Claim", "What the article says", "Verdict", "Evidence"], rows)
        + "\n"
        + source
        + "\n"
    )
