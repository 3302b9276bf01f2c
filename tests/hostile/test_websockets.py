"""Hostile WebSocket frames: each is answered with the error message, and the socket stays open.

A frame nested 100,000 deep made ``json.loads`` raise ``RecursionError``, which the echo
handlers did not catch, so the connection dropped. Flask-SocketIO decodes frames itself,
before the snippet runs: its frames go through the long-polling transport instead.
"""

from __future__ import annotations

import asyncio
import base64
import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from channels.testing import WebsocketCommunicator
from fastapi.testclient import TestClient

from snippets.websockets import fastapi as fastapi_snippet
from snippets.websockets import flask as flask_socketio_snippet
from snippets.websockets.django import EchoConsumer
from tests.hostile.inputs import DEEP, HOSTILE_VALUES
from tests.hostile.verdict import HANG_SECONDS
from tests.support.socketio_server import joined_polling_client, use_the_real_server

ERROR = {"error": 'expected {"message": ...}'}
MAX_PAYLOAD = 1_000_000  # Engine.IO's default max_http_buffer_size
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
        ws.send_bytes(b'{"message": "in a binary frame"}')  # the echo speaks text frames only
        assert ws.receive_json() == ERROR
        ws.send_json({"message": "still open"})
        assert ws.receive_json() == {"echo": "still open"}


def test_django_consumer_answers_hostile_frames() -> None:
    async def attack() -> None:
        communicator = WebsocketCommunicator(EchoConsumer.as_asgi(), "/ws")
        connected, _ = await communicator.connect()
        assert connected
        for frame in FRAMES:
            await communicator.send_to(text_data=frame)
            reply = json.loads(await communicator.receive_from())
            assert reply == ERROR or "echo" in reply, (frame[:80], reply)
        await communicator.send_json_to({"message": "still open"})
        assert await communicator.receive_json_from() == {"echo": "still open"}
        await communicator.disconnect()

    with ThreadPoolExecutor(max_workers=1) as pool:  # a loop may already run in this thread
        pool.submit(asyncio.run, attack()).result()


@pytest.fixture
def polling_server(monkeypatch: pytest.MonkeyPatch) -> None:
    """The snippet's Socket.IO server as a polling client meets it."""
    use_the_real_server(monkeypatch)


@pytest.mark.usefixtures("polling_server")
def test_flask_socketio_survives_hostile_frames() -> None:
    """Socket.IO frames as a client puts them on the wire (long polling: one POST per
    Engine.IO message), through Flask's test client. A frame Socket.IO cannot decode (too
    deep, malformed) never reaches the snippet: python-socketio logs it and drops it. Every
    POST is still answered 200 at once, a decodable frame of the wrong shape gets the
    snippet's error event, and the socket stays open for the next message."""
    client, url = joined_polling_client()
    payloads = [
        # Under Engine.IO's 1 MB maxPayload: a longer POST is the next test's.
        *(f'["echo",{frame}]' for frame in FRAMES if len(frame) < MAX_PAYLOAD),
        '["echo",' + "[" * DEEP + "]" * DEEP + "]",
        '["echo",{"message":"' + "x" * 500_000 + '"}]',
        '["echo"',
        "[]",
        '"echo"',
        '["echo","\\ud800"]',
        '["echo",{"message":NaN}]',  # json.loads takes these; the echo would not be JSON
        '["echo",{"message":1e400}]',
    ]
    for payload in payloads:
        started = time.perf_counter()
        resp = client.post(url, data=("42" + payload).encode("utf-8", "surrogatepass"))
        assert resp.status_code == 200 and time.perf_counter() - started < HANG_SECONDS
    client.post(url, data='42["echo",{"message":2.5}]')  # a finite number still gets through
    client.post(url, data='42["echo",{"message":"still open"}]')
    received, deadline = "", time.monotonic() + 30
    while "still open" not in received and time.monotonic() < deadline:
        received += client.get(url).get_data(as_text=True)  # replies arrive by polling
    assert '42["echo",{"echo":"still open"}]' in received
    assert "NaN" not in received and "Infinity" not in received
    assert '42["echo",{"echo":2.5}]' in received
    assert received.count('["error",') >= 2  # a list, a lone surrogate: the error event


@pytest.mark.usefixtures("polling_server")
def test_flask_socketio_refuses_a_long_poll_over_the_limit_without_holding_a_thread() -> None:
    """Review: python-engineio answered a POST over maxPayload by closing the session and then
    waiting (queue.join) for the client's next poll, so a client that never polls held the
    worker's thread for good (gunicorn's one gthread worker: a few such POSTs stop the app).
    The snippet now refuses such a body with 413 before Engine.IO reads it, at once."""
    from snippets.websockets.flask_limits import MAX_MESSAGE

    client, url = joined_polling_client()
    too_long = b"42" + b"x" * MAX_MESSAGE
    answers: list = []  # a daemon thread: one the old code held for good must not hold pytest
    post = threading.Thread(target=lambda: answers.append(client.post(url, data=too_long)))
    post.daemon = True
    post.start()
    post.join(HANG_SECONDS)
    assert answers, f"no answer within {HANG_SECONDS} s"
    assert answers[0].status_code == 413
    garbled = client.post(url, data="40", environ_overrides={"CONTENT_LENGTH": "1e9"})
    assert garbled.status_code == 400  # not a length Engine.IO could read either
    assert client.post(url, data='42["echo",{"message":"after"}]').status_code == 200


def _poll_until(client, url: str, text: str) -> str:
    received, deadline = "", time.monotonic() + 30
    while text not in received and time.monotonic() < deadline:
        received += client.get(url).get_data(as_text=True)  # replies arrive by polling
    return received


@pytest.mark.usefixtures("polling_server")
def test_flask_socketio_drops_a_packet_that_announces_binary_attachments() -> None:
    """review: a binary event announcing 9,999,999,999 attachments made the server keep every
    later message of the session as one of them (740 KB POSTs: 29.6 MB held after 40), and the
    echo never answered again. The echo takes text only: such a packet is dropped."""
    client, url = joined_polling_client()
    assert client.post(url, data='459999999999-["echo",{}]').status_code == 200
    for _ in range(3):
        assert client.post(url, data=b"b" + base64.b64encode(bytes(1000))).status_code == 200
    assert not flask_socketio_snippet.socketio.server._binary_packet
    client.post(url, data='42["echo",{"message":"after binary"}]')
    assert '42["echo",{"echo":"after binary"}]' in _poll_until(client, url, "after binary")


@pytest.mark.usefixtures("polling_server")
def test_flask_socketio_answers_a_wrong_number_of_arguments_with_the_error_event() -> None:
    """review: `42["echo"]` and `42["echo",{...},2]` raised TypeError in the handler (a
    traceback in the log, no reply), where the topic promises the error event."""
    client, url = joined_polling_client()
    for frame in ('42["echo"]', '42["echo",{"message":1},2]'):
        assert client.post(url, data=frame).status_code == 200
    received, deadline = "", time.monotonic() + 30
    while received.count('["error",') < 2 and time.monotonic() < deadline:
        received += client.get(url).get_data(as_text=True)
    assert received.count('["error",') == 2, received


@pytest.mark.usefixtures("polling_server")
def test_flask_socketio_refuses_a_negative_content_length() -> None:
    """review: int() takes "-1", which is not over the limit, and Engine.IO then read the
    body to its end whatever its size."""
    client, url = joined_polling_client()
    resp = client.post(url, data=b"42" + b"x" * 100, environ_overrides={"CONTENT_LENGTH": "-1"})
    assert resp.status_code == 400
