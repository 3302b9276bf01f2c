"""The Flask snippet's Socket.IO server as a real client meets it, after its test client."""

from __future__ import annotations

import json
from typing import Any

import pytest

from snippets.websockets import flask as flask_socketio_snippet


def use_the_real_server(monkeypatch: pytest.MonkeyPatch) -> None:
    """Undo, for one test, what flask_socketio's test client (other tests use it) does to the
    shared server for good: it replaces ``_send_packet`` with one that queues packets for
    itself, so a polling or WebSocket client run after it never heard back."""
    server = flask_socketio_snippet.socketio.server
    for name in ("_send_packet", "_send_eio_packet"):
        if name in vars(server):  # set on the instance: the class's own methods come back
            monkeypatch.delattr(server, name)


def joined_polling_client() -> tuple[Any, str]:
    """A Flask test client with a long-polling session of the snippet, joined to the default
    namespace, and the URL its POSTs and polls go to."""
    client = flask_socketio_snippet.app.test_client()
    handshake = client.get("/socket.io/?EIO=4&transport=polling")
    url = f"/socket.io/?EIO=4&transport=polling&sid={json.loads(handshake.data[1:])['sid']}"
    assert client.post(url, data="40").status_code == 200
    return client, url
