"""The N+1 trap of the async_database topic, counted and timed.

Two facts, kept apart because they cost differently:

- **Query counts** (``QUERY_COUNTS``): how many statements each way of reading a page of
  authors with their books sends. ``tests/topics/test_async_database.py`` counts them on
  SQLite and PostgreSQL in every ``make test``; the page renders this table, so a snippet
  that starts sending more queries fails the test, not the page.
- **Timings** (``python -m scripts.async_database measure``): the N+1 read against the fixed
  one, through each snippet's own functions, on a throwaway PostgreSQL cluster
  (``verified_guide/postgres.py``), in interleaved rounds, with the environment recorded. It takes
  about a minute, so it stays out of ``make test``; its result file
  (``docs/data/async_database/n_plus_one.json``) is committed and the page renders it.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from verified_guide.bench.stats import log_ratio
from verified_guide.datafiles import ROOT, Strict, load_model
from verified_guide.frameworks import FRAMEWORKS, REGISTRY

#: Authors seeded for the query-count tests, and books per author.
AUTHORS = 12
BOOKS_EACH = 3


@dataclass(frozen=True)
class Snippet:
    """One framework's snippet of the topic: its ORM as the timing table names it, its query
    counts (the N+1 read of the authors, the fixed ``GET /authors``, ``GET /books``) and the
    function that times its two reads."""

    orm: str
    queries: tuple[int, int, int]
    measure: Callable[[], Timing]


_SNIPPETS: dict[str, Snippet] = {}


def _snippet(framework: str, orm: str, queries: tuple[int, int, int]):
    """Register the decorated function as ``framework``'s timing, with its ORM and counts."""

    def register(measure: Callable[[], Timing]) -> Callable[[], Timing]:
        _SNIPPETS[framework] = Snippet(orm, queries, measure)
        return measure

    return register


def snippets() -> dict[str, Snippet]:
    """Each framework's snippet, in the registry's order (verified_guide/frameworks.yaml)."""
    return {fw: _SNIPPETS[fw] for fw in FRAMEWORKS if fw in _SNIPPETS}


RESULT_FILE = ROOT / "docs" / "data" / "async_database" / "n_plus_one.json"
SCHEMA_VERSION = 1
#: The measured page: the snippets' PAGE of authors, each with this many books.
MEASURED_AUTHORS = 50
MEASURED_BOOKS_EACH = 5
ROUNDS = 20
CALLS_PER_SAMPLE = 5
PACKAGES = (
    *(spec.packages[0] for spec in REGISTRY.frameworks),
    *("flask-sqlalchemy", "sqlalchemy", "psycopg", "asgiref"),
)


class NPlusOneError(Exception):
    """The result file is malformed, or a measurement went wrong."""


class Timing(Strict):
    """One framework's two reads of the same page: milliseconds per read, each sample the
    mean of ``calls_per_sample`` calls, and the statements each read sent."""

    framework: str
    orm: str
    queries_n_plus_one: int
    queries_fixed: int
    n_plus_one_ms: list[float]
    fixed_ms: list[float]


class Environment(Strict):
    date: str
    git_commit: str | None
    git_dirty: bool | None = None  # tracked files changed since the commit (older files: unknown)
    cpu_model: str
    cores: int
    load_average: list[float]
    os: str
    python: str
    postgresql: str
    packages: dict[str, str]


class Result(Strict):
    schema_version: int
    authors: int
    books_each: int
    rounds: int
    calls_per_sample: int
    environment: Environment
    timings: list[Timing]


def load(path: Path = RESULT_FILE) -> Result:
    result = load_model(path, Result, NPlusOneError)
    if result.schema_version != SCHEMA_VERSION:
        raise NPlusOneError(f"{path}: schema_version {result.schema_version}, expected 1")
    return result


def summary(timing: Timing) -> dict[str, object]:
    """Medians, and the N+1/fixed ratio with its 95% interval (paired by round)."""
    ratio = log_ratio(
        timing.n_plus_one_ms,
        timing.fixed_ms,
        list(range(len(timing.n_plus_one_ms))),
        list(range(len(timing.fixed_ms))),
    ).interval()
    return {
        "n_plus_one_ms": statistics.median(timing.n_plus_one_ms),
        "fixed_ms": statistics.median(timing.fixed_ms),
        "ratio": ratio,
    }


# --------------------------------------------------------------------------- measuring


def _environment(postgresql: str) -> Environment:
    from verified_guide.bench.environment import _cpu_model, _git_commit, _git_dirty

    return Environment(
        date=datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        git_commit=_git_commit(),
        git_dirty=_git_dirty(),
        cpu_model=_cpu_model(),
        cores=os.cpu_count() or 1,
        load_average=[round(x, 2) for x in os.getloadavg()],
        os=platform.platform(),
        python=sys.version.split()[0],
        postgresql=postgresql,
        packages={name: version(name) for name in PACKAGES},
    )


def _seed(url: str) -> None:
    """The same page of authors and books in each framework's tables."""
    import django
    import sqlalchemy as sa
    from django.core.management import call_command

    from snippets.async_database import fastapi_db
    from snippets.async_database import flask as flask_snippet

    django.setup()
    call_command("migrate", verbosity=0)
    from snippets.async_database.django_models import Author, Book

    authors = range(MEASURED_AUTHORS)
    for models in [
        (fastapi_db.Author, fastapi_db.Book),
        (flask_snippet.Author, flask_snippet.Book),
    ]:
        engine = sa.create_engine(url)
        with sa.orm.Session(engine) as session:
            session.add_all(
                models[0](
                    name=f"Author {a}",
                    books=[models[1](title=f"Book {a}.{b}") for b in range(MEASURED_BOOKS_EACH)],
                )
                for a in authors
            )
            session.commit()
        engine.dispose()
    for a in authors:
        author = Author.objects.create(name=f"Author {a}")
        Book.objects.bulk_create(
            Book(author=author, title=f"Book {a}.{b}") for b in range(MEASURED_BOOKS_EACH)
        )


def _sample(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    for _ in range(CALLS_PER_SAMPLE):
        call()
    return (time.perf_counter() - start) * 1000 / CALLS_PER_SAMPLE


def _interleaved(
    name: str,
    trap: Callable[[], object],
    fixed: Callable[[], object],
    count: Callable[[Callable[[], object]], int],
) -> Timing:
    """Warm both, count each read's statements once, then time them in alternating order."""
    for call in (trap, fixed):
        call()
    queries = (count(trap), count(fixed))
    samples: dict[str, list[float]] = {"trap": [], "fixed": []}
    for round_ in range(ROUNDS):
        order = [("trap", trap), ("fixed", fixed)]
        for key, call in order if round_ % 2 == 0 else reversed(order):
            samples[key].append(round(_sample(call), 4))
    return Timing(
        framework=name,
        orm=_SNIPPETS[name].orm,
        queries_n_plus_one=queries[0],
        queries_fixed=queries[1],
        n_plus_one_ms=samples["trap"],
        fixed_ms=samples["fixed"],
    )


# selectinload: the authors, then their books WHERE author_id IN (...).
@_snippet("fastapi", "SQLAlchemy AsyncSession (psycopg async)", (1 + AUTHORS, 2, 1))
def _measure_fastapi() -> Timing:
    import sqlalchemy as sa
    from sqlalchemy.ext.asyncio import AsyncSession

    from snippets.async_database import fastapi as snippet
    from snippets.async_database import fastapi_db

    loop = asyncio.new_event_loop()
    sent: list[str] = []
    sa.event.listen(
        fastapi_db.engine.sync_engine, "before_cursor_execute", lambda *a: sent.append(a[2])
    )

    def run(read) -> Callable[[], object]:
        async def once() -> object:
            async with AsyncSession(fastapi_db.engine, expire_on_commit=False) as session:
                return await read(session)

        return lambda: loop.run_until_complete(once())

    def count(call: Callable[[], object]) -> int:
        before = len(sent)
        call()
        return len(sent) - before

    try:
        return _interleaved(
            "fastapi", run(snippet.authors_one_by_one), run(snippet.authors_with_books), count
        )
    finally:
        loop.run_until_complete(fastapi_db.engine.dispose())
        loop.close()


@_snippet("flask", "Flask-SQLAlchemy (sync)", (1 + AUTHORS, 2, 1))
def _measure_flask() -> Timing:
    import sqlalchemy as sa

    from snippets.async_database import flask as snippet

    sent: list[str] = []
    with snippet.app.app_context():
        sa.event.listen(snippet.db.engine, "before_cursor_execute", lambda *a: sent.append(a[2]))

    def run(read) -> Callable[[], object]:
        def once() -> object:
            with snippet.app.app_context():  # a request's context: a fresh session each time
                return read()

        return once

    def count(call: Callable[[], object]) -> int:
        before = len(sent)
        call()
        return len(sent) - before

    return _interleaved(
        "flask", run(snippet.authors_one_by_one), run(snippet.authors_with_books), count
    )


# prefetch_related as selectinload; select_related would be one JOIN.
@_snippet("django", "Django async ORM (sync_to_async)", (1 + AUTHORS, 2, 1))
def _measure_django() -> Timing:
    from asgiref.sync import ThreadSensitiveContext, async_to_sync, sync_to_async
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from snippets.async_database import django as snippet

    loop = asyncio.new_event_loop()

    def close_connection() -> None:
        connection.close()  # this thread's connection: the proxy resolves it here

    def run(read) -> Callable[[], object]:
        # As Django's ASGI handler runs a request: the coroutine on the loop, its queries in
        # the worker thread of the request's ThreadSensitiveContext, and at the end the
        # connection handed back to psycopg's pool (Django's request_finished does that).
        async def once() -> object:
            async with ThreadSensitiveContext():
                result = await read()
                await sync_to_async(close_connection)()
                return result

        return lambda: loop.run_until_complete(once())

    def count(call: Callable[[], object]) -> int:
        # Counted as the tests count: the queries then run in this thread, where
        # CaptureQueriesContext watches the connection.
        read = {id(trap): snippet.authors_one_by_one, id(fixed): snippet.authors_with_books}
        with CaptureQueriesContext(connection) as queries:
            async_to_sync(read[id(call)])()
        return len(queries)

    trap, fixed = run(snippet.authors_one_by_one), run(snippet.authors_with_books)
    try:
        return _interleaved("django", trap, fixed, count)
    finally:
        loop.close()


#: Per framework: (the N+1 read of the authors, the fixed ``GET /authors``, ``GET /books``).
QUERY_COUNTS: dict[str, tuple[int, int, int]] = {fw: s.queries for fw, s in snippets().items()}


def measure() -> Result:
    """Seed a throwaway PostgreSQL cluster and time every framework's two reads on it."""
    from verified_guide import postgres
    from verified_guide.secret_env import throwaway_secrets

    with postgres.cluster() as pg:
        url = pg.create_database("n_plus_one")
        os.environ.update(throwaway_secrets())
        os.environ["GUIDE_DATABASE_URL"] = url
        os.environ["DJANGO_SETTINGS_MODULE"] = "demo_apps.django_app.config.settings"
        _seed(url)
        timings = [snippet.measure() for snippet in snippets().values()]
        for timing in timings:
            if (timing.queries_n_plus_one, timing.queries_fixed) != (1 + MEASURED_AUTHORS, 2):
                raise NPlusOneError(f"{timing.framework}: unexpected query counts {timing}")
        from django.db import connections

        connections.close_all()
        return Result(
            schema_version=SCHEMA_VERSION, authors=MEASURED_AUTHORS, books_each=MEASURED_BOOKS_EACH,
            rounds=ROUNDS, calls_per_sample=CALLS_PER_SAMPLE,
            environment=_environment(pg.version), timings=timings,
        )  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.async_database", description=__doc__)
    parser.add_argument("command", choices=["measure", "check"])
    parser.add_argument("--out", type=Path, default=RESULT_FILE)
    args = parser.parse_args(argv)
    if args.command == "check":
        load(args.out)
        return 0
    result = measure()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result.model_dump(), indent=1) + "\n", encoding="utf-8")
    for timing in result.timings:
        print(timing.framework, summary(timing))
    return 0
