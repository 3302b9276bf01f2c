"""The options of `python -m scripts.bench run`, here so that the reproduce page can render
them as a table (the site imports no command-line tool) and cannot drift from ``--help``."""

import argparse
from pathlib import Path

from verified_guide.bench import results
from verified_guide.topics import ROOT

#: Where `run --smoke` writes unless told: never the directory the site publishes from.
SMOKE_DIR = ROOT / ".cache" / "bench-smoke"

#: The suite setting each `run` option overrides (``runner.Options`` has the same fields); the
#: reproduce page shows each beside its value in the full suite.
SUITE_FIELDS = {"duration": "duration_s", "runs": "runs", "reruns": "reruns"}


def add_run_options(run: argparse.ArgumentParser) -> None:
    """The `run` command's options, also rendered as the table on the reproduce page."""
    run.add_argument(
        "--smoke",
        action="store_true",
        help="the short suite the tests run: two configurations at two concurrency levels, "
        "short runs",
    )
    run.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help=f"result directory (default: {results.RESULTS_DIR.relative_to(ROOT)}, "
        f"which the site reads; with --smoke, {SMOKE_DIR.relative_to(ROOT)}, which it "
        "never reads: a smoke run is too short to publish)",
    )
    run.add_argument("--duration", type=float, metavar="S", help="seconds per measured run")
    run.add_argument("--runs", type=int, metavar="N", help="interleaved rounds (runs per cell)")
    run.add_argument(
        "--reruns", type=int, metavar="N", help="re-runs of a cell above the spread limit"
    )
