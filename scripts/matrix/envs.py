"""One virtual environment per release line, installed from PyPI with uv and reused.

A line's environment is all of ``uv.lock`` (exported as exact requirements; nothing is left
out, since a package may be there only as another's dependency, e.g. greenlet) with the line's
pins in place of the locked versions of the same packages, so it differs from the main
environment only in what ``docs/data/versions.yaml`` names. Environments live in
``.cache/matrix/envs/`` under a name keyed by a hash of their requirements: a changed pin or
lock builds a new one, an unchanged one is reused as is, and uv's own cache makes a rebuild
mostly a copy.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from verified_guide.matrix.config import Line, MatrixError
from verified_guide.topics import ROOT

ENVS = ROOT / ".cache" / "matrix" / "envs"
READY = ".ready"


def _uv_command() -> list[str]:
    """The uv that runs us (``uv run`` sets ``UV``), else the one on PATH."""
    found = os.environ.get("UV") or shutil.which("uv")
    if not found:
        raise MatrixError("uv not found: run through `make matrix`, or `pip install uv`")
    return [found]


def _uv(*args: str) -> subprocess.CompletedProcess[str]:
    command = [*_uv_command(), *args]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise MatrixError(f"`uv {' '.join(args[:2])}` failed:\n{result.stderr[-3000:]}")
    return result


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requirements(line: Line) -> str:
    """uv.lock's exact requirements with the line's pins substituted."""
    exported = _uv(
        "export", "--frozen", "--no-hashes", "--no-emit-project", "--no-annotate",
        "--no-header", "--all-groups",
    ).stdout  # fmt: skip
    pinned = {_normalise(name) for name in line.pins}
    kept = [
        req
        for req in exported.splitlines()
        if req.strip() and _normalise(re.split(r"[=<>!~; \[]", req, maxsplit=1)[0]) not in pinned
    ]
    kept += [f"{name}=={spec}" for name, spec in sorted(line.pins.items())]
    return "\n".join(kept) + "\n"


def environment(framework: str, line: Line) -> Path:
    """The Python of the line's environment, built if missing; stale siblings are removed."""
    reqs = requirements(line)
    digest = hashlib.sha256(f"{sys.version}\n{reqs}".encode()).hexdigest()[:12]
    prefix = f"{framework}-{line.line}-"
    folder = ENVS / f"{prefix}{digest}"
    python = folder / "bin" / "python"
    if (folder / READY).is_file():
        return python
    for stale in ENVS.glob(f"{prefix}*"):
        shutil.rmtree(stale, ignore_errors=True)
    _uv("venv", "--quiet", "--python", sys.executable, str(folder))
    (folder / "requirements.txt").write_text(reqs, encoding="utf-8")
    _uv(
        "pip", "install", "--quiet", "--link-mode", "copy", "--python", str(python),
        "--no-deps", "-r", str(folder / "requirements.txt"),
    )  # fmt: skip
    check = subprocess.run(
        [*_uv_command(), "pip", "check", "--python", str(python)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if check.returncode != 0:
        raise MatrixError(
            f"{framework} {line.line}: the locked packages do not fit its pins; pin a compatible "
            f"version of each package named below in docs/data/versions.yaml:\n{check.stdout}"
        )
    (folder / READY).write_text(digest, encoding="utf-8")
    return python


def installed(python: Path) -> dict[str, str]:
    """Every distribution in an environment, name -> version."""
    frozen = _uv("pip", "freeze", "--python", str(python)).stdout
    pairs = (req.split("==", 1) for req in frozen.splitlines() if "==" in req)
    return {_normalise(name): version for name, version in pairs}
