"""Start real servers on a free loopback port, wait until they answer, always stop them.

Shared by the demo-server tests and the benchmark runner so that both start the
demo apps the same way. A server that does not come up raises
``ServerStartError`` with the tail of its log, so a failure says what broke.
"""

from __future__ import annotations

import contextlib
import os
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

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
BIN = Path(sys.executable).parent

#: The production command of each demo app, as the deployment page shows it.
#: ``{port}`` is filled in at start; every command listens on 127.0.0.1 only.
DEMO_SERVERS: dict[str, list[str]] = {
    "fastapi-uvicorn": [
        "uvicorn",
        "demo_apps.fastapi_app.main:app",
        "--host",
        HOST,
        "--port",
        "{port}",
        "--workers",
        "1",
        "--loop",
        "uvloop",
        "--http",
        "httptools",
        "--no-access-log",
    ],
    "fastapi-granian": [
        "granian",
        "--interface",
        "asgi",
        "--host",
        HOST,
        "--port",
        "{port}",
        "--workers",
        "1",
        "--no-access-log",
        "demo_apps.fastapi_app.main:app",
    ],
    "django-gunicorn": [
        "gunicorn",
        "demo_apps.django_app.config.wsgi:application",
        "--bind",
        f"{HOST}:{{port}}",
        "--workers",
        "1",
    ],
    "django-uvicorn": [
        "uvicorn",
        "demo_apps.django_app.config.asgi:application",
        "--host",
        HOST,
        "--port",
        "{port}",
        "--workers",
        "1",
        "--no-access-log",
    ],
    "flask-gunicorn": [
        "gunicorn",
        "demo_apps.flask_app.main:app",
        "--bind",
        f"{HOST}:{{port}}",
        "--workers",
        "1",
    ],
    "flask-granian": [
        "granian",
        "--interface",
        "wsgi",
        "--host",
        HOST,
        "--port",
        "{port}",
        "--workers",
        "1",
        "--no-access-log",
        "demo_apps.flask_app.main:app",
    ],
}


class ServerStartError(RuntimeError):
    """The server exited or never answered; the message carries its log tail."""


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _resolve(argv: Sequence[str], port: int) -> list[str]:
    """Fill in the port and run console scripts from this environment's bin dir."""
    filled = [arg.replace("{port}", str(port)) for arg in argv]
    exe = BIN / filled[0]
    if exe.exists():
        filled[0] = str(exe)
    return filled


def _tail(path: Path, lines: int = 30) -> str:
    text = path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""
    return "\n".join(text.splitlines()[-lines:]) or "(empty log)"


@dataclass
class RunningServer:
    """A started server: where it listens and how to find its process and log."""

    name: str
    port: int
    process: subprocess.Popen[bytes]
    log_path: Path

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def log_tail(self) -> str:
        return _tail(self.log_path)


def _wait_ready(server: RunningServer, ready_path: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    last_error = "no answer yet"
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise ServerStartError(
                f"{server.name} exited with code {server.process.returncode} before answering.\n"
                f"Log tail ({server.log_path}):\n{server.log_tail()}"
            )
        try:
            httpx.get(server.base_url + ready_path, timeout=2)
            return
        except httpx.HTTPError as exc:
            last_error = repr(exc)
            time.sleep(0.1)
    raise ServerStartError(
        f"{server.name} did not answer {ready_path} within {timeout:.0f}s ({last_error}).\n"
        f"Log tail ({server.log_path}):\n{server.log_tail()}"
    )


def stop(process: subprocess.Popen[bytes], grace: float = 10.0) -> None:
    """Stop a server and everything it forked (workers): TERM, then KILL."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=grace)


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

    ``cpus`` pins the server with ``taskset -c`` (the benchmark keeps the server
    and the load generator on different cores).
    """
    port = free_port()
    command = _resolve(argv, port)
    if cpus is not None:
        command = ["taskset", "-c", cpus, *command]
    log_file = tempfile.NamedTemporaryFile(  # noqa: SIM115 - lives as long as the server
        prefix=f"{name}-", suffix=".log", delete=False
    )
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
        stdout=log_file,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    server = RunningServer(name, port, process, Path(log_file.name))
    try:
        _wait_ready(server, ready_path, timeout)
        yield server
    finally:
        stop(process)
        log_file.close()
