"""The throwaway PostgreSQL cluster (verified_guide/postgres.py): reachable, isolated, removed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

import verified_guide.postgres as postgres_script
from verified_guide.postgres import Cluster, installed_version
from verified_guide.topics import ROOT


def test_cluster_serves_loopback_with_a_password(postgres: Cluster) -> None:
    assert postgres.host == "127.0.0.1"
    with psycopg.connect(postgres.url()) as conn:
        assert conn.execute("SHOW server_version").fetchone()[0].startswith(postgres.version)
        assert conn.execute("SHOW fsync").fetchone()[0] == "off"
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(postgres.url().replace(postgres.password, "wrong"), connect_timeout=5)


def test_server_version_is_the_installed_one(postgres: Cluster) -> None:
    """The page renders ``installed_version()``; this pins it to the server the tests used."""
    assert postgres.version == installed_version(postgres.bindir)


def test_databases_are_separate(postgres: Cluster) -> None:
    url = postgres.create_database("cluster_selftest")
    assert url.startswith("postgresql+psycopg://") and url.endswith("/cluster_selftest")
    other = postgres.create_database("cluster_selftest_other")
    with psycopg.connect(url.replace("+psycopg", "")) as conn:
        conn.execute("CREATE TABLE only_here (x int)")
    with psycopg.connect(other.replace("+psycopg", "")) as conn:
        found = conn.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'only_here'"
        ).fetchone()
    assert found == (0,)
    with pytest.raises(ValueError, match="lowercase"):
        postgres.create_database("Robert'); DROP TABLE students;--")


def test_run_command_gets_the_url_and_the_cluster_is_removed(postgres: Cluster) -> None:
    """The CLI: the command sees the URL, its exit status comes back, nothing is left behind."""
    del postgres  # only for the skip/fail rule when PostgreSQL is missing
    code = (
        "import os, sys, psycopg; psycopg.connect(os.environ['DATABASE_URL']).close(); sys.exit(3)"
    )
    result = subprocess.run(
        [sys.executable, "-m", "scripts.postgres", "run", "--", sys.executable, "-c", code],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 3, result.stderr
    directory = result.stderr.split("(")[-1].split(")")[0]
    assert Path(directory).is_absolute() and not Path(directory).exists()


def test_missing_binaries_name_the_package(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("GUIDE_PG_BINDIR", str(tmp_path))
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(postgres_script, "DEBIAN_ROOT", tmp_path / "nowhere")
    with pytest.raises(postgres_script.PostgresNotInstalled, match="apt-get install postgresql"):
        postgres_script.find_bindir()
