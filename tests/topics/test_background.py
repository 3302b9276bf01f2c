"""Background work really runs: what the one-request cases cannot show."""

from __future__ import annotations

import asyncio
import json
import time
import uuid

import pytest
from django.tasks import TaskResultStatus, task_backends
from django.tasks.backends.immediate import ImmediateBackend
from django.test import Client
from fastapi.testclient import TestClient

from snippets.background import django as django_snippet
from snippets.background import fastapi as fastapi_snippet
from snippets.background import flask as flask_snippet
from tests.support.asgi import http_scope
from verified_guide.topics import ROOT


def test_fastapi_task_runs_after_the_response() -> None:
    """Driven as a server drives it: the outbox is read as each ASGI message goes out, so the
    test sees the task run after the last body message, not merely by the end of the call."""
    email = f"late-{uuid.uuid4().hex[:8]}@example.com"  # in no outbox yet
    body = json.dumps({"email": email}).encode()
    scope = http_scope("POST", "/signup", [(b"content-type", b"application/json")])
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


@pytest.mark.parametrize("snippet", [fastapi_snippet, django_snippet, flask_snippet])
def test_the_outbox_keeps_the_last_hundred_mails_not_every_mail_ever(snippet, settings) -> None:
    """The stand-in for a mail server holds a bounded number of mails: a flood of signups
    to a demo app cannot grow its memory without end. background.md says "last 100"."""
    settings.ROOT_URLCONF = "snippets.background.django"
    emails = [f"flood-{n}-{uuid.uuid4().hex[:6]}@example.com" for n in range(150)]
    for email in emails:
        if snippet is django_snippet:
            snippet.send_welcome.call(email)
        elif snippet is fastapi_snippet:
            asyncio.run(snippet.send_welcome(email))
        else:
            snippet.send_welcome(email)
    if snippet is fastapi_snippet:
        sent = TestClient(snippet.app).get("/outbox").json()["sent"]
    elif snippet is django_snippet:
        sent = Client().get("/outbox").json()["sent"]
    else:
        sent = snippet.app.test_client().get("/outbox").json["sent"]
    assert sent == emails[-100:]
    page = " ".join((ROOT / "docs" / "guide" / "background.md").read_text().split())
    assert f"holding the last {snippet.OUTBOX.maxlen}" in page


def test_flask_pool_refuses_signups_past_its_backlog_until_tasks_finish(monkeypatch) -> None:
    """review: the pool's queue had no bound, so while mail was slow every signup still got
    202 and waited in memory (3,000 queued in 1.7 s). Past the backlog a signup gets 503 with
    Retry-After, and a finished task frees its place."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    release, pool = threading.Event(), ThreadPoolExecutor(max_workers=2)
    monkeypatch.setattr(flask_snippet, "executor", pool)  # its own: shut down below
    monkeypatch.setattr(flask_snippet, "backlog", threading.BoundedSemaphore(2))
    monkeypatch.setattr(flask_snippet, "send_welcome", lambda email: release.wait(5))
    client = flask_snippet.app.test_client()
    try:
        assert [client.post("/signup", json={"email": f"q{n}@example.com"}).status_code
                for n in range(2)] == [202, 202]  # fmt: skip
        full = client.post("/signup", json={"email": "q2@example.com"})
        assert full.status_code == 503 and full.headers["Retry-After"] == "5"
    finally:
        release.set()
    deadline = time.monotonic() + 5
    while client.post("/signup", json={"email": "q3@example.com"}).status_code != 202:
        assert time.monotonic() < deadline, "finished tasks never gave their places back"
        time.sleep(0.01)
    pool.shutdown(wait=True)  # every task and its callback done before the patches are undone


def test_flask_pool_logs_a_task_that_failed(monkeypatch, caplog) -> None:
    """review: a pool task's exception stayed in its Future, which nothing read: every failed
    mail vanished without a line in the log."""

    def unreachable_mail_server(email: str) -> None:
        raise ConnectionRefusedError("smtp.example.com:587")

    from concurrent.futures import ThreadPoolExecutor

    pool = ThreadPoolExecutor(max_workers=1)
    monkeypatch.setattr(flask_snippet, "executor", pool)
    monkeypatch.setattr(flask_snippet, "send_welcome", unreachable_mail_server)
    client = flask_snippet.app.test_client()
    assert client.post("/signup", json={"email": "lost@example.com"}).status_code == 202
    pool.shutdown(wait=True)  # the task and its callback have run
    records = [r for r in caplog.records if r.getMessage() == "welcome mail failed"]
    assert records, "the failed task left no log line"
    assert records[0].levelname == "ERROR"
    assert isinstance(records[0].exc_info[1], ConnectionRefusedError)
