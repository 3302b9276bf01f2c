"""The benchmark's database: 10,000 rows, each with one of 100 authors, shared by all frameworks.

The harness sets GUIDE_DATABASE_URL to the file (or PostgreSQL DSN) it prepared; without it,
each process uses a fresh SQLite file of its own, removed when that process exits, so the test
clients work with no setup and leave nothing behind.
"""

import atexit
import os
import shutil
import tempfile
from functools import cache
from pathlib import Path

from sqlalchemy import (
    Column,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    create_engine,
    func,
    insert,
    select,
)

ROW_COUNT = 10_000
AUTHOR_COUNT = 100

metadata = MetaData()
authors = Table(
    "bench_author",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(80), nullable=False),
)
rows = Table(
    "bench_row",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("title", String(80), nullable=False),
    Column("views", Integer, nullable=False),
    Column("author_id", Integer, ForeignKey("bench_author.id"), nullable=False),
)


@cache
def database_url() -> str:
    """The URL every framework connects to, so all three read the same rows."""
    if configured := os.environ.get("GUIDE_DATABASE_URL"):
        return configured
    folder = tempfile.mkdtemp(prefix="guide-bench-")
    atexit.register(remove_own_folder, folder, os.getpid())
    return f"sqlite:///{Path(folder) / 'bench.sqlite3'}"


def remove_own_folder(folder: str, owner_pid: int) -> None:
    """Delete the fallback database at exit, in the process that made it only: the workers a
    preloaded server forks inherit this hook and share the file, and one worker exiting (or
    being replaced) must not delete it under the others."""
    if os.getpid() == owner_pid:
        shutil.rmtree(folder, ignore_errors=True)


def author(author_id: int) -> dict[str, int | str]:
    """One author, the same wherever the table is filled (also in Django's migration)."""
    return {"id": author_id, "name": f"author {author_id}"}


def row(row_id: int) -> dict[str, int | str]:
    """The content of one row, the same wherever the table is filled (also Django's migration)."""
    return {
        "id": row_id,
        "title": f"row {row_id}",
        "views": row_id * 7 % 1000,
        "author_id": row_id % AUTHOR_COUNT + 1,
    }


def seed(url: str | None = None) -> None:
    """Create the tables and their rows once; later calls find them and do nothing."""
    engine = create_engine(url or database_url())
    metadata.create_all(engine)
    with engine.begin() as conn:
        if not conn.execute(select(func.count()).select_from(rows)).scalar_one():
            conn.execute(insert(authors), [author(i) for i in range(1, AUTHOR_COUNT + 1)])
            conn.execute(insert(rows), [row(i) for i in range(1, ROW_COUNT + 1)])
    engine.dispose()
