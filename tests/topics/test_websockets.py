"""The WebSocket behaviour of each snippet beyond its socket cases, in-process and under the
real ASGI servers.

The conversations themselves (the echo, a bad message answered with an error on an open
connection) are data: ``sockets:`` in snippets/websockets/cases.yaml, which
tests/test_socket_cases.py, tests/test_demo_servers.py and the browser parity test hold with
every framework. Here: what a case cannot say (refused handshakes, binary frames).
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest
from channels.testing import WebsocketCommunicator
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from snippets.websockets import fastapi as fastapi_snippet
from snippets.websockets.django import EchoConsumer
from tests.support.demo_servers import DemoServers, server_param
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


# --------------------------------------------------------------------------- real servers


@pytest.mark.slow
@pytest.mark.parametrize(
    "server_name",
    [server_param(s.name) for s in REGISTRY.demo_servers if s.spec.interface == "asgi"],
)
def test_real_server_refuses_unknown_socket_paths_and_foreign_origins(
    server_name: str, demo_servers: DemoServers
) -> None:
    from websockets.exceptions import InvalidStatus
    from websockets.sync.client import connect

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
