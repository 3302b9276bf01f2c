"""``python -m scripts.matrix run`` (``make matrix``), ``prepare`` or ``check`` (``make test``).

``run`` runs every line and rewrites ``docs/data/matrix.json``, the file the site renders.
``check`` re-runs the lines that differ from ``uv.lock`` and fails when a result differs from
the committed file; the locked lines are what ``tests/test_cases.py`` runs in the same
``make test``, and ``tests/test_matrix.py`` checks the committed file says they all pass.
``prepare`` only builds (or reuses) the environments ``check`` needs: that part has no time
limit, so ``make test`` runs it at idle priority beside the claim tests, and ``check`` (whose
socket cases wait for replies) later, on cores no measurement holds.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from scripts.matrix.envs import environment
from scripts.matrix.run import document, run_lines
from verified_guide.matrix.config import MatrixError, load_matrix
from verified_guide.matrix.report import RESULTS_FILE, differences, load_results, locked_line


def _since(started: float) -> str:
    return f"{time.monotonic() - started:.0f} s"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.matrix")
    parser.add_argument("action", choices=["run", "prepare", "check"])
    action = parser.parse_args(argv).action
    matrix = load_matrix()
    started = time.monotonic()
    try:
        if action == "run":
            doc = document(run_lines(matrix.lines()))
            RESULTS_FILE.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
            print(f"wrote {RESULTS_FILE.name} in {_since(started)}")
            return 0
        older = [(fw, line) for fw, line in matrix.lines() if line != locked_line(matrix, fw)]
        if action == "prepare":
            for framework, line in older:
                environment(framework, line)
            print(f"version matrix: {len(older)} environments ready ({_since(started)})")
            return 0
        problems = differences(load_results(), run_lines(older))
    except MatrixError as exc:
        print(f"version matrix: {exc}", file=sys.stderr)
        return 2
    if problems:
        print(
            "version matrix: the results differ from docs/data/matrix.json:\n  "
            + "\n  ".join(problems)
            + "\nRun `make matrix` and commit docs/data/matrix.json (the pages show it).",
            file=sys.stderr,
        )
        return 1
    print(
        f"version matrix: {len(older)} older lines agree with docs/data/matrix.json "
        f"({_since(started)})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
