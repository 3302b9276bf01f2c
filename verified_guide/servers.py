"""The production servers, and one way to start them: free loopback port, readiness, stop.

Shared by the demo-server tests, the deployment page (which renders
``DEMO_SERVERS``) and the benchmark runner, so all three start the demo apps
with the same commands. A server that does not come up raises
``ServerStartError`` with the tail of its log, so a failure says what broke.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx

from verified_guide.frameworks import REGISTRY, DemoServer, ServerSpec
from verified_guide.topics import ROOT

HOST = "127.0.0.1"
BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class Server:
    """A production server and its command line; ``{target}``, ``{port}``, ``{workers}`` and
    ``{threads}`` are filled in per app and per start."""

    name: str
    interface: str  # "asgi" or "wsgi"
    argv: tuple[str, ...]

    def command(self, target: str, workers: int = 1, threads: int = 0) -> list[str]:
        """The command for one app; ``{port}`` stays a placeholder until ``serve``."""
        values = {"target": target, "workers": str(workers), "threads": str(threads)}
        values["port"] = "{port}"
        return [part.format(**values) for part in self.argv]


UVICORN = Server(
    "uvicorn",
    "asgi",
    (
        "uvicorn", "{target}", "--host", HOST, "--port", "{port}", "--workers", "{workers}",
        "--loop", "uvloop", "--http", "httptools", "--no-access-log", "--log-level", "warning",
    ),
)  # fmt: skip
GUNICORN = Server(
    "gunicorn",
    "wsgi",
    (
        "gunicorn", "{target}", "--bind", f"{HOST}:{{port}}", "--workers", "{workers}",
        "--worker-class", "sync", "--log-level", "warning", "--no-control-socket",
    ),
)  # fmt: skip
#: gunicorn's threaded worker: a connection holds a thread, not the process, so a WebSocket can
#: stay open while other requests are served (a framework's ``socket_server`` in the registry).
GUNICORN_THREADS = Server(
    "gunicorn",
    "wsgi",
    (
        "gunicorn", "{target}", "--bind", f"{HOST}:{{port}}", "--workers", "{workers}",
        "--worker-class", "gthread", "--threads", "{threads}", "--log-level", "warning",
        "--no-control-socket",
    ),
)  # fmt: skip
GRANIAN_ASGI = Server(
    "granian",
    "asgi",
    (
        "granian", "--interface", "asgi", "--host", HOST, "--port", "{port}",
        "--workers", "{workers}", "--no-access-log", "--log-level", "warning", "{target}",
    ),
)  # fmt: skip
GRANIAN_WSGI = Server("granian", "wsgi", (*GRANIAN_ASGI.argv[:2], "wsgi", *GRANIAN_ASGI.argv[3:]))

#: Each production server's command, by (server, interface) as verified_guide/frameworks.yaml names
#: them.
SERVERS: dict[tuple[str, str], Server] = {
    ("uvicorn", "asgi"): UVICORN,
    ("gunicorn", "wsgi"): GUNICORN,
    ("granian", "asgi"): GRANIAN_ASGI,
    ("granian", "wsgi"): GRANIAN_WSGI,
}


def server_of(spec: ServerSpec) -> Server:
    """The command of a server a framework lists in the registry."""
    return GUNICORN_THREADS if spec.threads else SERVERS[spec.server, spec.interface]


def demo_command(demo: DemoServer) -> list[str]:
    """A demo app's command on one server, one worker."""
    return server_of(demo.spec).command(demo.target, threads=demo.spec.threads)


#: The production command of each demo app on each of its servers (``django-gunicorn``), one
#: worker, as the deployment page shows it; the frameworks and servers come from the registry.
DEMO_SERVERS: dict[str, list[str]] = {
    demo.name: demo_command(demo) for demo in REGISTRY.demo_servers
}
#: Where a demo app's socket conversations are held when its servers above cannot keep a socket
#: open (``socket_server`` in the registry): ``flask-gunicorn-threads``.
SOCKET_SERVERS: dict[str, list[str]] = {
    demo.name: demo_command(demo) for demo in REGISTRY.socket_servers
}


class ServerStartError(RuntimeError):
    """The server exited or never answered; the message carries its log tail."""


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def pinned(argv: list[str], cpus: str | None) -> list[str]:
    """Prefix a command with ``taskset`` when pinning is asked for and possible."""
    if cpus is None or shutil.which("taskset") is None:
        return argv
    return ["taskset", "--cpu-list", cpus, *argv]


def _resolve(argv: Sequence[str], port: int) -> list[str]:
    """Fill in the port and run console scripts from this environment's bin dir,
    so the locked versions are the ones that run."""
    filled = [arg.replace("{port}", str(port)) for arg in argv]
    exe = BIN / filled[0]
    if exe.exists():
        filled[0] = str(exe)
    return filled


@dataclass
class RunningServer:
    """A started server: where it listens, its process tree, its log."""

    name: str
    port: int
    process: subprocess.Popen[bytes]
    log_path: Path
    ready_after: float = 0.0  # seconds from start to the first answer
    ready_status: int = 0  # the status of that first answer

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def alive(self) -> bool:
        return self.process.poll() is None

    def log_tail(self, lines: int = 30) -> str:
        path = self.log_path
        text = path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""
        return "\n".join(text.splitlines()[-lines:]) or "(empty log)"

    def pids(self) -> list[int]:
        """The master and every descendant (workers), read from /proc."""
        found, todo = [], [self.process.pid]
        while todo:
            pid = todo.pop()
            found.append(pid)
            for task in Path(f"/proc/{pid}/task").glob("*/children"):
                with contextlib.suppress(OSError):
                    todo.extend(int(c) for c in task.read_text().split())
        return found

    def wait_seconds(self) -> float:
        """Time the whole tree has spent ready to run but waiting for a CPU (the run queue).

        Read from each task's ``/proc/<pid>/task/<tid>/schedstat`` (its second field), summed
        over every thread: other work on the server's cores raises it, but so do the server's
        own threads when more of them are runnable than it has cores (a thread pool on one
        core waits many times the wall time on a quiet machine), so it is a record, not a
        measure of starvation on its own.
        """
        waited_ns = 0
        for pid in self.pids():
            for task in Path(f"/proc/{pid}/task").glob("*/schedstat"):
                with contextlib.suppress(OSError, ValueError, IndexError):
                    waited_ns += int(task.read_text().split()[1])
        return waited_ns / 1e9

    def rss_mb(self) -> float:
        """Resident memory of the whole tree, in MiB."""
        total_kb = 0
        for pid in self.pids():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            total_kb += next(
                (int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")),
                0,
            )
        return total_kb / 1024

    def cpu_seconds(self) -> float:
        """User + system CPU time used so far by the whole tree."""
        ticks = 0
        for pid in self.pids():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
        return ticks / os.sysconf("SC_CLK_TCK")


def _wait_ready(server: RunningServer, ready_path: str, timeout: float, started: float) -> None:
    """Poll until the server answers at all. Any status counts: judging the answer is
    the caller's job, so a server answering 500 is reported as such, not as "not ready"."""
    last_error = "no answer yet"
    while time.monotonic() - started < timeout:
        if not server.alive():
            raise ServerStartError(
                f"{server.name} exited with code {server.process.returncode} before answering.\n"
                f"Log tail ({server.log_path}):\n{server.log_tail()}"
            )
        try:
            server.ready_status = httpx.get(server.base_url + ready_path, timeout=2).status_code
            server.ready_after = time.monotonic() - started
            return
        except httpx.HTTPError as exc:
            last_error = repr(exc)
            time.sleep(0.02)
    raise ServerStartError(
        f"{server.name} did not answer {ready_path} within {timeout:.0f}s ({last_error}).\n"
        f"Log tail ({server.log_path}):\n{server.log_tail()}"
    )


def stop(process: subprocess.Popen[bytes], grace: float = 10.0) -> None:
    """Stop a server and everything it forked (workers): TERM, then KILL."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        try:
            process.wait(timeout=grace)
            break
        except subprocess.TimeoutExpired:
            continue


@contextlib.contextmanager
def serve(
    name: str,
    argv: Sequence[str],
    *,
    env: dict[str, str] | None = None,
    ready_path: str = "/",
    timeout: float = 60.0,
    cpus: str | None = None,
) -> Iterator[RunningServer]:
    """Run ``argv`` (with ``{port}`` filled in) until the block ends, whatever happens.

    ``cpus`` pins the server with ``taskset`` (the benchmark keeps the server and the
    load generator on different cores). The server gets its own process group, so
    stopping it reaches its workers too, also on Ctrl-C; it stays in the caller's session,
    so it runs at the caller's priority. Its log (stdout and stderr) goes to a temp file,
    deleted when the block ends normally or is interrupted (Ctrl-C), and kept when the
    server fails to start or the block raises: the error names the file. A test run starts
    hundreds of servers.
    """
    port = free_port()
    fd, log_name = tempfile.mkstemp(prefix=f"{name}-", suffix=".log")
    started = time.monotonic()
    with os.fdopen(fd, "wb") as log_file:
        process = subprocess.Popen(
            pinned(_resolve(argv, port), cpus),
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
            stdout=log_file,
            stderr=subprocess.STDOUT,
            # Its own process group (stop() signals the whole group, workers included), but
            # the caller's session: a new session would also give it a scheduling group of its
            # own on Linux (autogroup), outside the caller's priority (`nice`).
            process_group=0,
        )
    server = RunningServer(name, port, process, Path(log_name))
    failed = True
    try:
        _wait_ready(server, ready_path, timeout, started)
        yield server
        failed = False
    except KeyboardInterrupt:  # stopped on purpose (Ctrl-C): no error will name the log
        failed = False
        raise
    finally:
        stop(process)
        if not failed:
            server.log_path.unlink(missing_ok=True)
