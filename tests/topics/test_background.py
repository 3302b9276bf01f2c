"""Background work really runs: what the one-request cases cannot show."""

from __future__ import annotations

import time

from django.tasks import TaskResultStatus, task_backends
from django.tasks.backends.immediate import ImmediateBackend
from fastapi.testclient import TestClient

from snippets.background import django as django_snippet
from snippets.background import fastapi as fastapi_snippet
from snippets.background import flask as flask_snippet


def test_fastapi_task_runs_after_the_response() -> None:
    client = TestClient(fastapi_snippet.app)
    resp = client.post("/signup", json={"email": "late@example.com"})
    assert resp.status_code == 202
    # TestClient returns once the whole ASGI call, background tasks included, is done.
    assert "late@example.com" in client.get("/outbox").json()["sent"]


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
