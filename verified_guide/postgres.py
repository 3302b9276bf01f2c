"""A throwaway PostgreSQL cluster: initdb into a temporary directory, serve on a free
loopback port, remove everything afterwards (also when the caller fails).

Used by the tests (a session fixture), by the benchmark runner and from the shell:

    python -m scripts.postgres run -- pytest -k database

starts a cluster, runs the command with ``GUIDE_DATABASE_URL`` (the SQLAlchemy URL the
snippets read), ``DATABASE_URL`` (the libpq URL) and the libpq ``PG*`` variables set, then
stops the server and deletes its directory. ``python -m scripts.postgres version`` prints
the server version the binaries found would run.

The binaries are found without relying on PATH (Debian installs them in
``/usr/lib/postgresql/<major>/bin``); ``GUIDE_PG_BINDIR`` overrides the search. initdb
refuses to run as root, so as root the server runs as the ``postgres`` user (created by
Debian's ``postgresql`` package) through ``setpriv`` (util-linux). The server listens on
127.0.0.1 only, with a random password (scram-sha-256) and fsync off: the data is
disposable, and durability costs seconds a test run does not need.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

INSTALL_HINT = "apt-get install postgresql"
HOST = "127.0.0.1"
SUPERUSER = "guide"
DATABASE = "guide"
RUN_AS_WHEN_ROOT = "postgres"
DEBIAN_ROOT = Path("/usr/lib/postgresql")  # Debian: one <major>/bin per installed server
START_TIMEOUT_S = 60
PORT_ATTEMPTS = 5
# Settings for a disposable cluster: no durability, no background noise in the log.
SERVER_SETTINGS = {
    "listen_addresses": HOST,
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "100",
    "shared_buffers": "32MB",
    "log_min_messages": "warning",
}


class PostgresError(RuntimeError):
    """The cluster could not be created or started; the message says what and where."""


class PostgresNotInstalled(PostgresError):
    """No PostgreSQL server binaries were found; the message names the package."""


@dataclass(frozen=True)
class Cluster:
    """A running throwaway cluster and how to reach it."""

    host: str
    port: int
    user: str
    password: str
    database: str
    version: str  # the server's own ``SHOW server_version``, e.g. "15.14"
    directory: Path
    bindir: Path

    def url(self, database: str | None = None, driver: str = "") -> str:
        """A connection URL; ``driver="psycopg"`` gives SQLAlchemy's ``postgresql+psycopg://``."""
        scheme = f"postgresql+{driver}" if driver else "postgresql"
        auth = f"{quote(self.user, safe='')}:{quote(self.password, safe='')}"
        return f"{scheme}://{auth}@{self.host}:{self.port}/{database or self.database}"

    @property
    def sqlalchemy_url(self) -> str:
        """The URL the snippets read from ``GUIDE_DATABASE_URL`` (psycopg 3 driver)."""
        return self.url(driver="psycopg")

    def environ(self) -> dict[str, str]:
        """Variables a child process needs: the snippets' URL, the libpq URL and ``PG*``."""
        return {
            "GUIDE_DATABASE_URL": self.sqlalchemy_url,
            "DATABASE_URL": self.url(),
            "PGHOST": self.host,
            "PGPORT": str(self.port),
            "PGUSER": self.user,
            "PGPASSWORD": self.password,
            "PGDATABASE": self.database,
        }

    def psql(self, sql: str, database: str | None = None) -> str:
        """Run one SQL command with the cluster's own ``psql``; the output, unaligned."""
        result = subprocess.run(
            [str(self.bindir / "psql"), "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql],
            env={**os.environ, **self.environ(), "PGDATABASE": database or self.database},
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise PostgresError(f"psql failed on {sql!r}: {result.stderr.strip()}")
        return result.stdout.strip()

    def create_database(self, name: str) -> str:
        """A new empty database (e.g. one per framework, so their migrations do not meet);
        returns its SQLAlchemy URL."""
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
            raise ValueError(f"database name {name!r}: use lowercase letters, digits, _")
        self.psql(f"CREATE DATABASE {name}")
        return self.url(name, driver="psycopg")


def find_bindir() -> Path:
    """The directory holding ``initdb``, ``pg_ctl`` and ``postgres``: ``GUIDE_PG_BINDIR``,
    else ``pg_config --bindir`` from PATH, else the newest ``/usr/lib/postgresql/*/bin``,
    else ``initdb`` on PATH."""
    given = os.environ.get("GUIDE_PG_BINDIR")
    candidates: list[Path] = [Path(given)] if given else []
    pg_config = shutil.which("pg_config")
    if pg_config:
        with contextlib.suppress(OSError, subprocess.CalledProcessError):
            out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True)
            candidates.append(Path(out.stdout.strip()))
    debian = DEBIAN_ROOT.glob("*/bin")
    candidates += sorted(debian, key=_major_of_path, reverse=True)
    initdb = shutil.which("initdb")
    if initdb:
        candidates.append(Path(initdb).parent)
    for bindir in candidates:
        if all((bindir / tool).is_file() for tool in ("initdb", "pg_ctl", "postgres", "psql")):
            return bindir
    where = f"GUIDE_PG_BINDIR={given}" if given else "PATH and /usr/lib/postgresql/*/bin"
    raise PostgresNotInstalled(
        f"PostgreSQL server binaries (initdb, pg_ctl, postgres, psql) not found in {where}: "
        f"install them with `{INSTALL_HINT}`"
    )


def _major_of_path(bindir: Path) -> int:
    """``/usr/lib/postgresql/15/bin`` -> 15, so the newest installed server wins."""
    name = bindir.parent.name
    return int(name) if name.isdigit() else -1


def installed_version(bindir: Path | None = None) -> str:
    """The version the server binary reports (``postgres --version``), e.g. "15.14"."""
    postgres = (bindir or find_bindir()) / "postgres"
    out = subprocess.run([str(postgres), "--version"], capture_output=True, text=True, check=True)
    match = re.search(r"\(PostgreSQL\) (\d+(?:\.\d+)*)", out.stdout)
    if not match:
        raise PostgresError(f"{postgres} --version said {out.stdout!r}: no version in it")
    return match.group(1)


def _run_as_prefix() -> list[str]:
    """As root, the prefix that runs a command as the ``postgres`` user; else nothing."""
    if os.geteuid() != 0:
        return []
    try:
        account = pwd.getpwnam(RUN_AS_WHEN_ROOT)
    except KeyError:
        raise PostgresError(
            f"running as root, and initdb refuses root: no '{RUN_AS_WHEN_ROOT}' user to run "
            f"the server as (`{INSTALL_HINT}` creates it), or run as a regular user"
        ) from None
    setpriv = shutil.which("setpriv")
    if not setpriv:
        raise PostgresError(
            "running as root needs setpriv: install it with `apt-get install util-linux`"
        )
    return [
        setpriv, f"--reuid={account.pw_uid}", f"--regid={account.pw_gid}", "--init-groups",
        "--reset-env", "--",
    ]  # fmt: skip


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _check(argv: Sequence[str], what: str, log: Path | None = None) -> None:
    result = subprocess.run(argv, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        tail = log.read_text(errors="replace")[-3000:] if log and log.is_file() else ""
        raise PostgresError(
            f"{what} failed (exit {result.returncode}): {' '.join(argv)}\n"
            f"{result.stdout[-2000:]}{result.stderr[-2000:]}{tail}"
        )


@contextlib.contextmanager
def cluster(bindir: Path | None = None) -> Iterator[Cluster]:
    """Start a throwaway cluster, yield how to reach it, then stop it and delete its files.

    Raises ``PostgresNotInstalled`` (naming the package) when the binaries are missing and
    ``PostgresError`` with the server log when initdb or the start fails.
    """
    bindir = bindir or find_bindir()
    prefix = _run_as_prefix()
    directory = Path(tempfile.mkdtemp(prefix="guide-pg-"))
    data, log, pwfile = directory / "data", directory / "server.log", directory / "pwfile"
    password = secrets.token_urlsafe(24)
    started = False
    try:
        pwfile.write_text(password + "\n")
        if prefix:
            account = pwd.getpwnam(RUN_AS_WHEN_ROOT)
            for path in (directory, pwfile):
                os.chown(path, account.pw_uid, account.pw_gid)
        directory.chmod(0o700)
        pwfile.chmod(0o600)
        _check(
            [
                *prefix, str(bindir / "initdb"), "-D", str(data), "-U", SUPERUSER,
                f"--pwfile={pwfile}", "--auth=scram-sha-256", "-E", "UTF8",
                "--locale=C.UTF-8", "--no-sync", "--no-instructions",
            ],
            "initdb",
        )  # fmt: skip
        pwfile.unlink()
        options = " ".join(f"-c {key}={value}" for key, value in SERVER_SETTINGS.items())
        for attempt in range(PORT_ATTEMPTS):
            port = _free_port()
            argv = [
                *prefix, str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w",
                "-t", str(START_TIMEOUT_S), "-s", "-o", f"{options} -p {port} -k {directory}",
                "start",
            ]  # fmt: skip
            try:
                _check(argv, "pg_ctl start", log)
            except PostgresError:
                # Another process may have taken the port between our probe and the bind.
                if attempt + 1 == PORT_ATTEMPTS:
                    raise
                continue
            started = True
            break
        probe = Cluster(HOST, port, SUPERUSER, password, "postgres", "", directory, bindir)
        probe.psql(f"CREATE DATABASE {DATABASE}")
        version = probe.psql("SHOW server_version").split()[0]
        yield Cluster(HOST, port, SUPERUSER, password, DATABASE, version, directory, bindir)
    finally:
        if started:
            _stop(prefix, bindir, data)
        shutil.rmtree(directory, ignore_errors=True)


def _stop(prefix: list[str], bindir: Path, data: Path) -> None:
    """Stop the server: an immediate shutdown (no checkpoint: the files are deleted next),
    then SIGKILL by its pid file."""
    for mode in ("immediate",):
        result = subprocess.run(
            [
                *prefix,
                str(bindir / "pg_ctl"),
                "-D",
                str(data),
                "-m",
                mode,
                "-w",
                "-t",
                "20",
                "-s",
                "stop",
            ],
            capture_output=True,
            check=False,
        )
        if result.returncode == 0:
            return
    with contextlib.suppress(OSError, ValueError, IndexError):
        pid = int((data / "postmaster.pid").read_text().split()[0])
        os.kill(pid, signal.SIGKILL)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.postgres", description=__doc__.split("\n")[0]
    )
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="start a cluster, run a command with its URL, remove it")
    run.add_argument("cmd", nargs=argparse.REMAINDER, help="the command, after --")
    commands.add_parser("version", help="print the version of the server binaries found")
    args = parser.parse_args(argv)
    # A SIGTERM (CI timeout, kill) unwinds like Ctrl-C, so the cluster is still removed.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    try:
        if args.command == "version":
            print(installed_version())
            return 0
        cmd = args.cmd[1:] if args.cmd[:1] == ["--"] else args.cmd
        if not cmd:
            parser.error("run needs a command: python -m scripts.postgres run -- <command>")
        with cluster() as pg:
            print(
                f"PostgreSQL {pg.version} on {pg.host}:{pg.port} ({pg.directory})", file=sys.stderr
            )
            return subprocess.run(cmd, env={**os.environ, **pg.environ()}, check=False).returncode
    except PostgresError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
