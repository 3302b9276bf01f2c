"""The benchmark's app topic: its endpoints are checked by the cases (``tests/test_cases.py``,
and once more under the real servers by the harness); here, what the cases cannot see."""

from __future__ import annotations

from pathlib import Path

import pytest

from snippets.bench import seed


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
