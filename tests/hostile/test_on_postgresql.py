"""The in-process hostile requests again, on PostgreSQL, for the topics whose snippets keep
their data in a database.

PostgreSQL refuses what SQLite stores (a NUL in text, an integer past its column's range), so
an input that SQLite takes can be a 500 there: the id-range 500 of the database and bench
snippets got past a suite that ran on SQLite only. This runs the same test module in a
subprocess with the snippets and Django's settings pointed at the session's cluster
(``GUIDE_DATABASE_URL``), its tallies written beside it, not into the report the pages show.
It runs beside the site build, with the other tests (it is not marked ``hostile``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from verified_guide.topics import ROOT

#: The topics whose snippets read and write a database (GUIDE_DATABASE_URL).
DATABASE_TOPICS = ("database", "async_database", "bench", "admin", "auth")


def test_database_topics_survive_hostile_requests_on_postgresql(postgres, tmp_path: Path) -> None:
    url = postgres.create_database("hostile_requests")
    report = tmp_path / "report.json"
    result = subprocess.run(
        [
            sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "0",
            "-m", "hostile", str(Path(__file__).with_name("test_in_process.py")),
            "-k", " or ".join(DATABASE_TOPICS),
        ],
        cwd=ROOT,
        env={**os.environ, "GUIDE_DATABASE_URL": url, "GUIDE_HOSTILE_REPORT": str(report)},
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]
    runs = json.loads(report.read_text(encoding="utf-8"))["runs"]
    assert {run["topic"] for run in runs} == set(DATABASE_TOPICS), runs
    assert all(run["sent"] > 0 and run["5xx"] == run["failed"] == 0 for run in runs), runs
