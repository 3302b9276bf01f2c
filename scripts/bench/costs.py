"""What each framework costs before it serves anything: install footprint, import, start, memory.

Installs go into fresh virtual environments made by uv at the versions this project locks, so
the figures are the reader's `pip install <framework>`, not this project's full environment.
"""

import importlib.metadata
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from verified_guide.bench.config import Configuration
from verified_guide.bench.servers import serve
from verified_guide.frameworks import REGISTRY, FrameworkSpec
from verified_guide.servers import ROOT, server_of

IMPORT_REPEATS = 5
# `uv run` names its own binary in $UV; a fresh pip-installed uv may not be on PATH yet.
UV = os.environ.get("UV") or shutil.which("uv") or "uv"
SETTLE_S = 1.0  # let the idle server finish lazy start-up work before reading its memory


@dataclass(frozen=True)
class Framework:
    """A framework's package, its hello app, and the server it is measured on."""

    name: str
    package: str
    import_code: str
    hello: Configuration


def _framework(spec: FrameworkSpec) -> Framework:
    """The costs of one registered framework: its install package, its hello app on its
    default server (verified_guide/frameworks.yaml)."""
    demo = next(d for d in REGISTRY.first_servers() if d.framework is spec)
    hello = Configuration(
        f"hello-{spec.id}", spec.id, server_of(demo.spec), spec.hello_target, "", env=spec.hello_env
    )
    return Framework(spec.id, spec.packages[0], spec.hello_import, hello)


FRAMEWORKS = tuple(_framework(spec) for spec in REGISTRY.frameworks)


def _run(argv: list[str], env: dict[str, str] | None = None) -> str:
    return subprocess.run(
        argv, check=True, capture_output=True, text=True, timeout=300, cwd=ROOT, env=env
    ).stdout


def install_footprint(package: str) -> tuple[int, float]:
    """(packages installed, MiB on disk) for `pip install <package>` at the locked version."""
    version = importlib.metadata.version(package)
    with tempfile.TemporaryDirectory(prefix=f"bench-venv-{package}-") as venv:
        python = f"{venv}/bin/python"
        _run([UV, "venv", "--quiet", "--python", sys.executable, venv])
        _run([UV, "pip", "install", "--quiet", "--python", python, f"{package}=={version}"])
        listed = json.loads(_run([UV, "pip", "list", "--python", python, "--format", "json"]))
        site = next(Path(venv).glob("lib/python*/site-packages"))
        size = sum(f.stat().st_size for f in site.rglob("*") if f.is_file())
    return len(listed), size / 1024**2


def import_seconds(code: str, env: dict[str, str]) -> float:
    """Median wall time of importing the hello app in a fresh interpreter, start-up excluded."""
    timed = f"import time; t = time.perf_counter(); {code}; print(time.perf_counter() - t)"
    full_env = {**os.environ, **env}
    return statistics.median(
        float(_run([sys.executable, "-c", timed], full_env)) for _ in range(IMPORT_REPEATS)
    )


def measure(framework: Framework, cpus: str | None) -> dict:
    packages, size_mb = install_footprint(framework.package)
    with serve(framework.hello, "/", 1, cpus, framework.hello.env) as (server, (start_s, status)):
        if status != 200:
            raise RuntimeError(f"{framework.name} hello app answered {status}, expected 200")
        time.sleep(SETTLE_S)
        idle_rss = server.rss_mb()
    return {
        "framework": framework.name,
        "package": f"{framework.package}=={importlib.metadata.version(framework.package)}",
        "packages_installed": packages,
        "install_mb": round(size_mb, 1),
        "import_ms": round(import_seconds(framework.import_code, framework.hello.env) * 1000, 1),
        "server": framework.hello.server.name,
        "start_to_first_200_ms": round(start_s * 1000, 1),
        "idle_rss_mb": round(idle_rss, 1),
    }


def measure_all(cpus: str | None) -> list[dict]:
    return [measure(framework, cpus) for framework in FRAMEWORKS]
