"""The Django demo project's migrated database, for the live demos (the site build ships it).

Migrating in the reader's browser took most of a Django tab's cold start (every app's migrations
imported and applied, the benchmark's 10,000 rows inserted, on CPython compiled to WebAssembly).
The build runs the same migrations once, with the same runner code (verified_guide/live/runner.py)
in a
CPython subprocess (Django's settings can be configured once per process), and the browser loads
the result. It is cached under .cache/live-django/ by a hash of every project file the migration
run imports and of uv.lock, so an edit that cannot change it does not re-run it. The parity test's
CPython side still migrates, so it checks the shipped database against a fresh migration.

Run: `uv run python -m verified_guide.live.django_database OUT` writes the database to OUT.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from verified_guide.live.packages import framework_roots, project_closure
from verified_guide.topics import ROOT

CACHE = ROOT / ".cache" / "live-django"
DJANGO_PROJECT = ROOT / "demo_apps" / "django_app"


def _inputs() -> list[Path]:
    """Every project file a migration run imports (the demo project: settings, apps, models,
    migrations; the topics' Django models and settings, which it imports by file name; what
    those import) and the lockfile (the Django version)."""
    project = sorted(DJANGO_PROJECT.rglob("*.py"))
    project += sorted((ROOT / "snippets").glob("*/django_models.py"))
    project += sorted((ROOT / "snippets").glob("*/django_settings.py"))
    _, files = project_closure(project, framework_roots("django"))
    return [*files, ROOT / "uv.lock"]


def cache_key() -> str:
    digest = hashlib.sha256()
    for path in _inputs():
        digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def database_image() -> Path:
    """The migrated database's file, built first when no cached one matches the inputs."""
    path = CACHE / f"{cache_key()}.sqlite3"
    if path.is_file():
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    staged = path.with_name(f"{path.stem}.{os.getpid()}.tmp")  # builds may run side by side
    result = subprocess.run(
        [sys.executable, "-m", "verified_guide.live.django_database", str(staged)],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if result.returncode != 0:
        raise RuntimeError(
            "live demos: migrating the Django demo project's database failed "
            f"(python -m verified_guide.live.django_database):\n{result.stderr[-3000:]}"
        )
    staged.replace(path)
    for old in CACHE.glob("*.sqlite3"):
        if old != path:
            old.unlink()
    return path


def main(out: str) -> None:
    from verified_guide.live.runner import migrated_database

    Path(out).write_bytes(migrated_database())


if __name__ == "__main__":
    main(sys.argv[1])
