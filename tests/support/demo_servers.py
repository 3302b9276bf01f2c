"""The demo apps under their production servers, started once per test session and shared.

Four test modules send requests to the same six servers (``DEMO_SERVERS``): every case over
real HTTP, the deployment page's health check, forged credentials, and the hostile suite
(a demo app's socket server, ``SOCKET_SERVERS``, is started the same way for its socket
conversations). Starting each server once for all of them, instead of once per module, saves
a start-up each (imports of every snippet, several seconds of CPU under load). Sharing must
not let one test's requests change another's answers, so:

- ``get`` hands out a server that no hostile run has touched: if one has (or the server died),
  it is stopped and a fresh one, on a fresh database, takes its place;
- ``attack`` hands out the same server for the hostile suite and marks it, so whatever the
  attacks left behind (rows, failed logins counted by a rate limiter) never reaches a case.

A test names its server in a ``server_name`` parameter made by ``server_param``, which keeps
every test of one server on one pytest-xdist worker (``--dist loadgroup``), and
``tests/conftest.py`` runs the hostile ones last, so in ``make test`` no server starts twice.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from verified_guide.servers import DEMO_SERVERS, SOCKET_SERVERS, RunningServer, serve

#: Generous: the servers start beside other tests on a busy 2-core machine, and no test that
#: uses them measures time, so a slow start must not fail one.
START_TIMEOUT_S = 180.0


def server_param(name: str, *values: Any, id: str | None = None) -> Any:
    """A ``pytest.param`` of a test that uses the shared server ``name`` (then ``values``), kept
    on the worker that runs that server's other tests."""
    return pytest.param(
        name, *values, id=id or name, marks=pytest.mark.xdist_group(f"demo-server-{name}")
    )


@dataclass
class DemoServer:
    """A running demo server and the SQLite file it writes to (tests read it directly)."""

    running: RunningServer
    database: Path
    attacked: bool = False


class DemoServers:
    """Demo servers by name (``fastapi-uvicorn``), each started on first use."""

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._started: dict[str, tuple[DemoServer, contextlib.ExitStack]] = {}
        self._starts = 0

    def _start(self, name: str) -> DemoServer:
        self._starts += 1
        database = self._folder / f"{name}-{self._starts}.db"
        stack = contextlib.ExitStack()
        running = stack.enter_context(
            serve(
                name,
                {**DEMO_SERVERS, **SOCKET_SERVERS}[name],
                # Production settings whatever the caller's environment says.
                env={"GUIDE_DATABASE_URL": f"sqlite:///{database}", "GUIDE_DEBUG": "0"},
                timeout=START_TIMEOUT_S,
            )
        )
        server = DemoServer(running, database)
        self._started[name] = (server, stack)
        return server

    def _stop(self, name: str) -> None:
        _, stack = self._started.pop(name)
        stack.close()

    def get(self, name: str) -> DemoServer:
        """A live server that no hostile run has touched (started afresh when needed)."""
        if name in self._started:
            server, _ = self._started[name]
            if server.running.alive() and not server.attacked:
                return server
            self._stop(name)
        return self._start(name)

    def attack(self, name: str) -> DemoServer:
        """The live server for the hostile suite, marked so that no case sees it afterwards."""
        server = self._started[name][0] if name in self._started else self._start(name)
        if not server.running.alive():
            self._stop(name)
            server = self._start(name)
        server.attacked = True
        return server

    def close(self) -> None:
        """Stop every server still running."""
        for name in list(self._started):
            self._stop(name)
