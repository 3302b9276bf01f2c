"""The WebSocket behaviour of each snippet beyond its socket cases, in-process and under the
real ASGI servers.

The conversations themselves (the echo, a bad message answered with an error on an open
connection) are data: ``sockets:`` in snippets/websockets/cases.yaml, which
tests/test_socket_cases.py, tests/test_demo_servers.py and the browser parity test hold with
every framework. Here: what a case cannot say (refused handshakes, binary frames).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace
from typing import Any

import pytest
from channels.testing import WebsocketCommunicator
from engineio.payload import Payload
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect
from werkzeug.serving import make_server

from snippets.websockets import fastapi as fastapi_snippet
from snippets.websockets import flask as flask_snippet
from snippets.websockets.django import EchoConsumer
from snippets.websockets.flask_limits import MAX_BEHIND, MAX_MESSAGE, bound_engineio
from tests.support.demo_servers import DemoServers, server_param
from tests.support.raw_websocket import (
    RawWebSocket,
    announced_frame_header,
    close_frame,
    text_frame,
)
from tests.support.socketio_server import joined_polling_client, use_the_real_server
from verified_guide.frameworks import REGISTRY

ERROR = {"error": 'expected {"message": ...}'}


def run(coro) -> None:
    """Run a coroutine on a fresh event loop in its own thread (a loop may run in this one)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, coro).result()


# --------------------------------------------------------------------------- FastAPI


def test_fastapi_unknown_socket_path_is_refused() -> None:
    with (
        pytest.raises(WebSocketDisconnect),
        TestClient(fastapi_snippet.app).websocket_connect("/nope"),
    ):
        pass  # pragma: no cover - the connection is refused


# --------------------------------------------------------------------------- Django


@pytest.mark.claim("django-ecosystem")
def test_django_consumer_answers_a_binary_frame_with_an_error() -> None:
    run(_binary_frame())


async def _binary_frame() -> None:
    communicator = WebsocketCommunicator(EchoConsumer.as_asgi(), "/ws")
    connected, _ = await communicator.connect()
    assert connected
    await communicator.send_to(bytes_data=b"\x00")
    assert await communicator.receive_json_from() == ERROR
    await communicator.send_json_to({"message": "still open"})
    assert await communicator.receive_json_from() == {"echo": "still open"}
    await communicator.disconnect()


@pytest.mark.parametrize(
    ("origin", "accepted"), [(b"http://localhost", True), (b"https://evil.example", False)]
)
@pytest.mark.claim("django-ecosystem")
def test_django_routing_checks_origin(origin: bytes, accepted: bool) -> None:
    run(_routing_checks_origin(origin, accepted))


async def _routing_checks_origin(origin: bytes, accepted: bool) -> None:
    # The websocket stack of the demo project's asgi.py (importing that module would
    # migrate the demo database, so the same stack is built here).
    from channels.routing import URLRouter
    from channels.security.websocket import AllowedHostsOriginValidator
    from django.urls import path

    from snippets.websockets.django import websocket_urlpatterns

    application = AllowedHostsOriginValidator(
        URLRouter([path("websockets/", URLRouter(websocket_urlpatterns))])
    )
    communicator = WebsocketCommunicator(
        application, "/websockets/ws", headers=[(b"origin", origin), (b"host", b"localhost")]
    )
    connected, _ = await communicator.connect()
    assert connected is accepted
    if accepted:
        await communicator.send_json_to({"message": "routed"})
        assert await communicator.receive_json_from() == {"echo": "routed"}
    await communicator.disconnect()


# --------------------------------------------------------------------------- Flask-SocketIO
# flask_limits.py, in this process (tests/hostile/test_socket_floods.py attacks the demo app
# under gunicorn with the same floods, and measures the server's memory).

#: The threads one WebSocket connection takes: Werkzeug's for the request, simple-websocket's
#: reader, Engine.IO's writer. A drop must end all three.
CONNECTION_THREADS = ("process_request_thread", "simple_websocket", "writer")


def _connection_threads() -> set[threading.Thread]:
    return {t for t in threading.enumerate() if any(n in t.name for n in CONNECTION_THREADS)}


class SnippetServer:
    """The Flask snippet under Werkzeug's threaded server, on a thread of this process."""

    def __init__(self) -> None:
        self.threads_before = _connection_threads()
        self.server = make_server("127.0.0.1", 0, flask_snippet.app, threaded=True)
        self.port = self.server.server_port
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def threads_left(self) -> set[threading.Thread]:
        """The threads connections started that are still running 10 s on (CHECK_EVERY, and
        a busy machine): none, once every connection has ended or been dropped."""
        deadline = time.monotonic() + 10
        while (left := _connection_threads() - self.threads_before) and time.monotonic() < deadline:
            time.sleep(0.1)
        return left

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join()


@pytest.fixture
def snippet_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[SnippetServer]:
    """The snippet on a real server; at the end, every thread a connection started must have
    ended."""
    use_the_real_server(monkeypatch)
    server = SnippetServer()
    yield server
    left = server.threads_left()
    server.stop()
    assert not left, f"threads still running after their connection ended: {left}"


def _raw_client(port: int) -> RawWebSocket:
    path = "/socket.io/?EIO=4&transport=websocket"
    return RawWebSocket(port, path, f"http://127.0.0.1:{port}", socketio=True)


def test_flask_websocket_refuses_a_message_over_the_limit_as_it_arrives(
    snippet_server: SnippetServer,
) -> None:
    """Engine.IO checked a message's size once all of it was in memory: a 400 MB one was read
    whole. simple-websocket now applies the limit as the bytes arrive."""
    with _raw_client(snippet_server.port) as client:
        chunks = [announced_frame_header(400 * MAX_MESSAGE), *[b"x" * MAX_MESSAGE] * 64]
        taken, why = client.send_until_refused(chunks)
    # Dropped, or no longer read (Werkzeug keeps a connection simple-websocket closed).
    assert why != "all sent" and taken < 16 * MAX_MESSAGE, (why, taken)


def test_flask_websocket_refuses_compressed_messages_over_the_limit(
    snippet_server: SnippetServer,
) -> None:
    """Review: simple-websocket wakes Engine.IO's reader before it marks a connection closed
    for a message over the limit, and the reader then waited for good: 18 of 20 request
    threads were left after 20 such messages, each compressed (permessage-deflate) to about
    1 KB. The fixture checks that every thread ends."""
    url = f"ws://127.0.0.1:{snippet_server.port}/socket.io/?EIO=4&transport=websocket"
    for _ in range(5):
        with connect(url, origin=f"http://127.0.0.1:{snippet_server.port}", close_timeout=1) as ws:
            ws.recv(timeout=5)
            ws.send("40")
            ws.recv(timeout=5)
            ws.send('42["echo",{"message":"' + "x" * (MAX_MESSAGE + 1) + '"}]')
            # Under gunicorn the close frame (1009) arrives; Werkzeug may keep the connection.
            with contextlib.suppress(ConnectionClosed, TimeoutError):
                ws.recv(timeout=2)
                pytest.fail("the message over the limit was answered")


def test_flask_websocket_drops_a_client_that_never_reads(snippet_server: SnippetServer) -> None:
    """Engine.IO queued every reply for a client that never read one (560 MB after 600 echoes
    under gunicorn); a client more than MAX_BEHIND behind is now dropped."""
    with _raw_client(snippet_server.port) as client:
        taken, why = client.send_until_refused([client.echo("x" * 900_000)] * 300)
    # What the socket buffers of both ends took besides: 16 to 18 MB here.
    assert why == "dropped" and taken < 8 * MAX_BEHIND, (why, taken)


def test_flask_websocket_ends_every_thread_of_a_client_that_closes_but_never_reads(
    snippet_server: SnippetServer,
) -> None:
    """Review: a client that sent a close frame while its replies filled the socket, and kept
    the connection open, held the request, reader and writer threads until it hung up:
    Engine.IO's writer blocked on the full socket and Engine.IO waited for it."""
    with _raw_client(snippet_server.port) as client:
        client.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        client.send_until_refused([client.echo("x" * 900_000)] * 4)
        time.sleep(1)
        client.sock.sendall(close_frame())
        assert not snippet_server.threads_left()  # while the client still holds the socket


@pytest.mark.parametrize("frame", ["x", ""], ids=["not a packet", "empty"])
def test_flask_websocket_drops_a_frame_engineio_cannot_decode(
    snippet_server: SnippetServer, frame: str
) -> None:
    """Review: Engine.IO decodes a WebSocket frame outside its own try: the ValueError ended
    its reader with a traceback, and the session and its writer lingered until the ping
    timeout. The connection is now dropped, and its threads end."""
    with _raw_client(snippet_server.port) as client:
        client.sock.sendall(text_frame(frame))
        assert not snippet_server.threads_left()


def _post_until_refused(client: Any, url: str, body: str, most: int = 100) -> list[int]:
    statuses: list[int] = []
    while 200 in statuses[-1:] or not statuses:
        statuses.append(client.post(url, data=body).status_code)
        assert len(statuses) <= most, f"none of {most} POSTs was refused"
    return statuses


def test_flask_long_polling_ends_the_session_of_a_client_that_never_polls(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The same queue on the long-polling transport: a client that posts messages but never
    polls for the replies loses its session once MAX_BEHIND of them wait."""
    use_the_real_server(monkeypatch)
    client, url = joined_polling_client()
    echo = "42" + json.dumps(["echo", {"message": "x" * 900_000}])
    statuses = _post_until_refused(client, url, echo)
    assert statuses[-1] == 400 and len(statuses) > MAX_BEHIND // len(echo), statuses
    assert client.get(url).status_code == 400  # the session is gone


def test_flask_long_polling_counts_packets_that_carry_no_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Review: an UPGRADE packet ("5") on a polling session makes Engine.IO queue an empty
    NOOP; counting text alone, 48,002 of them counted 31 bytes. Each packet now counts."""
    use_the_real_server(monkeypatch)
    client, url = joined_polling_client()
    sid = url.rpartition("=")[2]
    session = flask_snippet.socketio.server.eio.sockets[sid]
    # As many packets a POST as Engine.IO decodes; MAX_BEHIND / PACKET_COST NOOPs fill the queue
    upgrades = "\x1e".join(["5"] * Payload.max_decode_packets)
    statuses = _post_until_refused(client, url, upgrades, most=3000)
    assert statuses[-1] == 400 and session.queue.held <= MAX_BEHIND, statuses[-3:]


def test_flask_long_polling_to_an_ended_session_is_a_400(monkeypatch: pytest.MonkeyPatch) -> None:
    """A session Engine.IO has closed (no answer to its pings) stays listed until its
    service task removes it; a POST to it raised KeyError in Engine.IO, a 500."""
    use_the_real_server(monkeypatch)
    client, url = joined_polling_client()
    flask_snippet.socketio.server.eio.sockets[url.rpartition("=")[2]].close(wait=False, abort=True)
    response = client.post(url, data='42["echo",{"message":"late"}]')
    assert (response.status_code, response.text) == (400, "Session ended\n")


def test_flask_long_polling_answers_a_session_that_closes_during_the_request_with_400(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Review: a session that closes between the guard's check and Engine.IO's (a ping
    timeout, or the client's own close on another request) made Engine.IO raise KeyError."""
    use_the_real_server(monkeypatch)
    client, url = joined_polling_client()
    eio = flask_snippet.socketio.server.eio
    session = eio.sockets[url.rpartition("=")[2]]
    get_socket = eio._get_socket

    def closing_first(sid: str) -> Any:
        session.close(wait=False, abort=True)
        return get_socket(sid)

    monkeypatch.setattr(eio, "_get_socket", closing_first)
    response = client.post(url, data='42["echo",{"message":"late"}]')
    assert (response.status_code, response.text) == (400, "Session ended\n")


@pytest.mark.parametrize(
    ("body", "length"),
    [
        ("x", None),
        ("2\x1e", None),  # an empty packet after the first
        ("\x1e".join(["2"] * (Payload.max_decode_packets + 1)), None),
        (b"4\xff", None),  # not UTF-8
        ("2", ""),  # a Content-Length header with no number
    ],
    ids=["not a packet", "empty packet", "one packet too many", "not UTF-8", "empty length"],
)
def test_flask_long_polling_refuses_a_payload_engineio_cannot_decode(
    monkeypatch: pytest.MonkeyPatch, body: str | bytes, length: str | None
) -> None:
    """Review: Engine.IO answered each of these 200 and logged a traceback."""
    use_the_real_server(monkeypatch)
    client, url = joined_polling_client()
    overrides = {} if length is None else {"CONTENT_LENGTH": length}
    assert client.post(url, data=body, environ_overrides=overrides).status_code == 400
    assert client.post(url, data='42["echo",{"message":"after"}]').status_code == 200


def test_flask_limits_leave_other_paths_alone() -> None:
    """Review: the length checks applied to every path, so an upload route of a pasted app
    got 413 for anything over MAX_MESSAGE. Here Flask answers (405: "/" takes GET only)."""
    response = flask_snippet.app.test_client().post("/", data=b"x" * (MAX_MESSAGE + 1))
    assert response.status_code == 405


def test_flask_limits_are_for_engineio_threads_only() -> None:
    """Under eventlet or gevent, Engine.IO holds a WebSocket with another class."""
    eventlet = SimpleNamespace(server=SimpleNamespace(eio=SimpleNamespace(async_mode="eventlet")))
    with pytest.raises(RuntimeError, match="not eventlet"):
        bound_engineio(eventlet)


# --------------------------------------------------------------------------- real servers


@pytest.mark.slow
@pytest.mark.parametrize(
    "server_name",
    [server_param(s.name) for s in REGISTRY.demo_servers if s.spec.interface == "asgi"],
)
def test_real_server_refuses_unknown_socket_paths_and_foreign_origins(
    server_name: str, demo_servers: DemoServers
) -> None:
    running = demo_servers.get(server_name).running
    base = f"ws://127.0.0.1:{running.port}"
    for unknown in ("/websockets/nope", "/nowhere"):  # a 403, never Channels' routing error (500)
        with (
            pytest.raises(InvalidStatus) as refused,
            connect(base + unknown, origin=running.base_url),
        ):
            pass  # pragma: no cover - the handshake is refused
        assert refused.value.response.status_code == 403, unknown
    if server_name.startswith("django"):  # AllowedHostsOriginValidator in config/asgi.py
        with (
            pytest.raises(InvalidStatus) as refused,
            connect(f"{base}/websockets/ws", origin="https://evil.example"),
        ):
            pass  # pragma: no cover - the handshake is refused
        assert refused.value.response.status_code == 403
