"""Each framework's own socket test client, holding a socket case's conversation in-process.

One driver per kind of test client (``test_client`` in verified_guide/frameworks.yaml), each giving
the conversation record of ``verified_guide/sockets.py``: Starlette's
``TestClient.websocket_connect``
for an ASGI app (FastAPI's), Channels' ``WebsocketCommunicator`` on the snippet's
``websocket_urlpatterns`` for Django (routed as the demo project routes them,
demo_apps/django_app/config/socket_routing.py), and Flask-SocketIO's ``test_client`` for a
snippet that speaks Socket.IO (the live runner's ``socketio_conversation``, which is that client).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from verified_guide.frameworks import REGISTRY
from verified_guide.live.runner import REPLY_SECONDS, socketio_conversation
from verified_guide.sockets import Conversation, namespace, socket_frames, speaks_socketio
from verified_guide.topics import SocketCase, Topic, import_snippet

Driver = Callable[[Any, str, list[dict[str, Any]]], Conversation]


def asgi_conversation(module: Any, path: str, frames: list[dict[str, Any]]) -> Conversation:
    from starlette.testclient import TestClient
    from starlette.websockets import WebSocketDisconnect

    received = []
    try:
        with TestClient(module.app).websocket_connect(path) as ws:
            for frame in frames:
                ws.send_text(frame["text"])
                received.append({"event": None, "text": ws.receive_text()})
    except WebSocketDisconnect as exc:
        return {"accepted": bool(received), "frames": received, "note": f"closed: {exc.code}"}
    return {"accepted": True, "frames": received, "note": ""}


async def _channels_conversation(module: Any, path: str, frames: list[dict[str, Any]]) -> Any:
    from channels.testing import WebsocketCommunicator

    from demo_apps.django_app.config.socket_routing import refusing_router

    communicator = WebsocketCommunicator(refusing_router(module.websocket_urlpatterns), path)
    connected, _ = await communicator.connect(timeout=REPLY_SECONDS)
    received = []
    if connected:
        for frame in frames:
            await communicator.send_to(text_data=frame["text"])
            text = await communicator.receive_from(timeout=REPLY_SECONDS)
            received.append({"event": None, "text": text})
        await communicator.disconnect()
    note = "" if connected else "the handshake was refused"
    return {"accepted": connected, "frames": received, "note": note}


def channels_conversation(module: Any, path: str, frames: list[dict[str, Any]]) -> Conversation:
    """On a fresh event loop in its own thread: pytest-django's may already run in this one."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, _channels_conversation(module, path, frames)).result()


DRIVERS: dict[str, Driver] = {"asgi": asgi_conversation, "django": channels_conversation}


def converse(topic: Topic, framework: str, case: SocketCase) -> Conversation:
    """The case's conversation with the framework's snippet, through its own test client."""
    module = import_snippet(topic, framework)
    frames = socket_frames(case.as_data(), framework)
    if speaks_socketio(case, framework):
        return socketio_conversation(module, frames, namespace(case))
    kind = REGISTRY.get(framework).test_client
    if kind not in DRIVERS:
        raise ValueError(f"no plain WebSocket test client for {framework!r} ({kind!r} clients)")
    return DRIVERS[kind](module, case.path, frames)
