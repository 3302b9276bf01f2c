"""The async_database topic: how many queries each way of reading authors and their books
sends, and where each framework's database calls run.

The counts are the topic's tested fact (the page renders them from ``QUERY_COUNTS``): the
N+1 version sends one query for the authors and one per author, the fixed versions a fixed
number whatever the page size. SQLAlchemy's are counted with an event listener on the
engine, Django's with ``CaptureQueriesContext``. SQLAlchemy runs on SQLite and on PostgreSQL
in-process (a throwaway cluster, ``verified_guide/postgres.py``); Django's tests run again on
PostgreSQL in a child pytest with ``GUIDE_DATABASE_URL`` set (``test_django_on_postgresql``),
because its test database comes from settings.
"""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from typing import Any

import aiosqlite
import psycopg
import pytest
import sqlalchemy as sa
from asgiref.sync import async_to_sync
from django.core.exceptions import SynchronousOnlyOperation
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from fastapi.testclient import TestClient
from flask import Flask
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine
from sqlalchemy.pool import NullPool

from snippets.async_database import django as django_snippet
from snippets.async_database import fastapi as fastapi_snippet
from snippets.async_database import fastapi_db
from snippets.async_database import flask as flask_snippet
from snippets.async_database.django_models import Author, Book
from tests.support.fresh_interpreter import run_fresh
from verified_guide.async_database import AUTHORS, BOOKS_EACH, QUERY_COUNTS
from verified_guide.topics import ROOT

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path) -> str:
    """A fresh, empty database: a SQLite file, or a new database in the session's cluster."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'topic.db'}"
    cluster = request.getfixturevalue("postgres")
    name = "t_" + re.sub(r"[^a-z0-9]+", "_", request.node.name.lower())[:50]
    return cluster.create_database(name)


class Statements:
    """Every statement an engine sends, with the thread it was sent from."""

    def __init__(self, engine: sa.Engine) -> None:
        self.sent: list[tuple[str, int]] = []
        sa.event.listen(engine, "before_cursor_execute", self._record)

    def _record(self, conn, cursor, statement: str, *args: Any) -> None:
        self.sent.append((statement, threading.get_ident()))

    def count_during(self, action) -> int:
        before = len(self.sent)
        action()
        return len(self.sent) - before


def _seed_sqlalchemy(url: str, author_cls: type, book_cls: type, metadata: sa.MetaData) -> None:
    """``AUTHORS`` authors with ``BOOKS_EACH`` books each, through a plain sync engine."""
    engine = sa.create_engine(url)
    metadata.create_all(engine)
    with sa.orm.Session(engine) as session:
        session.add_all(
            author_cls(
                name=f"Author {a}",
                books=[book_cls(title=f"Book {a}.{b}") for b in range(BOOKS_EACH)],
            )
            for a in range(AUTHORS)
        )
        session.commit()
    engine.dispose()


# --------------------------------------------------------------------------- FastAPI


@pytest.fixture
def fastapi_engine(database_url: str) -> Iterator[Any]:
    """The snippet's models on a fresh, seeded database, behind an async engine that the app's
    session dependency is pointed at. NullPool: the test client runs each request on an event
    loop of its own, and a pooled asyncio connection belongs to the loop that opened it."""
    _seed_sqlalchemy(database_url, fastapi_db.Author, fastapi_db.Book, fastapi_db.Base.metadata)
    engine = create_async_engine(
        fastapi_db.async_url(sa.make_url(database_url)), poolclass=NullPool
    )

    async def session() -> Any:
        async with AsyncSession(engine, expire_on_commit=False) as s:
            yield s

    fastapi_snippet.app.dependency_overrides[fastapi_db.get_session] = session
    yield engine
    fastapi_snippet.app.dependency_overrides.clear()
    asyncio.run(engine.dispose())


def test_fastapi_query_counts(fastapi_engine: Any) -> None:
    statements = Statements(fastapi_engine.sync_engine)
    client = TestClient(fastapi_snippet.app)
    fixed = statements.count_during(lambda: client.get("/authors").raise_for_status())
    joined = statements.count_during(lambda: client.get("/books").raise_for_status())

    async def one_by_one() -> list:
        async with AsyncSession(fastapi_engine) as session:
            return await fastapi_snippet.authors_one_by_one(session)

    trap = statements.count_during(lambda: asyncio.run(one_by_one()))
    assert (trap, fixed, joined) == QUERY_COUNTS["fastapi"]
    assert len(client.get("/authors").json()) == AUTHORS


# SQLAlchemy cancels the query it refused to send; the coroutine it made is then collected
# unawaited, which Python reports as a warning.
@pytest.mark.filterwarnings("ignore:coroutine .* was never awaited:RuntimeWarning")
def test_fastapi_lazy_load_in_async_code_raises(fastapi_engine: Any) -> None:
    """With AsyncSession the trap is an error, not a slow page: a lazy attribute cannot
    await, so reading ``author.books`` unloaded raises MissingGreenlet (wrapped in the
    StatementError that names the query it could not send)."""

    async def lazy() -> None:
        async with AsyncSession(fastapi_engine) as session:
            author = await session.scalar(sa.select(fastapi_db.Author).limit(1))
            author.books  # noqa: B018

    with pytest.raises(sa.exc.StatementError) as raised:
        asyncio.run(lazy())
    assert isinstance(raised.value.orig, sa.exc.MissingGreenlet)


def test_fastapi_queries_run_on_the_event_loop_thread(fastapi_engine: Any) -> None:
    """SQLAlchemy's asyncio layer sends each statement from the event loop's own thread (the
    driver awaits the socket: psycopg's async connection on PostgreSQL)."""
    statements = Statements(fastapi_engine.sync_engine)

    async def read() -> tuple[int, type]:
        async with AsyncSession(fastapi_engine) as session:
            await fastapi_snippet.authors_with_books(session)
            raw = await (await session.connection()).get_raw_connection()
            return threading.get_ident(), type(raw.driver_connection)

    loop_thread, driver = asyncio.run(read())
    assert {thread for _, thread in statements.sent} == {loop_thread}
    expected = {"postgresql": psycopg.AsyncConnection, "sqlite": aiosqlite.Connection}
    assert driver is expected[fastapi_engine.dialect.name]


# --------------------------------------------------------------------------- Flask


@pytest.fixture
def flask_app(database_url: str) -> Flask:
    """The snippet's views and models on a fresh, seeded database (a second app, since the
    snippet's own app is bound to the demo database)."""
    app = Flask(__name__)
    flask_snippet.init_db(app, database_url)
    with app.app_context():
        _seed_sqlalchemy(
            database_url, flask_snippet.Author, flask_snippet.Book, flask_snippet.db.metadata
        )
    app.add_url_rule("/authors", view_func=flask_snippet.list_authors)
    app.add_url_rule("/books", view_func=flask_snippet.list_books)
    return app


def test_flask_query_counts(flask_app: Flask) -> None:
    client = flask_app.test_client()
    with flask_app.app_context():
        statements = Statements(flask_snippet.db.engine)
    fixed = statements.count_during(lambda: client.get("/authors"))
    joined = statements.count_during(lambda: client.get("/books"))
    with flask_app.app_context():
        trap = statements.count_during(flask_snippet.authors_one_by_one)
    assert (trap, fixed, joined) == QUERY_COUNTS["flask"]
    assert len(client.get("/authors").get_json()) == AUTHORS


# --------------------------------------------------------------------------- Django


@pytest.fixture
def django_authors(db, settings) -> None:
    settings.ROOT_URLCONF = "snippets.async_database.django"
    for a in range(AUTHORS):
        author = Author.objects.create(name=f"Author {a}")
        Book.objects.bulk_create(
            Book(author=author, title=f"Book {a}.{b}") for b in range(BOOKS_EACH)
        )


def _django_count(action) -> int:
    with CaptureQueriesContext(connection) as queries:
        action()
    return len(queries)


@pytest.mark.usefixtures("django_authors")
def test_django_query_counts() -> None:
    client = Client()
    fixed = _django_count(lambda: client.get("/authors"))
    joined = _django_count(lambda: client.get("/books"))
    trap = _django_count(async_to_sync(django_snippet.authors_one_by_one))
    assert (trap, fixed, joined) == QUERY_COUNTS["django"]
    assert len(client.get("/authors").json()) == AUTHORS


@pytest.mark.usefixtures("django_authors")
def test_django_async_orm_runs_each_query_in_a_sync_thread() -> None:
    """Django's async ORM is the sync ORM behind ``sync_to_async``: the view's coroutine runs
    on the event loop's thread, every query on another one (here the test's own thread,
    which asgiref uses as the thread-sensitive one)."""
    threads: list[int] = []

    def record(execute, sql, params, many, context):
        threads.append(threading.get_ident())
        return execute(sql, params, many, context)

    async def read() -> int:
        await django_snippet.authors_with_books()
        return threading.get_ident()

    with connection.execute_wrapper(record):
        loop_thread = async_to_sync(read)()
    assert threads and loop_thread not in threads
    assert set(threads) == {threading.get_ident()}


@pytest.mark.usefixtures("django_authors")
def test_django_lazy_load_in_async_code_raises() -> None:
    """The sync spelling of the trap, ``list(author.books.all())``, is refused in async code."""

    async def lazy() -> None:
        author = await Author.objects.afirst()
        list(author.books.all())

    with pytest.raises(SynchronousOnlyOperation):
        async_to_sync(lazy)()


def test_django_on_postgresql(postgres) -> None:
    """The topic's cases and the Django tests above again, with the demo settings pointed at
    PostgreSQL through ``GUIDE_DATABASE_URL``."""
    url = postgres.create_database("async_topic_cases")
    result = subprocess.run(
        [
            sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-x",
            "tests/test_cases.py", "tests/topics/test_async_database.py",
            "-k", "async_database and django and not on_postgresql",
        ],
        cwd=ROOT, env={**os.environ, "GUIDE_DATABASE_URL": url},
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and "skipped" not in result.stdout, result.stdout[-2000:]


@pytest.mark.django_db
def test_django_atomic_has_no_async_form() -> None:
    """Why ``save_author`` is a sync function: ``transaction.atomic()`` refuses async code."""
    from django.db import transaction

    async def atomic_in_async_code() -> None:
        with transaction.atomic():
            await Author.objects.acreate(name="never saved")

    with pytest.raises(SynchronousOnlyOperation):
        async_to_sync(atomic_in_async_code)()


def test_sqlalchemy_snippets_take_the_database_from_the_environment_and_create_tables(
    tmp_path,
) -> None:
    """``GUIDE_DATABASE_URL`` picks the FastAPI and Flask snippets' database, and importing
    them creates their tables there (a fresh interpreter, so no loaded engine is touched): the
    cases pass on the default file either way, which already has the tables."""
    database = tmp_path / "chosen.db"
    code = (
        "import sqlite3, sys\n"
        "from snippets.async_database import fastapi_db, flask\n"
        "print(fastapi_db.engine.url)\n"
        "print(flask.app.config['SQLALCHEMY_DATABASE_URI'])\n"
        "query = \"SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name\"\n"
        "print(*(row[0] for row in sqlite3.connect(sys.argv[1]).execute(query)))\n"
    )
    env = {"GUIDE_DATABASE_URL": f"sqlite:///{database}"}
    assert run_fresh(code, env, str(database)).splitlines() == [
        f"sqlite+aiosqlite:///{database}",  # the same file, through the asyncio driver
        f"sqlite:///{database}",
        "author authors book books",  # Flask-SQLAlchemy's table names, then the FastAPI ones
    ]
