"""Floods of WebSocket data against the echo of every demo server that holds a socket.

Two ways for one client to take a server's memory, which the frame-by-frame suite
(tests/hostile/test_websockets.py) does not try because each needs a real connection:

- **one message over the limit**, announced in a frame header and streamed: a server that
  reads it whole before checking its size holds all of it (Flask-SocketIO under threads held
  379 MB of a 400 MB message);
- **messages sent by a client that never reads the replies**: a server that keeps reading and
  queues each reply holds them all (Flask-SocketIO held 560 MB after 600 echoes of 0.9 MB).
  uvicorn and granian stop reading instead, so the client's sends block after a few; the
  Flask demo app now drops the client (snippets/websockets/flask_limits.py).

Each attack goes over a plain socket (tests/support/raw_websocket.py), and the server must
still echo for a new client afterwards. A client that reads keeps its replies coming: a burst
under the limit is echoed in full.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import httpx
import pytest
import socketio
from websockets.sync.client import connect

from tests.hostile.verdict import HANG_SECONDS
from tests.support.demo_servers import DemoServers, server_param
from tests.support.raw_websocket import RawWebSocket, announced_frame_header
from verified_guide.frameworks import REGISTRY
from verified_guide.servers import RunningServer
from verified_guide.sockets import (
    mismatches,
    socket_demo_servers,
    socketio_server_conversation,
    speaks_socketio,
    websocket_conversation,
)
from verified_guide.topics import get_topic

pytestmark = [pytest.mark.slow, pytest.mark.attacks_demo_servers]

TOPIC = get_topic("websockets")
ECHO = next(case for case in TOPIC.sockets if case.name == "a message is echoed")
MB = 1_000_000
#: What a server may keep of a flood, on top of what it held before (its resident memory):
#: the ASGI servers kept 7 MB, a socket's buffers and one message being read.
HELD_MB = 48


def _client(running: RunningServer, framework: str) -> RawWebSocket:
    socketio = speaks_socketio(ECHO, framework)
    path = f"/{TOPIC.mount}" + ("/socket.io/?EIO=4&transport=websocket" if socketio else ECHO.path)
    return RawWebSocket(running.port, path, running.base_url, socketio=socketio)


def _servers() -> list:
    return [server_param(demo.name) for demo in socket_demo_servers(ECHO)]


def _still_echoes(running: RunningServer, framework: str) -> None:
    """A new client still gets its echo: the attack cost the server one connection only."""
    if speaks_socketio(ECHO, framework):
        conversation = socketio_server_conversation(running.base_url, TOPIC.mount, ECHO, framework)
    else:
        url = f"ws://127.0.0.1:{running.port}/{TOPIC.mount}{ECHO.path}"
        conversation = websocket_conversation(url, running.base_url, ECHO, framework)
    assert not mismatches(ECHO, framework, conversation), conversation
    assert running.alive(), running.log_tail()


def _flood(
    running: RunningServer, framework: str, chunks: Callable[[RawWebSocket], list[bytes]]
) -> tuple[int, str, float]:
    """Send a new raw client's ``chunks`` until the server refuses more: the bytes it took,
    why the sending stopped, and the MB of memory the server then held beyond what it held
    before."""
    before = running.rss_mb()
    with _client(running, framework) as client:
        taken, why = client.send_until_refused(chunks(client))
        time.sleep(1)  # the server handles what it took
        return taken, why, running.rss_mb() - before


@pytest.mark.parametrize("server_name", _servers())
def test_a_message_over_the_limit_is_refused_while_it_arrives(
    server_name: str, demo_servers: DemoServers
) -> None:
    running = demo_servers.attack(server_name).running
    framework = REGISTRY.server(server_name).framework.id
    # A frame header says 400 MB follow: the server must not wait for all of them.
    taken, _, held = _flood(
        running, framework, lambda _: [announced_frame_header(400 * MB), *[b"x" * MB] * 64]
    )
    assert taken < 64 * MB, f"{server_name} read 64 MB of one message and asked for more"
    assert held < HELD_MB, f"{server_name} held {held:.0f} MB of one message it must refuse"
    _still_echoes(running, framework)


@pytest.mark.parametrize("server_name", _servers())
def test_a_client_that_never_reads_costs_the_server_little_memory(
    server_name: str, demo_servers: DemoServers
) -> None:
    running = demo_servers.attack(server_name).running
    framework = REGISTRY.server(server_name).framework.id
    # 0.9 MB: under every server's message limit (1 MB)
    taken, why, held = _flood(running, framework, lambda c: [c.echo("x" * 900_000)] * 300)
    assert why != "all sent", f"{server_name} read {taken / MB:.0f} MB and still asked for more"
    assert held < HELD_MB, (
        f"{server_name} held {held:.0f} MB for a client that read none of its replies "
        f"({taken / MB:.0f} MB sent)"
    )
    _still_echoes(running, framework)


@pytest.mark.parametrize(
    "server_name",
    [
        server_param(demo.name)
        for demo in socket_demo_servers(ECHO)
        if speaks_socketio(ECHO, demo.framework.id)
    ],
)
def test_a_client_that_never_polls_costs_the_server_little_memory(
    server_name: str, demo_servers: DemoServers
) -> None:
    """Socket.IO's long polling: every message a POST, every reply waiting for a GET that this
    client never sends (Flask-SocketIO held 113 MB and 287 MB after 300 such POSTs, in two runs)."""
    running = demo_servers.attack(server_name).running
    before = running.rss_mb()
    polling = f"/{TOPIC.mount}/socket.io/?EIO=4&transport=polling"
    headers = {"Origin": running.base_url}
    with httpx.Client(base_url=running.base_url, headers=headers, timeout=HANG_SECONDS) as client:
        url = f"{polling}&sid={json.loads(client.get(polling).text[1:])['sid']}"
        assert client.post(url, content="40").status_code == 200
        echo = "42" + json.dumps(["echo", {"message": "x" * 900_000}])
        statuses = {client.post(url, content=echo).status_code for _ in range(300)}
        held = running.rss_mb() - before
    assert statuses <= {200, 400}, statuses  # 400: the session ended
    assert held < HELD_MB, f"{server_name} held {held:.0f} MB for a client that never polled"
    _still_echoes(running, REGISTRY.server(server_name).framework.id)


@pytest.mark.parametrize("server_name", _servers())
def test_a_client_that_reads_gets_every_reply_of_a_burst(
    server_name: str, demo_servers: DemoServers
) -> None:
    """The limits above must not cut off a client that keeps up: eight messages of 0.5 MB
    sent at once (4 MB, under any limit on what a server holds) are all echoed."""
    running = demo_servers.attack(server_name).running
    framework = REGISTRY.server(server_name).framework.id
    text = "y" * 500_000
    if speaks_socketio(ECHO, framework):
        client = socketio.SimpleClient()
        client.connect(
            running.base_url, transports=["websocket"], socketio_path=f"/{TOPIC.mount}/socket.io"
        )
        try:
            for _ in range(8):
                client.emit("echo", {"message": text})
            replies = [client.receive(timeout=HANG_SECONDS) for _ in range(8)]
        finally:
            client.disconnect()
        assert replies == [["echo", {"echo": text}]] * 8
        return
    url = f"ws://127.0.0.1:{running.port}/{TOPIC.mount}{ECHO.path}"
    with connect(url, origin=running.base_url, max_size=None) as ws:
        for _ in range(8):
            ws.send(json.dumps({"message": text}))
        replies = [json.loads(ws.recv(timeout=HANG_SECONDS)) for _ in range(8)]
    assert replies == [{"echo": text}] * 8
