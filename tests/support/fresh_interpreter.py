"""Run a few lines in a fresh Python interpreter, for what a module reads once at import
(an environment variable, a created table): a module already imported in the test process
would keep its first reading."""

from __future__ import annotations

import os
import subprocess
import sys

from verified_guide.topics import ROOT


def run_fresh(code: str, env: dict[str, str], *args: str) -> str:
    """``code`` run from the project's root with ``env`` added to this process's environment;
    its standard output. Fails the test, with the end of its stderr, if it does not exit 0."""
    result = subprocess.run(
        [sys.executable, "-c", code, *args], cwd=ROOT, env={**os.environ, **env},
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout
