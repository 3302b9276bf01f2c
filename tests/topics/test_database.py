"""The database topic: a created item is read back by id, and each migration tool builds the schema.

Cases cannot carry an id from one request to the next, so the round trip is here; the
migration tests apply each framework's migrations to a fresh SQLite file and look at the tables.
"""

from __future__ import annotations

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

ALEMBIC_DIR = Path(fastapi_db.__file__).parent / "fastapi_alembic"
ITEM = {"name": "Round trip", "price": 4.5}


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


def test_alembic_migrations_build_and_drop_the_fastapi_tables(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'alembic.db'}"
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
def test_flask_migrate_upgrade_builds_and_downgrade_drops_the_tables(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'flask.db'}"
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


def test_fastapi_models_match_the_alembic_scripts(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'compare.db'}"
    fastapi_db.upgrade_database(url)
    assert _pending_changes(url, fastapi_db.Base.metadata, "alembic_version") == []


@pytest.mark.claim("flask-extensions")
def test_flask_models_match_the_flask_migrate_scripts(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'compare.db'}"
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    flask_db.init_db(app)
    assert _pending_changes(url, flask_db.db.metadata, "flask_alembic_version") == []
