"""Whether the claim evidence report is older than the files it was measured from.

``make serve`` reuses the report it finds instead of re-running the claim tests (minutes), so a
contributor's edit rebuilds the page in seconds; the claims page then says the evidence is
stale, and ``make evidence`` (or ``make test``) refreshes it.
"""

from __future__ import annotations

from pathlib import Path

from scripts.topics import ROOT

#: The same inputs as the Makefile's EVIDENCE_INPUTS.
INPUT_FOLDERS = ("snippets", "demo_apps", "scripts", "tests", "docs/data")
INPUT_SUFFIXES = frozenset({".py", ".yaml", ".json", ".html"})


def newer_inputs(report: Path) -> list[Path]:
    """Input files changed since the report was written (empty when it is current or missing)."""
    if not report.is_file():
        return []
    written = report.stat().st_mtime
    return sorted(
        path
        for folder in INPUT_FOLDERS
        for path in (ROOT / folder).rglob("*")
        if path.suffix in INPUT_SUFFIXES
        and "__pycache__" not in path.parts
        and path.is_file()
        and path.stat().st_mtime > written
    )


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
