"""Whether the claim evidence report is older than the files it was measured from.

``make serve`` reuses the report it finds instead of re-running the claim tests (minutes), so a
contributor's edit rebuilds the page in seconds; the claims page then says the evidence is
stale (``docs/plugins/claims_page.py`` renders the notice), and ``make evidence`` (or
``make test``) refreshes it.
"""

from __future__ import annotations

from pathlib import Path

from verified_guide.topics import ROOT

#: The same inputs as the Makefile's EVIDENCE_INPUTS.
INPUT_FOLDERS = ("snippets", "demo_apps", "verified_guide", "scripts", "tests", "docs/data")
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
