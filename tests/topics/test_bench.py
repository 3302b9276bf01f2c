"""The benchmark's app topic: its endpoints are checked by the cases (``tests/test_cases.py``,
and once more under the real servers by the harness); here, what the cases cannot see."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from snippets.bench import seed
from tests.support.fresh_interpreter import run_fresh


def test_every_framework_reads_the_rows_from_guide_database_url(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``GUIDE_DATABASE_URL`` names the database all three read (the PostgreSQL runs); without
    it each process gets a fresh SQLite file. The cases pass on SQLite either way, so a
    misspelt name would go unnoticed. ``database_url`` is cached, so its undecorated body is
    called here."""
    monkeypatch.setenv("GUIDE_DATABASE_URL", "postgresql://bench@127.0.0.1:5432/bench")
    assert seed.database_url.__wrapped__() == "postgresql://bench@127.0.0.1:5432/bench"
    monkeypatch.delenv("GUIDE_DATABASE_URL")
    fallback = seed.database_url.__wrapped__()
    assert fallback.startswith("sqlite:///") and fallback.endswith("/bench.sqlite3")
    Path(fallback.removeprefix("sqlite:///")).parent.rmdir()  # the fresh, still empty folder


FORK_AND_EXIT = """
import os, sys
from snippets.bench import seed
seed.seed()
folder = os.path.dirname(seed.database_url().removeprefix("sqlite:///"))
print(folder)
child = os.fork()
if child == 0:
    sys.exit(0)  # a forked worker exits, running the exit hooks it inherited
os.waitpid(child, 0)
assert os.path.exists(folder), "a forked worker's exit removed the shared database"
"""


def test_the_fallback_database_goes_with_the_process_that_made_it(tmp_path: Path) -> None:
    """Without ``GUIDE_DATABASE_URL`` every process fills a SQLite file of its own: the test runs
    used to leave one folder per process in the temp dir (over a thousand, 220 KB each). It is
    removed when its process exits, and not when a worker forked from it (a preloaded server's)
    exits first."""
    out = run_fresh(FORK_AND_EXIT, {"GUIDE_DATABASE_URL": "", "TMPDIR": str(tmp_path)})
    folder = Path(out.strip())
    assert folder.parent == tmp_path and folder.name.startswith("guide-bench-")
    assert not folder.exists() and not list(tmp_path.iterdir())


def test_only_the_owner_removes_the_fallback_database(tmp_path: Path) -> None:
    """The exit hook itself, in this process (a child's run of it is not counted by coverage)."""
    seed.remove_own_folder(str(tmp_path), os.getpid() + 1)
    assert tmp_path.exists()
    seed.remove_own_folder(str(tmp_path), os.getpid())
    assert not tmp_path.exists()
