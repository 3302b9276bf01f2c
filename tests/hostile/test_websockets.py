"""Hostile WebSocket frames: each is answered with the error message, and the socket stays open.

A frame nested 100,000 deep made ``json.loads`` raise ``RecursionError``, which the echo
handlers did not catch, so the connection dropped. Flask-SocketIO decodes frames itself
(before the snippet runs) and is not covered here.
"""

from __future__ import annotations

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor

from channels.testing import WebsocketCommunicator
from fastapi.testclient import TestClient

from snippets.websockets import fastapi as fastapi_snippet
from snippets.websockets.django import EchoConsumer
from tests.hostile.inputs import DEEP, HOSTILE_VALUES

ERROR = {"error": 'expected {"message": ...}'}
FRAMES = [
    "[" * DEEP + "]" * DEEP,
    '{"message":' * DEEP + "1" + "}" * DEEP,
    '{"message": NaN}',
    "\x00",
    json.dumps(HOSTILE_VALUES[:6]),
]


def test_fastapi_socket_answers_hostile_frames() -> None:
    with TestClient(fastapi_snippet.app).websocket_connect("/ws") as ws:
        for frame in FRAMES:
            ws.send_text(frame)
            reply = ws.receive_json()
            assert reply == ERROR or "echo" in reply
        ws.send_json({"message": "still open"})
        assert ws.receive_json() == {"echo": "still open"}


def test_django_consumer_answers_hostile_frames() -> None:
    async def attack() -> None:
        communicator = WebsocketCommunicator(EchoConsumer.as_asgi(), "/ws")
        connected, _ = await communicator.connect()
        assert connected
        for frame in FRAMES:
            await communicator.send_to(text_data=frame)
            await communicator.receive_from()
        await communicator.send_json_to({"message": "still open"})
        assert await communicator.receive_json_from() == {"echo": "still open"}
        await communicator.disconnect()

    with ThreadPoolExecutor(max_workers=1) as pool:  # a loop may already run in this thread
        pool.submit(asyncio.run, attack()).result()
