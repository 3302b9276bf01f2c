"""The WebSocket behaviour of each snippet, in-process and under the real ASGI servers."""

from __future__ import annotations

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from channels.testing import WebsocketCommunicator
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from scripts.servers import DEMO_SERVERS, serve
from snippets.websockets import fastapi as fastapi_snippet
from snippets.websockets import flask as flask_snippet
from snippets.websockets.django import EchoConsumer

BAD_MESSAGES = ["not json", json.dumps([1, 2]), json.dumps({"text": "no message key"})]
ERROR = {"error": 'expected {"message": ...}'}


def run(coro) -> None:
    """Run a coroutine on a fresh event loop in its own thread (a loop may run in this one)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, coro).result()


# --------------------------------------------------------------------------- FastAPI


def test_fastapi_echo() -> None:
    with TestClient(fastapi_snippet.app).websocket_connect("/ws") as ws:
        ws.send_json({"message": "hello"})
        assert ws.receive_json() == {"echo": "hello"}
        for bad in BAD_MESSAGES:  # answered, and the connection stays open
            ws.send_text(bad)
            assert ws.receive_json() == ERROR
        ws.send_json({"message": "still here"})
        assert ws.receive_json() == {"echo": "still here"}


def test_fastapi_unknown_socket_path_is_refused() -> None:
    with (
        pytest.raises(WebSocketDisconnect),
        TestClient(fastapi_snippet.app).websocket_connect("/nope"),
    ):
        pass  # pragma: no cover - the connection is refused


# --------------------------------------------------------------------------- Django


@pytest.mark.claim("django-ecosystem")
def test_django_consumer_echo() -> None:
    run(_consumer_echo())


async def _consumer_echo() -> None:
    communicator = WebsocketCommunicator(EchoConsumer.as_asgi(), "/ws")
    connected, _ = await communicator.connect()
    assert connected
    await communicator.send_json_to({"message": "hello"})
    assert await communicator.receive_json_from() == {"echo": "hello"}
    for bad in BAD_MESSAGES:
        await communicator.send_to(text_data=bad)
        assert await communicator.receive_json_from() == ERROR
    await communicator.send_to(bytes_data=b"\x00")
    assert await communicator.receive_json_from() == ERROR
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


# --------------------------------------------------------------------------- Flask


def test_flask_socketio_echo() -> None:
    client = flask_snippet.socketio.test_client(flask_snippet.app)
    assert client.is_connected()
    client.emit("echo", {"message": "hello"})
    client.emit("echo", "not an object")
    client.emit("echo", {"text": "no message key"})
    received = client.get_received()
    assert [(r["name"], r["args"]) for r in received] == [
        ("echo", [{"echo": "hello"}]),
        ("error", [ERROR]),
        ("error", [ERROR]),
    ]
    client.disconnect()


# --------------------------------------------------------------------------- real servers


@pytest.mark.slow
@pytest.mark.parametrize("server_name", ["fastapi-uvicorn", "django-uvicorn"])
def test_echo_over_real_server(server_name: str, tmp_path) -> None:
    from websockets.exceptions import InvalidStatus
    from websockets.sync.client import connect

    env = {"GUIDE_DATABASE_URL": f"sqlite:///{tmp_path / 'demo.db'}"}
    with serve(server_name, DEMO_SERVERS[server_name], env=env) as server:
        url = f"ws://127.0.0.1:{server.port}/websockets/ws"
        with connect(url, origin=server.base_url) as ws:
            ws.send(json.dumps({"message": "over the wire"}))
            assert json.loads(ws.recv(timeout=5)) == {"echo": "over the wire"}
            ws.send("not json")
            assert json.loads(ws.recv(timeout=5)) == ERROR
        with pytest.raises(InvalidStatus), connect(f"ws://127.0.0.1:{server.port}/websockets/nope"):
            pass  # pragma: no cover - the handshake is refused
        if server_name.startswith("django"):  # AllowedHostsOriginValidator in config/asgi.py
            with pytest.raises(InvalidStatus), connect(url, origin="https://evil.example"):
                pass  # pragma: no cover - the handshake is refused
