"""The demo apps under their production servers, answering every case over real HTTP.

Each server runs as a subprocess on a free 127.0.0.1 port, started once per session and
shared with the other tests that need it (``demo_servers``, tests/support/demo_servers.py),
and is always stopped; a server that fails to start fails the test with the tail of its log.
Each case is sent on a fresh client, so cookies never leak from one case to the next. Nothing
here measures time (a slow start has three minutes), so these tests run beside the others.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.support.demo_servers import DemoServers, server_param
from verified_guide.cases import check, http_sender
from verified_guide.frameworks import REGISTRY
from verified_guide.servers import DEMO_SERVERS, RunningServer
from verified_guide.sockets import (
    held_on,
    mismatches,
    socket_demo_servers,
    socketio_server_conversation,
    speaks_socketio,
    websocket_conversation,
)
from verified_guide.topics import SocketCase, Topic, all_topics

pytestmark = pytest.mark.slow


def _cases_of(topic: Topic, framework: str) -> list:
    """The topic's cases a framework's demo server answers (a variant is one framework's: the
    other servers do not mount it)."""
    if framework not in topic.frameworks():
        return []
    return [case for case in topic.cases if framework in case.frameworks]


# The topic is in the test id, so `pytest -k <topic>` selects these tests too.
# A variant (topic.yaml's ``variants:``) runs as a topic of its own, at its own mount.
@pytest.mark.parametrize(
    ("server_name", "topic"),
    [
        server_param(server_name, topic, id=f"{server_name}-{topic.mount}")
        for server_name in sorted(DEMO_SERVERS)
        for topic in [*all_topics(), *(v for t in all_topics() for v in t.variants())]
        if _cases_of(topic, REGISTRY.server(server_name).framework.id)
    ],
)
def test_demo_app_answers_every_case(
    server_name: str, topic: Topic, demo_servers: DemoServers
) -> None:
    running = demo_servers.get(server_name).running
    framework = REGISTRY.server(server_name).framework.id
    failures = []
    for case in _cases_of(topic, framework):
        with httpx.Client(base_url=running.base_url, timeout=30) as client:
            problems = check(http_sender(client), case, framework, f"/{topic.mount}")
        if problems:
            snippet = topic.snippet_path(framework).relative_to(topic.folder.parent.parent)
            failures.append(f"{snippet} / {case.name}: " + "; ".join(problems))
    assert running.process.poll() is None, f"{server_name} died:\n{running.log_tail()}"
    assert not failures, f"{server_name}:\n" + "\n".join(failures)


@pytest.mark.parametrize("server_name", [server_param(name) for name in sorted(DEMO_SERVERS)])
def test_demo_app_refuses_a_forged_host_before_any_mounted_app_uses_it(
    server_name: str, demo_servers: DemoServers
) -> None:
    """security review: the FastAPI and Flask demos answered a forged Host with a redirect to
    it (`/admin` -> http://evil.example/admin/) and an admin page loading its scripts from it.
    Every demo app now checks the Host first, as Django's ALLOWED_HOSTS does."""
    running = demo_servers.get(server_name).running
    with httpx.Client(base_url=running.base_url, timeout=30) as client:
        for path in ("/admin", "/routing", "/hello/", "/"):
            resp = client.get(path, headers={"Host": "evil.example"})
            assert resp.status_code == 400, (server_name, path, resp.status_code)
            assert "evil.example" not in resp.headers.get("location", ""), (server_name, path)
        assert client.get("/").status_code != 400  # the server's own address is allowed


# Socket cases over a real connection: a WebSocket client on each demo server that speaks ASGI, a
# Socket.IO client (over its WebSocket transport) for a snippet that speaks Socket.IO, on the demo
# app's socket server (``socket_server`` in verified_guide/frameworks.yaml: gunicorn's sync worker
# holds one connection at a time, so Flask-SocketIO runs on its threaded worker). A WSGI server
# with neither has no socket to test. The Origin is the server's own, as a browser on the site
# would send it: Django's AllowedHostsOriginValidator and Flask-SocketIO refuse other hosts.
def _conversation(running: RunningServer, topic: Topic, case: SocketCase, framework: str) -> Any:
    if speaks_socketio(case, framework):
        return socketio_server_conversation(running.base_url, topic.mount, case, framework)
    url = f"ws://127.0.0.1:{running.port}/{topic.mount}{case.path}"
    return websocket_conversation(url, running.base_url, case, framework)


@pytest.mark.parametrize(
    ("server_name", "topic"),
    [
        server_param(name, topic, id=f"{name}-{topic.mount}")
        for topic in all_topics()
        for name in dict.fromkeys(d.name for c in topic.sockets for d in socket_demo_servers(c))
    ],
)
def test_demo_app_holds_every_socket_conversation(
    server_name: str, topic: Topic, demo_servers: DemoServers
) -> None:
    running = demo_servers.get(server_name).running
    demo = REGISTRY.server(server_name)
    failures = []
    for case in topic.sockets:
        if not held_on(demo, case):
            continue
        conversation = _conversation(running, topic, case, demo.framework.id)
        if problems := mismatches(case, demo.framework.id, conversation):
            failures.append(f"{case.name}: " + "; ".join(problems))
    assert running.process.poll() is None, f"{server_name} died:\n{running.log_tail()}"
    assert not failures, f"{server_name}:\n" + "\n".join(failures)
