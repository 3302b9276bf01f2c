"""The benchmark's database: one table of 10,000 rows, shared by the three frameworks.

The harness sets GUIDE_DATABASE_URL to the file (or PostgreSQL DSN) it prepared; without it,
each process uses a fresh SQLite file of its own, so the test clients work with no setup.
"""

import os
import tempfile
from functools import cache
from pathlib import Path

from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, func, insert, select

ROW_COUNT = 10_000

metadata = MetaData()
rows = Table(
    "bench_row",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("title", String(80), nullable=False),
    Column("views", Integer, nullable=False),
)


@cache
def database_url() -> str:
    """The URL every framework connects to, so all three read the same rows."""
    return os.environ.get("GUIDE_DATABASE_URL") or (
        f"sqlite:///{Path(tempfile.mkdtemp(prefix='guide-bench-')) / 'bench.sqlite3'}"
    )


def row(row_id: int) -> dict[str, int | str]:
    """The content of one row, the same wherever the table is filled (also Django's migration)."""
    return {"id": row_id, "title": f"row {row_id}", "views": row_id * 7 % 1000}


def seed(url: str | None = None) -> None:
    """Create the table and its rows once; later calls find them and do nothing."""
    engine = create_engine(url or database_url())
    metadata.create_all(engine)
    with engine.begin() as conn:
        if not conn.execute(select(func.count()).select_from(rows)).scalar_one():
            conn.execute(
                insert(rows),
                [row(i) for i in range(1, ROW_COUNT + 1)],
            )
    engine.dispose()
