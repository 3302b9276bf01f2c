"""MkDocs hook: put the live-demo bundle into the built site, under live/.

Runs on every build, `mkdocs serve` included. The cached bundle (Pyodide, wheels, lockfile,
editor) is built on first use and copied only when changed; python.zip (snippets, runner) changes
with every edit, so it is written fresh each time (a few hundred kB).
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path
from typing import Any

from scripts.live.build_bundle import ensure_bundle
from scripts.live.resolve import ROOT

HERE = Path(__file__).resolve().parent
# The browser-side modules, by the top-level names the worker imports them as.
BROWSER_MODULES = {
    "live_runner.py": HERE / "runner.py",
    "live_hashing.py": HERE / "hashing.py",
    "live_secrets.py": HERE.parent / "secret_env.py",
}


def _sync(source: Path, dest: Path) -> None:
    """Copy the bundle's files that are missing or differ in size (they never change in place)."""
    dest.mkdir(parents=True, exist_ok=True)
    for path in source.iterdir():
        target = dest / path.name
        if not target.exists() or target.stat().st_size != path.stat().st_size:
            shutil.copy2(path, target)


def write_python_zip(dest: Path) -> None:
    """What the worker unpacks into its import path: the runner modules, the snippets and the
    Django demo project (its settings and the "guide" app's migrations)."""
    files = [*(ROOT / "snippets").rglob("*"), ROOT / "demo_apps" / "__init__.py"]
    files += (ROOT / "demo_apps" / "django_app").rglob("*")
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(files):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".sqlite3":
                archive.write(path, path.relative_to(ROOT).as_posix())
        for name, path in BROWSER_MODULES.items():
            archive.write(path, name)


def on_post_build(config: Any) -> None:
    live = Path(config["site_dir"]) / "live"
    _sync(ensure_bundle(), live)
    write_python_zip(live / "python.zip")
