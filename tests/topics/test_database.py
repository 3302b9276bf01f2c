"""The database topic: a created item is read back by id, and each migration tool builds the schema.

Cases cannot carry an id from one request to the next, so the round trip is here; the
migration tests apply each framework's migrations to a fresh database and look at the tables.
Every test taking ``database_url`` runs on SQLite and on PostgreSQL (a throwaway cluster,
``verified_guide/postgres.py``); ``test_topic_on_postgresql`` re-runs the topic's cases and the
Django tests with the demo settings pointed at PostgreSQL. The page's table of what differs
between the two backends is pinned by the ``test_backend_*`` tests.
"""

from __future__ import annotations

import importlib
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from django.core.management import call_command
from django.db import connection
from django.test import Client
from fastapi.testclient import TestClient
from flask import Flask
from flask_migrate import downgrade

from snippets.database import fastapi_db, flask_db
from snippets.database import flask as flask_snippet
from snippets.database.fastapi import app as fastapi_app
from tests.support.fresh_interpreter import run_fresh
from verified_guide.topics import ROOT

ALEMBIC_DIR = Path(fastapi_db.__file__).parent / "fastapi_alembic"
ITEM = {"name": "Round trip", "price": 4.5}
BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database: a SQLite file, or a new database in the session's cluster."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'topic.db'}"
    cluster = request.getfixturevalue("postgres")
    name = "t_" + re.sub(r"[^a-z0-9]+", "_", request.node.name.lower())[:50]
    return cluster.create_database(name)


@pytest.fixture
def engine(database_url: str) -> Iterator[sa.Engine]:
    """An engine on a database the FastAPI migrations have built (the snippet's tables)."""
    fastapi_db.upgrade_database(database_url)
    engine = sa.create_engine(database_url)
    yield engine
    engine.dispose()


def _tables(url: str) -> set[str]:
    engine = sa.create_engine(url)
    try:
        return set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()


def _round_trip(post, get) -> None:
    created = post("/items", ITEM)
    assert created["name"] == ITEM["name"]
    assert get(f"/items/{created['id']}") == created
    assert created in get("/items")


def test_fastapi_item_round_trip() -> None:
    client = TestClient(fastapi_app)
    _round_trip(
        lambda path, data: client.post(path, json=data).json(),
        lambda path: client.get(path).json(),
    )


@pytest.mark.claim("flask-extensions")
def test_flask_item_round_trip() -> None:
    client = flask_snippet.app.test_client()
    _round_trip(
        lambda path, data: client.post(path, json=data).get_json(),
        lambda path: client.get(path).get_json(),
    )


@pytest.mark.claim("django-batteries")
@pytest.mark.django_db
def test_django_item_round_trip(settings) -> None:
    settings.ROOT_URLCONF = "snippets.database.django"
    client = Client(enforce_csrf_checks=True)
    _round_trip(
        lambda path, data: client.post(path, data, content_type="application/json").json(),
        lambda path: client.get(path).json(),
    )


def test_alembic_migrations_build_and_drop_the_fastapi_tables(database_url: str) -> None:
    url = database_url
    fastapi_db.upgrade_database(url)
    assert {"items", "users", "alembic_version"} <= _tables(url)
    columns = {c["name"] for c in sa.inspect(sa.create_engine(url)).get_columns("items")}
    assert columns == {"id", "name", "price"}

    config = Config()
    config.set_main_option("script_location", str(ALEMBIC_DIR))
    config.set_main_option("sqlalchemy.url", url)
    command.downgrade(config, "base")
    assert _tables(url) == {"alembic_version"}


@pytest.mark.claim("flask-extensions")
def test_flask_migrate_upgrade_builds_and_downgrade_drops_the_tables(database_url: str) -> None:
    url = database_url
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    flask_db.init_db(app)  # runs flask_migrate.upgrade(), as `flask db upgrade` does
    assert {"item", "user", "flask_alembic_version"} <= _tables(url)
    with app.app_context():
        downgrade(revision="base")
    assert _tables(url) == {"flask_alembic_version"}


@pytest.mark.claim("django-batteries")
@pytest.mark.django_db
def test_django_migrations_match_the_models() -> None:
    # Fails (exit 1) when a model changed without `makemigrations`.
    call_command("makemigrations", "guide", "--check", "--dry-run", verbosity=0)


@pytest.mark.claim("django-batteries")
@pytest.mark.django_db
def test_django_migration_created_the_item_table() -> None:
    assert "guide_item" in connection.introspection.table_names()


def _pending_changes(url: str, metadata: sa.MetaData, version_table: str) -> list:
    """What `revision --autogenerate` would put in a new script: nothing, if models and
    migrations agree."""
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"version_table": version_table})
        diff = compare_metadata(context, metadata)
    engine.dispose()
    return diff


def test_fastapi_models_match_the_alembic_scripts(database_url: str) -> None:
    url = database_url
    fastapi_db.upgrade_database(url)
    assert _pending_changes(url, fastapi_db.Base.metadata, "alembic_version") == []


@pytest.mark.claim("flask-extensions")
def test_flask_models_match_the_flask_migrate_scripts(database_url: str) -> None:
    url = database_url
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    flask_db.init_db(app)
    assert _pending_changes(url, flask_db.db.metadata, "flask_alembic_version") == []


# --- What differs between SQLite and PostgreSQL (the page's table; each row pinned here) ---


def _rejects(engine: sa.Engine, statement: str, **params: object) -> bool:
    """Whether the database refuses the statement (and rolls it back)."""
    try:
        with engine.begin() as conn:
            conn.execute(sa.text(statement), params)
    except sa.exc.DBAPIError:
        return True
    return False


def test_backend_string_longer_than_the_column(engine: sa.Engine) -> None:
    """``String(100)``: PostgreSQL enforces the length, SQLite stores the whole string."""
    rejected = _rejects(engine, "INSERT INTO items (name, price) VALUES (:n, 1)", n="x" * 101)
    assert rejected is (engine.dialect.name == "postgresql")


def test_backend_text_with_a_nul_character(engine: sa.Engine) -> None:
    """SQLite stores a NUL in text; psycopg refuses to send one to PostgreSQL (a DataError,
    which the snippets' ``NO_NUL`` pattern keeps from becoming a 500)."""
    rejected = _rejects(engine, "INSERT INTO items (name, price) VALUES (:n, 1)", n="a\x00b")
    assert rejected is (engine.dialect.name == "postgresql")


def test_backend_text_in_a_number_column(engine: sa.Engine) -> None:
    """SQLite's type affinity keeps ``'cheap'`` in a FLOAT column; PostgreSQL refuses it."""
    rejected = _rejects(engine, "INSERT INTO items (name, price) VALUES ('x', 'cheap')")
    assert rejected is (engine.dialect.name == "postgresql")


def test_backend_id_beyond_32_bits(engine: sa.Engine) -> None:
    """An ``Integer`` primary key is 32-bit on PostgreSQL and 64-bit on SQLite."""
    rejected = _rejects(engine, "INSERT INTO items (id, name, price) VALUES (:i, 'x', 1)", i=2**31)
    assert rejected is (engine.dialect.name == "postgresql")


def test_backend_like_is_case_sensitive_on_postgresql_only(engine: sa.Engine) -> None:
    items = sa.table("items", sa.column("name"), sa.column("price"))
    with engine.begin() as conn:
        conn.execute(items.insert().values(name="Widget", price=1))
        like = conn.scalar(sa.select(sa.func.count()).where(items.c.name.like("widget%")))
        ilike = conn.scalar(sa.select(sa.func.count()).where(items.c.name.ilike("widget%")))
    assert like == (1 if engine.dialect.name == "sqlite" else 0)
    assert ilike == 1  # SQLAlchemy's ilike(): ILIKE on PostgreSQL, lower() LIKE lower() on SQLite


def test_backend_a_second_writer_waits_on_sqlite_only(engine: sa.Engine) -> None:
    """SQLite locks the whole database for a writing transaction; PostgreSQL locks rows, so
    two transactions insert at the same time."""
    first, second = engine.connect(), engine.connect()
    try:
        if engine.dialect.name == "sqlite":
            second.exec_driver_sql("PRAGMA busy_timeout = 100")
            second.commit()
        first.begin()
        first.exec_driver_sql("INSERT INTO items (name, price) VALUES ('first', 1)")
        second.begin()
        try:
            second.exec_driver_sql("INSERT INTO items (name, price) VALUES ('second', 2)")
            second.commit()
            blocked = False
        except sa.exc.OperationalError as exc:
            assert "database is locked" in str(exc)
            blocked = True
        first.commit()
    finally:
        first.close()
        second.close()
    assert blocked is (engine.dialect.name == "sqlite")


def test_backend_ddl_rolls_back_on_postgresql_only(engine: sa.Engine) -> None:
    """A CREATE TABLE in a rolled-back transaction: gone on PostgreSQL, kept on SQLite, where
    Python's sqlite3 driver (as SQLAlchemy uses it) opens a transaction only before
    INSERT/UPDATE/DELETE, so the DDL commits at once."""
    with engine.connect() as conn:
        conn.begin()
        conn.exec_driver_sql("CREATE TABLE scratch (id INTEGER)")
        conn.rollback()
    kept = "scratch" in sa.inspect(engine).get_table_names()
    assert kept is (engine.dialect.name == "sqlite")


def test_backend_both_enforce_unique(engine: sa.Engine) -> None:
    insert = "INSERT INTO users (username, password_hash, is_admin) VALUES ('ada', 'h', false)"
    assert not _rejects(engine, insert)
    assert _rejects(engine, insert)


def test_backend_alembic_migrations_transactional_on_postgresql_only(engine: sa.Engine) -> None:
    """Why a failed migration can leave SQLite half-migrated: Alembic wraps the scripts in
    one transaction only where the database's DDL and Alembic's dialect support it."""
    with engine.connect() as conn:
        context = MigrationContext.configure(conn)
        assert context.impl.transactional_ddl is (engine.dialect.name == "postgresql")


def test_sqlalchemy_pool_reuses_connections() -> None:
    """The snippet's engine keeps a QueuePool of 5: a checkout takes a pooled connection instead
    of opening one. (Which one depends on what earlier tests in this process left idle: the
    pool hands out the longest idle first, so "the same one again" held only when alone.)"""
    pool = fastapi_db.engine.pool
    assert isinstance(pool, sa.pool.QueuePool) and pool.size() == 5
    opened: list[object] = []

    def count(dbapi_connection: object, record: object) -> None:
        opened.append(dbapi_connection)

    sa.event.listen(fastapi_db.engine, "connect", count)
    try:
        for _ in range(3):
            with fastapi_db.engine.connect() as conn:
                conn.execute(sa.text("SELECT 1"))
    finally:
        sa.event.remove(fastapi_db.engine, "connect", count)
    assert len(opened) <= 1  # one if the pool was empty, then reused; none if it was not


@pytest.mark.django_db
def test_django_connection_handling_per_backend() -> None:
    """Django: psycopg's pool on PostgreSQL (from the snippet's OPTIONS), one connection per
    request on SQLite (CONN_MAX_AGE 0, the default)."""
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        assert connection.pool is not None and connection.pool.max_size == 10
    else:
        assert connection.settings_dict["CONN_MAX_AGE"] == 0


@pytest.mark.django_db
def test_django_contains_ignores_case_on_sqlite_only() -> None:
    from snippets.database.django_models import Item

    Item.objects.create(name="Widget", price=1)
    found = Item.objects.filter(name__contains="widget").exists()
    assert found is (connection.vendor == "sqlite")
    assert Item.objects.filter(name__icontains="widget").exists()


def test_django_settings_read_both_url_forms() -> None:
    from snippets.database.django_settings import database_from_url

    sqlite = database_from_url("sqlite:////tmp/x%20y.db")
    assert sqlite == {"ENGINE": "django.db.backends.sqlite3", "NAME": "/tmp/x y.db"}
    pg = database_from_url("postgresql+psycopg://ada:p%40ss@127.0.0.1:5433/shop")
    assert pg["ENGINE"] == "django.db.backends.postgresql"
    assert (pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"], pg["NAME"]) == (
        "ada", "p@ss", "127.0.0.1", "5433", "shop",
    )  # fmt: skip
    with pytest.raises(ValueError, match="unsupported scheme 'mysql'"):
        database_from_url("mysql://x@y/z")


def test_django_settings_keep_the_urls_connection_parameters() -> None:
    """A URL's ?sslmode=verify-full must reach libpq, as it does from SQLAlchemy: dropped, it
    would leave libpq's default (prefer), which also accepts a connection without TLS."""
    from snippets.database.django_settings import database_from_url

    url = "postgresql://ada:pw@db.internal/shop%20eu?sslmode=verify-full&sslrootcert=/etc/ca.pem"
    pg = database_from_url(url)
    assert pg["NAME"] == "shop eu"
    assert pg["OPTIONS"]["sslmode"] == "verify-full"
    assert pg["OPTIONS"]["sslrootcert"] == "/etc/ca.pem"
    assert "pool" in pg["OPTIONS"]


def test_django_settings_take_the_database_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``GUIDE_DATABASE_URL`` picks the database (the cases pass on SQLite either way, so a
    misspelt variable name would otherwise go unnoticed)."""
    from snippets.database import django_settings

    monkeypatch.setenv("GUIDE_DATABASE_URL", "postgresql://ada:pw@db.example:5432/shop")
    try:
        default = importlib.reload(django_settings).DATABASES["default"]
        assert (default["ENGINE"], default["HOST"], default["NAME"]) == (
            "django.db.backends.postgresql",
            "db.example",
            "shop",
        )
    finally:
        monkeypatch.undo()
        importlib.reload(django_settings)


def test_the_demo_projects_production_settings_keep_the_urls_tls_and_credentials() -> None:
    """security review: the demo project once re-read ``GUIDE_DATABASE_URL`` itself, dropping
    ``?sslmode=verify-full`` (libpq's default then connects without TLS) and leaving a
    percent-encoded user and password encoded. Its production settings must use the topic's."""
    url = "postgresql://u%40corp:p%2Fw@db.example.com:5432/guide?sslmode=verify-full"
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        "d = settings.DATABASES['default']; "
        "print(json.dumps([d['USER'], d['PASSWORD'], d['OPTIONS'].get('sslmode')]))"
    )
    env = {
        **os.environ,
        "GUIDE_DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "demo_apps.django_app.config.production",
    }
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout.splitlines()[-1]) == ["u@corp", "p/w", "verify-full"]


def test_topic_on_postgresql(postgres) -> None:
    """The topic's cases, round trips and Django tests again, with the demo settings and the
    snippets pointed at PostgreSQL through ``GUIDE_DATABASE_URL``."""
    url = postgres.create_database("topic_cases")
    result = subprocess.run(
        [
            sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-x",
            "tests/test_cases.py", "tests/topics/test_database.py",
            "-k", "database and not bench and not sqlite and not postgresql",
        ],
        cwd=ROOT, env={**os.environ, "GUIDE_DATABASE_URL": url},
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and "skipped" not in result.stdout, result.stdout[-2000:]


def test_sqlalchemy_snippets_take_the_database_from_the_environment(tmp_path: Path) -> None:
    """``GUIDE_DATABASE_URL`` picks the FastAPI and Flask snippets' database too (read at
    import by one, by ``init_db`` by the other; a fresh interpreter, so no loaded engine is
    touched): the cases pass on SQLite either way, so a misspelt name would go unnoticed."""
    url = f"sqlite:///{tmp_path / 'chosen.db'}"
    code = (
        "from flask import Flask\n"
        "from snippets.database import fastapi_db, flask_db\n"
        "app = Flask('check')\n"
        "flask_db.init_db(app)\n"
        "print(fastapi_db.engine.url)\n"
        "print(app.config['SQLALCHEMY_DATABASE_URI'])\n"
    )
    assert run_fresh(code, {"GUIDE_DATABASE_URL": url}).split() == [url, url]
