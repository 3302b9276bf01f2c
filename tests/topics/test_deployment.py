"""The deployment page's commands, started for real: the exact commands the page renders from
DEMO_SERVERS (one per framework), gunicorn with the snippet's config file, and two workers
(those start servers: marked ``slow``); and what the config file reads from the environment."""

from __future__ import annotations

import importlib
import multiprocessing
from pathlib import Path

import httpx
import pytest

from tests.support.demo_servers import DemoServers, server_param
from verified_guide.frameworks import REGISTRY
from verified_guide.servers import DEMO_SERVERS, HOST, serve

GUNICORN_CONF = "snippets/deployment/gunicorn_conf.py"
#: Django needs its project (settings, wsgi.py); the Flask snippet is served on its own.
WSGI_APPS = {
    "django": ("demo_apps.django_app.config.wsgi:application", "/deployment/health"),
    "flask": ("snippets.deployment.flask:app", "/health"),
}


def _children(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (the server's workers), read from /proc."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _health(base_url: str, path: str = "/deployment/health") -> httpx.Response:
    return httpx.get(f"{base_url}{path}", timeout=10)


#: One command per framework; tests/test_demo_servers.py sends every case to all of them, the
#: health check included, on the same shared servers (``demo_servers``).
FIRST_PER_FRAMEWORK = [demo.name for demo in REGISTRY.first_servers()]


@pytest.mark.slow
@pytest.mark.parametrize(
    "server_name", [server_param(name) for name in sorted(FIRST_PER_FRAMEWORK)]
)
def test_the_command_on_the_page_serves_the_health_check(
    server_name: str, demo_servers: DemoServers
) -> None:
    server = demo_servers.get(server_name).running
    resp = _health(server.base_url)
    assert resp.status_code == 200, server.log_tail()
    assert resp.json() == {"status": "ok"}


@pytest.mark.slow
@pytest.mark.parametrize("framework", sorted(WSGI_APPS))
def test_gunicorn_with_the_config_file_starts_two_workers(framework: str) -> None:
    app, health = WSGI_APPS[framework]
    argv = ["gunicorn", "-c", GUNICORN_CONF, "--bind", f"{HOST}:{{port}}", app]
    with serve(f"{framework}-gunicorn-conf", argv, env={"WEB_CONCURRENCY": "2"}) as server:
        assert _health(server.base_url, health).status_code == 200, server.log_tail()
        assert len(_children(server.process.pid)) == 2, server.log_tail()


@pytest.mark.slow
def test_uvicorn_with_two_workers_serves_the_health_check() -> None:
    """The page's uvicorn command with the snippet as the app and two workers."""
    argv = DEMO_SERVERS["fastapi-uvicorn"]
    i = argv.index("--workers")
    argv = [*argv[: i + 1], "2", *argv[i + 2 :]]
    argv[argv.index("demo_apps.fastapi_app.main:app")] = "snippets.deployment.fastapi:app"
    with serve("fastapi-uvicorn-2", argv) as server:
        for _ in range(5):
            assert _health(server.base_url, "/health").status_code == 200, server.log_tail()
        assert len(_children(server.process.pid)) >= 2, server.log_tail()


def test_gunicorn_conf_reads_workers_and_bind_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The page's overrides, WEB_CONCURRENCY and BIND, each replace the file's default (no
    server: the file is plain Python, so this one runs in the mutation check too)."""
    from snippets.deployment import gunicorn_conf

    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    monkeypatch.delenv("BIND", raising=False)
    default = importlib.reload(gunicorn_conf)
    assert (default.workers, default.bind) == (
        2 * multiprocessing.cpu_count() + 1,
        "127.0.0.1:8000",
    )
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    monkeypatch.setenv("BIND", "0.0.0.0:9000")
    chosen = importlib.reload(gunicorn_conf)
    assert (chosen.workers, chosen.bind) == (3, "0.0.0.0:9000")
    monkeypatch.setenv("WEB_CONCURRENCY", "0")  # review: gunicorn would start no worker
    with pytest.raises(ValueError, match=r"^WEB_CONCURRENCY must be 1 or more, not 0$"):
        importlib.reload(gunicorn_conf)
    monkeypatch.undo()
    importlib.reload(gunicorn_conf)  # the defaults again, for whatever imports it next
