"""Background work really runs: what the one-request cases cannot show."""

from __future__ import annotations

import asyncio
import json
import time
import uuid

from django.tasks import TaskResultStatus, task_backends
from django.tasks.backends.immediate import ImmediateBackend

from snippets.background import django as django_snippet
from snippets.background import fastapi as fastapi_snippet
from snippets.background import flask as flask_snippet


def test_fastapi_task_runs_after_the_response() -> None:
    """Driven as a server drives it: the outbox is read as each ASGI message goes out, so the
    test sees the task run after the last body message, not merely by the end of the call."""
    email = f"late-{uuid.uuid4().hex[:8]}@example.com"  # in no outbox yet
    body = json.dumps({"email": email}).encode()
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
        "scheme": "http", "path": "/signup", "raw_path": b"/signup", "query_string": b"",
        "root_path": "", "headers": [(b"content-type", b"application/json")],
        "client": ("127.0.0.1", 1), "server": ("testserver", 80),
    }  # fmt: skip
    sent: list[tuple[str, bool]] = []  # (message type, task already run)
    requests = [{"type": "http.request", "body": body, "more_body": False}]

    async def receive() -> dict:
        return requests.pop(0) if requests else {"type": "http.disconnect"}

    async def send(message: dict) -> None:
        sent.append((message["type"], email in fastapi_snippet.OUTBOX))

    asyncio.run(fastapi_snippet.app(scope, receive, send))
    assert sent == [("http.response.start", False), ("http.response.body", False)]
    assert email in fastapi_snippet.OUTBOX  # and it did run, once the answer was out


def test_django_task_runs_through_the_configured_backend() -> None:
    assert isinstance(task_backends["default"], ImmediateBackend)
    result = django_snippet.send_welcome.enqueue("direct@example.com")
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert "direct@example.com" in django_snippet.OUTBOX


def test_flask_pool_thread_delivers_soon_after_the_response() -> None:
    client = flask_snippet.app.test_client()
    resp = client.post("/signup", json={"email": "pool@example.com"})
    assert resp.status_code == 202
    deadline = time.monotonic() + 5
    while "pool@example.com" not in client.get("/outbox").json["sent"]:
        assert time.monotonic() < deadline, "the pool thread never ran the task"
        time.sleep(0.01)
