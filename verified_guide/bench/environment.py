"""The environment block of a result file: enough to tell what machine and versions made it."""

import datetime
import importlib.metadata
import os
import platform
import subprocess
import sys
from pathlib import Path

from verified_guide.bench import wrk
from verified_guide.frameworks import REGISTRY

#: Versions recorded with every result: each framework's own packages
#: (verified_guide/frameworks.yaml),
#: then the servers, their accelerators and what the bench snippets use.
PACKAGES = (
    *(name for spec in REGISTRY.frameworks for name in spec.packages),
    *("uvicorn", "uvloop", "httptools", "granian", "gunicorn", "jinja2"),
    *("sqlalchemy", "flask-sqlalchemy"),
)


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _ram_gib() -> float:
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    kb = next(int(line.split()[1]) for line in meminfo if line.startswith("MemTotal:"))
    return round(kb / 1024**2, 1)


def _git(*args: str, checkout: Path = Path(__file__).parent) -> str | None:
    """A git command's output in the checkout, or None when git cannot answer (no git, not a
    checkout, no commit yet)."""
    try:
        out = subprocess.run(
            ["git", *args], capture_output=True, text=True, timeout=10, cwd=checkout
        )
    except OSError:
        return None
    return out.stdout.strip() if out.returncode == 0 else None


def _git_commit() -> str | None:
    return _git("rev-parse", "HEAD") or None


def _git_dirty(checkout: Path = Path(__file__).parent) -> bool | None:
    """Whether tracked files differ from the commit: then ``git_commit`` alone does not name
    the code that was measured (None when git cannot tell)."""
    status = _git("status", "--porcelain", "--untracked-files=no", checkout=checkout)
    return None if status is None else bool(status)


def measured_code(commit: str | None, dirty: bool | None) -> str:
    """The code a result file measured, in words for its page: ``commit 0123456789``, with
    ``with uncommitted changes, ...`` when the checkout had them (then the commit alone is not
    that code), or ``an uncommitted tree`` when there was no commit to name."""
    if not commit:
        return "an uncommitted tree"
    text = f"commit {commit[:10]}"
    if dirty:
        text += " with uncommitted changes, so that commit alone is not the code measured"
    return text


def _version(name: str) -> str | None:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def collect(pinning: dict[str, str | None], database: str) -> dict:
    uname = platform.uname()
    return {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "git_commit": _git_commit(),
        "git_dirty": _git_dirty(),
        "cpu_model": _cpu_model(),
        "cores": os.cpu_count(),
        "ram_gib": _ram_gib(),
        "os": platform.platform(),
        "kernel": uname.release,
        "python": sys.version.split()[0],
        "packages": {name: _version(name) for name in PACKAGES},
        "wrk": wrk.wrk_version(),
        "pinning": pinning,
        "database": database,
    }
